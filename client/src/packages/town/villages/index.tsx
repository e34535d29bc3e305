import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Town, Village } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { Field, fieldErrors } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { ApiError } from '../../../services/http'
import { createVillage, listMyTowns, listTownVillages } from '../../../services/setup'
import { townPaths } from '../paths'
import {
  createBody,
  KIND_CHOICES,
  kindLabel,
  VILLAGE_FIELDS,
  validateVillage,
  type VillageDraft,
  type VillageErrors,
} from '../validate'
import './index.css'

type Data =
  { state: 'loading' } | { state: 'ready'; towns: { town: Town; villages: Village[] }[] } | { state: 'failed' }

const EMPTY: VillageDraft = { name: '', kind: 'rural', code: '' }

export default function Villages() {
  const [data, setData] = useState<Data>({ state: 'loading' })
  /** The town whose "new village" form is open. */
  const [creatingIn, setCreatingIn] = useState<number | null>(null)
  const [draft, setDraft] = useState<VillageDraft>(EMPTY)
  const [errors, setErrors] = useState<VillageErrors>({})
  const [formError, setFormError] = useState('')
  const [saving, setSaving] = useState(false)

  async function load() {
    try {
      const towns = await listMyTowns()
      setData({
        state: 'ready',
        towns: await Promise.all(towns.map(async (town) => ({ town, villages: await listTownVillages(town.id) }))),
      })
    } catch {
      setData({ state: 'failed' })
    }
  }

  useDidShow(() => void load())

  function openForm(townId: number) {
    setCreatingIn(townId)
    setDraft(EMPTY)
    setErrors({})
    setFormError('')
  }

  async function create(townId: number) {
    const found = validateVillage(draft, true)
    setErrors(found)
    setFormError('')
    if (Object.values(found).some(Boolean)) return
    setSaving(true)
    try {
      const village = await createVillage(townId, createBody(draft), ['VALIDATION_FAILED', 'VILLAGE_CODE_TAKEN'])
      void Taro.showToast({ title: `已建立${village.name}`, icon: 'none', duration: 2000 })
      setCreatingIn(null)
      await load()
    } catch (error) {
      if (!(error instanceof ApiError)) return
      if (error.code === 'VILLAGE_CODE_TAKEN') setErrors({ code: error.message })
      else if (error.code === 'VALIDATION_FAILED') {
        const found = fieldErrors(error.details, VILLAGE_FIELDS)
        setErrors(found.fields)
        setFormError(found.other.join('；') || (Object.keys(found.fields).length ? '' : error.message))
      }
    } finally {
      setSaving(false)
    }
  }

  if (data.state === 'loading' || data.state === 'failed') return <NotReady data={data} onRetry={load} />
  if (data.towns.length === 0) {
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
      {data.towns.map(({ town, villages }) => (
        <View key={town.id}>
          <View className='lr-heading'>{town.name}</View>
          <Card title={`村和社区（${villages.length} 个）`} className='villages__list'>
            {villages.length === 0 ? <View className='lr-muted'>还没有村或社区。</View> : null}
            {villages.map((village) => (
              <View
                key={village.id}
                className='lr-list-item villages__item'
                onClick={() => Taro.navigateTo({ url: townPaths.village(town.id, village.id) })}
              >
                <View className='lr-row'>
                  <View className='lr-list-item__title'>{village.name}</View>
                  <View className='lr-badge lr-badge--blue'>{kindLabel(village.kind)}</View>
                </View>
                <View className='lr-muted'>
                  网格 {village.gridCount} 个 · {placeWords(village.kind).committee} {village.committeeCount} 人 · 代码{' '}
                  {village.code}
                </View>
                <View className='lr-list-item__arrow'>›</View>
              </View>
            ))}
          </Card>

          {creatingIn === town.id ? (
            <Card title='新建村（社区）' className='villages__form'>
              <Field label='名称' error={errors.name}>
                <Input
                  className='lr-input villages__input--name'
                  placeholder='例如：李家村'
                  value={draft.name}
                  maxLength={64}
                  onChange={(name: string) => setDraft({ ...draft, name })}
                />
              </Field>
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
              {formError ? <View className='lr-error'>{formError}</View> : null}
              <View className='lr-actions'>
                <Button size='large' fill='outline' onClick={() => setCreatingIn(null)}>
                  不建了
                </Button>
                <Button
                  type='primary'
                  size='large'
                  loading={saving}
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
