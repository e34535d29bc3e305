import type { Activity } from '@liren/shared/contracts'
import { ACTIVITY_STATUS_LABEL, activityPointsText, activityWhen } from '../lib/activity'
import { Fact, Facts } from './Facts'

/** An activity's status, time, place, points and places, as members and the committee both see them. */
export function ActivityFacts({ activity }: { activity: Activity }) {
  return (
    <Facts>
      <Fact label='状态'>{ACTIVITY_STATUS_LABEL[activity.status]}</Fact>
      <Fact label='时间'>{activityWhen(activity)}</Fact>
      <Fact label='地点'>{activity.place}</Fact>
      <Fact label='积分'>{activityPointsText(activity)}</Fact>
      <Fact label='人数'>
        已报名 {activity.signedUp} 人，最多 {activity.capacity} 人
      </Fact>
    </Facts>
  )
}
