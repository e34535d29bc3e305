import { ErrorCode } from '@liren/shared/contracts'
import { and, eq, ne, sql as rawSql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db, type Executor, type Tx } from '../../core/db.js'
import { notify } from '../identity/index.js'
import { villageRow } from '../../core/village-rows.js'
import { AppError } from '../../core/errors.js'
import { meetings, votes } from './tables.js'

type MeetingRow = typeof meetings.$inferSelect

/** The mini-program page of a meeting: what its scanned code and its notices open. */
export const MEETING_PAGE = 'packages/meetings/detail/index'
export const meetingPage = (villageId: number, meetingId: number) =>
  `${MEETING_PAGE}?villageId=${villageId}&meetingId=${meetingId}`
/** 表决结果公示, open to anyone without signing in: what the printed notice's QR code opens. */
export const resultsPage = (villageId: number, meetingId: number) =>
  `packages/meetings/results/index?villageId=${villageId}&meetingId=${meetingId}`

/**
 * A vote's state, read with a shared lock: whatever adds voters (a ballot, the venue's counts) and the
 * close cannot cross — the close waits for those in flight.
 */
export async function lockedVoteState(tx: Executor, voteId: number): Promise<string | undefined> {
  const [rows] = (await tx.execute(
    rawSql`SELECT state FROM votes WHERE id = ${voteId} LOCK IN SHARE MODE`,
  )) as unknown as [{ state: string }[]]
  return rows[0]?.state
}

/**
 * The users with the app who are called to a meeting: verified members linked to a person on its roll who
 * is called to this kind of meeting — a representative to a 村民代表会议, an adult to a 村民会议, anyone on
 * the roll to a 议事协商会.
 */
export async function rollUsers(db: Executor, villageId: number, meetingId: number): Promise<number[]> {
  const [rows] = (await db.execute(rawSql`
    SELECT m.user_id AS userId FROM meeting_roll r
    JOIN meetings g ON g.id = r.meeting_id
    JOIN memberships m ON m.person_id = r.person_id AND m.village_id = ${villageId} AND m.status = 'verified'
    WHERE r.meeting_id = ${meetingId}
      AND CASE g.kind WHEN 'representative_meeting' THEN r.representative = 1
                      WHEN 'villager_meeting' THEN r.adult = 1 ELSE 1 END`)) as unknown as [{ userId: number }[]]
  return rows.map((r) => Number(r.userId))
}

/**
 * The meeting row, locked for the rest of the transaction: what changes its state or time (announce,
 * postpone, cancel, start) and what opens a vote take it in turn, so that none acts on a state another
 * has just changed.
 */
export async function lockMeeting(tx: Tx, meetingId: number): Promise<MeetingRow> {
  const [m] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).for('update')
  if (!m) throw meetingNotFound()
  return m
}

/**
 * Whether any of the meeting's votes has been opened (a meeting can no longer be moved or cancelled). A
 * locking read: it sees a vote opened since this transaction's snapshot was taken.
 */
export async function anyVoteOpened(tx: Tx, meetingId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: votes.id })
    .from(votes)
    .where(and(eq(votes.meetingId, meetingId), ne(votes.state, 'draft')))
    .limit(1)
    .for('update')
  return row !== undefined
}

/** Tells everyone on a meeting's roll who has the app, with a link to the meeting. */
export async function notifyRoll(tx: Tx, villageId: number, meetingId: number, title: string, body: string) {
  const page = meetingPage(villageId, meetingId)
  const users = await rollUsers(tx, villageId, meetingId)
  await notify(
    tx,
    users.map((userId) => ({ userId, villageId, page, title, body })),
  )
}

export const meetingNotFound = () =>
  new AppError(404, ErrorCode.MEETING_NOT_FOUND, '找不到这个会议', [{ field: 'meetingId', message: '不存在' }])
export const voteNotFound = () =>
  new AppError(404, ErrorCode.VOTE_NOT_FOUND, '找不到这项表决', [{ field: 'voteId', message: '不存在' }])

/** A meeting of the village; a draft exists only for the committee. */
export async function findMeeting(db: Executor, villageId: number, meetingId: number, committee: boolean) {
  const m = await villageRow(db, meetings, villageId, meetingId)
  if (!m || (m.state === 'draft' && !committee)) throw meetingNotFound()
  return m
}

/**
 * The committee's change to one of its meetings (drafts too): `change` makes it and returns what the
 * audit row keeps; the change and its audit row share one transaction.
 */
export async function changeMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  action: string,
  change: (tx: Tx, m: MeetingRow) => Promise<Record<string, unknown>>,
): Promise<void> {
  await transaction(db, async (tx) => {
    const m = await findMeeting(tx, villageId, meetingId, true)
    const data = await change(tx, m)
    await audit(tx, actor, { villageId, action, entity: 'meeting', entityId: m.id, data })
  })
}

/** A vote of the village with its meeting; votes of a draft meeting exist only for the committee. */
export async function findVote(db: Executor, villageId: number, voteId: number, committee: boolean) {
  const [row] = await db
    .select({ vote: votes, meeting: meetings })
    .from(votes)
    .innerJoin(meetings, eq(meetings.id, votes.meetingId))
    .where(and(eq(votes.id, voteId), eq(meetings.villageId, villageId)))
  if (!row || (row.meeting.state === 'draft' && !committee)) throw voteNotFound()
  return row
}
