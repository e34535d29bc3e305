import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Meeting, MeetingList, Person, Petition } from '@liren/shared/contracts'
import { meetingKindLabel, PETITION_STATE_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Chip } from '../../../components/Choices'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { Fact, Facts } from '../../../components/Facts'
import { Field } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { LinkButton, Page } from '../../../components/Page'
import { PersonPicker } from '../../../components/PersonPicker'
import { WideButton } from '../../../components/WideButtons'
import { formatDate, formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { ApiError } from '../../../services/http'
import {
  answerPetition,
  getMeeting,
  getPetition,
  listMeetings,
  recordPetitionSignature,
  signPetition,
} from '../../../services/meetings'
import {
  PETITION_STATE_BADGE,
  petitionDueText,
  petitionLawText,
  petitionProgressNote,
  petitionProgressText,
  petitionReached,
} from '../labels'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

/** What the confirm dialog asks before an action that cannot be undone. */
interface Question {
  title: string
  content: string
  confirmText: string
  run: () => Promise<void>
}

/** Why a write was refused, in the words the page shows in place. */
function refusal(error: unknown, alreadySigned: string): string | null {
  if (!(error instanceof ApiError) || error.status === 0) return null
  if (error.code === 'ALREADY_SIGNED') return alreadySigned
  return error.details[0]?.message ?? error.message
}

const HANDLED = [
  'ALREADY_SIGNED',
  'PETITION_CLOSED',
  'NOT_ON_ROSTER',
  'PERSON_NOT_FOUND',
  'MEETING_STATE',
  'VALIDATION_FAILED',
]

/**
 * 提议召集 detail: what is asked and why, what the law says, the signatures so far, 我要签名; by when the
 * committee must hold the meeting, and the meeting that answered it. The committee sees who signed, records
 * the signature of a villager without a phone, and answers it with a meeting.
 */
export default function PetitionDetail() {
  const { villageId, membership, kind, words, committee } = useMeetingsVillage()
  const petitionId = Number(useRouter().params.petitionId)
  const [question, setQuestion] = useState<Question | null>(null)
  const [signError, setSignError] = useState('')
  const [recording, setRecording] = useState(false)
  const [person, setPerson] = useState<Person | null>(null)
  const [recordError, setRecordError] = useState('')
  const [answering, setAnswering] = useState(false)
  const [meetings, setMeetings] = useState<MeetingList | null>(null)
  const [picked, setPicked] = useState<number | null>(null)
  const [answerError, setAnswerError] = useState('')

  /** The petition with the meeting that answered it, if any. */
  async function withMeeting(petition: Petition) {
    const meeting: Meeting | null = petition.meetingId
      ? await getMeeting(villageId, petition.meetingId, true).catch(() => null)
      : null
    return { petition, meeting }
  }
  const { data, reload, set } = usePageData(async () => withMeeting(await getPetition(villageId, petitionId, true)))
  const show = async (petition: Petition) => set(await withMeeting(petition))

  function sign() {
    setSignError('')
    setQuestion({
      title: '在这个提议上签名？',
      content: '签了名就不能撤回，每人只能签一次。',
      confirmText: '确认签名',
      run: async () => {
        try {
          await show(await signPetition(villageId, petitionId, HANDLED))
          void Taro.showToast({ title: '已签名，谢谢您', icon: 'none', duration: 2000 })
        } catch (error) {
          const why = refusal(error, '您已经签过名了，每人只能签一次。')
          if (why === null) return
          setSignError(why)
          await reload()
        }
      },
    })
  }

  function record(who: Person) {
    setRecordError('')
    setQuestion({
      title: `替${who.name}登记签名？`,
      content: `请确认${who.name}本人同意这个提议，并且在纸上签了名。登记以后不能撤回。`,
      confirmText: '确认登记',
      run: async () => {
        try {
          await show(await recordPetitionSignature(villageId, petitionId, who.id, HANDLED))
          void Taro.showToast({ title: `已替${who.name}登记签名`, icon: 'none', duration: 2000 })
          setPerson(null)
          setRecording(false)
        } catch (error) {
          const why = refusal(error, `${who.name}已经签过名了。`)
          if (why !== null) setRecordError(why)
        }
      },
    })
  }

  function openAnswer(petition: Petition) {
    setAnswering(true)
    setPicked(null)
    setAnswerError('')
    setMeetings(null)
    // Meetings of the kind asked for, noticed, not called off, and not held before the petition.
    listMeetings(villageId, true).then(
      (list) =>
        setMeetings(
          list.filter(
            (m) =>
              m.kind === petition.kind &&
              m.state !== 'draft' &&
              m.state !== 'cancelled' &&
              new Date(m.startsAt).getTime() >= new Date(petition.createdAt).getTime(),
          ),
        ),
      () => setMeetings([]),
    )
  }

  function answer(petition: Petition) {
    const meeting = meetings?.find((m) => m.id === picked)
    if (!meeting) return setAnswerError('请选一个会议')
    setAnswerError('')
    setQuestion({
      title: '用这个会议答复提议？',
      content: `“${meeting.title}”，${formatDateTime(meeting.startsAt)}。签名的人会收到通知。答复以后不能再改。`,
      confirmText: '确认答复',
      run: async () => {
        try {
          await show(await answerPetition(villageId, petition.id, meeting.id, HANDLED))
          void Taro.showToast({ title: '已答复', icon: 'none', duration: 2000 })
          setAnswering(false)
        } catch (error) {
          const why = refusal(error, '')
          if (why === null) return
          setAnswerError(why)
          if (error instanceof ApiError && error.code === 'PETITION_CLOSED') await reload()
        }
      },
    })
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const { petition: p, meeting } = data.value
  const label = meetingKindLabel(p.kind, kind)
  const note = petitionProgressNote(p, kind)
  const canSign =
    p.state === 'open' && !p.signedByMe && membership?.status === 'verified' && membership.personId !== null

  return (
    <Page className='petition'>
      <View className='lr-heading petition__title'>{p.title}</View>
      <View className='lr-row petition__badges'>
        <View className={`lr-badge ${PETITION_STATE_BADGE[p.state]} petition__state`}>
          {PETITION_STATE_LABEL[p.state]}
        </View>
        <View className='lr-badge lr-badge--blue'>提议召开{label}</View>
        {p.overdue ? <View className='lr-badge lr-badge--red petition__overdue'>已超期</View> : null}
        {p.mine ? <View className='lr-badge lr-badge--blue'>我发起的</View> : null}
      </View>

      {p.state === 'succeeded' ? (
        <Card className={`petition__due${p.overdue ? ' petition__due--overdue' : ''}`}>
          <View className='petition__due-title'>签名的人够了，必须开会</View>
          <View className='lr-text petition__due-text'>{petitionDueText(p, kind)}。</View>
          {p.overdue ? (
            <View className='lr-error petition__due-late'>
              已经过了期限，还没有开会。镇（街道）会督促{words.committee}召集。
            </View>
          ) : null}
        </Card>
      ) : null}

      {p.state === 'answered' ? (
        <Card className='petition__answered'>
          <View className='petition__answered-title'>{words.committee}已经召集会议答复</View>
          {meeting ? (
            <View className='lr-text petition__meeting'>
              “{meeting.title}”，{formatDateTime(meeting.startsAt)}，在{meeting.place}。
            </View>
          ) : null}
          {p.meetingId ? (
            <View
              className='petition__link petition__meeting-link'
              onClick={() => Taro.navigateTo({ url: meetingPaths.detail(villageId, p.meetingId!) })}
            >
              看这次会议 ›
            </View>
          ) : null}
        </Card>
      ) : null}

      <Card className='petition__what'>
        <View className='lr-text lr-prose petition__reason'>{p.reason}</View>
        <Facts>
          <Fact label='提议召开'>{label}</Fact>
          <Fact label='发起时间'>{formatDate(p.createdAt)}</Fact>
        </Facts>
        {p.topicId ? (
          <View
            className='petition__link petition__topic-link'
            onClick={() => Taro.navigateTo({ url: meetingPaths.topic(villageId, p.topicId!) })}
          >
            这个提议来自说事，看原来的事 ›
          </View>
        ) : null}
      </Card>

      <Card title='签名' className='petition__signatures'>
        <View className='petition__count'>{petitionProgressText(p, kind)}</View>
        {p.state === 'open' ? (
          <View className='petition__bar'>
            <View className='petition__bar-fill' style={{ width: `${petitionReached(p)}%` }} />
          </View>
        ) : null}
        {note ? <View className='lr-muted petition__note'>{note}</View> : null}
        <View className='lr-muted petition__law'>{petitionLawText(p.kind, kind)}</View>
        {canSign ? (
          <WideButton type='primary' className='lr-block-button petition__sign' onClick={sign}>
            我要签名
          </WideButton>
        ) : null}
        {p.signedByMe ? <View className='lr-badge lr-badge--green petition__signed'>您已签名</View> : null}
        {p.mine && p.state === 'open' ? (
          <View className='lr-muted petition__mine'>这是您发起的提议，已经算您签了名。请告诉邻居们来签名。</View>
        ) : null}
        {signError ? <View className='lr-error petition__sign-error'>{signError}</View> : null}
      </Card>

      {committee && p.signers ? (
        <Card title={`签名的人（${p.signers.length} 人）`} className='petition__signers'>
          {p.signers.map((s) => (
            <View key={s.personId} className='lr-line petition__signer'>
              <View className='lr-line__main'>
                <View className='lr-row petition__signer-head'>
                  <View className='petition__signer-name'>{s.name}</View>
                  {s.representative ? <View className='lr-badge lr-badge--blue'>{words.member}代表</View> : null}
                  {!s.adult ? <View className='lr-badge lr-badge--grey'>未满十八周岁</View> : null}
                </View>
                <View className='lr-muted petition__signer-how'>
                  {s.recordedBy ? `${s.recordedBy} 代为登记` : '在手机上签的'} · {formatDateTime(s.signedAt)}
                </View>
              </View>
            </View>
          ))}
        </Card>
      ) : null}

      {committee && p.state !== 'answered' ? (
        <Card title={`${words.committee}办理`} className='petition__committee'>
          {recording ? (
            <View className='petition__record'>
              <Field label='替谁登记签名' hint='没有手机的村民在纸上签了名，在这里替他登记'>
                <PersonPicker
                  villageId={villageId}
                  value={person}
                  onChange={(chosen) => {
                    setPerson(chosen)
                    setRecordError('')
                  }}
                  className='petition__person'
                />
              </Field>
              {recordError ? <View className='lr-error petition__record-error'>{recordError}</View> : null}
              <View className='lr-actions'>
                <Button size='large' fill='outline' onClick={() => setRecording(false)}>
                  不登记了
                </Button>
                {person ? (
                  <Button type='primary' size='large' className='petition__record-send' onClick={() => record(person)}>
                    登记签名
                  </Button>
                ) : null}
              </View>
            </View>
          ) : null}
          {answering ? (
            <View className='petition__answer'>
              <Field label={`用哪个${label}答复`} hint={`只能选已经发了通知、在提议以后召开的${label}`}>
                {meetings === null ? <View className='lr-muted'>正在找会议…</View> : null}
                {meetings && meetings.length === 0 ? (
                  <View className='petition__no-meetings'>
                    <View className='lr-muted'>还没有合适的会议。先拟定一个{label}并发出通知，再回来答复。</View>
                    <LinkButton
                      size='large'
                      fill='outline'
                      className='petition__new-meeting'
                      url={meetingPaths.new(villageId)}
                    >
                      拟定会议
                    </LinkButton>
                  </View>
                ) : null}
                <View className='lr-stack petition__choices'>
                  {(meetings ?? []).map((m) => (
                    <Chip
                      key={m.id}
                      on={picked === m.id}
                      onTap={() => {
                        setPicked(m.id)
                        setAnswerError('')
                      }}
                      className='petition__choice petition__meeting-choice'
                    >
                      <View className='petition__choice-text'>
                        <View className='petition__choice-title'>{m.title}</View>
                        <View className='lr-muted'>
                          {formatDateTime(m.startsAt)} · {m.place}
                        </View>
                      </View>
                    </Chip>
                  ))}
                </View>
              </Field>
              {answerError ? <View className='lr-error petition__answer-error'>{answerError}</View> : null}
              <View className='lr-actions'>
                <Button size='large' fill='outline' onClick={() => setAnswering(false)}>
                  取消
                </Button>
                {meetings?.length ? (
                  <Button type='primary' size='large' className='petition__answer-send' onClick={() => answer(p)}>
                    用它答复
                  </Button>
                ) : null}
              </View>
            </View>
          ) : null}
          {!recording && !answering ? (
            <>
              <View className='lr-muted petition__committee-note'>
                {p.state === 'succeeded'
                  ? `签名的人够了，请在期限以前召集${label}，然后在这里用那次会议答复。`
                  : '没有手机的村民可以在纸上签名，由您替他登记。'}
              </View>
              <View className='petition__buttons'>
                <Button
                  size='large'
                  fill='outline'
                  className='petition__record-open'
                  onClick={() => setRecording(true)}
                >
                  替没有手机的村民登记签名
                </Button>
                <Button type='primary' size='large' className='petition__answer-open' onClick={() => openAnswer(p)}>
                  用会议答复
                </Button>
              </View>
            </>
          ) : null}
        </Card>
      ) : null}

      <ConfirmDialog
        className='petition__dialog'
        subject={question}
        title={question?.title ?? ''}
        confirmText={question?.confirmText ?? '确定'}
        onConfirm={() => {
          const q = question
          setQuestion(null)
          if (q) void q.run()
        }}
        onDismiss={() => setQuestion(null)}
      >
        {(q) => <View className='lr-text petition__dialog-content'>{q.content}</View>}
      </ConfirmDialog>
    </Page>
  )
}
