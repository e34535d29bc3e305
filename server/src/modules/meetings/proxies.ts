import { ErrorCode, type MeetingProxyList, type ProxyBody } from '@liren/shared/contracts'
import { MAX_PRINCIPALS_PER_PROXY, meetingIsLive, proxyCanTakeAnother } from '@liren/shared/rules'
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/mysql-core'
import { audit, type Actor } from '../../core/audit.js'
import { affectedRows, isDuplicateKey, transaction, type Db, type Executor } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { attachPhotos, photoUrls } from '../../core/photos.js'
import { identityTables } from '../identity/index.js'
import { findMeeting } from './access.js'
import { getMeetingSettings } from './settings.js'
import { meetingAttendance, meetingProxies, meetingRoll } from './tables.js'

const { persons } = identityTables

const notOnRoll = (field: 'principalPersonId' | 'proxyPersonId') =>
  new AppError(404, ErrorCode.NOT_ON_ROLL, '这个人不在这次会议的名单上', [{ field, message: '不在名单上' }])

/**
 * The principal acted in person (signed in, or voted themself): their authorisation for the meeting, if
 * any is in force, ends now. In the caller's transaction, before it adds the principal to a voters' list,
 * so that it and a proxy's ballot (which holds the authorisation shared) take the row in the same order.
 */
export async function cancelInPerson(tx: Executor, meetingId: number, personId: number, now = new Date()) {
  await tx
    .update(meetingProxies)
    .set({ cancelledAt: now })
    .where(
      and(
        eq(meetingProxies.meetingId, meetingId),
        eq(meetingProxies.principalPersonId, personId),
        isNull(meetingProxies.cancelledAt),
      ),
    )
}

/**
 * Whether `proxyPersonId` may vote for `principalPersonId` at the meeting now: an authorisation in force
 * naming them, and the principal not signed in. Reads the authorisation with a shared lock, so the
 * principal's own vote or sign-in (which cancels it) waits for this ballot, or this ballot for them.
 */
export async function checkProxyBallot(
  tx: Executor,
  meetingId: number,
  principalPersonId: number,
  proxyPersonId: number,
): Promise<void> {
  const [[row]] = (await tx.execute(sql`
    SELECT p.proxy_person_id AS proxyPersonId, p.cancelled_at AS cancelledAt
    FROM meeting_proxies p WHERE p.meeting_id = ${meetingId} AND p.principal_person_id = ${principalPersonId}
    LOCK IN SHARE MODE`)) as unknown as [{ proxyPersonId: number | string; cancelledAt: Date | null }[]]
  // One answer for no authorisation at all, whoever the person is (no oracle of who authorised whom).
  if (!row || Number(row.proxyPersonId) !== proxyPersonId)
    throw new AppError(403, ErrorCode.PROXY_NOT_AUTHORISED, '您没有这位村民的书面委托，不能替他投票', [
      { field: 'onBehalfOf', message: '没有委托' },
    ])
  const [present] = await tx
    .select({ personId: meetingAttendance.personId })
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.meetingId, meetingId), eq(meetingAttendance.personId, principalPersonId)))
  if (row.cancelledAt !== null || present)
    throw conflict(
      ErrorCode.PROXY_NOT_AUTHORISED,
      '这份委托已经取消了：委托人本人到会或自己投了票，或者村委会撤销了委托',
    )
}

/** A person on the meeting's roll still living in the village, with whether they are an adult; locked when asked. */
async function rollPerson(tx: Executor, meetingId: number, personId: number, lock: boolean) {
  const query = tx
    .select({ personId: meetingRoll.personId, adult: meetingRoll.adult })
    .from(meetingRoll)
    .innerJoin(persons, and(eq(persons.id, meetingRoll.personId), eq(persons.status, 'resident')))
    .where(and(eq(meetingRoll.meetingId, meetingId), eq(meetingRoll.personId, personId)))
  const [row] = lock ? await query.for('update') : await query
  return row
}

/**
 * 委托投票: the committee records a principal's written authorisation of a proxy for a live meeting, with
 * a photo of the signed paper, where the village's rules allow proxies. Both are on the meeting's roll;
 * the proxy is another adult and holds at most three principals: their row on the roll is locked first,
 * so authorisations to the same proxy are counted one after another, never past the limit. A principal
 * already signed in needs none; a proxy who gave their own vote to someone else, or a principal who votes
 * for others, makes no chain. An authorisation the committee cancelled may be replaced.
 */
