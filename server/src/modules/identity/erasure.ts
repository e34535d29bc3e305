import { ErrorCode, type RetirePersonBody } from '@liren/shared/contracts'
import { sql } from 'drizzle-orm'
import { affectedRows, type Tx } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { endSessions } from './sessions.js'

/** What an erased membership shows where the record needs a name (a teller of a count, say). */
export const ERASED_NAME = '已注销'

/** A membership as it was before its personal fields went: whose it was and where, for the other modules' parts. */
export interface ErasedMembership {
  id: number
  userId: number
  villageId: number
  personId: number | null
}

/**
 * Identity's part of erasing a membership: name, address, birth year and phone are replaced, the link to
 * the roster person is cut and its roles end. Null when there is no such membership.
 */
export async function eraseMembership(tx: Tx, membershipId: number, reason: string): Promise<ErasedMembership | null> {
  const [[m]] = (await tx.execute(
    sql`SELECT id, user_id AS userId, village_id AS villageId, person_id AS personId FROM memberships WHERE id = ${membershipId} FOR UPDATE`,
  )) as unknown as [ErasedMembership[]]
  if (!m) return null
  await tx.execute(sql`
    UPDATE memberships
    SET real_name = ${ERASED_NAME}, household_address = '', birth_year = 1900, phone = NULL, person_id = NULL, household_id = NULL,
        show_full_name = 0, status = 'rejected', reject_reason = ${reason}, decided_at = COALESCE(decided_at, NOW(3))
    WHERE id = ${m.id}`)
  await tx.execute(sql`DELETE FROM membership_roles WHERE membership_id = ${m.id}`)
  await tx.execute(sql`DELETE FROM grid_workers WHERE membership_id = ${m.id}`)
  return m
}

/** The user's inbox goes: in one village, or everywhere. */
export async function clearInbox(tx: Tx, userId: number, villageId?: number): Promise<void> {
  await tx.execute(
    villageId === undefined
      ? sql`DELETE FROM notifications WHERE user_id = ${userId}`
      : sql`DELETE FROM notifications WHERE user_id = ${userId} AND village_id = ${villageId}`,
  )
}

/** Locks a live account for 注销 and lists its memberships; a deleted or unknown account is no sign-in. */
export async function lockAccount(tx: Tx, userId: number): Promise<number[]> {
  const [[user]] = (await tx.execute(
    sql`SELECT id, deleted_at AS deletedAt FROM users WHERE id = ${userId} FOR UPDATE`,
  )) as unknown as [{ id: number; deletedAt: Date | null }[]]
  if (!user || user.deletedAt) throw new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')
  const [memberships] = (await tx.execute(sql`SELECT id FROM memberships WHERE user_id = ${user.id}`)) as unknown as [
    { id: number }[],
  ]
  return memberships.map((m) => m.id)
}

/**
 * The account itself goes: the WeChat openid is replaced (signing in again makes a new account), the
 * inbox goes and every sign-in ends. Call `forgetLiveUser` after the commit.
 */
export async function eraseUser(tx: Tx, userId: number): Promise<void> {
  await tx.execute(
    sql`UPDATE users SET openid = CONCAT('deleted:', id), unionid = NULL, current_village_id = NULL, deleted_at = NOW(3) WHERE id = ${userId}`,
  )
  await clearInbox(tx, userId)
  await endSessions(tx, userId, 'deleted')
}

/**
 * A roster person moved away or died: they stay on the roster with the new status, without a phone and
 * representing nobody. Returns the memberships linked to them, to erase.
 */
export async function retireRosterPerson(
  tx: Tx,
  villageId: number,
  personId: number,
  status: RetirePersonBody['status'],
): Promise<number[]> {
  const res = await tx.execute(sql`
    UPDATE persons SET status = ${status}, phone = NULL, representative = 0
    WHERE id = ${personId} AND village_id = ${villageId} AND status = 'resident'`)
  if (affectedRows(res) !== 1) {
    const [[found]] = (await tx.execute(
      sql`SELECT status FROM persons WHERE id = ${personId} AND village_id = ${villageId}`,
    )) as unknown as [{ status: string }[]]
    if (!found)
      throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [
        { field: 'personId', message: '不是本村（社区）的人' },
      ])
    throw conflict(ErrorCode.PERSON_RETIRED, status === found.status ? '已经登记过了' : '这个人已经不在册了')
  }
  await tx.execute(sql`DELETE FROM represented_households WHERE person_id = ${personId}`)
  const [linked] = (await tx.execute(
    sql`SELECT id FROM memberships WHERE person_id = ${personId} AND village_id = ${villageId}`,
  )) as unknown as [{ id: number }[]]
  return linked.map((m) => m.id)
}
