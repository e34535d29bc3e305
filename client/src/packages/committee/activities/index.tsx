import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Activity } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { ACTIVITY_STATUS_LABEL, activityPointsText, activityWhen } from '../../../lib/activity'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { listActivities } from '../../../services/points'
import { pointsAdminPaths } from '../paths'

type Data = { state: 'loading' } | { state: 'failed'; message?: string } | { state: 'ready'; activities: Activity[] }

export default function ActivitiesAdmin() {
  const { villageId } = useVillageMembership()
  const [data, setData] = useState<Data>({ state: 'loading' })

  async function load() {
    try {
      setData({ state: 'ready', activities: await listActivities(villageId, true) })
    } catch (error) {
      setData({ state: 'failed', message: error instanceof ApiError && error.status !== 0 ? error.message : undefined })
    }
  }

  useDidShow(() => void load())

  if (data.state !== 'ready') return <NotReady data={data} onRetry={load} />

  return (
    <Page className='activities-admin'>
      <Button
        type='primary'
        size='large'
        block
        className='lr-block-button activities-admin__new'
        onClick={() => Taro.navigateTo({ url: pointsAdminPaths.newActivity(villageId) })}
      >
        发布志愿活动
      </Button>
      <Card title='全部活动' className='activities-admin__list'>
        {data.activities.length === 0 ? <View className='lr-muted'>还没有发布过活动。</View> : null}
        {data.activities.map((activity) => (
          <View
            key={activity.id}
            className='lr-list-item activities-admin__item'
            onClick={() => Taro.navigateTo({ url: pointsAdminPaths.activity(villageId, activity.id) })}
          >
            <View className='lr-row'>
              <View className='lr-list-item__title'>{activity.title}</View>
              <View
                className={`lr-badge ${activity.status === 'upcoming' || activity.status === 'ongoing' ? 'lr-badge--blue' : 'lr-badge--grey'}`}
              >
                {ACTIVITY_STATUS_LABEL[activity.status]}
              </View>
            </View>
            <View className='lr-text'>{activityWhen(activity)}</View>
            <View className='lr-muted'>
              {activity.place} · {activityPointsText(activity)} · 已报名 {activity.signedUp}/{activity.capacity} 人
            </View>
            <View className='lr-list-item__arrow'>›</View>
          </View>
        ))}
      </Card>
    </Page>
  )
}
