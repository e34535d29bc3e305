import { View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, TextArea } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import type { MeetingList, PetitionList, Topic, TopicList } from '@liren/shared/contracts'
import { TOPIC_STATE_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Chip } from '../../../components/Choices'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { Fact, Facts } from '../../../components/Facts'
import { Field } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { LinkButton, Page } from '../../../components/Page'
import { PhotoStrip } from '../../../components/PhotoPicker'
import { WideButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { ApiError } from '../../../services/http'
import {
  acceptTopic,
  declineTopic,
  getTopic,
  listMeetings,
  listPetitions,
  listTopics,
  mergeTopic,
  petitionFromTopic,
  supportTopic,
} from '../../../services/meetings'
import { mustBeHeardText, supportText, TOPIC_STATE_BADGE } from '../labels'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

/** The committee's three decisions. */
type Form = 'accept' | 'merge' | 'decline'

const CONFIRM: Record<Form, string> = { accept: '列入议程', merge: '确认合并', decline: '确认不予采纳' }
const DONE: Record<Form, string> = { accept: '已列入议程', merge: '已合并', decline: '已不予采纳' }

/** 说事 detail: the matter, 附议, what the committee decided, and (for the committee) deciding it. */
export default function TopicDetail() {
  const { villageId, kind, words, committee } = useMeetingsVillage()
  const topicId = Number(useRouter().params.topicId)
  const [supportError, setSupportError] = useState('')
  const [supporting, setSupporting] = useState(false)
  const [form, setForm] = useState<Form | null>(null)
  const [drafts, setDrafts] = useState<MeetingList | null>(null)
  const [others, setOthers] = useState<TopicList | null>(null)
  const [picked, setPicked] = useState<number | null>(null)
  const [reason, setReason] = useState('')
  const [formError, setFormError] = useState('')
  const [saving, setSaving] = useState(false)
  const [askPetition, setAskPetition] = useState<Topic | null>(null)
  const [petitionError, setPetitionError] = useState('')

  /** The topic with the one it was merged into, if any, and the petition it became (提议召集), if any. */
  async function withMerged(topic: Topic) {
    const mergedInto = topic.mergedIntoId ? await getTopic(villageId, topic.mergedIntoId, true).catch(() => null) : null
    const petitions: PetitionList = topic.mustBeHeard ? await listPetitions(villageId, true).catch(() => []) : []
    return { topic, mergedInto, petition: petitions.find((p) => p.topicId === topic.id) ?? null }
  }
  const { data, reload: load, set } = usePageData(async () => withMerged(await getTopic(villageId, topicId, true)))
  const show = async (topic: Topic) => set(await withMerged(topic))

  // Back from drafting a meeting for it: the picker shows the new draft.
  const formNow = useRef<Form | null>(null)
  formNow.current = form
  useDidShow(() => {
    if (formNow.current === 'accept') loadDrafts()
  })

  function loadDrafts() {
    listMeetings(villageId, true).then(
      (list) => setDrafts(list.filter((m) => m.state === 'draft')),
      () => setDrafts([]),
    )
  }

  async function support() {
    setSupportError('')
    setSupporting(true)
    try {
      await show(await supportTopic(villageId, topicId, ['ALREADY_SUPPORTED', 'TOPIC_CLOSED']))
      void Taro.showToast({ title: '已附议，谢谢您', icon: 'none', duration: 2000 })
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 0) return
      if (error.code === 'ALREADY_SUPPORTED')
        setSupportError(
          data.state === 'ready' && data.value.topic.mine
            ? '这是您提的事，已经算您附议了。'
            : '您已经附议过了，每人只能附议一次。',
        )
      else if (error.code === 'TOPIC_CLOSED') setSupportError(`${words.committee}已经对这件事作了决定，不能再附议了。`)
      else setSupportError(error.message)
      await load()
    } finally {
      setSupporting(false)
    }
  }

  /** 转为提议召集: the topic's supporters sign a petition for a 村民会议; the server says when it may not. */
  async function toPetition() {
    setAskPetition(null)
    setPetitionError('')
    try {
      const petition = await petitionFromTopic(villageId, topicId, true)
      void Taro.showToast({ title: '已转为提议召集', icon: 'none', duration: 2000 })
      await Taro.navigateTo({ url: meetingPaths.petition(villageId, petition.id) })
    } catch (error) {
      if (error instanceof ApiError && error.status !== 0) setPetitionError(error.message)
      else if (error instanceof ApiError) setPetitionError('网络不好，没有成功，请再试一次')
      await load()
    }
  }

  function open(next: Form | null) {
    setForm(next)
    setPicked(null)
    setReason('')
    setFormError('')
    if (next === 'accept') loadDrafts()
    if (next === 'merge')
      listTopics(villageId, 'open', true).then(
        (list) => setOthers(list.filter((t) => t.id !== topicId)),
        () => setOthers([]),
      )
  }

  function pick(id: number) {
    setPicked(id)
    setFormError('')
  }

  async function decide() {
    if (!form) return
    setFormError('')
    const words2 = reason.trim()
    if ((form === 'accept' || form === 'merge') && picked === null)
      return setFormError(form === 'accept' ? '请选一个会议' : '请选要并入的那件事')
    if (form === 'decline' && words2.length < 2) return setFormError('请写明不予采纳的原因，至少 2 个字')
    setSaving(true)
    try {
      const handled = ['MEETING_STATE', 'TOPIC_CLOSED', 'VALIDATION_FAILED', 'MEETING_NOT_FOUND', 'TOPIC_NOT_FOUND']
      const topic =
        form === 'accept'
          ? await acceptTopic(villageId, topicId, picked!, handled)
          : form === 'merge'
            ? await mergeTopic(villageId, topicId, picked!, handled)
            : await declineTopic(villageId, topicId, words2, handled)
      void Taro.showToast({ title: DONE[form], icon: 'none', duration: 2000 })
      setForm(null)
      await show(topic)
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 0) return
      if (error.code === 'MEETING_STATE') {
        // Announced meanwhile: pick again from the drafts as they are now.
        open('accept')
        setFormError('这个会议已经发出通知，议程不能再改了。请选一个还是草稿的会议。')
      } else if (error.code === 'TOPIC_CLOSED') {
        // This topic, or the one to merge into, was decided meanwhile: the server says which.
        setFormError(error.message)
        await load()
      } else setFormError(error.details[0]?.message ?? error.message)
    } finally {
      setSaving(false)
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={load} />

  const { topic, mergedInto, petition } = data.value
  const isOpen = topic.state === 'open'
  const canSupport = isOpen && !topic.mine && !topic.supportedByMe && !topic.held
  // Backed by a tenth of the adults: its proposer or the committee may make it a petition (the server checks).
  const canPetition = isOpen && topic.mustBeHeard && !topic.held && !petition && (topic.mine || committee)
  const reached = Math.min(100, topic.threshold > 0 ? Math.round((topic.supporters / topic.threshold) * 100) : 100)

  return (
    <Page className='topic'>
      <View className='lr-heading topic__title'>{topic.title}</View>
      <View className='lr-row topic__badges'>
        <View className={`lr-badge ${TOPIC_STATE_BADGE[topic.state]} topic__state`}>
          {TOPIC_STATE_LABEL[topic.state]}
        </View>
        {topic.mine ? <View className='lr-badge lr-badge--blue'>我提的</View> : null}
      </View>

      {topic.held ? (
        <View className='lr-warning topic__held'>
          正在审核这件事的内容。审核通过前，只有您和{words.committee}看得到，别人还不能附议。
        </View>
      ) : null}

      {!isOpen ? (
        <Card className={`topic__decision topic__decision--${topic.state}`}>
          <View className='topic__decision-title'>{TOPIC_STATE_LABEL[topic.state]}</View>
          {topic.state === 'accepted' ? (
            <>
              <View className='lr-text'>{words.committee}已经把这件事列入会议议程，开会时大家一起商量。</View>
              {topic.meetingId ? (
                <View
                  className='topic__link topic__meeting-link'
                  onClick={() => Taro.navigateTo({ url: meetingPaths.detail(villageId, topic.meetingId!) })}
                >
                  看这次会议 ›
                </View>
              ) : null}
            </>
          ) : null}
          {topic.state === 'merged' ? (
            <>
              <View className='lr-text'>
                有人提过同一件事，{words.committee}把两件合在一起办，附议的人数也算到一起。
              </View>
              {topic.mergedIntoId ? (
                <View
                  className='topic__link topic__merged-link'
                  onClick={() => Taro.navigateTo({ url: meetingPaths.topic(villageId, topic.mergedIntoId!) })}
                >
                  {mergedInto ? `看“${mergedInto.title}” ›` : '看另一件事 ›'}
                </View>
              ) : null}
            </>
          ) : null}
          {topic.state === 'declined' ? (
            <View className='lr-text lr-prose topic__reason'>
              <View className='topic__reason-label'>原因：</View>
              {topic.declineReason ?? '没有写原因'}
            </View>
          ) : null}
          {topic.decidedAt ? (
            <View className='lr-muted topic__decided-at'>{formatDateTime(topic.decidedAt)} 决定</View>
          ) : null}
        </Card>
      ) : null}

      <Card className='topic__what'>
        <View className='lr-text lr-prose topic__description'>{topic.description}</View>
        <PhotoStrip photos={topic.photos} className='topic__photos' />
        <Facts>
          <Fact label='提出人'>{topic.proposerName}</Fact>
          <Fact label='提出时间'>{formatDateTime(topic.createdAt)}</Fact>
        </Facts>
      </Card>

      <Card title='附议' className='topic__support'>
        {isOpen && topic.mustBeHeard ? (
          <View className='lr-badge lr-badge--red topic__must'>{mustBeHeardText(kind)}</View>
        ) : null}
        <View className='topic__count'>{supportText(topic)}</View>
        {isOpen ? (
          <View className='topic__bar'>
            <View
              className={`topic__bar-fill${topic.mustBeHeard ? ' topic__bar-fill--full' : ''}`}
              style={{ width: `${reached}%` }}
            />
          </View>
        ) : null}
        {isOpen ? (
          <View className='lr-muted topic__rule'>
            按《村民委员会组织法》，十分之一以上的{words.member}（本{words.place}是 {topic.threshold} 人）提议的事，
            {words.committee}应当召集会议讨论。
          </View>
        ) : null}
        {canSupport ? (
          <WideButton
            type='primary'
            loading={supporting}
            className='lr-block-button topic__support-button'
            onClick={support}
          >
            附议（我也赞成拿到会上议）
          </WideButton>
        ) : null}
        {topic.supportedByMe && !topic.mine ? (
          <View className='lr-badge lr-badge--green topic__supported'>您已附议</View>
        ) : null}
        {topic.mine && isOpen ? (
          <View className='lr-muted topic__mine'>这是您提的事，已经算您一个附议。请告诉邻居们来看看。</View>
        ) : null}
        {supportError ? <View className='lr-error topic__support-error'>{supportError}</View> : null}
      </Card>

      {petition ? (
        <Card title='提议召集' className='topic__petition'>
          <View className='lr-text'>这件事已经转为提议召集{words.member}会议，附议的人都算签了名。</View>
          <View
            className='topic__link topic__petition-link'
            onClick={() => Taro.navigateTo({ url: meetingPaths.petition(villageId, petition.id) })}
          >
            看提议和签名 ›
          </View>
        </Card>
      ) : null}
      {canPetition ? (
        <Card title='提议召集' className='topic__petition'>
          <View className='lr-text'>
            附议的人已经够了。可以把它转为提议召集{words.member}会议：附议的人都算签了名，{words.committee}
            就必须在规定的日子以前开会。
          </View>
          <WideButton
            type='primary'
            className='lr-block-button topic__to-petition'
            onClick={() => {
              setPetitionError('')
              setAskPetition(topic)
            }}
          >
            转为提议召集
          </WideButton>
          {petitionError ? <View className='lr-error topic__petition-error'>{petitionError}</View> : null}
        </Card>
      ) : null}
      {!canPetition && !petition && petitionError ? (
        <View className='lr-error topic__petition-error'>{petitionError}</View>
      ) : null}

      {committee && isOpen ? (
        <Card title={`${words.committee}处理`} className='topic__committee'>
          {form === null ? (
            <>
              <View className='lr-muted'>
                {topic.mustBeHeard
                  ? '附议的人已经够了，应当列入会议议程。'
                  : '可以列入会议议程，和别的同样的事合并，或者说明原因不予采纳。'}
              </View>
              <View className='topic__buttons'>
                <Button type='primary' size='large' className='topic__accept' onClick={() => open('accept')}>
                  列入会议议程
                </Button>
                <Button size='large' fill='outline' className='topic__merge' onClick={() => open('merge')}>
                  合并
                </Button>
                <Button size='large' fill='outline' className='topic__decline' onClick={() => open('decline')}>
                  不予采纳
                </Button>
              </View>
            </>
          ) : (
            <View className='topic__form'>
              {form === 'accept' ? (
                <Field label='列入哪个会议' hint='只能列入还没发通知的会议（草稿）'>
                  {drafts === null ? <View className='lr-muted'>正在找草稿会议…</View> : null}
                  {drafts && drafts.length === 0 ? (
                    <View className='topic__no-drafts'>
                      <View className='lr-muted'>还没有草稿会议。先拟定一个会议，再回来把这件事列进去。</View>
                      <LinkButton
                        size='large'
                        fill='outline'
                        className='topic__new-meeting'
                        url={meetingPaths.new(villageId)}
                      >
                        拟定会议
                      </LinkButton>
                    </View>
                  ) : null}
                  <Choices
                    choices={(drafts ?? []).map((m) => ({ ...m, note: `${formatDateTime(m.startsAt)} · ${m.place}` }))}
                    picked={picked}
                    onPick={pick}
                    className='topic__meeting-choice'
                  />
                </Field>
              ) : null}
              {form === 'merge' ? (
                <Field label='并入哪件事' hint='说的是同一件事时合并；附议的人算到那件事上'>
                  {others === null ? <View className='lr-muted'>正在加载…</View> : null}
                  {others && others.length === 0 ? <View className='lr-muted'>没有别的正在征集附议的事。</View> : null}
                  <Choices
                    choices={(others ?? []).map((t) => ({
                      ...t,
                      note: `${t.proposerName} 提出 · ${t.supporters} 人附议`,
                    }))}
                    picked={picked}
                    onPick={pick}
                    className='topic__topic-choice'
                  />
                </Field>
              ) : null}
              {form === 'decline' ? (
                <Field label='不予采纳的原因' hint={`提出人和全${words.place}的人都会看到这个原因`}>
                  <TextArea
                    className='lr-textarea topic__reason-input'
                    value={reason}
                    maxLength={200}
                    showCount
                    autoSize
                    onChange={(v: string) => {
                      setReason(v)
                      setFormError('')
                    }}
                  />
                </Field>
              ) : null}
              {formError ? <View className='lr-error topic__form-error'>{formError}</View> : null}
              <View className='lr-actions'>
                <Button size='large' fill='outline' onClick={() => open(null)}>
                  取消
                </Button>
                {(form === 'accept' && drafts?.length === 0) || (form === 'merge' && others?.length === 0) ? null : (
                  <Button type='primary' size='large' loading={saving} className='topic__send' onClick={decide}>
                    {CONFIRM[form]}
                  </Button>
                )}
              </View>
            </View>
          )}
        </Card>
      ) : null}

      <ConfirmDialog
        className='topic__petition-dialog'
        subject={askPetition}
        title='转为提议召集？'
        confirmText='确认转为提议'
        onConfirm={() => void toPetition()}
        onDismiss={() => setAskPetition(null)}
      >
        {() => (
          <View className='lr-text'>
            转了以后，附议的人都算在提议上签了名，{words.committee}必须召集{words.member}会议。这一步不能撤回。
          </View>
        )}
      </ConfirmDialog>
    </Page>
  )
}

/** What the committee picks from: a meeting to put the topic on, or the topic to merge it into. */
function Choices(props: {
  choices: { id: number; title: string; note: string }[]
  picked: number | null
  onPick: (id: number) => void
  className: string
}) {
  return (
    <View className='lr-stack topic__choices'>
      {props.choices.map((c) => (
        <Chip
          key={c.id}
          on={props.picked === c.id}
          onTap={() => props.onPick(c.id)}
          className={`topic__choice ${props.className}`}
        >
          <View className='topic__choice-text'>
            <View className='topic__choice-title'>{c.title}</View>
            <View className='lr-muted'>{c.note}</View>
          </View>
        </Chip>
      ))}
    </View>
  )
}