export async function recordProxy(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  body: ProxyBody,
  now = new Date(),
): Promise<void> {
  const { principalPersonId: principal, proxyPersonId: proxy } = body
  try {
    await transaction(
      db,
      async (tx) => {
        const m = await findMeeting(tx, villageId, meetingId, true)
        if (!(await getMeetingSettings(tx, villageId)).proxiesAllowed)
          throw conflict(ErrorCode.PROXIES_NOT_ALLOWED, '本村的开会规定没有允许委托投票，要先在开会规定里打开')
        if (!meetingIsLive(m.state)) throw conflict(ErrorCode.MEETING_STATE, '会议通知以后、散会以前才能登记委托投票')
        if (principal === proxy)
          throw new AppError(400, ErrorCode.VALIDATION_FAILED, '委托人和受委托人不能是同一个人', [
            { field: 'proxyPersonId', message: '和委托人是同一个人' },
          ])
        const proxyRow = await rollPerson(tx, m.id, proxy, true)
        if (!proxyRow) throw notOnRoll('proxyPersonId')
        if (!proxyRow.adult)
          throw new AppError(400, ErrorCode.VALIDATION_FAILED, '受委托人要年满十八周岁', [
            { field: 'proxyPersonId', message: '不满十八周岁' },
          ])
        const principalRow = await rollPerson(tx, m.id, principal, false)
        if (!principalRow) throw notOnRoll('principalPersonId')
        if (!principalRow.adult)
          throw new AppError(400, ErrorCode.VALIDATION_FAILED, '不满十八周岁的人不参加表决，不用委托', [
            { field: 'principalPersonId', message: '不满十八周岁' },
          ])
        const [present] = await tx
          .select({ personId: meetingAttendance.personId })
          .from(meetingAttendance)
          .where(and(eq(meetingAttendance.meetingId, m.id), eq(meetingAttendance.personId, principal)))
        if (present) throw conflict(ErrorCode.PROXY_EXISTS, '委托人本人已经到会签到了，不用委托')
        const active = await tx
          .select()
          .from(meetingProxies)
          .where(and(eq(meetingProxies.meetingId, m.id), isNull(meetingProxies.cancelledAt)))
        if (active.some((a) => a.principalPersonId === proxy))
          throw conflict(ErrorCode.PROXY_EXISTS, '受委托人自己已经委托别人投票了，不能再替别人投')
        if (active.some((a) => a.proxyPersonId === principal))
          throw conflict(ErrorCode.PROXY_EXISTS, '委托人正在替别人投票，不能再委托别人')
        if (!proxyCanTakeAnother(active.filter((a) => a.proxyPersonId === proxy).length))
          throw conflict(
            ErrorCode.PROXY_LIMIT,
            `一个人最多只能接受 ${MAX_PRINCIPALS_PER_PROXY} 个人的委托，这位受委托人已经有 ${MAX_PRINCIPALS_PER_PROXY} 个了`,
          )
        await attachPhotos(tx, [body.photoKey], 'photoKey')
        const [before] = await tx
          .select()
          .from(meetingProxies)
          .where(and(eq(meetingProxies.meetingId, m.id), eq(meetingProxies.principalPersonId, principal)))
          .for('update')
        const values = { proxyPersonId: proxy, photoKey: body.photoKey, recordedBy: actor.userId }
        if (!before) {
          await tx.insert(meetingProxies).values({ meetingId: m.id, principalPersonId: principal, ...values })
        } else {
          if (before.cancelledAt === null)
            throw conflict(ErrorCode.PROXY_EXISTS, '这位委托人已经登记过委托了，要换人请先撤销')
          // A replacement for one the committee cancelled; the audit log keeps the one before.
          const res = await tx
            .update(meetingProxies)
            .set({ ...values, createdAt: now, cancelledAt: null })
            .where(
              and(
                eq(meetingProxies.meetingId, m.id),
                eq(meetingProxies.principalPersonId, principal),
                sql`${meetingProxies.cancelledAt} IS NOT NULL`,
              ),
            )
          if (affectedRows(res) !== 1) throw conflict(ErrorCode.PROXY_EXISTS, '这位委托人已经登记过委托了')
        }
        await audit(tx, actor, {
          villageId,
          action: 'meeting.proxy_recorded',
          entity: 'meeting',
          entityId: m.id,
          data: { principalPersonId: principal, proxyPersonId: proxy, photoKey: body.photoKey },
        })
      },
      { readCommitted: true },
    )
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY')) throw conflict(ErrorCode.PROXY_EXISTS, '这位委托人已经登记过委托了')
    throw err
  }
}

/** The committee cancels an authorisation in force (the principal withdrew it, or it was recorded in error). */
export async function cancelProxy(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  principalPersonId: number,
  now = new Date(),
): Promise<void> {
  await transaction(db, async (tx) => {
    const m = await findMeeting(tx, villageId, meetingId, true)
    const res = await tx
      .update(meetingProxies)
      .set({ cancelledAt: now })
      .where(
        and(
          eq(meetingProxies.meetingId, m.id),
          eq(meetingProxies.principalPersonId, principalPersonId),
          isNull(meetingProxies.cancelledAt),
        ),
      )
    if (affectedRows(res) !== 1)
      throw new AppError(404, ErrorCode.NOT_FOUND, '这位村民没有正在生效的委托', [
        { field: 'principalPersonId', message: '没有委托' },
      ])
    await audit(tx, actor, {
      villageId,
      action: 'meeting.proxy_cancelled',
      entity: 'meeting',
      entityId: m.id,
      data: { principalPersonId },
    })
  })
}

/** A meeting's authorisations, in force and cancelled, with full names (the committee's view). Nothing says whether one was used. */
export async function listProxies(db: Db, villageId: number, meetingId: number): Promise<MeetingProxyList> {
  const m = await findMeeting(db, villageId, meetingId, true)
  const principal = alias(persons, 'principal')
  const proxy = alias(persons, 'proxy')
  const rows = await db
    .select({ p: meetingProxies, principalName: principal.name, proxyName: proxy.name })
    .from(meetingProxies)
    .innerJoin(principal, eq(principal.id, meetingProxies.principalPersonId))
    .innerJoin(proxy, eq(proxy.id, meetingProxies.proxyPersonId))
    .where(eq(meetingProxies.meetingId, m.id))
    .orderBy(asc(meetingProxies.createdAt), asc(meetingProxies.principalPersonId))
  return rows.map(({ p, principalName, proxyName }) => ({
    principal: { personId: p.principalPersonId, name: principalName },
    proxy: { personId: p.proxyPersonId, name: proxyName },
    photo: photoUrls(p.photoKey),
    createdAt: p.createdAt.toISOString(),
    cancelledAt: p.cancelledAt?.toISOString() ?? null,
  }))
}
