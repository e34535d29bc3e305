import { Image, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { ActivityCode, Signup } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { ActivityFacts } from '../../../components/ActivityFacts'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { minutesBetween, pointsForMinutes } from '../../../lib/activity'
import { formatDateTime, shanghaiNow } from '../../../lib/format'
import { useTextWithError } from '../../../lib/form-text'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import type { Person } from '@liren/shared/contracts'
import { SIGNUP_STATUS_LABEL } from '@liren/shared/rules'
import {
  checkIn,
  checkOut,
  confirmHours,
  getActivity,
  getActivityCode,
  listSignups,
  signUpFor,
} from '../../../services/points'
import { PersonPicker } from '../../../components/PersonPicker'
import './index.css'

const STATUS_BADGE: Record<Signup['status'], string> = {
  signed_up: 'lr-badge--blue',
  cancelled: 'lr-badge--grey',
  checked_in: 'lr-badge--green',
  checked_out: 'lr-badge--green',
  confirmed: 'lr-badge--red',
}

/** What the committee can do for someone without a phone now: check them in (signed up) or out (checked in). */
function attendance(signup: Signup): 'in' | 'out' | null {
  if (signup.status === 'signed_up') return 'in'
  return signup.status === 'checked_in' ? 'out' : null
}

/** What to fill in for the minutes: from check-in to check-out (or to now, when still there). */
function suggestedMinutes(signup: Signup): number {
  return minutesBetween(signup.checkedInAt, signup.checkedOutAt ?? shanghaiNow().toISOString()) ?? 60
}

export default function ActivityAdmin() {
  const { villageId } = useVillageMembership()
  const activityId = Number(useRouter().params.activityId)
  const { data, reload } = usePageData(async () => {
    const [activity, signups] = await Promise.all([
      getActivity(villageId, activityId, true),
      listSignups(villageId, activityId, true),
    ])
    return { activity, signups }
  })
  const [code, setCode] = useState<ActivityCode | null>(null)
  const [confirming, setConfirming] = useState<Signup | null>(null)
  const minutes = useTextWithError()
  const [villager, setVillager] = useState<Person | null>(null)

  /** For villagers without a phone: the committee signs them up, then checks them in and out here. */
  async function signUpVillager() {
    if (!villager) return
    try {
      await signUpFor(villageId, activityId, villager.id)
      setVillager(null)
      void Taro.showToast({ title: `已替${villager.name}报名`, icon: 'none' })
      await reload()
    } catch {
      // http.ts has shown why.
    }
  }

  async function showCode() {
    try {
      setCode(await getActivityCode(villageId, activityId))
    } catch {
      // http.ts has shown why.
    }
  }

  async function attend(signup: Signup, step: 'in' | 'out') {
    try {
      await (step === 'in' ? checkIn : checkOut)(villageId, activityId, { personId: signup.personId })
      void Taro.showToast({
        title: `${signup.name}${step === 'in' ? '已签到' : '已签退'}`,
        icon: 'none',
        duration: 2000,
      })
    } catch {
      // http.ts has shown why.
    }
    await reload()
  }

  function startConfirm(signup: Signup) {
    setConfirming(signup)
    minutes.change(String(suggestedMinutes(signup)))
  }

  async function confirm() {
    if (!confirming) return
    const n = Number(minutes.value)
    if (!Number.isInteger(n) || n < 1 || n > 24 * 60) {
      minutes.setError('请填 1 到 1440 的整数（分钟）')
      // Keeps the dialog open.
      throw new Error('invalid minutes')
    }
    const signup = confirming
    setConfirming(null)
    try {
      const done = await confirmHours(villageId, activityId, signup.personId, n)
      void Taro.showToast({ title: `已确认，${signup.name}得 ${done.points ?? 0} 分`, icon: 'none', duration: 2500 })
    } catch {
      // http.ts has shown why (already confirmed, cap reached…).
    }
    await reload()
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const { activity, signups } = data.value
  const present = signups.filter((s) => s.status !== 'cancelled')
  const minutesNumber = Number(minutes.value)
  return (
    <Page className='activity-admin'>
      <View className='lr-heading'>{activity.title}</View>
      <Card className='activity-admin__facts'>
        <ActivityFacts activity={activity} />
      </Card>

      <Card title='签到码' className='activity-admin__code'>
        {code === null ? (
          <>
            <View className='lr-muted'>活动开始时出示给志愿者扫码签到、结束时扫码签退。</View>
            <View className='lr-actions'>
              <Button type='primary' size='large' block className='activity-admin__show-code' onClick={showCode}>
                出示签到码
              </Button>
            </View>
          </>
        ) : (
          <CodeView code={code} />
        )}
      </Card>

      <Card title={`报名的人（${present.length}）`} className='activity-admin__signups'>
        <View className='lr-muted activity-admin__signups-intro'>
          没带手机的，可以在这里替他报名、签到、签退。结束后确认每个人的服务时长，积分就记上了。
        </View>
        <PersonPicker
          villageId={villageId}
          value={villager}
          onChange={setVillager}
          className='activity-admin__villager'
        />
        {villager ? (
          <View className='lr-actions'>
            <Button size='large' block fill='outline' onClick={signUpVillager}>
              替{villager.name}报名
            </Button>
          </View>
        ) : null}
        {present.length === 0 ? <View className='lr-muted'>还没有人报名。</View> : null}
        {present.map((signup) => {
          const step = attendance(signup)
          return (
            <View key={signup.personId} className='activity-admin__signup'>
              <View className='lr-row'>
                <View className='activity-admin__name'>{signup.name}</View>
                <View className={`lr-badge ${STATUS_BADGE[signup.status]}`}>{SIGNUP_STATUS_LABEL[signup.status]}</View>
              </View>
              {signup.checkedInAt ? <View className='lr-muted'>签到：{formatDateTime(signup.checkedInAt)}</View> : null}
              {signup.checkedOutAt ? (
                <View className='lr-muted'>签退：{formatDateTime(signup.checkedOutAt)}</View>
              ) : null}
              {signup.status === 'confirmed' ? (
                <View className='lr-text activity-admin__confirmed'>
                  服务 {signup.confirmedMinutes} 分钟，得 {signup.points ?? 0} 分
                </View>
              ) : null}
              <View className='lr-actions activity-admin__buttons'>
                {step ? (
                  <Button
                    size='large'
                    fill='outline'
                    className={`activity-admin__check-${step}`}
                    onClick={() => attend(signup, step)}
                  >
                    {step === 'in' ? '替他签到' : '替他签退'}
                  </Button>
                ) : null}
                {signup.status === 'checked_in' || signup.status === 'checked_out' ? (
                  <Button
                    type='primary'
                    size='large'
                    className='activity-admin__confirm'
                    onClick={() => startConfirm(signup)}
                  >
                    确认时长
                  </Button>
                ) : null}
              </View>
            </View>
          )
        })}
      </Card>

      <ConfirmDialog
        className='activity-admin__dialog'
        subject={confirming}
        title='确认服务时长'
        confirmText='确认并记分'
        onConfirm={confirm}
        onDismiss={() => setConfirming(null)}
      >
        {(signup) => (
          <View className='activity-admin__minutes'>
            <View className='lr-text'>{signup.name} 服务了多少分钟？</View>
            <View className='lr-muted'>
              按签到、签退的时间算是 {suggestedMinutes(signup)} 分钟，可以改。确认后不能再改。
            </View>
            <Input
              className='lr-input activity-admin__minutes-input'
              type='number'
              value={minutes.value}
              maxLength={4}
              onChange={minutes.change}
            />
            {Number.isInteger(minutesNumber) && minutesNumber > 0 ? (
              <View className='lr-text activity-admin__preview'>
                将得 {pointsForMinutes(activity, minutesNumber)} 分
              </View>
            ) : null}
            {minutes.error ? <View className='lr-error'>{minutes.error}</View> : null}
          </View>
        )}
      </ConfirmDialog>
    </Page>
  )
}

/**
 * The code to show at the venue (or print on a poster: it stays the same for the whole activity). In
 * the mini-program, WeChat's mini-program code when the server got one, which WeChat's own scanner
 * also opens; otherwise, and in H5, a plain QR of the sign-in code. The code can also be copied and
 * sent to the volunteers' group, to be pasted.
 */
function CodeView({ code }: { code: ActivityCode }) {
  const image = process.env.TARO_ENV === 'weapp' && code.wxacode ? code.wxacode : code.qr
  return (
    <View className='activity-admin__qr'>
      <Image className='activity-admin__qr-image' src={image} mode='scaleToFill' />
      <View className='lr-muted'>
        请志愿者打开这个活动，点“扫码签到”或“扫码签退”，扫这个码。也可以点下面的按钮复制签到码，发到志愿者群里，让志愿者粘贴。
      </View>
      <View className='lr-actions'>
        <Button
          size='large'
          block
          fill='outline'
          className='activity-admin__copy'
          onClick={() => Taro.setClipboardData({ data: code.token }).catch(() => undefined)}
        >
          复制签到码
        </Button>
      </View>
    </View>
  )
}
