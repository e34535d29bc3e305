import { ErrorCode, type Application, type VerifyBody } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { notFound } from '../../core/errors.js'
import { decidePendingApplication, toApplication } from './memberships.js'
import { households, membershipRoles } from './tables.js'

/** A committee member verifies an application: the applicant becomes a resident of the village. */
export async function verifyApplication(db: Db, actor: Actor, villageId: number, membershipId: number, body: VerifyBody, now = new Date()): Promise<Application> {
  return transaction(db, async (tx) => {
    if (body.householdId !== undefined) {
      const [household] = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.id, body.householdId), eq(households.villageId, villageId)))
      if (!household) throw notFound(ErrorCode.HOUSEHOLD_NOT_FOUND, '这个村（社区）没有这一户', 'householdId')
    }
    const row = await decidePendingApplication(tx, villageId, membershipId, {
      status: 'verified',
      decidedAt: now,
      decidedBy: actor.userId,
      ...(body.householdId !== undefined ? { householdId: body.householdId } : {}),
    })
    await tx.insert(membershipRoles).ignore().values({ membershipId, role: 'resident' })
    await audit(tx, actor, {
      villageId,
      action: 'membership.verified',
      entity: 'membership',
      entityId: membershipId,
      data: { householdId: row.householdId },
    })
    return toApplication(row)
  })
}
