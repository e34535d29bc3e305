import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import { users } from './tables.js'

/** Whether a user id still has an account (not deleted): one prepared primary-key read. */
export function liveUsers(db: Db): (userId: number) => Promise<boolean> {
  const query = db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, sql.placeholder('userId')), isNull(users.deletedAt)))
    .prepare()
  return async (userId) => (await query.execute({ userId })).length === 1
}
