import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import dayjs from 'dayjs'
import { useState } from 'react'
import type { Meeting } from '@liren/shared/contracts'
import { meetingAllows } from '@liren/shared/rules'
import { DateTimeField } from '../../../components/DateTimeField'
import { InputField } from '../../../components/InputField'
import { SwitchCell } from '../../../components/SwitchCell'
import { WideButton } from '../../../components/WideButtons'
import { shanghaiNow } from '../../../lib/format'
import { cancelMeeting, postponeMeeting } from '../../../services/meetings'
import { errorText } from '../errors'

type Open = null | 'postpone' | 'cancel'

/**
 * 延期 and 取消 of an announced meeting (committee), before any vote opens: the new time and why (紧急 with
 * its reason when the new time leaves less than the notice period), or why it is called off. Everyone
 * called to the meeting is told by the server.
 */
export function MoveMeeting(props: { villageId: number; meeting: Meeting; onDone: (meeting: Meeting) => void }) {
  const { villageId, meeting } = props
  const [open, setOpen] = useState<Open>(null)
  // The first evening the usual notice allows (the village may ask more of a 代表会议: the server says so).
  const [when, setWhen] = useState(() =>
    shanghaiNow()
      .add(meeting.kind === 'villager_meeting' ? 10 : meeting.kind === 'representative_meeting' ? 3 : 1, 'day')
      .format('YYYY-MM-DD 19:30'),
  )
  const [reason, setReason] = useState('')
  const [urgent, setUrgent] = useState(false)
  const [urgentReason, setUrgentReason] = useState('')
  const [error, setError] = useState('')
  const [fieldErrors, setFieldErrors] = useState<{ startsAt?: string; reason?: string; urgentReason?: string }>({})
  const [saving, setSaving] = useState(false)

  function toggle(which: Open) {
    setOpen(open === which ? null : which)
    setError('')
    setFieldErrors({})
  }

  async function send() {
    const problems: typeof fieldErrors = {}
    if (reason.trim().length < 2)
      problems.reason = open === 'cancel' ? '请写为什么取消，至少 2 个字' : '请写为什么延期，至少 2 个字'
    if (open === 'postpone' && urgent && urgentReason.trim().length < 2)
      problems.urgentReason = '请写为什么这么急，至少 2 个字'
    setFieldErrors(problems)
    if (Object.keys(problems).length) return
    setSaving(true)
    setError('')
    try {
      const handled = ['VALIDATION_FAILED', 'MEETING_STATE', 'NOTICE_TOO_SHORT']
      const done =
        open === 'cancel'
          ? await cancelMeeting(villageId, meeting.id, reason.trim(), handled)
          : await postponeMeeting(
              villageId,
              meeting.id,
              {
                startsAt: dayjs(`${when.replace(' ', 'T')}:00+08:00`).toISOString(),
                reason: reason.trim(),
                ...(urgent ? { urgentReason: urgentReason.trim() } : {}),
              },
              handled,
            )
      void Taro.showToast({
        title: open === 'cancel' ? '会议已取消' : '已延期，已通知大家',
        icon: 'none',
        duration: 2000,
      })
      setOpen(null)
      props.onDone(done)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className='meeting__move'>
      <View className='lr-actions meeting__move-buttons'>
        {meetingAllows(meeting.state, 'postpone') ? (
          <WideButton fill='outline' className='meeting__postpone' onClick={() => toggle('postpone')}>
            延期
          </WideButton>
        ) : null}
        {meetingAllows(meeting.state, 'cancel') ? (
          <WideButton fill='outline' className='meeting__cancel' onClick={() => toggle('cancel')}>
            取消会议
          </WideButton>
        ) : null}
      </View>
      {open ? (
        <View className='meeting__move-form'>
          <View className='meeting__subtitle'>{open === 'cancel' ? '取消会议' : '会议延期'}</View>
          <View className='lr-muted'>
            {open === 'cancel'
              ? '取消后会通知名单上的人；已列入议程的说事回到待议。开始表决以后就不能取消了。'
              : '延期要重新通知，从今天算起的通知天数要够；会通知名单上的人。开始表决以后就不能延期了。'}
          </View>
          {open === 'postpone' ? (
            <DateTimeField
              label='改到什么时候'
              mode='datetime'
              className='meeting__postpone-when'
              error={fieldErrors.startsAt}
              start={shanghaiNow().format('YYYY-MM-DD')}
              value={when}
              onChange={setWhen}
            />
          ) : null}
          <InputField
            label={open === 'cancel' ? '取消原因' : '延期原因'}
            inputClassName='meeting__move-reason'
            error={fieldErrors.reason}
            maxLength={200}
            placeholder={open === 'cancel' ? '例如：事情已经解决了' : '例如：那天下大雨，路不好走'}
            value={reason}
            onChange={setReason}
          />
          {open === 'postpone' ? (
            <>
              <SwitchCell
                className='meeting__move-urgent'
                title='紧急召开'
                description='通知天数不够时才用，原因会写在通知和公示上'
                checked={urgent}
                onChange={setUrgent}
              />
              {urgent ? (
                <InputField
                  label='为什么这么急'
                  inputClassName='meeting__move-urgent-reason'
                  error={fieldErrors.urgentReason}
                  maxLength={200}
                  placeholder='例如：要赶在雨季前修好'
                  value={urgentReason}
                  onChange={setUrgentReason}
                />
              ) : null}
            </>
          ) : null}
          {error ? <View className='lr-error meeting__move-error'>{error}</View> : null}
          <View className='lr-actions'>
            <WideButton type='primary' loading={saving} className='meeting__move-send' onClick={send}>
              {open === 'cancel' ? '确定取消会议' : '确定延期'}
            </WideButton>
          </View>
        </View>
      ) : null}
    </View>
  )
}
