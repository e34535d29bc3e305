import { View } from '@tarojs/components'
import { ActivityRowLines, ActivityStatusBadge } from '../../../components/ActivityListParts'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { BlockLinkButton } from '../../../components/WideButtons'
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
            badges={<ActivityStatusBadge activity={activity} />}
          >
            <ActivityRowLines activity={activity} />
          </ListLink>
        ))}
      </Card>
    </Page>
  )
}
