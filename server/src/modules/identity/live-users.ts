import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import { users } from './tables.js'

/** How long a server trusts that a user it has just seen still has an account. */
const TRUST_MS = 5000
const seen = new WeakMap<Db, Map<number, number>>()

/**
 * Whether a user id still has an account (not deleted): one prepared primary-key read, remembered for
 * five seconds, so a busy member costs one read in five seconds rather than one per request. Deleting
 * an account forgets it on the server that deleted it at once (`forgetLiveUser`); another server stops
 * trusting it within the five seconds.
 */
export function liveUsers(db: Db): (userId: number) => Promise<boolean> {
  const query = db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, sql.placeholder('userId')), isNull(users.deletedAt)))
    .prepare()
  if (!seen.has(db)) seen.set(db, new Map())
  const known = seen.get(db)!
  return async (userId) => {
    const now = Date.now()
    if ((known.get(userId) ?? 0) > now) return true
    const live = (await query.execute({ userId })).length === 1
    if (live) {
      if (known.size > 100_000) known.clear()
      known.set(userId, now + TRUST_MS)
    }
    return live
  }
}

/** The account is gone: this server stops trusting it now. */
export function forgetLiveUser(db: Db, userId: number): void {
  seen.get(db)?.delete(userId)
}
