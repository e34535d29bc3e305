import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import { sessions, users } from './tables.js'

/** How long a server trusts that a session it has just seen is still open. */
const TRUST_MS = 5000
/** Per database: session id → whose it is and until when it is trusted. */
const seen = new WeakMap<Db, Map<number, { userId: number; until: number }>>()

/**
 * Whether a session is still open and its user still has an account (not deleted): one prepared
 * primary-key read, remembered for five seconds, so a busy member costs one read in five seconds rather
 * than one per request. Ending a session or deleting an account forgets it on the server that did it at
 * once (`forgetLiveUser`, `forgetSession`); another server stops trusting it within the five seconds.
 */
export function liveSessions(db: Db): (userId: number, sessionId: number) => Promise<boolean> {
  const query = db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sql.placeholder('sessionId')),
        eq(sessions.userId, sql.placeholder('userId')),
        isNull(sessions.endedAt),
        isNull(users.deletedAt),
      ),
    )
    .prepare()
  if (!seen.has(db)) seen.set(db, new Map())
  const known = seen.get(db)!
  return async (userId, sessionId) => {
    const now = Date.now()
    const trusted = known.get(sessionId)
    if (trusted && trusted.userId === userId && trusted.until > now) return true
    const live = (await query.execute({ userId, sessionId })).length === 1
    if (live) {
      if (known.size > 100_000) known.clear()
      known.set(sessionId, { userId, until: now + TRUST_MS })
    }
    return live
  }
}

/** The account is gone or signed out everywhere: this server stops trusting any of its sessions now. */
export function forgetLiveUser(db: Db, userId: number): void {
  const known = seen.get(db)
  if (!known) return
  for (const [sessionId, trusted] of known) if (trusted.userId === userId) known.delete(sessionId)
}

/** One session ended: this server stops trusting it now. */
export function forgetSession(db: Db, sessionId: number): void {
  seen.get(db)?.delete(sessionId)
}
