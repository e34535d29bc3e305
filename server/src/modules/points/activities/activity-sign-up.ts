import { ErrorCode, type Activity } from '@liren/shared/contracts'
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { affectedRows, isDuplicateKey, transaction, type Db } from '../../../core/db.js'
import { conflict } from '../../../core/errors.js'
import { requireResident, type VillageMember } from '../../identity/index.js'
import { actingFor, activityFor, findActivity, refuseCancelled } from './activity-view.js'
import { activities, activitySignups } from '../tables.js'

const alreadySignedUp = () => conflict(ErrorCode.ALREADY_SIGNED_UP, '您已经报名了这个活动')
export const activityStarted = (what: string) => conflict(ErrorCode.ACTIVITY_STARTED, `活动已经开始，不能再${what}`)

/**
 * A member signs up before the start. The place is taken first by a conditional update of the
 * activity's count (never above capacity, however many sign up at once), then the sign-up row is
 * written: the unique key refuses a second one, a cancelled one is revived. `organiser`: the committee
 * signs up a villager without a phone, who must be on the roll.
 */
export async function signUp(
  db: Db,
  actor: Actor,
  member: VillageMember,
  activityId: number,
  forPersonId?: number,
): Promise<Activity> {
  const { villageId } = member
  const { organiser, personId } = actingFor(member, forPersonId, '只有村（居）委会可以替别人报名')
  // The villager signed up by the organiser must be a resident on the roll.
  if (organiser) await requireResident(db, villageId, personId)
  try {
    return await transaction(db, async (tx) => {
      const now = new Date()
      const activity = await findActivity(tx, villageId, activityId)
      refuseCancelled(activity)
      if (activity.startsAt <= now) throw activityStarted('报名')
      const [existing] = await tx
        .select({ id: activitySignups.id, status: activitySignups.status })
        .from(activitySignups)
        .where(and(eq(activitySignups.activityId, activityId), eq(activitySignups.personId, personId)))
      if (existing && existing.status !== 'cancelled') throw alreadySignedUp()

      // The activity row first: its lock orders parallel sign-ups before any child row is written.
      const taken = await tx
        .update(activities)
        .set({ signedUp: sql`${activities.signedUp} + 1` })
        .where(
          and(
            eq(activities.id, activityId),
            lt(activities.signedUp, activities.capacity),
            gt(activities.startsAt, now),
            isNull(activities.cancelledAt),
          ),
        )
      if (affectedRows(taken) !== 1) throw conflict(ErrorCode.ACTIVITY_FULL, '活动人数已满')

      if (existing) {
        const revived = await tx
          .update(activitySignups)
          .set({ status: 'signed_up', checkedInAt: null, checkedOutAt: null, confirmedMinutes: null, entryId: null })
          .where(and(eq(activitySignups.id, existing.id), eq(activitySignups.status, 'cancelled')))
        if (affectedRows(revived) !== 1) throw alreadySignedUp()
      } else {
        await tx.insert(activitySignups).values({ activityId, personId })
      }
      await audit(tx, actor, {
        villageId,
        action: 'activity.signed_up',
        entity: 'activity',
        entityId: activityId,
        data: { personId },
      })
      return activityFor(tx, villageId, activityId, personId)
    })
  } catch (err) {
    // The same person twice at once: the second insert waited for the first and hit the unique key.
    if (isDuplicateKey(err, 'activity_signups_person_uq')) throw alreadySignedUp()
    throw err
  }
}
