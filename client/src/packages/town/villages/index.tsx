import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { CreateVillageBody } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { usePageData, useSubmit } from '../../../lib/page-hooks'
import { createVillage, listMyTowns, listTownVillages } from '../../../services/setup'
import { townPaths } from '../paths'
import { createBody, KIND_CHOICES, kindLabel, VILLAGE_FIELDS, validateVillage, type VillageDraft } from '../validate'
import './index.css'

const EMPTY: VillageDraft = { name: '', kind: 'rural', code: '' }

export default function Villages() {
  const { data, reload } = usePageData(async () => {
    const towns = await listMyTowns()
    return Promise.all(towns.map(async (town) => ({ town, villages: await listTownVillages(town.id) })))
  })
  /** The town whose "new village" form is open. */
  const [creatingIn, setCreatingIn] = useState<number | null>(null)
  const [draft, setDraft] = useState<VillageDraft>(EMPTY)
  const form = useSubmit(
    VILLAGE_FIELDS,
    ({ townId, body }: { townId: number; body: CreateVillageBody }, { handled }) =>
      createVillage(townId, body, handled),
    { fieldCodes: { VILLAGE_CODE_TAKEN: 'code' } },
  )
  const { errors } = form

  function openForm(townId: number) {
    setCreatingIn(townId)
    setDraft(EMPTY)
    form.setErrors({})
    form.setFormError('')
  }

  async function create(townId: number) {
    const village = await form.submit({ townId, body: createBody(draft) }, validateVillage(draft, true))
    if (!village) return
    void Taro.showToast({ title: `已建立${village.name}`, icon: 'none', duration: 2000 })
    setCreatingIn(null)
    await reload()
  }

  // Whatever went wrong, the default advice (the server's words are not shown here).
  if (data.state !== 'ready') return <NotReady data={{ state: data.state }} onRetry={reload} />
  if (data.value.length === 0) {
    return (
      <Page>
        <Card title='没有可以管理的镇（街道）'>
          <View className='lr-text'>只有镇（街道）管理员才能使用这里。</View>
        </Card>
      </Page>
    )
  }

  return (
    <Page className='villages'>
      {data.value.map(({ town, villages }) => (
        <View key={town.id}>
          <View className='lr-heading'>{town.name}</View>
          <Card title={`村和社区（${villages.length} 个）`} className='villages__list'>
            {villages.length === 0 ? <View className='lr-muted'>还没有村或社区。</View> : null}
            {villages.map((village) => (
              <ListLink
                key={village.id}
                className='villages__item'
                url={townPaths.village(town.id, village.id)}
                title={village.name}
                badges={<View className='lr-badge lr-badge--blue'>{kindLabel(village.kind)}</View>}
              >
                <View className='lr-muted'>
                  网格 {village.gridCount} 个 · {placeWords(village.kind).committee} {village.committeeCount} 人 · 代码{' '}
                  {village.code}
                </View>
              </ListLink>
            ))}
          </Card>

          {creatingIn === town.id ? (
            <Card title='新建村（社区）' className='villages__form'>
              <InputField
                label='名称'
                error={errors.name}
                inputClassName='villages__input--name'
                placeholder='例如：李家村'
                value={draft.name}
                maxLength={64}
                onChange={(name: string) => setDraft({ ...draft, name })}
              />
              <Field label='类型' error={errors.kind}>
                <Choices choices={KIND_CHOICES} value={draft.kind} onChange={(kind) => setDraft({ ...draft, kind })} />
              </Field>
              <Field
                label='代码'
                hint='用于网址和对接其他系统：小写字母、数字和“-”，例如 lijia。建好后不能改。'
                error={errors.code}
              >
                <Input
                  className='lr-input villages__input--code'
                  placeholder='lijia'
                  value={draft.code}
                  maxLength={32}
                  onChange={(code: string) => setDraft({ ...draft, code: code.toLowerCase() })}
                />
              </Field>
              {form.formError ? <View className='lr-error'>{form.formError}</View> : null}
              <View className='lr-actions'>
                <Button size='large' fill='outline' onClick={() => setCreatingIn(null)}>
                  不建了
                </Button>
                <Button
                  type='primary'
                  size='large'
                  loading={form.saving}
                  className='villages__create'
                  onClick={() => create(town.id)}
                >
                  建立
                </Button>
              </View>
            </Card>
          ) : (
            <Button
              size='large'
              block
              fill='outline'
              className='lr-block-button villages__new'
              onClick={() => openForm(town.id)}
            >
              新建村（社区）
            </Button>
          )}
        </View>
      ))}
    </Page>
  )
}
