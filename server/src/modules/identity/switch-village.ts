import { ErrorCode, type Me } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { getMe } from './get-me.js'
import { memberships, users } from './tables.js'
import { findVillage } from './village-access.js'

/** Chooses which of the user's villages the app shows (a person may belong to several). */
export async function switchVillage(db: Db, secrets: Secrets, actor: Actor, villageId: number): Promise<Me> {
  await transaction(db, async (tx) => {
    await findVillage(tx, villageId)
    const [m] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, actor.userId), eq(memberships.villageId, villageId)))
    if (!m)
      throw new AppError(403, ErrorCode.NOT_A_MEMBER, '您还没有加入这个村（社区）', [
        { field: 'villageId', message: '还没有加入' },
      ])
    await tx.update(users).set({ currentVillageId: villageId }).where(eq(users.id, actor.userId))
    await audit(tx, actor, { villageId, action: 'user.switched_village', entity: 'user', entityId: actor.userId })
  })
  return getMe(db, secrets, actor.userId)
}
