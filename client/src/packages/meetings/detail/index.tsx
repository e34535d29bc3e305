import { Image, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { Dialog, TextArea } from '@nutui/nutui-react-taro'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { Meeting, MeetingCode, Person, VillageKind, VillageMember, VoteResult } from '@liren/shared/contracts'
import {
  can,
  MEETING_LIFECYCLE,
  MEETING_STATE_LABEL,
  type MeetingAction,
  meetingActions,
  meetingIsLive,
  meetingKindLabel,
  OUTCOME_LABEL,
  placeWords,
} from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Fact, Facts } from '../../../components/Facts'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { PersonPicker } from '../../../components/PersonPicker'
import { ScanInWechat } from '../../../components/ScanInWechat'
import { WideButton, WideLinkButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { fromScene, scannedToken, VENUE_SCAN } from '../../../lib/venue-code'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import {
  advanceMeeting,
  checkInByCode,
  checkInPerson,
  downloadResultNotice,
  getMeeting,
  getMeetingCode,
  getVoteResult,
  listComments,
  saveMinutes,
  type MeetingStep,
} from '../../../services/meetings'
import { listVillageMembers } from '../../../services/setup'
import { errorText } from '../errors'
import { MEETING_STATE_BADGE, noticeText } from '../labels'
import { meetingPaths } from '../paths'
import { Comments } from './Comments'
import { MoveMeeting } from './MoveMeeting'
import { VoteBlock, type Ask, type VoteContext } from './VoteBlock'
import './index.css'

/** A question before a step that cannot be undone; `run` false keeps the dialog from closing on its own. */
interface Question {
  title: string
  content: ReactNode
  confirmText: string
  run: () => Promise<void>
}

/** What each step of the meeting means, asked before it is taken (the steps a state allows: MEETING_LIFECYCLE). */
const STEP_QUESTIONS: Record<MeetingStep, (words: ReturnType<typeof placeWords>) => string> = {
  announce: (w) => `发出后${w.member}都能看到这次会议；应到名单按现在的花名册定下来，议程不能再改。`,
  start: () => '现在开始开会吗？到会的人签到；没有手机的，在这里替他登记到会。',
  close: () => '散会后不能再签到、不能再表决。表决都结束了吗？',
  publish: (w) => `公布后，会议和表决结果所有${w.member}都能看到。`,
}
const isStep = (action: MeetingAction): action is MeetingStep => action in STEP_QUESTIONS

const isWeapp = process.env.TARO_ENV === 'weapp'
/** Sign-in is possible while the meeting has been announced and has not closed. */
const signingIn = (m: Meeting) => meetingIsLive(m.state)

export default function MeetingDetail() {
  const { params } = useRouter()
  // Opened by WeChat's scanner from the meeting's code: the page knows only the code, and signs in with it once.
  const scanned = fromScene(params.scene)
  const scannedUsed = useRef(false)
  const { villageId, membership } = useVillageMembership(scanned?.villageId)
  const meetingId = scanned?.id ?? Number(params.meetingId)
  const [signInError, setSignInError] = useState('')
  const [question, setQuestion] = useState<Question | null>(null)
  const [stepError, setStepError] = useState('')
  const [members, setMembers] = useState<VillageMember[] | null>(null)

  const { data, reload, update, value } = usePageData(async () => {
    const meeting = await getMeeting(villageId, meetingId, true)
    const closed = meeting.agenda.flatMap((item) => (item.vote?.state === 'closed' ? [item.vote.id] : []))
    const [found, comments] = await Promise.all([
      Promise.all(closed.map((id) => getVoteResult(villageId, id, true).catch(() => null))),
      meeting.state === 'draft' ? Promise.resolve([]) : listComments(villageId, meeting.id, true).catch(() => []),
    ])
    const results: Record<number, VoteResult> = {}
    for (const r of found) if (r) results[r.voteId] = r
    return { meeting, results, comments }
  })

  useEffect(() => {
    if (!value || !scanned || scannedUsed.current) return
    scannedUsed.current = true
    const { meeting } = value
    if (meeting.onMyRoll && !meeting.checkedIn && signingIn(meeting)) void signIn(scanned.token)
  }, [value])

  // The share card for a WeChat group: the meeting, and once decided, what its votes came to.
  useShareAppMessage(() => {
    const title =
      data.state !== 'ready'
        ? '村里的会议'
        : (() => {
            const decided = Object.values(data.value.results)
            const outcome = decided.length
              ? `：${decided.map((r) => `${r.question}——${OUTCOME_LABEL[r.outcome]}`).join('；')}`
              : ''
            return `${data.value.meeting.title}${outcome}`.slice(0, 60)
          })()
    // Once the meeting has closed, the card opens the public result page: anyone in the group can read it.
    const closed =
      data.state === 'ready' && (data.value.meeting.state === 'closed' || data.value.meeting.state === 'published')
    return {
      title,
      path: closed ? meetingPaths.results(villageId, meetingId) : meetingPaths.detail(villageId, meetingId),
    }
  })

  async function signIn(token: string) {
    setSignInError('')
    try {
      const meeting = await checkInByCode(villageId, meetingId, token, [
        'CODE_INVALID',
        'ALREADY_CONFIRMED',
        'NOT_ON_ROLL',
        'MEETING_STATE',
      ])
      update((now) => ({ ...now, meeting }))
      void Taro.showToast({ title: '签到成功', icon: 'success', duration: 2000 })
    } catch (error) {
      setSignInError(
        error instanceof ApiError && error.code === 'ALREADY_CONFIRMED' ? '您已经签过到了。' : errorText(error),
      )
    }
  }

  async function scan() {
    try {
      const result = await Taro.scanCode(VENUE_SCAN)
      await signIn(scannedToken(result))
    } catch {
      // The person closed the camera.
    }
  }

  const ask: Ask = (title, content, confirmText, run) => setQuestion({ title, content, confirmText, run })

  /** The verified members, to name the two tellers from (committee only; loaded once, when needed). */
  async function loadMembers(): Promise<VillageMember[]> {
    if (members) return members
    const list = (await listVillageMembers(villageId)).filter((m) => m.status === 'verified')
    setMembers(list)
    return list
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const { meeting, results } = data.value
  const villageKind: VillageKind = membership?.villageKind ?? 'rural'
  const words = placeWords(villageKind)
  const committee = can(membership, 'meetings.manage')
  const actions = meetingActions(meeting.state)
  const step = actions.find(isStep)
  const next = step ? { step, label: MEETING_LIFECYCLE[step].label, question: STEP_QUESTIONS[step] } : null
  const context: VoteContext = {
    villageId,
    meeting,
    membership,
    committee,
    villageKind,
    ask,
    reload: reload,
    loadMembers,
  }

  return (
    <Page className='meeting'>
      <View className='lr-heading meeting__title'>{meeting.title}</View>
      <View className='lr-row meeting__badges'>
        <View className='lr-badge lr-badge--blue meeting__kind'>{meetingKindLabel(meeting.kind, villageKind)}</View>
        <View className={`lr-badge ${MEETING_STATE_BADGE[meeting.state]} meeting__state`}>
          {MEETING_STATE_LABEL[meeting.state]}
        </View>
        {meeting.checkedIn ? <View className='lr-badge lr-badge--green'>我已到会</View> : null}
      </View>

      <Card className='meeting__facts'>
        <Facts>
          <Fact label='时间'>{formatDateTime(meeting.startsAt)}</Fact>
          {meeting.postponedFrom ? <Fact label='原定时间'>{formatDateTime(meeting.postponedFrom)}</Fact> : null}
          <Fact label='地点'>{meeting.place}</Fact>
          <Fact label='通知'>{noticeText(meeting)}</Fact>
          {meeting.urgentReason ? <Fact label='紧急召开'>{meeting.urgentReason}</Fact> : null}
          {meeting.changeReason ? (
            <Fact label={meeting.state === 'cancelled' ? '取消原因' : '延期原因'}>{meeting.changeReason}</Fact>
          ) : null}
          <Fact label='投票'>{meeting.online ? '可以在手机上投，也可以到会场投' : '只在会场投票'}</Fact>
        </Facts>
        {meeting.description ? <View className='lr-text meeting__description'>{meeting.description}</View> : null}
      </Card>

      {meeting.state !== 'draft' && meeting.state !== 'cancelled' ? (
        <Card title='到会人数' className='meeting__attendance'>
          <View className='meeting__counts'>
            <View className='meeting__count'>
              <View className='meeting__count-number meeting__on-roll'>{meeting.onRoll}</View>
              <View className='lr-muted'>应到（人）</View>
            </View>
            <View className='meeting__count'>
              <View className='meeting__count-number meeting__present'>{meeting.present}</View>
              <View className='lr-muted'>实到（人）</View>
            </View>
          </View>
          <View
            className={`meeting__quorum ${meeting.quorumMet ? 'meeting__quorum--met' : 'meeting__quorum--not-met'}`}
          >
            {meeting.kind === 'deliberation'
              ? '不需要达到法定人数'
              : meeting.quorumMet
                ? '已达到法定人数'
                : '还没达到法定人数'}
          </View>
          <View className='lr-muted'>
            {meeting.kind === 'deliberation'
              ? '议事协商会大家商量事情，到多少人都可以开。'
              : `要求：${meeting.quorumRule}。`}
          </View>
          {meeting.onMyRoll ? null : (
            <View className='lr-muted meeting__not-on-roll'>您不在这次会议的名单上（发通知时按花名册定的名单）。</View>
          )}
          {meeting.onMyRoll && !meeting.checkedIn && signingIn(meeting) ? (
            <View className='meeting__sign-in'>
              {isWeapp ? (
                <View className='lr-actions'>
                  <WideButton type='primary' className='meeting__scan' onClick={scan}>
                    扫码签到
                  </WideButton>
                </View>
              ) : (
                <ScanInWechat action='扫码签到' className='meeting__scan-help' />
              )}
            </View>
          ) : null}
          {signInError ? <View className='lr-error meeting__sign-in-error'>{signInError}</View> : null}
        </Card>
      ) : null}

      {committee ? (
        <Card title={`${words.committee}操作`} className='meeting__committee'>
          {meeting.state === 'draft' ? (
            <>
              <View className='lr-muted'>
                这是草稿，只有{words.committee}看得到。发出通知后{words.member}才能看到。
              </View>
              <View className='lr-actions'>
                <WideLinkButton fill='outline' className='meeting__edit' url={meetingPaths.edit(villageId, meeting.id)}>
                  修改草稿
                </WideLinkButton>
              </View>
            </>
          ) : null}
          {next ? (
            <View className='lr-actions'>
              <WideButton
                type='primary'
                className={`meeting__step meeting__step--${next.step}`}
                onClick={() =>
                  ask(next.label, next.question(words), next.label, async () => {
                    setStepError('')
                    try {
                      await advanceMeeting(villageId, meeting.id, next.step, true)
                      void Taro.showToast({ title: `已${next.label}`, icon: 'none', duration: 2000 })
                    } catch (error) {
                      setStepError(errorText(error))
                    }
                    await reload()
                  })
                }
              >
                {next.label}
              </WideButton>
            </View>
          ) : (
            <View className='lr-text'>{meeting.state === 'cancelled' ? '会议已取消。' : '会议已公布。'}</View>
          )}
          {stepError ? <View className='lr-error meeting__step-error'>{stepError}</View> : null}
          {actions.includes('postpone') || actions.includes('cancel') ? (
            <MoveMeeting
              villageId={villageId}
              meeting={meeting}
              onDone={(m) => update((now) => ({ ...now, meeting: m }))}
            />
          ) : null}
          {meeting.state === 'closed' ? (
            <Minutes
              villageId={villageId}
              meeting={meeting}
              onSaved={(m) => update((now) => ({ ...now, meeting: m }))}
            />
          ) : null}
          {signingIn(meeting) || meeting.state === 'closed' ? (
            <View className='lr-actions'>
              <WideLinkButton
                fill='outline'
                className='meeting__attendance-list'
                url={meetingPaths.attendance(villageId, meeting.id)}
              >
                到会名单
              </WideLinkButton>
            </View>
          ) : null}
          {signingIn(meeting) ? <VenueCode villageId={villageId} meetingId={meeting.id} /> : null}
          {signingIn(meeting) ? <CheckIn villageId={villageId} meetingId={meeting.id} onDone={reload} /> : null}
        </Card>
      ) : null}

      <View className='lr-card__title meeting__agenda-title'>议程</View>
      {meeting.agenda.map((item) => (
        <Card key={item.id} className='meeting__item'>
          <View className='meeting__item-title'>
            {item.position}. {item.title}
          </View>
          {item.description ? <View className='lr-text meeting__item-description'>{item.description}</View> : null}
          {item.vote ? (
            <VoteBlock vote={item.vote} result={results[item.vote.id] ?? null} context={context} />
          ) : (
            <View className='lr-muted'>这项只商量，不表决。</View>
          )}
          <Comments
            villageId={villageId}
            meetingId={meeting.id}
            itemId={item.id}
            comments={data.value.comments.filter((c) => c.agendaItemId === item.id)}
            open={meeting.state === 'announced' && Date.now() < new Date(meeting.commentsCloseAt).getTime()}
            closesAt={meeting.state === 'announced' ? meeting.commentsCloseAt : null}
            canWrite={membership?.personId != null}
            committee={committee}
            onChange={(comments) => update((now) => ({ ...now, comments }))}
          />
        </Card>
      ))}

      {meeting.state === 'published' && meeting.minutes ? (
        <Card title='会议纪要' className='meeting__minutes'>
          <View className='lr-text meeting__minutes-text'>{meeting.minutes}</View>
        </Card>
      ) : null}

      {meeting.state === 'closed' || meeting.state === 'published' ? (
        <Card title='表决结果公示' className='meeting__notice'>
          <View className='lr-muted'>A4 打印版，贴在村务公开栏；上面有二维码，谁扫都能看到公示页，不用登录。</View>
          <View className='lr-actions'>
            <WideLinkButton
              fill='outline'
              className='meeting__notice-page'
              url={meetingPaths.results(villageId, meeting.id)}
            >
              看公示页
            </WideLinkButton>
          </View>
          <View className='lr-actions'>
            <WideButton
              fill='outline'
              className='meeting__notice-download'
              onClick={() => downloadResultNotice(villageId, meeting).catch(() => undefined)}
            >
              下载打印版（PDF）
            </WideButton>
          </View>
        </Card>
      ) : null}

      <Dialog
        className='meeting__dialog'
        visible={question !== null}
        title={question?.title}
        confirmText={question?.confirmText ?? '确定'}
        cancelText='再想想'
        onConfirm={async () => {
          const q = question
          setQuestion(null)
          if (q) await q.run()
        }}
        onCancel={() => setQuestion(null)}
        onClose={() => setQuestion(null)}
      >
        {question ? <View className='lr-text meeting__dialog-content'>{question.content}</View> : null}
      </Dialog>
    </Page>
  )
}

/** 会议纪要: written after the close, required before 公布. */
function Minutes({
  villageId,
  meeting,
  onSaved,
}: {
  villageId: number
  meeting: Meeting
  onSaved: (meeting: Meeting) => void
}) {
  const [text, setText] = useState(meeting.minutes ?? '')
  const [error, setError] = useState('')
  const [saving, setSaving] = useState(false)

  async function save() {
    if (text.trim().length < 10) return setError('请把会议情况写清楚，至少 10 个字')
    setSaving(true)
    setError('')
    try {
      onSaved(await saveMinutes(villageId, meeting.id, text.trim(), ['VALIDATION_FAILED', 'MEETING_STATE']))
      void Taro.showToast({ title: '纪要已保存', icon: 'none', duration: 2000 })
    } catch (e) {
      setError(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className='meeting__minutes-form'>
      <View className='meeting__subtitle'>会议纪要</View>
      <View className='lr-muted'>写明到会情况、议了什么、定了什么。保存后再点“公布”，大家就都能看到。</View>
      <TextArea
        className='lr-textarea meeting__minutes-input'
        value={text}
        maxLength={5000}
        showCount
        placeholder='例如：12月8日上午在村委会召开……'
        onChange={setText}
      />
      {meeting.minutes ? <View className='lr-muted meeting__minutes-saved'>已保存，可以公布了。</View> : null}
      {error ? <View className='lr-error meeting__minutes-error'>{error}</View> : null}
      <View className='lr-actions'>
        <WideButton fill='outline' loading={saving} className='meeting__minutes-save' onClick={save}>
          保存纪要
        </WideButton>
      </View>
    </View>
  )
}

/** 签到码: the meeting's code, to show on a screen or print for the venue door. */
function VenueCode({ villageId, meetingId }: { villageId: number; meetingId: number }) {
  const [code, setCode] = useState<MeetingCode | null>(null)
  if (!code) {
    return (
      <View className='lr-actions'>
        <WideButton
          fill='outline'
          className='meeting__show-code'
          onClick={() => getMeetingCode(villageId, meetingId).then(setCode, () => undefined)}
        >
          显示签到码
        </WideButton>
      </View>
    )
  }
  return (
    <View className='meeting__code'>
      <View className='meeting__subtitle'>签到码</View>
      <View className='lr-muted'>打印出来贴在会场门口，或者打开给大家扫。到会的人用微信一扫就签到了。</View>
      <Image
        className='meeting__code-image'
        src={isWeapp && code.wxacode ? code.wxacode : code.qr}
        mode='scaleToFill'
      />
    </View>
  )
}

/** 登记到会: the committee checks in a villager without a phone, found on the roster. */
function CheckIn({
  villageId,
  meetingId,
  onDone,
}: {
  villageId: number
  meetingId: number
  onDone: () => Promise<void>
}) {
  const [person, setPerson] = useState<Person | null>(null)
  const [error, setError] = useState('')
  const [saving, setSaving] = useState(false)

  async function checkIn() {
    if (!person) return
    setSaving(true)
    setError('')
    try {
      await checkInPerson(villageId, meetingId, person.id, ['ALREADY_CONFIRMED', 'NOT_ON_ROLL'])
      void Taro.showToast({ title: `${person.name}已登记到会`, icon: 'none', duration: 2000 })
      setPerson(null)
      await onDone()
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'ALREADY_CONFIRMED' ? `${person.name}已经登记过了。` : errorText(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className='meeting__check-in'>
      <View className='meeting__subtitle'>登记到会</View>
      <View className='lr-muted meeting__check-in-note'>
        没有手机的人到了会场，在这里替他登记。登记后，他在会场投的票才能算进去。
      </View>
      <PersonPicker
        villageId={villageId}
        value={person}
        onChange={(p) => {
          setPerson(p)
          setError('')
        }}
        className='meeting__person'
      />
      {person ? (
        <View className='lr-actions'>
          <WideButton type='primary' loading={saving} className='meeting__check-in-submit' onClick={checkIn}>
            登记{person.name}到会
          </WideButton>
        </View>
      ) : null}
      {error ? <View className='lr-error meeting__check-in-error'>{error}</View> : null}
    </View>
  )
}
