import type { Signup } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { affectedRows, transaction, type Db } from '../../../core/db.js'
import type { VillageMember } from '../../identity/index.js'
import { actingFor, findActivity, loadSignup, notSignedUp, refuseCancelled } from './activity-view.js'
import { activitySignups } from '../tables.js'

export type AttendanceStep = 'check_in' | 'check_out'

/**
 * Checks a signed-up person in, or a checked-in person out, by a conditional update on the sign-up's
 * status: each happens once, and a repeated scan keeps the first time and answers with the sign-up
 * as it is. `forPersonId`: done by the committee for a villager without a phone.
 */
export async function recordAttendance(
  db: Db,
  actor: Actor,
  member: VillageMember,
  activityId: number,
  step: AttendanceStep,
  forPersonId?: number,
): Promise<Signup> {
  const { villageId } = member
  const { organiser, personId } = actingFor(member, forPersonId, '只有村（居）委会可以替别人签到签退')
  const field = organiser ? 'personId' : undefined
  const who = organiser ? '这个人' : '您'
  return transaction(db, async (tx) => {
    const now = new Date()
    const signup = and(eq(activitySignups.activityId, activityId), eq(activitySignups.personId, personId))
    // The update comes before any plain read: the transaction's snapshot is taken at its first plain
    // read, so reads after a lost race see the winner's change. A refusal below rolls it back.
    const done =
      step === 'check_in'
        ? await tx
            .update(activitySignups)
            .set({ status: 'checked_in', checkedInAt: now })
            .where(and(signup, eq(activitySignups.status, 'signed_up')))
        : await tx
            .update(activitySignups)
            .set({ status: 'checked_out', checkedOutAt: now })
            .where(and(signup, eq(activitySignups.status, 'checked_in')))
    refuseCancelled(await findActivity(tx, villageId, activityId))
    if (affectedRows(done) === 1) {
      await audit(tx, actor, {
        villageId,
        action: step === 'check_in' ? 'activity.checked_in' : 'activity.checked_out',
        entity: 'activity',
        entityId: activityId,
        data: { personId, organiser },
      })
    } else {
      const [current] = await tx.select({ status: activitySignups.status }).from(activitySignups).where(signup)
      if (!current || current.status === 'cancelled') throw notSignedUp(`${who}没有报名这个活动`, field)
      if (step === 'check_out' && current.status === 'signed_up') throw notSignedUp(`${who}还没有签到，不能签退`, field)
    }
    return loadSignup(tx, activityId, personId)
  })
}
