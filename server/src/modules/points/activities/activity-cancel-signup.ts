import type { Activity } from '@liren/shared/contracts'
import { and, eq, gt, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { affectedRows, transaction, type Db } from '../../../core/db.js'
import { activityStarted } from './activity-sign-up.js'
import { activityFor, findActivity, notSignedUp, refuseCancelled } from './activity-view.js'
import { activities, activitySignups } from '../tables.js'

/** A member withdraws before the start, freeing the place for someone else. */
export async function cancelSignup(
  db: Db,
  actor: Actor,
  villageId: number,
  activityId: number,
  personId: number,
): Promise<Activity> {
  return transaction(db, async (tx) => {
    const now = new Date()
    const activity = await findActivity(tx, villageId, activityId)
    refuseCancelled(activity)
    if (activity.startsAt <= now) throw activityStarted('取消报名')
    // Same lock order as signing up (activity, then sign-up); a refusal below rolls the count back.
    const freed = await tx
      .update(activities)
      .set({ signedUp: sql`${activities.signedUp} - 1` })
      .where(and(eq(activities.id, activityId), gt(activities.signedUp, 0), gt(activities.startsAt, now)))
    if (affectedRows(freed) !== 1) throw notSignedUp('您没有报名这个活动')
    const cancelled = await tx
      .update(activitySignups)
      .set({ status: 'cancelled' })
      .where(
        and(
          eq(activitySignups.activityId, activityId),
          eq(activitySignups.personId, personId),
          eq(activitySignups.status, 'signed_up'),
        ),
      )
    if (affectedRows(cancelled) !== 1) throw notSignedUp('您没有报名这个活动')
    await audit(tx, actor, {
      villageId,
      action: 'activity.signup_cancelled',
      entity: 'activity',
      entityId: activityId,
      data: { personId },
    })
    return activityFor(tx, villageId, activityId, personId)
  })
}
