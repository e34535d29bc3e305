import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { Activity } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { ACTIVITY_STATUS_LABEL, activityPointsText, activityWhen, SIGNUP_STATUS_LABEL } from '../../../lib/activity'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listActivities } from '../../../services/points'
import { pointsPaths } from '../paths'
import './index.css'

const ORDER: Record<Activity['status'], number> = { ongoing: 0, upcoming: 1, ended: 2, cancelled: 3 }

export default function Activities() {
  const { villageId, membership } = useVillageMembership()
  const { data, reload } = usePageData(() => listActivities(villageId, true))

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  // What is on now first, then what is coming (soonest first), then the past (latest first).
  const shown = [...data.value].sort(
    (a, b) =>
      ORDER[a.status] - ORDER[b.status] ||
      (a.status === 'upcoming' ? a.startsAt.localeCompare(b.startsAt) : b.startsAt.localeCompare(a.startsAt)),
  )
  return (
    <Page className='activities'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 志愿活动` : '志愿活动'}</View>
      <View className='lr-muted activities__intro'>
        报名参加，到了现场扫码签到，结束时扫码签退。组织者确认服务时长后，积分自动记到您名下。
      </View>
      {shown.length === 0 ? (
        <Card title='还没有活动'>
          <View className='lr-muted'>
            {placeWords(membership?.villageKind ?? 'rural').committee}发布活动后会显示在这里。
          </View>
        </Card>
      ) : null}
      {shown.length ? (
        <Card>
          {shown.map((activity) => (
            <View
              key={activity.id}
              className={`lr-list-item activities__item activities__item--${activity.status}`}
              onClick={() => Taro.navigateTo({ url: pointsPaths.activity(villageId, activity.id) })}
            >
              <View className='lr-row'>
                <View className='lr-list-item__title'>{activity.title}</View>
                <View
                  className={`lr-badge ${activity.status === 'upcoming' || activity.status === 'ongoing' ? 'lr-badge--blue' : 'lr-badge--grey'}`}
                >
                  {ACTIVITY_STATUS_LABEL[activity.status]}
                </View>
                {activity.mySignup && activity.mySignup !== 'cancelled' ? (
                  <View className='lr-badge lr-badge--green'>{SIGNUP_STATUS_LABEL[activity.mySignup]}</View>
                ) : null}
              </View>
              <View className='lr-text'>{activityWhen(activity)}</View>
              <View className='lr-muted'>
                {activity.place} · {activityPointsText(activity)} · 已报名 {activity.signedUp}/{activity.capacity} 人
              </View>
              <View className='lr-list-item__arrow'>›</View>
            </View>
          ))}
        </Card>
      ) : null}
    </Page>
  )
}
