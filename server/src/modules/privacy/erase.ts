import { ErrorCode, type RetirePersonBody } from '@liren/shared/contracts'
import { sql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { affectedRows, transaction, type Db, type Tx } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { endSessions, forgetLiveUser } from '../identity/index.js'

/** What an erased membership shows where the record needs a name (a teller of a count, say). */
export const ERASED_NAME = '已注销'

/**
 * One membership's personal fields go: name, address, birth year and phone are replaced, the link to
 * the roster person is cut, roles end, and the member's reports in that village become anonymous.
 * What the village keeps as its records stays whole: the roster person, points accounts and entries,
 * meeting attendance and ballots, the audit log. Their comments keep their place but not their words.
 */
async function eraseMembership(tx: Tx, membershipId: number, reason: string): Promise<void> {
  const [[m]] = (await tx.execute(
    sql`SELECT id, user_id AS userId, village_id AS villageId, person_id AS personId FROM memberships WHERE id = ${membershipId} FOR UPDATE`,
  )) as unknown as [{ id: number; userId: number; villageId: number; personId: number | null }[]]
  if (!m) return
  await tx.execute(sql`
    UPDATE memberships
    SET real_name = ${ERASED_NAME}, household_address = '', birth_year = 1900, phone = NULL, person_id = NULL, household_id = NULL,
        show_full_name = 0, status = 'rejected', reject_reason = ${reason}, decided_at = COALESCE(decided_at, NOW(3))
    WHERE id = ${m.id}`)
  await tx.execute(sql`DELETE FROM membership_roles WHERE membership_id = ${m.id}`)
  await tx.execute(sql`DELETE FROM grid_workers WHERE membership_id = ${m.id}`)
  await tx.execute(sql`
    UPDATE reports SET anonymous = 1, reporter_user_id = NULL, reporter_person_id = NULL
    WHERE village_id = ${m.villageId} AND (reporter_user_id = ${m.userId}${m.personId === null ? sql`` : sql` OR reporter_person_id = ${m.personId}`})`)
  await tx.execute(sql`
    UPDATE agenda_comments c JOIN meetings mt ON mt.id = c.meeting_id
    SET c.body = '（提意见的人已注销）' WHERE c.user_id = ${m.userId} AND mt.village_id = ${m.villageId}`)
  await tx.execute(sql`DELETE FROM notifications WHERE user_id = ${m.userId} AND village_id = ${m.villageId}`)
}

/**
 * The member deletes their account (注销): every membership is erased as above, the WeChat openid is
 * replaced (signing in again makes a new account), their inbox goes and every sign-in ends. Final.
 */
export async function deleteAccount(db: Db, actor: Actor): Promise<void> {
  await transaction(db, async (tx) => {
    const [[user]] = (await tx.execute(
      sql`SELECT id, deleted_at AS deletedAt FROM users WHERE id = ${actor.userId} FOR UPDATE`,
    )) as unknown as [{ id: number; deletedAt: Date | null }[]]
    if (!user || user.deletedAt) throw new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')
    const [memberships] = (await tx.execute(sql`SELECT id FROM memberships WHERE user_id = ${user.id}`)) as unknown as [
      { id: number }[],
    ]
    for (const m of memberships) await eraseMembership(tx, m.id, '账号已注销')
    await tx.execute(
      sql`UPDATE users SET openid = CONCAT('deleted:', id), unionid = NULL, current_village_id = NULL, deleted_at = NOW(3) WHERE id = ${user.id}`,
    )
    await tx.execute(sql`DELETE FROM notifications WHERE user_id = ${user.id}`)
    await endSessions(tx, user.id, 'deleted')
    await audit(tx, actor, { villageId: null, action: 'user.deleted', entity: 'user', entityId: user.id })
  })
  forgetLiveUser(db, actor.userId)
}

/**
 * The committee retires a roster person who moved away (迁出) or died: the person stays on the roster
 * as the village's record with the new status and without a phone, and the membership linked to them,
 * if any, is erased as if its member had left this village (their other villages are untouched).
 */
export async function retirePerson(
  db: Db,
  actor: Actor,
  villageId: number,
  personId: number,
  status: RetirePersonBody['status'],
): Promise<void> {
  await transaction(db, async (tx) => {
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
    for (const m of linked) await eraseMembership(tx, m.id, status === 'moved_out' ? '已迁出' : '已去世')
    await audit(tx, actor, {
      villageId,
      action: 'person.retired',
      entity: 'person',
      entityId: personId,
      data: { status },
    })
  })
}
