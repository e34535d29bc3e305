import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useEffect, useState } from 'react'
import type { CreateMeetingBody } from '@liren/shared/contracts'
import {
  DEFAULT_MEETING_SETTINGS,
  MEETING_KINDS,
  type MeetingKind,
  type MeetingSettings,
  meetingKindLabel,
  noticeDays,
  requiredNoticeDays,
} from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ChoiceField, Choices } from '../../../components/Choices'
import { DateTimeField } from '../../../components/DateTimeField'
import { DraftRestored } from '../../../components/DraftRestored'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { FormActions, Page } from '../../../components/Page'
import { TextAreaField } from '../../../components/TextAreaField'
import { WideButton } from '../../../components/WideButtons'
import { shanghaiNow } from '../../../lib/format'
import { draftFields } from '../../../lib/form-text'
import { useKeptDraft } from '../../../lib/kept-draft'
import { useSubmit } from '../../../lib/page-hooks'
import { createMeeting, editMeeting, getMeeting, getMeetingSettings } from '../../../services/meetings'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import {
  defaultDraft,
  keptMeetingDraft,
  meetingDraftWorthKeeping,
  meetingToDraft,
  newItem,
  serverErrors,
  toMeetingBody,
  type ItemDraft,
  type ItemErrors,
  type MeetingDraft,
  type MeetingErrors,
} from './validate'
import { SwitchCell } from '../../../components/SwitchCell'
import './index.css'

/** Who takes part in each kind of meeting, and when it counts (the quorum the server applies). */
function kindNote(kind: MeetingKind, member: string): string {
  if (kind === 'villager_meeting')
    return `十八周岁以上的${member}都可以参加和表决；过半数的人到会，或三分之二以上的户派人到会，才算数。`
  if (kind === 'representative_meeting') return `${member}代表参加和表决；三分之二以上的代表到会才算数。`
  return '大家一起商量事情、听听意见，不需要达到法定人数。'
}

const PASS_CHOICES = [
  { value: 'majority' as const, label: '过半数同意' },
  { value: 'two_thirds' as const, label: '三分之二以上同意' },
]

/**
 * How much notice the chosen time gives against the rule (村民会议: the law's ten days; 代表会议: the
 * village's), counted from today as if announced now, in plain words.
 */
function noticeHint(draft: MeetingDraft, settings: MeetingSettings, memberWord: string): string {
  const need = requiredNoticeDays(draft.kind, settings)
  if (need === 0) return '议事协商会不用提前通知，定好就可以发。'
  const rule =
    draft.kind === 'villager_meeting'
      ? `${memberWord}会议要在开会十天以前通知（村民委员会组织法第二十一条）`
      : `按本村规定，代表会议要提前 ${need} 天通知`
  const at = new Date(`${draft.date}T${draft.time || '00:00'}:00+08:00`)
  if (Number.isNaN(at.getTime())) return `${rule}。`
  const days = noticeDays(new Date(), at)
  return days >= need
    ? `${rule}。今天发通知，离开会 ${days} 天，够了。`
    : `${rule}。今天发通知，离开会只有 ${days} 天，不够；确实紧急的，请打开下面的“紧急召开”并写明原因。`
}

/**
 * 拟定会议 (committee): the kind, when and where, and the agenda with a yes/no vote per item. With a
 * `meetingId`, the same form edits that draft in full (until it is announced).
 */
