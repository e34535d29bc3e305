import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Dialog } from '@nutui/nutui-react-taro'
import { useEffect, useRef, useState } from 'react'
import { SIGNUP_STATUS_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ActivityFacts } from '../../../components/ActivityFacts'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { ScanInWechat } from '../../../components/ScanInWechat'
import { WideButton } from '../../../components/WideButtons'
import { usePageData } from '../../../lib/page-hooks'
import { fromScene, scannedToken, VENUE_SCAN } from '../../../lib/venue-code'
import { cancelSignup, checkIn, checkOut, getActivity, signUp } from '../../../services/points'
import './index.css'

type Step = 'check_in' | 'check_out'

const isWeapp = process.env.TARO_ENV === 'weapp'
const STEP_WORD: Record<Step, string> = { check_in: '签到', check_out: '签退' }

export default function ActivityPage() {
  const { params } = useRouter()
  const scanned = fromScene(params.scene)
  const villageId = scanned?.villageId ?? Number(params.villageId)
  const activityId = scanned?.id ?? Number(params.activityId)
  // A code scanned to open the page signs in (or out) once, as soon as the activity is shown.
  const scannedUsed = useRef(false)
  const { data, reload, value } = usePageData(() => getActivity(villageId, activityId, true))
  const [confirmCancel, setConfirmCancel] = useState(false)

  useEffect(() => {
    if (!value || !scanned || scannedUsed.current) return
    scannedUsed.current = true
    if (value.mySignup === 'signed_up') void attend('check_in', scanned.token)
    else if (value.mySignup === 'checked_in') void attend('check_out', scanned.token)
  }, [value])

  /** Runs an action and shows the activity afresh; false when it was refused. */
  async function act(run: () => Promise<unknown>, done: string): Promise<boolean> {
    let ok = false
    try {
      await run()
      ok = true
      void Taro.showToast({ title: done, icon: 'none', duration: 2000 })
    } catch {
      // http.ts has shown why (full, started, not signed up, a wrong code…).
    }
    await reload()
    return ok
  }

  async function attend(step: Step, token: string) {
    if (!token) return
    const send = step === 'check_in' ? checkIn : checkOut
    await act(() => send(villageId, activityId, { token }), `${STEP_WORD[step]}成功`)
  }

  async function scan(step: Step) {
    try {
      const result = await Taro.scanCode(VENUE_SCAN)
      await attend(step, scannedToken(result))
    } catch {
      // The person closed the camera.
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const activity = data.value
  const mine = activity.mySignup
  const signedUp = mine !== null && mine !== 'cancelled'
  const open = activity.status === 'upcoming'
  const live = activity.status === 'upcoming' || activity.status === 'ongoing'
  const full = activity.signedUp >= activity.capacity
  return (
    <Page className='activity'>
      <View className='lr-heading'>{activity.title}</View>
      <Card className='activity__facts'>
        <ActivityFacts activity={activity} />
        <View className='lr-text activity__description'>{activity.description}</View>
      </Card>

      <Card title='我的报名' className='activity__mine'>
        {signedUp ? <View className='activity__my-status'>{SIGNUP_STATUS_LABEL[mine]}</View> : null}
        {!signedUp && open && !full ? <View className='lr-text'>还没有报名。报名后请按时到场。</View> : null}
        {!signedUp && open && full ? <View className='lr-text'>人数已满，不能再报名了。</View> : null}
        {!signedUp && !open ? (
          <View className='lr-text'>
            {activity.status === 'cancelled' ? '活动已取消。' : '活动已经开始，不能再报名了。'}
          </View>
        ) : null}
        {mine === 'signed_up' ? <View className='lr-muted'>到了现场，请扫组织者出示的二维码签到。</View> : null}
        {mine === 'checked_in' ? <View className='lr-muted'>服务结束时，请再扫一次二维码签退。</View> : null}
        {mine === 'checked_out' ? (
          <View className='lr-muted'>辛苦了！组织者确认服务时长后，积分会自动记到您名下。</View>
        ) : null}
        {mine === 'confirmed' ? (
          <View className='lr-muted'>服务时长已确认，积分已经记到您名下，可以在“积分”里查看。</View>
        ) : null}

        <View className='lr-actions activity__buttons'>
          {!signedUp && open && !full ? (
            <WideButton
              type='primary'
              className='activity__signup'
              onClick={() => act(() => signUp(villageId, activityId), '报名成功')}
            >
              我要报名
            </WideButton>
          ) : null}
          {mine === 'signed_up' && live && isWeapp ? (
            <Button type='primary' size='large' className='activity__check-in' onClick={() => scan('check_in')}>
              扫码签到
            </Button>
          ) : null}
          {mine === 'checked_in' && live && isWeapp ? (
            <WideButton type='primary' className='activity__check-out' onClick={() => scan('check_out')}>
              扫码签退
            </WideButton>
          ) : null}
          {mine === 'signed_up' && open ? (
            <Button size='large' fill='outline' className='activity__cancel' onClick={() => setConfirmCancel(true)}>
              取消报名
            </Button>
          ) : null}
        </View>

        {!isWeapp && live && (mine === 'signed_up' || mine === 'checked_in') ? (
          <ScanInWechat action={mine === 'signed_up' ? '扫码签到' : '扫码签退'} className='activity__scan-help' />
        ) : null}
      </Card>

      <Dialog
        visible={confirmCancel}
        title='取消报名'
        content='确定不参加这个活动了吗？'
        confirmText='确定取消'
        cancelText='还要参加'
        onConfirm={async () => {
          setConfirmCancel(false)
          await act(() => cancelSignup(villageId, activityId), '已取消报名')
        }}
        onCancel={() => setConfirmCancel(false)}
        onClose={() => setConfirmCancel(false)}
      />
    </Page>
  )
}
