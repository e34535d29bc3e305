import { View } from '@tarojs/components'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { BlockLinkButton } from '../../../components/WideButtons'
import { ACTIVITY_STATUS_LABEL, activityPointsText, activityWhen } from '../../../lib/activity'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listActivities } from '../../../services/points'
import { pointsAdminPaths } from '../paths'

export default function ActivitiesAdmin() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => listActivities(villageId, true))

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  return (
    <Page className='activities-admin'>
      <BlockLinkButton className='activities-admin__new' url={pointsAdminPaths.newActivity(villageId)}>
        发布志愿活动
      </BlockLinkButton>
      <Card title='全部活动' className='activities-admin__list'>
        {data.value.length === 0 ? <View className='lr-muted'>还没有发布过活动。</View> : null}
        {data.value.map((activity) => (
          <ListLink
            key={activity.id}
            className='activities-admin__item'
            url={pointsAdminPaths.activity(villageId, activity.id)}
            title={activity.title}
            badges={
              <View
                className={`lr-badge ${activity.status === 'upcoming' || activity.status === 'ongoing' ? 'lr-badge--blue' : 'lr-badge--grey'}`}
              >
                {ACTIVITY_STATUS_LABEL[activity.status]}
              </View>
            }
          >
            <View className='lr-text'>{activityWhen(activity)}</View>
            <View className='lr-muted'>
              {activity.place} · {activityPointsText(activity)} · 已报名 {activity.signedUp}/{activity.capacity} 人
            </View>
          </ListLink>
        ))}
      </Card>
    </Page>
  )
}
