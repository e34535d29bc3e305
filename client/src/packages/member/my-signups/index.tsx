import { View } from '@tarojs/components'
import { SERVICE_KIND_LABEL, SERVICE_STATUS_LABEL, SIGNUP_STATUS_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { activityWhen } from '../../../lib/activity'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listMyServices, listMySignups } from '../../../services/points'
import { pointsPaths } from '../../points/paths'
import { EmptyList } from '../MyList'
import '../my-lists.css'

/** 我的报名: the volunteer activities I signed up for, and the neighbour services I posted or took. */
export default function MySignups() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() =>
    Promise.all([listMySignups(villageId, true), listMyServices(villageId, true)]),
  )
  const [activities, services] = data.state === 'ready' ? data.value : [[], []]
  return (
    <Page className='my-list my-signups'>
      <View className='lr-heading'>我的报名</View>
      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' ? (
        <>
          <Card title='志愿服务活动' className='my-signups__activities'>
            {activities.length === 0 ? (
              <EmptyList
                text='您还没有报名过志愿服务活动。参加活动能为村里出力，还能得积分。'
                action='看看有什么活动'
                actionClassName='my-signups__find-activity'
                url={pointsPaths.activities(villageId)}
              />
            ) : null}
            {activities.map((a) => (
              <ListLink
                key={a.id}
                className='my-list__row my-signups__activity'
                title={a.title}
                url={pointsPaths.activity(villageId, a.id)}
                badges={
                  <View className={`lr-badge ${a.mySignup === 'cancelled' ? 'lr-badge--grey' : 'lr-badge--green'}`}>
                    {a.mySignup ? SIGNUP_STATUS_LABEL[a.mySignup] : ''}
                  </View>
                }
              >
                <View className='lr-muted'>
                  {activityWhen(a)} · {a.place}
                </View>
              </ListLink>
            ))}
          </Card>

          <Card title='服务互换' className='my-signups__services'>
            {services.length === 0 ? (
              <EmptyList
                text='您还没有发布或接下过服务互换。能帮邻居做的事、想请邻居帮的事，都可以发布。'
                action='去服务互换看看'
                actionClassName='my-signups__find-service'
                url={pointsPaths.services(villageId)}
              />
            ) : null}
            {services.map((s) => (
              <ListLink
                key={s.id}
                className='my-list__row my-signups__service'
                title={s.title}
                url={`${pointsPaths.services(villageId)}&filter=mine`}
                badges={<View className='lr-badge lr-badge--grey'>{SERVICE_STATUS_LABEL[s.status]}</View>}
              >
                <View className='lr-text'>
                  {SERVICE_KIND_LABEL[s.kind]} · {s.points} 积分 · {s.mine ? '我发布的' : '我接下的'}
                </View>
                <View className='lr-muted'>{formatDateTime(s.createdAt)}</View>
              </ListLink>
            ))}
          </Card>
        </>
      ) : null}
    </Page>
  )
}
