import type { NameVisibilityBody } from '@liren/shared/contracts'
import { eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { memberships } from './tables.js'

/** A member chooses whether the points ranking shows their full name or a masked one. */
export async function setNameVisibility(
  db: Db,
  actor: Actor,
  villageId: number,
  membershipId: number,
  body: NameVisibilityBody,
): Promise<NameVisibilityBody> {
  await transaction(db, async (tx) => {
    await tx.update(memberships).set({ showFullName: body.showFullName }).where(eq(memberships.id, membershipId))
    await audit(tx, actor, {
      villageId,
      action: 'membership.name_visibility',
      entity: 'membership',
      entityId: membershipId,
      data: { ...body },
    })
  })
  return body
}
