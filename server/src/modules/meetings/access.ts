import { ErrorCode } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { meetings, votes } from './tables.js'

export const meetingNotFound = () => new AppError(404, ErrorCode.MEETING_NOT_FOUND, '找不到这个会议', [{ field: 'meetingId', message: '不存在' }])
export const voteNotFound = () => new AppError(404, ErrorCode.VOTE_NOT_FOUND, '找不到这项表决', [{ field: 'voteId', message: '不存在' }])

/** A meeting of the village; a draft exists only for the committee. */
export async function findMeeting(db: Executor, villageId: number, meetingId: number, committee: boolean) {
  const [m] = await db.select().from(meetings).where(and(eq(meetings.id, meetingId), eq(meetings.villageId, villageId)))
  if (!m || (m.state === 'draft' && !committee)) throw meetingNotFound()
  return m
}

/** A vote of the village with its meeting; votes of a draft meeting exist only for the committee. */
export async function findVote(db: Executor, villageId: number, voteId: number, committee: boolean) {
  const [row] = await db.select({ vote: votes, meeting: meetings }).from(votes).innerJoin(meetings, eq(meetings.id, votes.meetingId)).where(and(eq(votes.id, voteId), eq(meetings.villageId, villageId)))
  if (!row || (row.meeting.state === 'draft' && !committee)) throw voteNotFound()
  return row
}
