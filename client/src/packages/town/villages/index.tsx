import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { CreateVillageBody } from '@liren/shared/contracts'
import { meetingKindLabel, placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ChoiceField } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { FormActions, Page } from '../../../components/Page'
import { formatDate } from '../../../lib/format'
import { draftFields } from '../../../lib/form-text'
import { usePageData, useSubmit } from '../../../lib/page-hooks'
import { listOverduePetitions } from '../../../services/meetings'
import { createVillage, listMyTowns, listTownVillages } from '../../../services/setup'
import { meetingPaths } from '../../meetings/paths'
import { townPaths } from '../paths'
import { createBody, KIND_CHOICES, kindLabel, VILLAGE_FIELDS, validateVillage, type VillageDraft } from '../validate'
import './index.css'

const EMPTY: VillageDraft = { name: '', kind: 'rural', code: '' }

export default function Villages() {
  const { data, reload } = usePageData(async () => {
    const towns = await listMyTowns()
    return Promise.all(
      towns.map(async (town) => {
        const [villages, overdue] = await Promise.all([listTownVillages(town.id), listOverduePetitions(town.id)])
        return { town, villages, overdue }
      }),
    )
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
  const { text, choice } = draftFields(draft, setDraft, errors)

  function openForm(townId: number) {
    setCreatingIn(townId)
    setDraft(EMPTY)
    form.clear()
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
      {data.value.map(({ town, villages, overdue }) => (
        <View key={town.id}>
          <View className='lr-heading'>{town.name}</View>
          {/* 提议召集 the law says must be answered with a meeting, past their day: the town urges the committee. */}
          <Card
            title={overdue.length ? `过了期限还没开会的提议（${overdue.length} 件）` : '提议召集'}
            className={`villages__overdue${overdue.length ? ' villages__overdue--some' : ''}`}
          >
            {overdue.length === 0 ? (
              <View className='lr-muted'>没有过了期限还没开会的提议。</View>
            ) : (
              <View className='lr-muted villages__overdue-note'>
                签名的人够了，村（居）委会却没有在期限以前开会。请督促他们尽快召集。
              </View>
            )}
            {overdue.map((p) => {
              const kind = villages.find((v) => v.id === p.villageId)?.kind ?? 'rural'
              return (
                <ListLink
                  key={p.id}
                  className='villages__overdue-item'
                  url={meetingPaths.petition(p.villageId, p.id)}
                  title={p.title}
                  badges={<View className='lr-badge lr-badge--red'>已超期</View>}
                >
                  <View className='lr-text'>
                    {p.villageName} · 提议召开{meetingKindLabel(p.kind, kind)} · {p.signatures} 人签名
                  </View>
                  <View className='lr-error villages__overdue-due'>应在 {formatDate(p.answerDueAt)} 以前开会</View>
                </ListLink>
              )
            })}
          </Card>
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
                  <Text className='lr-code'>{village.code}</Text>
                </View>
              </ListLink>
            ))}
          </Card>

          {creatingIn === town.id ? (
            <Card title='新建村（社区）' className='villages__form'>
              <InputField
                label='名称'
                placeholder='例如：李家村'
                maxLength={64}
                {...text('name', 'villages__input--name')}
              />
              <ChoiceField label='类型' choices={KIND_CHOICES} {...choice('kind')} />
              <Field
                label='代码'
                hint={
                  <>
                    用于网址和对接其他系统：小写字母、数字和“-”，例如 <Text className='lr-code'>lijia</Text>
                    。建好后不能改。
                  </>
                }
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
              <FormActions
                form={form}
                className='villages__create'
                onSubmit={() => create(town.id)}
                cancel={{ text: '不建了', onTap: () => setCreatingIn(null) }}
              >
                建立
              </FormActions>
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
