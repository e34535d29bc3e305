import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Handler, Photo, Report } from '@liren/shared/contracts'
import {
  LEVEL_LABEL,
  OPEN_STATES,
  RATINGS,
  RATING_LABEL,
  REPORT_STATE_LABEL,
  URGENCY_LABEL,
  type Rating,
} from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Chip, Choices } from '../../../components/Choices'
import { Fact, Facts } from '../../../components/Facts'
import { Field } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { TextAreaField } from '../../../components/TextAreaField'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { getReport, listHandlers, supportReport, takeStep, type StepBodies } from '../../../services/reports'
import { PhotoPicker, PhotoStrip } from '../../../components/PhotoPicker'
import { WideButton } from '../../../components/WideButtons'
import { actorText, EVENT_LABEL } from '../labels'
import { reportPaths } from '../paths'
import './index.css'

/** The steps that need a few words (or a choice) before they are sent. */
type Form = 'resolve' | 'reject' | 'assign' | 'merge'

const FORM_TITLE: Record<Form, string> = {
  resolve: '办结',
  reject: '不予受理',
  assign: '转派给别人',
  merge: '合并到另一条上报',
}
/** The steps taken at one tap (they come first), with what the button says and what the person is told after. */
const ONE_TAP_STEPS = [
  { step: 'accept', button: '受理', done: '已受理' },
  { step: 'start', button: '开始处理', done: '已开始处理' },
] as const
/** The steps whose buttons come after the main ones (in this order), with what the button says. */
const SECOND_STEPS = ['assign', 'merge', 'reject'] as const
const SECOND_STEP_BUTTON: Record<(typeof SECOND_STEPS)[number], string> = {
  assign: '转派',
  merge: '合并',
  reject: '不予受理',
}
const RATING_CHOICES = RATINGS.map((value) => ({ value, label: RATING_LABEL[value] }))

