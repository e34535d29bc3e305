import { View } from '@tarojs/components'
import Taro, { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useEffect, useRef, useState } from 'react'
import type { Arrival, Attendance, AttendancePerson, AttendanceStatus } from '@liren/shared/contracts'
import { meetingIsLive } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideButton } from '../../../components/WideButtons'
import { formatClock } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { ApiError } from '../../../services/http'
import { checkInPerson, downloadSignInSheet, getAttendance } from '../../../services/meetings'
import { errorText } from '../errors'
import { useMeetingsVillage } from '../meetings-village'
import './index.css'

/** How often the counts and the list refresh while the page shows: people keep arriving. */
const REFRESH_MS = 15_000

/** 已到 · 扫码签到 19:32, or who of the committee registered them. */
function arrivalText(a: Arrival, committee: string): string {
  const how =
    a.way === 'scan'
      ? '扫码签到'
      : a.way === 'proxy'
        ? '委托'
        : `${committee}登记${a.recordedBy ? `（${a.recordedBy}）` : ''}`
  return `${how} ${formatClock(a.at)}`
}

/**
 * 到会名单 (committee): 应到 / 实到 as they change, everyone called to the meeting with how and when they
 * arrived and the votes they took part in on their phone, 全部 / 已到 / 未到; the clerk ticks off a villager
 * without a phone here (登记到会) and prints the 签到表 for those to sign by hand.
 */
export default function MeetingAttendance() {
  const meetingId = Number(useRouter().params.meetingId)
  const { villageId, words } = useMeetingsVillage()
  const [status, setStatus] = useState<AttendanceStatus>('all')
  const [saving, setSaving] = useState<number | null>(null)
  const [error, setError] = useState<{ personId: number; text: string } | null>(null)
  const { data, reload, load, value } = usePageData(
    () => getAttendance(villageId, meetingId, status, { handled: true }),
    {
      deps: [status],
    },
  )

  // Refreshed quietly while the page shows: no spinner, and a failed refresh (a weak signal at the venue)
  // keeps the list as it was. Through the page's loads, so the latest started (a refresh, a tap) wins.
  const chosen = useRef(status)
  chosen.current = status
  const shown = useRef(value)
  shown.current = value
  const timer = useRef<ReturnType<typeof setInterval> | null>(null)
  const stop = () => {
    if (timer.current) clearInterval(timer.current)
    timer.current = null
  }
  const refresh = () =>
    void load(async () => {
      try {
        return await getAttendance(villageId, meetingId, chosen.current, { handled: true, loading: false })
      } catch (e) {
        if (shown.current) return shown.current
        throw e
      }
    })
  useDidShow(() => {
    stop()
    timer.current = setInterval(refresh, REFRESH_MS)
  })
  useDidHide(stop)
  useEffect(() => stop, [])

  async function checkIn(person: AttendancePerson) {
    setSaving(person.personId)
    setError(null)
    try {
      await checkInPerson(villageId, meetingId, person.personId, ['ALREADY_CONFIRMED', 'NOT_ON_ROLL', 'MEETING_STATE'])
      void Taro.showToast({ title: `${person.name}已登记到会`, icon: 'none', duration: 2000 })
    } catch (e) {
      setError({
        personId: person.personId,
        text: e instanceof ApiError && e.code === 'ALREADY_CONFIRMED' ? `${person.name}已经签过到了。` : errorText(e),
      })
    } finally {
      setSaving(null)
    }
    await reload()
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />
  const a: Attendance = data.value
  const live = meetingIsLive(a.state)
  const question = new Map(a.votes.map((v) => [v.id, v.question]))
  const choices = [
    { value: 'all' as const, label: `全部 ${a.called}` },
    { value: 'arrived' as const, label: `已到 ${a.arrived}` },
    { value: 'absent' as const, label: `未到 ${a.called - a.arrived}` },
  ]

  return (
    <Page className='attendance'>
      <View className='lr-heading attendance__title'>{a.title}</View>
      <Card className='attendance__totals'>
        <View className='attendance__counts'>
          <View className='attendance__count'>
            <View className='attendance__number attendance__on-roll'>{a.onRoll}</View>
            <View className='lr-muted'>应到（人）</View>
          </View>
          <View className='attendance__count'>
            <View className='attendance__number attendance__present'>{a.present}</View>
            <View className='lr-muted'>实到（人）</View>
          </View>
        </View>
        <View className={`attendance__quorum ${a.quorumMet ? 'attendance__quorum--met' : ''}`}>
          {a.kind === 'deliberation' ? '不需要达到法定人数' : a.quorumMet ? '已达到法定人数' : '还没达到法定人数'}
        </View>
        {a.kind === 'deliberation' ? null : <View className='lr-muted'>要求：{a.quorumRule}。</View>}
        {live ? <View className='lr-muted attendance__refresh'>每 15 秒自动更新。</View> : null}
      </Card>

      <Card className='attendance__sheet'>
        <View className='lr-muted'>没有手机的村民，打印签到表带到会场，请他们签字或按手印；已经签到的人打了勾。</View>
        <View className='lr-actions'>
          <WideButton
            fill='outline'
            className='attendance__print'
            onClick={() => downloadSignInSheet(villageId, a).catch(() => undefined)}
          >
            打印签到表（PDF）
          </WideButton>
        </View>
      </Card>

      <Choices choices={choices} value={status} onChange={setStatus} className='attendance__filter' />
      {a.votes.some((v) => v.state === 'open') ? (
        <View className='lr-muted attendance__votes-note'>正在进行的表决，结束以后这里才显示谁在手机上投了票。</View>
      ) : null}

      <Card className='attendance__list'>
        {a.people.length === 0 ? (
          <View className='lr-muted attendance__empty'>
            {status === 'arrived' ? '还没有人到。' : status === 'absent' ? '名单上的人都到了。' : '名单上没有人。'}
          </View>
        ) : null}
        {a.people.map((p) => (
          <View key={p.personId} className='attendance__person'>
            <View className='attendance__info'>
              <View className='lr-row'>
                <View className='attendance__name'>{p.name}</View>
                {p.arrival ? (
                  <View className='lr-badge lr-badge--green attendance__arrived'>已到</View>
                ) : (
                  <View className='lr-badge lr-badge--grey attendance__absent'>未到</View>
                )}
                {p.representative && a.kind !== 'representative_meeting' ? (
                  <View className='lr-badge lr-badge--blue'>代表</View>
                ) : null}
                {p.votedOnline.length ? (
                  <View className='lr-badge lr-badge--blue attendance__voted'>手机投票</View>
                ) : null}
              </View>
              <View className='lr-muted attendance__household'>
                户号 {p.householdNumber} · {p.address}
              </View>
              {p.arrival ? (
                <View className='lr-text attendance__how'>{arrivalText(p.arrival, words.committee)}</View>
              ) : null}
              {p.votedOnline.length ? (
                <View className='lr-muted attendance__voted-in'>
                  在手机上投了：{p.votedOnline.map((id) => question.get(id) ?? '').join('；')}
                </View>
              ) : null}
              {p.resident ? null : (
                <View className='lr-muted attendance__left'>发通知以后已不在本{words.place}，不能签到。</View>
              )}
            </View>
            {live && !p.arrival && p.resident ? (
              <Button
                size='large'
                fill='outline'
                loading={saving === p.personId}
                className='attendance__check-in'
                onClick={() => checkIn(p)}
              >
                登记到会
              </Button>
            ) : null}
            {error?.personId === p.personId ? <View className='lr-error attendance__error'>{error.text}</View> : null}
          </View>
        ))}
      </Card>
    </Page>
  )
}
