import type { VillageMember } from '@liren/shared/contracts'
import { and, eq, inArray } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db, type Executor } from '../../core/db.js'
import { invalid } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { lockVillage, memberViews, requireVerifiedMembers } from './places.js'

const { membershipRoles, memberships } = identityTables

const committeeHolders = (tx: Executor, villageId: number) =>
  tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(
      membershipRoles,
      and(eq(membershipRoles.membershipId, memberships.id), eq(membershipRoles.role, 'committee')),
    )
    .where(eq(memberships.villageId, villageId))

/** A town admin replaces who holds the committee role in a village. Returns the committee after the change. */
export async function setCommittee(
  db: Db,
  actor: Actor,
  villageId: number,
  membershipIds: number[],
): Promise<VillageMember[]> {
  // Applications are verified by the committee: a village without one could admit nobody.
  if (membershipIds.length === 0) throw invalid('membershipIds', '村（居）委会至少要有一名成员')
  return transaction(db, async (tx) => {
    await lockVillage(tx, villageId)
    await requireVerifiedMembers(tx, villageId, membershipIds, ['verified', 'pending'])
    // Appointing an applicant verifies them: how a new village, with no committee to verify anyone, gets its first.
    const applicants = (
      await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(inArray(memberships.id, membershipIds), eq(memberships.status, 'pending')))
    ).map((m) => m.id)
    if (applicants.length) {
      await tx
        .update(memberships)
        .set({ status: 'verified', decidedAt: new Date(), decidedBy: actor.userId })
        .where(and(inArray(memberships.id, applicants), eq(memberships.status, 'pending')))
      await tx
        .insert(membershipRoles)
        .ignore()
        .values(applicants.map((membershipId) => ({ membershipId, role: 'resident' as const })))
      for (const membershipId of applicants) {
        await audit(tx, actor, {
          villageId,
          action: 'membership.verified',
          entity: 'membership',
          entityId: membershipId,
          data: { by: 'committee appointment' },
        })
      }
    }
    const current = (await committeeHolders(tx, villageId)).map((r) => r.id)
    const added = membershipIds.filter((id) => !current.includes(id))
    const removed = current.filter((id) => !membershipIds.includes(id))
    if (removed.length)
      await tx
        .delete(membershipRoles)
        .where(and(inArray(membershipRoles.membershipId, removed), eq(membershipRoles.role, 'committee')))
    if (added.length)
      await tx
        .insert(membershipRoles)
        .values(added.map((membershipId) => ({ membershipId, role: 'committee' as const })))
    if (added.length || removed.length) {
      await audit(tx, actor, {
        villageId,
        action: 'committee.set',
        entity: 'village',
        entityId: villageId,
        data: { membershipIds, added, removed },
      })
    }
    return memberViews(tx, villageId, inArray(memberships.id, membershipIds))
  })
}
