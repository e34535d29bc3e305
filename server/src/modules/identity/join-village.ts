import { ErrorCode, type JoinBody, type Membership } from '@liren/shared/contracts'
import { birthYearProblem } from '@liren/shared/rules'
import { and, eq, isNull } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, type Db } from '../../core/db.js'
import { conflict, invalid } from '../../core/errors.js'
import { findMemberships } from './memberships.js'
import { memberships, users } from './tables.js'
import { findVillage } from './village-access.js'

/**
 * A signed-in user applies to join a village. A rejected applicant may apply again
 * (the same row goes back to pending with the new details); pending or verified members may not.
 */
export async function joinVillage(db: Db, actor: Actor, villageId: number, body: JoinBody, now = new Date()): Promise<Membership> {
  const realName = body.realName.trim()
  const householdAddress = body.householdAddress.trim()
  const problem = birthYearProblem(body.birthYear, now.getFullYear())
  if (problem) throw invalid('birthYear', problem)

  try {
    const membershipId = await db.transaction(async (tx) => {
      await findVillage(tx, villageId)
      const [existing] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, actor.userId), eq(memberships.villageId, villageId)))
        .for('update')
      let id: number
      if (existing?.status === 'verified') throw conflict(ErrorCode.ALREADY_MEMBER, '您已经是这里的认证成员了')
      if (existing?.status === 'pending') throw conflict(ErrorCode.ALREADY_APPLIED, '您已经申请过了，请等待审核')
      if (existing) {
        id = existing.id
        await tx
          .update(memberships)
          .set({ realName, householdAddress, birthYear: body.birthYear, status: 'pending', rejectReason: null, decidedAt: null, decidedBy: null, appliedAt: now })
          .where(eq(memberships.id, id))
      } else {
        ;[{ id }] = (await tx
          .insert(memberships)
          .values({ userId: actor.userId, villageId, realName, householdAddress, birthYear: body.birthYear, appliedAt: now })
          .$returningId()) as [{ id: number }]
      }
      // The first village a user applies to becomes the one the app shows.
      await tx.update(users).set({ currentVillageId: villageId }).where(and(eq(users.id, actor.userId), isNull(users.currentVillageId)))
      await audit(tx, actor, {
        villageId,
        action: existing ? 'membership.reapplied' : 'membership.applied',
        entity: 'membership',
        entityId: id,
        data: { birthYear: body.birthYear },
      })
      return id
    })
    const [membership] = await findMemberships(db, eq(memberships.id, membershipId))
    return membership!
  } catch (err) {
    // Two parallel applications: the unique (user, village) key lets exactly one in.
    if (isDuplicateKey(err, 'memberships_user_village_uq')) throw conflict(ErrorCode.ALREADY_APPLIED, '您已经申请过了，请等待审核')
    throw err
  }
}
