import type { Application, RejectBody } from '@liren/shared/contracts'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { decidePendingApplication, toApplication } from './memberships.js'
import { decisionNotice, notify } from './notifications.js'
import { findVillage } from './village-access.js'

/** A committee member turns an application down, with a reason the applicant will read. */
export async function rejectApplication(
  db: Db,
  secrets: Secrets,
  actor: Actor,
  villageId: number,
  membershipId: number,
  body: RejectBody,
  now = new Date(),
): Promise<Application> {
  const reason = body.reason.trim()
  return transaction(db, async (tx) => {
    const row = await decidePendingApplication(tx, villageId, membershipId, {
      status: 'rejected',
      rejectReason: reason,
      decidedAt: now,
      decidedBy: actor.userId,
    })
    await notify(tx, [decisionNotice(await findVillage(tx, villageId), row)])
    await audit(tx, actor, {
      villageId,
      action: 'membership.rejected',
      entity: 'membership',
      entityId: membershipId,
      data: { reason },
    })
    return toApplication(row, secrets)
  })
}
