import { ErrorCode, type Application, type VerifyBody } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { notFound } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { decidePendingApplication, toApplication } from './memberships.js'
import { decisionNotice, notify } from './notifications.js'
import { findVillage } from './village-access.js'
import { linkMembershipToPerson } from './link-person.js'
import { households, membershipRoles, memberships } from './tables.js'

/**
 * A committee member verifies an application: the applicant becomes a resident of the village and,
 * when the committee picked their roster person, is linked to that person (and their household).
 */
export async function verifyApplication(
  db: Db,
  secrets: Secrets,
  actor: Actor,
  villageId: number,
  membershipId: number,
  body: VerifyBody,
  now = new Date(),
): Promise<Application> {
  return transaction(db, async (tx) => {
    if (body.householdId !== undefined) {
      const [household] = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.id, body.householdId), eq(households.villageId, villageId)))
      if (!household) throw notFound(ErrorCode.HOUSEHOLD_NOT_FOUND, '这个村（社区）没有这一户', 'householdId')
    }
    let row = await decidePendingApplication(tx, villageId, membershipId, {
      status: 'verified',
      decidedAt: now,
      decidedBy: actor.userId,
      ...(body.householdId !== undefined ? { householdId: body.householdId } : {}),
    })
    if (body.personId !== undefined) {
      await linkMembershipToPerson(tx, villageId, membershipId, body.personId)
      ;[row] = (await tx.select().from(memberships).where(eq(memberships.id, membershipId))) as [typeof row]
    }
    await notify(tx, [decisionNotice(await findVillage(tx, villageId), row)])
    await tx.insert(membershipRoles).ignore().values({ membershipId, role: 'resident' })
    await audit(tx, actor, {
      villageId,
      action: 'membership.verified',
      entity: 'membership',
      entityId: membershipId,
      data: { householdId: row.householdId, personId: row.personId },
    })
    return toApplication(row, secrets)
  })
}
