import type { MyVote } from '@liren/shared/contracts'
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { ballotChoices, ballots, meetings, voteOptions, voteVoters, votes } from './tables.js'

/**
 * 我的投票: the village's votes the caller (a roster person) took part in, the latest meeting first and
 * each meeting's in agenda order. The voters' list says who voted and where; what they chose is here only
 * for open (记名) ballots, which name their voter anyway. A secret ballot has no link to its voter, and
 * none is made here.
 */
export async function listMyVotes(db: Executor, villageId: number, personId: number | null): Promise<MyVote[]> {
  if (personId === null) return []
  const rows = await db
    .select({
      voteId: votes.id,
      question: votes.question,
      meetingId: meetings.id,
      meetingTitle: meetings.title,
      meetingStartsAt: meetings.startsAt,
      secret: votes.secret,
      state: votes.state,
      channel: voteVoters.channel,
    })
    .from(voteVoters)
    .innerJoin(votes, eq(votes.id, voteVoters.voteId))
    .innerJoin(meetings, eq(meetings.id, votes.meetingId))
    .where(and(eq(voteVoters.personId, personId), eq(meetings.villageId, villageId)))
    .orderBy(desc(meetings.startsAt), asc(votes.id))
    .limit(200)
  const open = rows.filter((r) => !r.secret).map((r) => r.voteId)
  const chosen = open.length
    ? await db
        .select({ voteId: ballots.voteId, label: voteOptions.label })
        .from(ballots)
        .innerJoin(ballotChoices, eq(ballotChoices.receiptHash, ballots.receiptHash))
        .innerJoin(voteOptions, eq(voteOptions.id, ballotChoices.optionId))
        .where(and(eq(ballots.personId, personId), inArray(ballots.voteId, open)))
        .orderBy(asc(voteOptions.position))
    : []
  return rows.map((r) => {
    const mine = chosen.filter((c) => c.voteId === r.voteId).map((c) => c.label)
    return {
      ...r,
      meetingStartsAt: r.meetingStartsAt.toISOString(),
      myChoices: r.secret || mine.length === 0 ? null : mine,
    }
  })
}
