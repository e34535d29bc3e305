import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { TextArea } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { CreateActivityBody } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { ChoiceField } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { DateTimeField } from '../../../components/DateTimeField'
import { InputField } from '../../../components/InputField'
import { FormActions, Page } from '../../../components/Page'
import { shanghaiNow } from '../../../lib/format'
import { draftFields } from '../../../lib/form-text'
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

const TIMES = [
  { key: 'startTime', label: '几点开始', className: 'activity-new__start' },
  { key: 'endTime', label: '几点结束', className: 'activity-new__end' },
] as const

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
  const { text, choice } = draftFields(draft, setDraft, errors)

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
          maxLength={64}
          {...text('title', 'activity-new__title')}
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
        <InputField label='集合地点' maxLength={100} {...text('place', 'activity-new__place')} />
        <DateTimeField
          label='哪一天'
          mode='date'
          className='activity-new__date'
          error={errors.date}
          start={shanghaiNow().format('YYYY-MM-DD')}
          value={draft.date}
          onChange={(date) => set({ date })}
        />
        <View className='activity-new__times'>
          {TIMES.map((t) => (
            <DateTimeField
              key={t.key}
              label={t.label}
              mode='time'
              className={t.className}
              fieldClassName='activity-new__time'
              error={errors[t.key]}
              value={draft[t.key]}
              onChange={(time) => set({ [t.key]: time })}
            />
          ))}
        </View>
        <View className='lr-muted activity-new__signup-note'>开始以后就不能再报名了。</View>
        <InputField label='最多几人' type='number' maxLength={5} {...text('capacity', 'activity-new__capacity')} />
        <ChoiceField label='怎么计分' choices={MODE_CHOICES} {...choice('pointsMode')} />
        <InputField
          label={draft.pointsMode === 'per_hour' ? '每小时几分' : '参加一次几分'}
          hint='组织者确认服务时长后，按“志愿服务”细则记分（每天、每年的上限照样算）'
          type='number'
          maxLength={5}
          {...text('points', 'activity-new__points')}
        />
        <FormActions form={form} className='activity-new__submit' onSubmit={submit}>
          发布
        </FormActions>
      </Card>
    </Page>
  )
}
