import { ErrorCode, type ConfirmHoursBody, type Signup } from '@liren/shared/contracts'
import { and, eq, inArray } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { villageRow } from '../../../core/village-rows.js'
import { affectedRows, transaction, type Db } from '../../../core/db.js'
import { AppError } from '../../../core/errors.js'
import { award } from '../awards/award.js'
import { activityNotFound, loadSignup, notSignedUp, refuseCancelled } from './activity-view.js'
import { activities, activitySignups } from '../tables.js'
import { pointsForMinutes } from '@liren/shared/rules'

/**
 * The organiser confirms a participant's service minutes and the points are awarded by the
 * activity's rule (its caps apply), once: the sign-up moves to `confirmed` by a conditional update
 * and the award's key is unique per activity and person. A refused award writes nothing.
 */
export async function confirmHours(
  db: Db,
  actor: Actor,
  villageId: number,
  activityId: number,
  body: ConfirmHoursBody,
): Promise<Signup> {
  const { personId, minutes } = body
  return transaction(db, async (tx) => {
    // A locking read: confirmations of one activity go one at a time, and this transaction's snapshot
    // (taken at its first plain read) comes after a lost race, so the refusal names what the winner did.
    const activity = await villageRow(tx, activities, villageId, activityId, { lock: true })
    if (!activity) throw activityNotFound()
    refuseCancelled(activity)
    const signup = and(eq(activitySignups.activityId, activityId), eq(activitySignups.personId, personId))
    const confirmed = await tx
      .update(activitySignups)
      .set({ status: 'confirmed', confirmedMinutes: minutes })
      .where(and(signup, inArray(activitySignups.status, ['checked_in', 'checked_out'])))
    if (affectedRows(confirmed) !== 1) {
      const [current] = await tx.select({ status: activitySignups.status }).from(activitySignups).where(signup)
      if (current?.status === 'confirmed')
        throw new AppError(409, ErrorCode.ALREADY_CONFIRMED, '这个人的服务时长已经确认过了', [
          { field: 'personId', message: '已经确认过了' },
        ])
      if (current?.status === 'signed_up') throw notSignedUp('这个人还没有签到，请先为他签到再确认时长', 'personId')
      throw notSignedUp('这个人没有报名这个活动', 'personId')
    }
    const points = pointsForMinutes(activity, minutes)
    // Too short to earn a whole point: the minutes still count as service hours.
    const entryId =
      points > 0
        ? await award(tx, {
            villageId,
            personId,
            ruleCode: activity.ruleCode,
            points,
            reason: `志愿服务：${activity.title}（${minutes} 分钟）`,
            ref: { type: 'activity', id: activityId },
            key: `activity:${activityId}:person:${personId}`,
            createdBy: actor.userId,
          })
        : null
    if (entryId !== null) await tx.update(activitySignups).set({ entryId }).where(signup)
    await audit(tx, actor, {
      villageId,
      action: 'activity.hours_confirmed',
      entity: 'activity',
      entityId: activityId,
      data: { personId, minutes, points, entryId },
    })
    return loadSignup(tx, activityId, personId)
  })
}
