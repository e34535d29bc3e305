import type { Me } from '@liren/shared/contracts'
import { eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { ErrorCode } from '@liren/shared/contracts'
import { findMemberships } from './memberships.js'
import { memberships, users } from './tables.js'

export async function getMe(db: Executor, userId: number): Promise<Me> {
  const [user] = await db.select({ currentVillageId: users.currentVillageId }).from(users).where(eq(users.id, userId))
  // A token for a user that no longer exists is no login at all.
  if (!user) throw new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')
  return { userId, currentVillageId: user.currentVillageId, memberships: await findMemberships(db, eq(memberships.userId, userId)) }
}
