import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input, TextArea } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { CreateActivityBody } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { Page } from '../../../components/Page'
import { shanghaiNow } from '../../../lib/format'
import { useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { createActivity } from '../../../services/points'
import { pointsAdminPaths } from '../paths'
import { ACTIVITY_FIELDS, defaultDraft, toActivityBody, type ActivityDraft } from './validate'
import './index.css'

const MODE_CHOICES = [
  { value: 'per_hour' as const, label: '按小时计分' },
  { value: 'fixed' as const, label: '参加一次固定分' },
]

// The server's field names for the times: both map onto the time inputs.
const SERVER_FIELDS = { startsAt: 'startTime', endsAt: 'endTime' } as const

export default function NewActivity() {
  const { villageId } = useVillageMembership()
  const [draft, setDraft] = useState<ActivityDraft>(() => defaultDraft(shanghaiNow()))
  const form = useSubmit(
    ACTIVITY_FIELDS,
    (body: CreateActivityBody, { handled }) => createActivity(villageId, body, handled),
    {
      serverFields: SERVER_FIELDS,
    },
  )
  const { errors } = form
  const set = (patch: Partial<ActivityDraft>) => setDraft({ ...draft, ...patch })

  async function submit() {
    const { body, errors: found } = toActivityBody(draft)
    const activity = await form.submit(body, found)
    if (!activity) return
    void Taro.showToast({ title: '已发布', icon: 'none', duration: 2000 })
    void Taro.redirectTo({ url: pointsAdminPaths.activity(villageId, activity.id) })
  }

  return (
    <Page className='activity-new'>
      <Card>
        <InputField
          label='活动名称'
          hint='例如：清理河道垃圾、陪伴独居老人'
          error={errors.title}
          inputClassName='activity-new__title'
          value={draft.title}
          maxLength={64}
          onChange={(title: string) => set({ title })}
        />
        <Field label='要做什么' error={errors.description}>
          <TextArea
            className='lr-textarea activity-new__description'
            value={draft.description}
            maxLength={1000}
            showCount
            placeholder='做什么、带什么工具、注意什么'
            onChange={(description: string) => set({ description })}
          />
        </Field>
        <InputField
          label='集合地点'
          error={errors.place}
          inputClassName='activity-new__place'
          value={draft.place}
          maxLength={100}
          onChange={(place: string) => set({ place })}
        />
        <InputField
          label='日期'
          hint='年-月-日'
          error={errors.date}
          inputClassName='activity-new__date'
          value={draft.date}
          maxLength={10}
          onChange={(date: string) => set({ date })}
        />
        <View className='activity-new__times'>
          <InputField
            label='开始'
            hint='时:分'
            error={errors.startTime}
            className='activity-new__time'
            inputClassName='activity-new__start'
            value={draft.startTime}
            maxLength={5}
            onChange={(startTime: string) => set({ startTime })}
          />
          <InputField
            label='结束'
            hint='时:分'
            error={errors.endTime}
            className='activity-new__time'
            inputClassName='activity-new__end'
            value={draft.endTime}
            maxLength={5}
            onChange={(endTime: string) => set({ endTime })}
          />
        </View>
        <View className='lr-muted activity-new__signup-note'>开始以后就不能再报名了。</View>
        <InputField
          label='最多几人'
          error={errors.capacity}
          inputClassName='activity-new__capacity'
          type='number'
          value={draft.capacity}
          maxLength={5}
          onChange={(capacity: string) => set({ capacity })}
        />
        <Field label='怎么计分' error={errors.pointsMode}>
          <Choices choices={MODE_CHOICES} value={draft.pointsMode} onChange={(pointsMode) => set({ pointsMode })} />
        </Field>
        <Field
          label={draft.pointsMode === 'per_hour' ? '每小时几分' : '参加一次几分'}
          hint='组织者确认服务时长后，按“志愿服务”细则记分（每天、每年的上限照样算）'
          error={errors.points}
        >
          <Input
            className='lr-input activity-new__points'
            type='number'
            value={draft.points}
            maxLength={5}
            onChange={(points: string) => set({ points })}
          />
        </Field>
        {form.formError ? <View className='lr-error'>{form.formError}</View> : null}
        <View className='lr-actions'>
          <Button
            type='primary'
            size='large'
            block
            loading={form.saving}
            className='activity-new__submit'
            onClick={submit}
          >
            发布
          </Button>
        </View>
      </Card>
    </Page>
  )
}