export default function NewMeeting() {
  const { villageId, kind, words } = useMeetingsVillage()
  const editing = Number(useRouter().params.meetingId) || null
  const [settings, setSettings] = useState<MeetingSettings>(DEFAULT_MEETING_SETTINGS)
  const kept = useKeptDraft(editing ? `liren:meeting-edit:${editing}` : `liren:meeting-draft:${villageId}`, {
    empty: () => defaultDraft(shanghaiNow()),
    fromKept: (saved) => keptMeetingDraft(saved, shanghaiNow()),
    worthKeeping: meetingDraftWorthKeeping,
  })
  const { draft, setDraft } = kept
  useEffect(() => {
    getMeetingSettings(villageId, true).then(setSettings, () => undefined)
    // Editing: the draft as the server has it, unless a change of it was kept on this phone.
    if (editing && !kept.restored)
      getMeeting(villageId, editing).then(
        (m) => setDraft(meetingToDraft(m)),
        () => undefined,
      )
  }, [])
  const today = shanghaiNow().format('YYYY-MM-DD')
  const [errors, setErrors] = useState<MeetingErrors>({})
  const [itemErrors, setItemErrors] = useState<ItemErrors[]>([])
  const save = (body: CreateMeetingBody, handled: string[]) =>
    editing ? editMeeting(villageId, editing, body, handled) : createMeeting(villageId, body, handled)
  const form = useSubmit([], (body: CreateMeetingBody, { handled }) => save(body, handled), {
    // The agenda's items have errors of their own, which the form's fields do not cover.
    onRefused: (error) => {
      if (error.code !== 'VALIDATION_FAILED') return
      const mapped = serverErrors(error.details, draft.items.length)
      setErrors(mapped.errors)
      setItemErrors(mapped.itemErrors)
      form.setFormError(mapped.other.join('；') || '有几处没填好，请看红字。')
    },
  })
  const set = (patch: Partial<MeetingDraft>) => setDraft({ ...draft, ...patch })
  const { text } = draftFields(draft, setDraft, errors)
  const setItem = (key: number, patch: Partial<ItemDraft>) =>
    set({ items: draft.items.map((item) => (item.key === key ? { ...item, ...patch } : item)) })

  const electorateChoices =
    draft.kind === 'representative_meeting'
      ? null
      : [
          { value: null, label: '每人一票' },
          { value: 'households' as const, label: '每户一票' },
        ]

  async function submit() {
    const checked = toMeetingBody(draft)
    setErrors(checked.errors)
    setItemErrors(checked.itemErrors)
    const meeting = await form.submit(checked.body)
    if (!checked.body) form.setFormError('有几处没填好，请看红字。')
    if (!meeting) return
    kept.markSent()
    void Taro.showToast({ title: editing ? '草稿已修改' : '已保存为草稿', icon: 'none', duration: 2000 })
    void Taro.redirectTo({ url: meetingPaths.detail(villageId, meeting.id) })
  }

  return (
    <Page className='meeting-new'>
      {kept.restored ? (
        <DraftRestored
          className='meeting-new__restored'
          onStartOver={() => {
            kept.startOver()
            setErrors({})
            setItemErrors([])
          }}
        />
      ) : null}
      <Card title='会议'>
        <Field label='开什么会' error={errors.kind}>
          <Choices
            className='meeting-new__kinds'
            choices={MEETING_KINDS.map((k) => ({ value: k, label: meetingKindLabel(k, kind) }))}
            value={draft.kind}
            onChange={(k) =>
              set({
                kind: k,
                items: draft.items.map((item) => ({
                  ...item,
                  electorate: k === 'representative_meeting' ? null : item.electorate,
                })),
              })
            }
          />
          <View className='lr-muted meeting-new__kind-note'>{kindNote(draft.kind, words.member)}</View>
        </Field>
        <InputField
          label='会议名称'
          hint='例如：2026 年村道硬化方案'
          maxLength={100}
          {...text('title', 'meeting-new__title')}
        />
        <TextAreaField
          label='说明（可不填）'
          error={errors.description}
          textAreaClassName='meeting-new__description'
          value={draft.description}
          maxLength={2000}
          showCount={false}
          autoSize={false}
          placeholder='开会要商量什么，请大家准备什么'
          onChange={(description) => set({ description })}
        />
        <InputField
          label='开会地点'
          maxLength={100}
          placeholder={`例如：${words.committee}会议室`}
          {...text('place', 'meeting-new__place')}
        />
        <DateTimeField
          label='开会时间'
          mode='datetime'
          className='meeting-new__when'
          error={errors.date ?? errors.time}
          start={today}
          value={`${draft.date} ${draft.time}`}
          onChange={(when) => set({ date: when.slice(0, 10), time: when.slice(11) })}
        />
        <DateTimeField
          label='意见收到哪天（可不设）'
          hint='不设就收到开会前'
          mode='date'
          className='meeting-new__comments-until'
          error={errors.commentsUntil}
          start={today}
          end={draft.date}
          placeholder='不设'
          clearLabel='不设了'
          value={draft.commentsUntil}
          onChange={(commentsUntil) => set({ commentsUntil })}
        />
        <View className='lr-muted meeting-new__notice-note'>
          {noticeHint(draft, settings, words.member)}保存后是草稿，点“发出通知”大家才能看到。
        </View>
        <SwitchCell
          className='meeting-new__urgent'
          title='紧急召开'
          description={draft.urgent ? '通知天数不够也可以发，原因会写在通知和公示上' : '通知天数够，就不用打开'}
          checked={draft.urgent}
          onChange={(urgent) => set({ urgent })}
        />
        {draft.urgent ? (
          <InputField
            label='为什么要紧急召开'
            error={errors.urgentReason}
            inputClassName='meeting-new__urgent-reason'
            value={draft.urgentReason}
            maxLength={200}
            placeholder='例如：暴雨冲坏了村道，要马上定修路的事'
            onChange={(urgentReason) => set({ urgentReason })}
          />
        ) : null}
        <SwitchCell
          className='meeting-new__online'
          title='可以在手机上投票'
          description={
            draft.online ? '表决开始后，用里仁的人可以在手机上投；没有手机的到会场投' : '只在会场举手或投纸质票'
          }
          checked={draft.online}
          onChange={(online) => set({ online })}
        />
      </Card>

      {draft.items.map((item, index) => {
        const e = itemErrors[index] ?? {}
        return (
          <Card key={item.key} title={`议程 ${index + 1}`} className='meeting-new__item'>
            <InputField
              label='要议的事'
              error={e.title}
              inputClassName='meeting-new__item-title'
              value={item.title}
              maxLength={100}
              placeholder='例如：村道硬化'
              onChange={(title) => setItem(item.key, { title })}
            />
            <TextAreaField
              label='说明（可不填）'
              error={e.description}
              textAreaClassName='meeting-new__item-description'
              value={item.description}
              maxLength={2000}
              showCount={false}
              autoSize={false}
              onChange={(description) => setItem(item.key, { description })}
            />
            <SwitchCell
              className='meeting-new__has-vote'
              title='要大家表决'
              description={item.hasVote ? '投 同意 / 反对 / 弃权' : '只商量，不表决'}
              checked={item.hasVote}
              onChange={(hasVote) => setItem(item.key, { hasVote })}
            />
            {item.hasVote ? (
              <View className='meeting-new__vote'>
                <InputField
                  label='表决什么'
                  hint='写成一句话，大家投同意还是反对'
                  error={e.question}
                  inputClassName='meeting-new__question'
                  value={item.question}
                  maxLength={200}
                  placeholder='例如：同意用集体收入硬化村东道路'
                  onChange={(question) => setItem(item.key, { question })}
                />
                <ChoiceField
                  label='怎样算通过'
                  choices={PASS_CHOICES}
                  value={item.passRule}
                  onChange={(passRule) => setItem(item.key, { passRule })}
                />
                {electorateChoices ? (
                  <ChoiceField
                    label='怎样投'
                    choices={electorateChoices}
                    value={item.electorate}
                    onChange={(electorate) => setItem(item.key, { electorate })}
                  />
                ) : null}
                <SwitchCell
                  className='meeting-new__secret'
                  title='无记名投票'
                  description={item.secret ? '谁投了什么，谁也看不到' : '记名：每个人投了什么会记下来'}
                  checked={item.secret}
                  onChange={(secret) => setItem(item.key, { secret })}
                />
                {e.vote ? <View className='lr-error'>{e.vote}</View> : null}
              </View>
            ) : null}
            {draft.items.length > 1 ? (
              <View className='lr-actions'>
                <Button
                  size='large'
                  fill='outline'
                  className='meeting-new__remove'
                  onClick={() => set({ items: draft.items.filter((x) => x.key !== item.key) })}
                >
                  删掉这项议程
                </Button>
              </View>
            ) : null}
          </Card>
        )
      })}

      <WideButton
        fill='outline'
        className='lr-block-button meeting-new__add'
        onClick={() => set({ items: [...draft.items, newItem()] })}
      >
        再加一项议程
      </WideButton>
      {errors.agenda ? <View className='lr-error'>{errors.agenda}</View> : null}
      <FormActions form={form} errorClassName='meeting-new__error' className='meeting-new__submit' onSubmit={submit}>
        保存
      </FormActions>
    </Page>
  )
}
