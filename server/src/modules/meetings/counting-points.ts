import { ErrorCode, type CountingPointBody, type CountingPointList } from '@liren/shared/contracts'
import { MAIN_VENUE_NAME, tellersValid } from '@liren/shared/rules'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db, type Executor } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { findMeeting } from './access.js'
import { countingPointTellers, meetingAttendance, meetingCountingPoints } from './tables.js'

const { memberships } = identityTables
export type CountingPointRow = typeof meetingCountingPoints.$inferSelect

export const pointNotFound = () =>
  new AppError(404, ErrorCode.COUNTING_POINT_NOT_FOUND, '找不到这个计票点', [
    { field: 'countingPointId', message: '不是这次会议的计票点' },
  ])

/**
 * The meeting's 主会场, made the first time anything needs it (the venue's counts, a point's list): one per
 * meeting by the unique name, whoever asks at once.
 */
export async function mainVenue(tx: Executor, meetingId: number): Promise<CountingPointRow> {
  await tx
    .insert(meetingCountingPoints)
    .values({ meetingId, name: MAIN_VENUE_NAME, kind: 'venue' })
    .onDuplicateKeyUpdate({ set: { id: sql`${meetingCountingPoints.id}` } })
  const [row] = await tx
    .select()
    .from(meetingCountingPoints)
    .where(and(eq(meetingCountingPoints.meetingId, meetingId), eq(meetingCountingPoints.name, MAIN_VENUE_NAME)))
    // A locking read: it sees the row another transaction has just made, whatever this one's snapshot.
    .for('update')
  return row!
}

/** A counting point of the meeting (another meeting's, or another village's, is as good as missing). */
export async function findPoint(tx: Executor, meetingId: number, pointId: number): Promise<CountingPointRow> {
  const [row] = await tx
    .select()
    .from(meetingCountingPoints)
    .where(and(eq(meetingCountingPoints.id, pointId), eq(meetingCountingPoints.meetingId, meetingId)))
  if (!row) throw pointNotFound()
  return row
}

/** The membership ids of a point's tellers (none for the 主会场, where any two verified members may count). */
export async function pointTellers(tx: Executor, pointId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: countingPointTellers.membershipId })
    .from(countingPointTellers)
    .where(eq(countingPointTellers.countingPointId, pointId))
  return rows.map((r) => r.id)
}

/**
 * The committee adds a 流动票箱 or 分会场 to a meeting not yet closed, with its tellers: two or more
 * different verified members of the village, all in one transaction.
 */
export async function createCountingPoint(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  body: CountingPointBody,
): Promise<number> {
  const name = body.name.trim()
  if (name === MAIN_VENUE_NAME)
    throw new AppError(400, ErrorCode.VALIDATION_FAILED, '主会场每次会议都有，不用再加', [
      { field: 'name', message: '换一个名字' },
    ])
  if (!tellersValid(body.tellerMembershipIds))
    throw new AppError(400, ErrorCode.TELLER_INVALID, '计票人、监票人至少两个人，不能重复', [
      { field: 'tellerMembershipIds', message: '至少两个不同的人' },
    ])
  try {
    return await transaction(db, async (tx) => {
      const m = await findMeeting(tx, villageId, meetingId, true)
      if (m.state !== 'draft' && m.state !== 'announced' && m.state !== 'in_session')
        throw conflict(ErrorCode.MEETING_STATE, '会议已经散会或取消，不能再加计票点')
      const found = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            inArray(memberships.id, body.tellerMembershipIds),
            eq(memberships.villageId, villageId),
            eq(memberships.status, 'verified'),
          ),
        )
      if (found.length !== body.tellerMembershipIds.length)
        throw new AppError(400, ErrorCode.TELLER_INVALID, '计票人、监票人要是本村（社区）已认证的成员', [
          { field: 'tellerMembershipIds', message: '有人不是本村已认证的成员' },
        ])
      const [{ id }] = (await tx
        .insert(meetingCountingPoints)
        .values({ meetingId: m.id, name, kind: body.kind, createdBy: actor.userId })
        .$returningId()) as [{ id: number }]
      await tx
        .insert(countingPointTellers)
        .values(body.tellerMembershipIds.map((membershipId) => ({ countingPointId: id, membershipId })))
      await audit(tx, actor, {
        villageId,
        action: 'meeting.counting_point_added',
        entity: 'meeting',
        entityId: m.id,
        data: { countingPointId: id, name, kind: body.kind, tellers: body.tellerMembershipIds },
      })
      return id
    })
  } catch (err) {
    if (isDuplicateKey(err, 'meeting_counting_points_name_uq'))
      throw conflict(ErrorCode.VALIDATION_FAILED, `这次会议已经有叫“${name}”的计票点了`)
    throw err
  }
}

/** A meeting's counting points, the 主会场 first, with their tellers (full names: the committee's view) and who signed in at each. */
export async function listCountingPoints(db: Db, villageId: number, meetingId: number): Promise<CountingPointList> {
  const m = await findMeeting(db, villageId, meetingId, true)
  await mainVenue(db, m.id)
  const [points, tellers, present] = await Promise.all([
    db
      .select()
      .from(meetingCountingPoints)
      .where(eq(meetingCountingPoints.meetingId, m.id))
      .orderBy(asc(meetingCountingPoints.id)),
    db
      .select({
        pointId: countingPointTellers.countingPointId,
        membershipId: memberships.id,
        name: memberships.realName,
      })
      .from(countingPointTellers)
      .innerJoin(meetingCountingPoints, eq(meetingCountingPoints.id, countingPointTellers.countingPointId))
      .innerJoin(memberships, eq(memberships.id, countingPointTellers.membershipId))
      .where(eq(meetingCountingPoints.meetingId, m.id))
      .orderBy(asc(memberships.id)),
    db
      .select({ pointId: meetingAttendance.countingPointId, n: sql<number>`COUNT(*)` })
      .from(meetingAttendance)
      .where(eq(meetingAttendance.meetingId, m.id))
      .groupBy(meetingAttendance.countingPointId),
  ])
  return points
    .sort((a, b) => Number(b.kind === 'venue') - Number(a.kind === 'venue'))
    .map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      tellers: tellers.filter((t) => t.pointId === p.id).map((t) => ({ membershipId: t.membershipId, name: t.name })),
      present: Number(present.find((r) => (p.kind === 'venue' ? r.pointId === null : r.pointId === p.id))?.n ?? 0),
    }))
}