export default function ReportDetail() {
  const { villageId } = useVillageMembership()
  const reportId = Number(useRouter().params.reportId)
  const { data, reload, set } = usePageData(() => getReport(villageId, reportId, true))
  const [form, setForm] = useState<Form | null>(null)
  const [text, setText] = useState('')
  const [photos, setPhotos] = useState<Photo[]>([])
  const [handlers, setHandlers] = useState<Handler[]>([])
  const [assignee, setAssignee] = useState<number | null>(null)
  const [rating, setRating] = useState<Rating>('satisfied')
  const [comment, setComment] = useState('')
  const [error, setError] = useState('')

  /** A change by the person, which takes away what was said about the last try. */
  const clearing =
    <T,>(change: (value: T) => void) =>
    (value: T) => {
      change(value)
      setError('')
    }
  const typeText = clearing(setText)

  /** The box for the few words a step is sent with (how it was resolved, why it is not accepted). */
  const stepWords = (label: string, hint: string, textAreaClassName: string) => (
    <TextAreaField
      label={label}
      hint={hint}
      textAreaClassName={textAreaClassName}
      value={text}
      maxLength={500}
      onChange={typeText}
    />
  )

  function open(next: Form | null) {
    setForm(next)
    setText('')
    setPhotos([])
    setAssignee(null)
    setError('')
    if (next === 'assign') listHandlers(villageId, reportId).then(setHandlers, () => undefined)
  }

  /** Sends a step; the page then shows the report as the server has it. */
  async function step<S extends keyof StepBodies>(name: S, body: StepBodies[S], done: string) {
    setError('')
    try {
      const report = await takeStep(villageId, reportId, name, body, ['VALIDATION_FAILED'])
      set(report)
      setForm(null)
      setComment('')
      void Taro.showToast({ title: done, icon: 'none', duration: 2000 })
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'VALIDATION_FAILED')
        setError(caught.details[0]?.message ?? caught.message)
      // Otherwise http.ts has shown why (someone else was quicker, no longer allowed…): show what is now true.
      else await reload()
    }
  }

  function sendForm() {
    const words = text.trim()
    if (form === 'resolve') {
      if (words.length < 2) return setError('请写一写是怎么处理的，至少 2 个字')
      return step('resolve', { note: words, ...(photos.length ? { photos: photos.map((p) => p.key) } : {}) }, '已办结')
    }
    if (form === 'reject') {
      if (words.length < 2) return setError('请写明不予受理的理由，至少 2 个字')
      return step('reject', { reason: words }, '已不予受理')
    }
    if (form === 'assign') {
      if (assignee === null) return setError('请选一个人')
      return step('assign', { assigneeUserId: assignee, ...(words ? { note: words } : {}) }, '已转派')
    }
    if (form === 'merge') {
      const into = Number(words)
      if (!Number.isInteger(into) || into < 1) return setError('请填另一条上报的编号（数字）')
      if (into === reportId) return setError('不能合并到自己')
      return step('merge', { intoReportId: into }, '已合并')
    }
  }

  function rate() {
    const words = comment.trim()
    if (rating === 'unsatisfied' && !words) return setError('请说一说哪里不满意')
    return step(
      'rate',
      { rating, ...(words ? { comment: words } : {}) },
      rating === 'unsatisfied' ? '已退回重新处理' : '谢谢您的评价',
    )
  }

  async function support() {
    try {
      const { supports } = await supportReport(villageId, reportId)
      if (data.state === 'ready') set({ ...data.value, supports, supportedByMe: true })
      void Taro.showToast({ title: '已记下，谢谢您', icon: 'none', duration: 2000 })
    } catch {
      // http.ts has shown why.
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const report = data.value
  const can = (action: Report['actions'][number]) => report.actions.includes(action)
  const handling = (['accept', 'start', 'resolve', 'reject', 'assign', 'merge'] as const).some(can)
  const isOpen = OPEN_STATES.includes(report.state)
  // 我也遇到 is for problems still being worked on, from people other than the reporter and its handlers.
  const canSupport = !report.isMine && !report.supportedByMe && isOpen && !handling
  return (
    <Page className='report'>
      <View className='report__head'>
        <View className={`report__urgency report__urgency--${report.urgency}`} />
        <View className='lr-heading report__title'>{report.category}</View>
        <View
          className={`lr-badge report__state ${isOpen ? 'lr-badge--blue' : report.state === 'closed' || report.state === 'resolved' ? 'lr-badge--green' : 'lr-badge--grey'}`}
        >
          {REPORT_STATE_LABEL[report.state]}
        </View>
        {report.overdue ? <View className='lr-badge lr-badge--red'>已超时</View> : null}
      </View>

      <Card className='report__what'>
        <View className='lr-text lr-prose report__description'>{report.description}</View>
        <PhotoStrip photos={report.photos} className='report__photos' />
        <View className='lr-row report__support-row'>
          <View className='lr-muted report__supports'>
            {report.supports ? `${report.supports} 人也遇到过` : '还没有人点“我也遇到”'}
          </View>
          {canSupport ? (
            <Button size='large' fill='outline' className='report__support' onClick={support}>
              我也遇到
            </Button>
          ) : null}
          {report.supportedByMe ? <View className='lr-badge lr-badge--green'>您点过了</View> : null}
        </View>
      </Card>

      <Card className='report__facts'>
        <Facts>
          <Fact label='编号'>第 {report.id} 号</Fact>
          <Fact label='状态'>{REPORT_STATE_LABEL[report.state]}</Fact>
          <Fact label='紧急程度'>{URGENCY_LABEL[report.urgency]}</Fact>
          <Fact label='上报时间'>{formatDateTime(report.createdAt)}</Fact>
          <Fact label='网格'>{report.gridName ?? '没有分网格'}</Fact>
          {report.address ? <Fact label='地点'>{report.address}</Fact> : null}
          <Fact label='上报人'>
            {report.reporterName ?? '匿名'}
            {report.reporterName && report.anonymous ? '（匿名，只有处理人能看到名字）' : ''}
            {report.onBehalf ? '（网格员代报）' : ''}
          </Fact>
          <Fact label='处理人'>{report.assigneeName ?? '还没有人受理'}</Fact>
          {report.level !== 'grid' ? <Fact label='已上报到'>{LEVEL_LABEL[report.level]}</Fact> : null}
          {report.state === 'submitted' ? (
            <Fact label='受理期限' className={report.overdue ? 'report__late' : ''}>
              {formatDateTime(report.acceptDueAt)}
              {report.overdue ? '（已超时）' : '前'}
            </Fact>
          ) : null}
          {report.state === 'accepted' || report.state === 'in_progress' ? (
            <Fact label='办结期限' className={report.overdue ? 'report__late' : ''}>
              {formatDateTime(report.resolveDueAt)}
              {report.overdue ? '（已超时）' : '前'}
            </Fact>
          ) : null}
          {report.rating ? (
            <Fact label='评价'>
              {RATING_LABEL[report.rating]}
              {report.ratingComment ? `：${report.ratingComment}` : ''}
            </Fact>
          ) : null}
          {report.mergedInto ? (
            <Fact label='合并到'>
              <View
                className='report__link'
                onClick={() => Taro.navigateTo({ url: reportPaths.detail(villageId, report.mergedInto!) })}
              >
                第 {report.mergedInto} 号上报 ›
              </View>
            </Fact>
          ) : null}
          <Fact label='是否公开'>{report.public ? '全村都能看到' : '只有上报人和处理人能看到'}</Fact>
        </Facts>
      </Card>

      {handling ? (
        <Card title='处理' className='report__handle'>
          {form === null ? (
            <View className='report__buttons'>
              {ONE_TAP_STEPS.filter((one) => can(one.step)).map((one) => (
                <Button
                  key={one.step}
                  type='primary'
                  size='large'
                  className={`report__${one.step}`}
                  onClick={() => step(one.step, {}, one.done)}
                >
                  {one.button}
                </Button>
              ))}
              {can('resolve') ? (
                <Button type='primary' size='large' className='report__resolve' onClick={() => open('resolve')}>
                  办结
                </Button>
              ) : null}
              {SECOND_STEPS.filter(can).map((second) => (
                <Button
                  key={second}
                  size='large'
                  fill='outline'
                  className={`report__${second}`}
                  onClick={() => open(second)}
                >
                  {SECOND_STEP_BUTTON[second]}
                </Button>
              ))}
            </View>
          ) : (
            <View className='report__form'>
              <View className='report__form-title'>{FORM_TITLE[form]}</View>
              {form === 'resolve' ? (
                <>
                  {stepWords('处理结果', '怎么处理的，现在怎么样了', 'report__note')}
                  <Field label='处理后的照片（可以不拍）'>
                    <PhotoPicker villageId={villageId} photos={photos} onChange={setPhotos} />
                  </Field>
                </>
              ) : null}
              {form === 'reject' ? stepWords('理由', '上报人会看到这个理由', 'report__reason') : null}
              {form === 'assign' ? (
                <>
                  <Field label='交给谁'>
                    {handlers.length === 0 ? <View className='lr-muted'>正在找可以处理的人…</View> : null}
                    <View className='lr-chips'>
                      {handlers.map((h) => (
                        <Chip key={h.userId} on={assignee === h.userId} onTap={() => setAssignee(h.userId)}>
                          {h.name}（{h.role}）
                        </Chip>
                      ))}
                    </View>
                  </Field>
                  <Field label='交代几句（可以不写）'>
                    <Input className='lr-input report__assign-note' value={text} maxLength={500} onChange={typeText} />
                  </Field>
                </>
              ) : null}
              {form === 'merge' ? (
                <Field label='合并到第几号上报' hint='说的是同一件事时合并，编号在那条上报的详情里'>
                  <Input
                    className='lr-input report__merge-into'
                    type='number'
                    value={text}
                    maxLength={10}
                    onChange={typeText}
                  />
                </Field>
              ) : null}
              {error ? <View className='lr-error report__error'>{error}</View> : null}
              <View className='lr-actions'>
                <Button size='large' fill='outline' onClick={() => open(null)}>
                  取消
                </Button>
                <Button type='primary' size='large' className='report__send' onClick={sendForm}>
                  确认{form === 'assign' ? '转派' : form === 'merge' ? '合并' : form === 'resolve' ? '办结' : ''}
                </Button>
              </View>
            </View>
          )}
        </Card>
      ) : null}

      {can('rate') ? (
        <Card title='您满意吗？' className='report__rate'>
          <View className='lr-muted report__rate-hint'>
            事情已经办好了。请您评价一下；不满意的话，会退回去重新处理。
          </View>
          <Choices choices={RATING_CHOICES} value={rating} onChange={clearing(setRating)} />
          <TextAreaField
            label={rating === 'unsatisfied' ? '哪里不满意（一定要写）' : '想说的话（可以不写）'}
            className='report__comment-field'
            textAreaClassName='report__comment'
            value={comment}
            maxLength={300}
            onChange={clearing(setComment)}
          />
          {error ? <View className='lr-error report__error'>{error}</View> : null}
          <WideButton type='primary' className='lr-block-button report__rate-send' onClick={rate}>
            提交评价
          </WideButton>
        </Card>
      ) : null}

      <Card title='处理经过' className='report__timeline'>
        {[...report.events].reverse().map((event) => (
          <View key={event.id} className='report__event'>
            <View className='report__event-dot' />
            <View className='report__event-body'>
              <View className='report__event-title'>
                {EVENT_LABEL[event.action]}
                <View className='report__event-who'>{actorText(event)}</View>
              </View>
              <View className='lr-muted'>{formatDateTime(event.createdAt)}</View>
              {event.note ? <View className='lr-text lr-prose report__event-note'>{event.note}</View> : null}
              {/* The report's own photos are shown at the top. */}
              {event.action === 'submit' ? null : <PhotoStrip photos={event.photos} className='report__event-photos' />}
            </View>
          </View>
        ))}
      </Card>
    </Page>
  )
}
