import { View } from '@tarojs/components'
import type { Activity } from '@liren/shared/contracts'
import { placeWords, SIGNUP_STATUS_LABEL } from '@liren/shared/rules'
import { ActivityRowLines, ActivityStatusBadge } from '../../../components/ActivityListParts'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
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
            <ListLink
              key={activity.id}
              className={`activities__item activities__item--${activity.status}`}
              title={activity.title}
              url={pointsPaths.activity(villageId, activity.id)}
              badges={
                <>
                  <ActivityStatusBadge activity={activity} />
                  {activity.mySignup && activity.mySignup !== 'cancelled' ? (
                    <View className='lr-badge lr-badge--green'>{SIGNUP_STATUS_LABEL[activity.mySignup]}</View>
                  ) : null}
                </>
              }
            >
              <ActivityRowLines activity={activity} />
            </ListLink>
          ))}
        </Card>
      ) : null}
    </Page>
  )
}
