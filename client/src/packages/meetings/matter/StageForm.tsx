import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { Matter, MeetingList, RecordStageBody, VillageKind } from '@liren/shared/contracts'
import {
  MATTER_STAGE_LABEL,
  MEETING_STATE_LABEL,
  meetingKindLabel,
  placeWords,
  type MatterStage,
} from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Chip } from '../../../components/Choices'
import { DateTimeField } from '../../../components/DateTimeField'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { FormEnd, LinkButton } from '../../../components/Page'
import { TextAreaField } from '../../../components/TextAreaField'
import { formatDateTime, shanghaiToday } from '../../../lib/format'
import { useSubmit } from '../../../lib/page-hooks'
import { listMeetings, recordMatterStage } from '../../../services/meetings'
import { MATTER_OUTCOME_EXAMPLE } from '../labels'
import { meetingPaths } from '../paths'

const FIELDS = ['heldOn', 'outcome', 'document', 'meetingId'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>
type Meetings = MeetingList

/** A 决议 is taken by a 村民会议 or 村民代表会议 that has closed (散会) or been published. */
const decides = (m: Meetings[number]) =>
  (m.kind === 'villager_meeting' || m.kind === 'representative_meeting') &&
  (m.state === 'closed' || m.state === 'published')

/**
 * The committee records the next stage of a matter, and only that one (the stages go in order): the day
 * it happened, its outcome, a document if any, and for 决议 the meeting that decided it.
 */
export function StageForm(props: {
  villageId: number
  matter: Matter
  stage: MatterStage
  kind: VillageKind
  onSaved: (matter: Matter, picked?: Meetings[number]) => void
  onStale: () => Promise<void>
}) {
  const { villageId, matter, stage, kind } = props
  const words = placeWords(kind)
  const resolution = stage === 'resolution'
  const today = shanghaiToday()
  const [heldOn, setHeldOn] = useState(today)
  const [outcome, setOutcome] = useState('')
  const [document, setDocument] = useState('')
  const [meetingId, setMeetingId] = useState<number | null>(null)
  const [meetings, setMeetings] = useState<Meetings | null>(null)
  const form = useSubmit(
    FIELDS,
    (body: RecordStageBody, { handled }) => recordMatterStage(villageId, matter.id, body, handled),
    {
      fieldCodes: { MEETING_STATE: 'meetingId', MEETING_NOT_FOUND: 'meetingId' },
      quiet: ['STAGE_ORDER'],
      anyRefusal: true,
      onRefused: async (error) => {
        if (error.code === 'STAGE_ORDER') {
          // Someone else recorded it meanwhile: the page shows the path as it is now.
          form.setFormError('这一步刚才已经有人记过了，页面已经更新，请看一看。')
          await props.onStale()
        } else if (error.code === 'MEETING_STATE' || error.code === 'MEETING_NOT_FOUND') loadMeetings()
      },
    },
  )
  const { errors, setErrors, setFormError } = form

  function loadMeetings() {
    if (!resolution) return
    listMeetings(villageId, true).then(
      (list) => setMeetings(list.filter(decides)),
      () => setMeetings([]),
    )
  }

  useEffect(loadMeetings, [resolution, villageId])
  // Back from holding the meeting: the picker shows it.
  useDidShow(loadMeetings)

  function clear(field: keyof Errors) {
    setErrors((e) => ({ ...e, [field]: undefined }))
    setFormError('')
  }

  /** A text's change, which clears what was said about it. */
  const changed = (field: keyof Errors, set: (value: string) => void) => (value: string) => {
    set(value)
    clear(field)
  }

  async function submit() {
    const found: Errors = {}
    const words2 = outcome.trim()
    if (words2.length < 2) found.outcome = '请写一写这一步的结果，至少 2 个字'
    if (resolution && meetingId === null) found.meetingId = '请选作出决议的那次会议'
    if (heldOn > today) found.heldOn = '日期不能晚于今天'
    const body: RecordStageBody = {
      stage,
      heldOn,
      outcome: words2,
      ...(document.trim() ? { document: document.trim() } : {}),
      ...(resolution && meetingId !== null ? { meetingId } : {}),
    }
    const next = await form.submit(body, found)
    if (!next) return
    void Taro.showToast({ title: `已记下：${MATTER_STAGE_LABEL[stage]}`, icon: 'none', duration: 2000 })
    props.onSaved(
      next,
      meetings?.find((m) => m.id === meetingId),
    )
  }

  return (
    <Card title={`${words.committee}记录下一步`} className='matter__form'>
      <View className='lr-muted matter__form-intro'>
        六步要按顺序走，现在只能记下面这一步。记下后全{words.place}的人都能看到，不能再改。
      </View>
      <View className='matter__form-stage'>{MATTER_STAGE_LABEL[stage]}</View>

      <DateTimeField
        label='哪一天'
        mode='date'
        className='matter__date'
        error={errors.heldOn}
        end={today}
        value={heldOn}
        onChange={changed('heldOn', setHeldOn)}
      />

      {resolution ? (
        <Field
          label='哪次会议作的决议'
          hint={`已经散会的${meetingKindLabel('representative_meeting', kind)}或${meetingKindLabel('villager_meeting', kind)}`}
          error={errors.meetingId}
        >
          {meetings === null ? <View className='lr-muted'>正在找会议…</View> : null}
          {meetings && meetings.length === 0 ? (
            <View className='matter__no-meetings'>
              <View className='lr-muted'>
                还没有开过（已散会的）{meetingKindLabel('representative_meeting', kind)}或
                {meetingKindLabel('villager_meeting', kind)}。先开会表决，散会后再回来记这一步。
              </View>
              <LinkButton size='large' fill='outline' className='matter__new-meeting' url={meetingPaths.new(villageId)}>
                拟定会议
              </LinkButton>
            </View>
          ) : null}
          <View className='lr-stack matter__meetings'>
            {(meetings ?? []).map((m) => (
              <Chip
                key={m.id}
                on={meetingId === m.id}
                onTap={() => {
                  setMeetingId(m.id)
                  clear('meetingId')
                }}
                className='matter__meeting-choice'
              >
                <View className='matter__meeting-text'>
                  <View className='matter__meeting-title'>{m.title}</View>
                  <View className='lr-muted'>
                    {meetingKindLabel(m.kind, kind)} · {MEETING_STATE_LABEL[m.state]}
                  </View>
                  <View className='lr-muted'>{formatDateTime(m.startsAt)}</View>
                  <View className='lr-muted'>
                    应到 {m.onRoll} 人，实到 {m.present} 人{m.quorumMet ? '' : '（不够法定人数）'}
                  </View>
                </View>
              </Chip>
            ))}
          </View>
        </Field>
      ) : null}

      <TextAreaField
        label='结果'
        hint='这一步定了什么'
        error={errors.outcome}
        textAreaClassName='matter__outcome'
        value={outcome}
        maxLength={1000}
        placeholder={MATTER_OUTCOME_EXAMPLE[stage]}
        onChange={changed('outcome', setOutcome)}
      />
      <InputField
        label='文件（可以不填）'
        hint='会议记录、决议的名称或编号'
        error={errors.document}
        inputClassName='matter__document'
        value={document}
        maxLength={200}
        placeholder='例如：两委会议记录第 3 号'
        onChange={changed('document', setDocument)}
      />
      <FormEnd form={form} errorClassName='matter__form-error' className='matter__record' onSubmit={submit}>
        记下“{MATTER_STAGE_LABEL[stage]}”
      </FormEnd>
    </Card>
  )
}
