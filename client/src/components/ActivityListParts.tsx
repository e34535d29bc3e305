import { View } from '@tarojs/components'
import type { Activity } from '@liren/shared/contracts'
import { ACTIVITY_STATUS_LABEL, activityPointsText, activityWhen } from '../lib/activity'

// An activity as a row of a list of activities, the same for members and the committee.

/** Its status: blue while one can still go, grey after. */
export function ActivityStatusBadge({ activity }: { activity: Pick<Activity, 'status'> }) {
  const live = activity.status === 'upcoming' || activity.status === 'ongoing'
  return (
    <View className={`lr-badge ${live ? 'lr-badge--blue' : 'lr-badge--grey'}`}>
      {ACTIVITY_STATUS_LABEL[activity.status]}
    </View>
  )
}

/** When, then where, for how many points, and how many have signed up of how many it takes. */
export function ActivityRowLines({ activity }: { activity: Activity }) {
  return (
    <>
      <View className='lr-text'>{activityWhen(activity)}</View>
      <View className='lr-muted'>
        {activity.place} · {activityPointsText(activity)} · 已报名 {activity.signedUp}/{activity.capacity} 人
      </View>
    </>
  )
}
