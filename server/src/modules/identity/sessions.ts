import { createHash } from 'node:crypto'
import { ErrorCode } from '@liren/shared/contracts'
import { sql } from 'drizzle-orm'
import { REFRESH_TTL_SECONDS, type TokenSet } from '../../core/auth.js'
import { affectedRows, transaction, type Db, type Tx } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { forgetLiveUser, forgetSession } from './live-users.js'

/** Signs the pair for a stored session (the auth plugin's `signTokens`). */
export type SignTokens = (userId: number, sessionId: number) => TokenSet

/** What the database keeps of a refresh token: its SHA-256, so a copy of the table signs nobody in. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

async function storeRefreshToken(tx: Tx, sessionId: number, token: string): Promise<void> {
  await tx.execute(
    sql`INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES (${sessionId}, ${hashToken(token)}, NOW(3) + INTERVAL ${REFRESH_TTL_SECONDS} SECOND)`,
  )
}

/** A new sign-in: a session and its first pair of tokens. */
export async function startSession(db: Db, sign: SignTokens, userId: number): Promise<TokenSet> {
  return transaction(db, async (tx) => {
    // Only for a live account, read under the lock 注销 holds: a session is never made for a deleted account after 注销 ended its others.
    const created = await tx.execute(
      sql`INSERT INTO sessions (user_id) SELECT id FROM users WHERE id = ${userId} AND deleted_at IS NULL`,
    )
    if (affectedRows(created) !== 1) throw new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')
    const sessionId = created[0].insertId
    const pair = sign(userId, sessionId)
    await storeRefreshToken(tx, sessionId, pair.refreshToken)
    return pair
  })
}

const refused = (message: string) =>
  new AppError(401, ErrorCode.UNAUTHENTICATED, '登录已失效，请重新登录', [{ field: 'refreshToken', message }])

/**
 * Exchanges a refresh token for a new pair; the one given is spent. A spent token that comes back means
 * two holders (a thief's copy, or the owner's after a thief used it): its whole session ends, so neither
 * can go on, and the owner signs in again. That includes the benign case of a client that sent the same
 * refresh twice (it retried after losing the answer): it cannot be told from theft, and signing in again
 * costs the villager less than a stolen sign-in would.
 */
export async function refreshSession(
  db: Db,
  sign: SignTokens,
  token: string,
  claims: { userId: number; sessionId: number },
): Promise<TokenSet> {
  const { userId, sessionId } = claims
  const hash = hashToken(token)
  const outcome = await transaction(db, async (tx) => {
    // The session row is the lock: refreshes of one sign-in take turns, so each sees what the one before did.
    const [[session]] = (await tx.execute(
      sql`SELECT user_id AS userId, ended_at AS endedAt FROM sessions WHERE id = ${sessionId} FOR UPDATE`,
    )) as unknown as [{ userId: number; endedAt: Date | null }[]]
    if (!session || Number(session.userId) !== userId || session.endedAt) return 'ended' as const
    const spent = await tx.execute(sql`
      UPDATE refresh_tokens SET used_at = NOW(3)
      WHERE token_hash = ${hash} AND session_id = ${sessionId} AND used_at IS NULL AND expires_at > NOW(3)`)
    if (affectedRows(spent) !== 1) {
      const [[known]] = (await tx.execute(
        sql`SELECT used_at AS usedAt FROM refresh_tokens WHERE token_hash = ${hash} AND session_id = ${sessionId}`,
      )) as unknown as [{ usedAt: Date | null }[]]
      if (!known?.usedAt) return 'unknown' as const
      await tx.execute(sql`UPDATE sessions SET ended_at = NOW(3), end_reason = 'reused' WHERE id = ${sessionId}`)
      return 'reused' as const
    }
    const pair = sign(userId, sessionId)
    await storeRefreshToken(tx, sessionId, pair.refreshToken)
    return pair
  })
  if (outcome === 'ended') throw refused('这次登录已经结束')
  if (outcome === 'unknown') throw refused('刷新凭证无效或已过期')
  if (outcome === 'reused') {
    forgetSession(db, sessionId)
    throw refused('刷新凭证已经用过，为了安全，这次登录已结束')
  }
  return outcome
}

/**
 * Ends every open session of the user, inside the caller's transaction (注销 ends them with the account):
 * their refresh tokens refresh no more, and their access tokens open nothing. Call `forgetLiveUser` after
 * the commit.
 */
export async function endSessions(tx: Tx, userId: number, reason: 'signed_out' | 'deleted'): Promise<void> {
  await tx.execute(
    sql`UPDATE sessions SET ended_at = NOW(3), end_reason = ${reason} WHERE user_id = ${userId} AND ended_at IS NULL`,
  )
}

/** 退出登录: every sign-in of the user ends, on every phone. */
export async function signOut(db: Db, userId: number): Promise<void> {
  await transaction(db, (tx) => endSessions(tx, userId, 'signed_out'))
  forgetLiveUser(db, userId)
}

/**
 * Scheduled: forgets what can sign nobody in any more, a batch at a time. A refresh token goes once it
 * has expired (a spent one is kept until then, to recognise it if it comes back) or its session ended;
 * a session goes once it has no tokens left and it ended or is a day old (its last access token expired
 * long before). Only deletes what no request can bring back, so servers may run it at once.
 */
export async function purgeSessions(db: Db): Promise<void> {
  await db.execute(sql`
    DELETE FROM refresh_tokens
    WHERE expires_at < NOW(3) OR session_id IN (SELECT id FROM sessions WHERE ended_at IS NOT NULL)
    LIMIT 1000`)
  await db.execute(sql`
    DELETE FROM sessions
    WHERE (ended_at IS NOT NULL OR created_at < NOW(3) - INTERVAL 1 DAY)
      AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.session_id = sessions.id)
    LIMIT 1000`)
}
