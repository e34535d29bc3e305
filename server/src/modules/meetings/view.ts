import type { Meeting, MeetingList, OpenVote, VoteSummary } from '@liren/shared/contracts'
import { can, type Electorate, type Quorum, defaultElectorate, noticeDays, quorumOf } from '@liren/shared/rules'
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import type { VillageMember } from '../identity/index.js'
import { findMeeting } from './access.js'
import { tallyViews } from './offline-tally.js'
import {
  agendaItems,
  meetingAttendance,
  meetingCountingPoints,
  meetingRoll,
  meetings,
  offlineTallies,
  voteOptions,
  voteVoters,
  votes,
} from './tables.js'

type MeetingRow = typeof meetings.$inferSelect

/** A meeting as listed: 应到 / 实到 and whether it has its quorum (decided by the shared rule), and the caller's place. */
function header(m: MeetingRow, q: Quorum, me: { onMyRoll: boolean; checkedIn: boolean }) {
  return {
    id: m.id,
    villageId: m.villageId,
    kind: m.kind,
    title: m.title,
    description: m.description,
    place: m.place,
    startsAt: m.startsAt.toISOString(),
    online: m.online,
    state: m.state,
    announcedAt: m.announcedAt?.toISOString() ?? null,
    noticeDays: m.announcedAt ? noticeDays(m.announcedAt, m.startsAt) : null,
    urgentReason: m.urgentReason,
    postponedFrom: m.postponedFrom?.toISOString() ?? null,
    changeReason: m.changeReason,
    commentsCloseAt: (m.commentsCloseAt ?? m.startsAt).toISOString(),
    onRoll: q.eligible,
    present: q.present,
    quorumMet: q.met,
    quorumRule: q.rule,
    ...me,
  }
}

/** The minutes: the committee's draft, everyone's once the meeting is published. */
const minutesFor = (m: MeetingRow, committee: boolean) => (m.state === 'published' || committee ? m.minutes : null)

/** Units on a meeting's roll for an electorate, from the counts fixed with the roll (0 before it is). */
const onRollFor = (m: MeetingRow, electorate: Electorate) =>
  (electorate === 'adults'
    ? m.rollAdults
    : electorate === 'representatives'
      ? m.rollRepresentatives
      : m.rollHouseholds) ?? 0

/**
 * 应到 / 实到 of each meeting and whether it has its quorum: the roll's side from the counts fixed at
 * announcement, the checked-in side counted by the database, decided by the shared rule.
 */
async function meetingQuorums(db: Executor, rows: MeetingRow[]): Promise<Map<number, Quorum>> {
  const [present] = (await db.execute(sql`
    SELECT r.meeting_id AS meetingId, SUM(r.adult) AS adults, SUM(r.representative) AS representatives, COUNT(DISTINCT IF(r.adult, r.household_id, NULL)) AS households
    FROM meeting_attendance a JOIN meeting_roll r ON r.meeting_id = a.meeting_id AND r.person_id = a.person_id
    WHERE a.meeting_id IN (${sql.join(
      rows.map((m) => sql`${m.id}`),
      sql`, `,
    )})
    GROUP BY r.meeting_id`)) as unknown as [
    Record<'meetingId' | 'adults' | 'representatives' | 'households', string | number>[],
  ]
  return new Map(
    rows.map((m) => {
      const came = present.find((p) => Number(p.meetingId) === m.id)
      const electorate = defaultElectorate(m.kind)
      const q = quorumOf(m.kind, electorate, {
        eligible: onRollFor(m, electorate),
        present: Number((electorate === 'representatives' ? came?.representatives : came?.adults) ?? 0),
        households: m.rollHouseholds ?? 0,
        presentHouseholds: Number(came?.households ?? 0),
      })
      return [m.id, q]
    }),
  )
}

/** The village's meetings, newest first; drafts for the committee only. */
export async function listMeetings(db: Executor, member: VillageMember): Promise<MeetingList> {
  const { villageId, personId } = member
  const committee = can(member, 'meetings.manage')
  const rows = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.villageId, villageId), committee ? undefined : ne(meetings.state, 'draft')))
    .orderBy(desc(meetings.startsAt), desc(meetings.id))
    .limit(100)
  if (rows.length === 0) return []
  // One grouped count for the whole list, not each meeting's roll (a roll is the whole roster).
  const ids = rows.map((m) => m.id)
  // The listed meetings whose roll (or attendance) has the caller on it.
  const mineOf = (table: typeof meetingRoll | typeof meetingAttendance) =>
    personId === null
      ? []
      : db
          .select({ id: table.meetingId })
          .from(table)
          .where(and(eq(table.personId, personId), inArray(table.meetingId, ids)))
  const [quorums, mine, mineHere] = await Promise.all([
    meetingQuorums(db, rows),
    mineOf(meetingRoll),
    mineOf(meetingAttendance),
  ])
  return rows.map((m) =>
    header(m, quorums.get(m.id)!, {
      onMyRoll: mine.some((x) => x.id === m.id),
      checkedIn: mineHere.some((x) => x.id === m.id),
    }),
  )
}

/** Who is looking at a meeting: the committee sees drafts; the venue's counts of an open vote depend on who entered and counts them. */
export interface MeetingViewer {
  committee: boolean
  personId: number | null
  userId: number
  membershipId: number | null
}

/** The viewer a member is: whether they see what the committee sees is the policy's `meetings.manage`. */
export const meetingViewer = (member: VillageMember, userId: number): MeetingViewer => ({
  committee: can(member, 'meetings.manage'),
  personId: member.personId,
  userId,
  membershipId: member.membershipId,
})

/**
 * One meeting with its agenda and votes as the caller sees them: whether they may vote and have. Nothing
 * of an open vote is counted here — not its ballots, not how many have voted — and its venue counts are
 * shown only to the committee member who entered them and to the two tellers who confirm them; everyone
 * sees them once the vote has closed.
 */
export async function getMeeting(
  db: Executor,
  villageId: number,
  meetingId: number,
  viewer: MeetingViewer,
): Promise<Meeting> {
  const { committee, personId } = viewer
  const m = await findMeeting(db, villageId, meetingId, committee)
  const [quorums, [me], [checkedIn], items, voteRows] = await Promise.all([
    meetingQuorums(db, [m]),
    personId === null
      ? []
      : db
          .select()
          .from(meetingRoll)
          .where(and(eq(meetingRoll.meetingId, m.id), eq(meetingRoll.personId, personId))),
    personId === null
      ? []
      : db
          .select({ personId: meetingAttendance.personId })
          .from(meetingAttendance)
          .where(and(eq(meetingAttendance.meetingId, m.id), eq(meetingAttendance.personId, personId))),
    db.select().from(agendaItems).where(eq(agendaItems.meetingId, m.id)).orderBy(asc(agendaItems.position)),
    db.select().from(votes).where(eq(votes.meetingId, m.id)),
  ])
  const voteIds = voteRows.map((v) => v.id)
  const [options, tallies] = voteIds.length
    ? await Promise.all([
        db.select().from(voteOptions).where(inArray(voteOptions.voteId, voteIds)).orderBy(asc(voteOptions.position)),
        db
          .select({ tally: offlineTallies, kind: meetingCountingPoints.kind })
          .from(offlineTallies)
          .innerJoin(meetingCountingPoints, eq(meetingCountingPoints.id, offlineTallies.countingPointId))
          .where(inArray(offlineTallies.voteId, voteIds))
          .orderBy(asc(offlineTallies.id)),
      ])
    : [[], []]
  // The latest counts of each vote's boxes (later rows correct earlier ones), where this viewer may see them.
  const closed = new Set(voteRows.filter((v) => v.state === 'closed').map((v) => v.id))
  const latestRows = [...new Map(tallies.map((t) => [`${t.tally.voteId}:${t.tally.countingPointId}`, t])).values()]
  const mainPoints = new Set(latestRows.filter((t) => t.kind === 'venue').map((t) => t.tally.countingPointId))
  const latest = latestRows.map((t) => t.tally)
  const offline = await tallyViews(
    db,
    latest.filter(
      (t) =>
        closed.has(t.voteId) ||
        t.createdBy === viewer.userId ||
        t.counterMembershipId === viewer.membershipId ||
        t.scrutineerMembershipId === viewer.membershipId,
    ),
    viewer,
  )
  const voteOf = new Map(latest.map((t) => [t.id, t.voteId]))
  const myUnits = me
    ? await db
        .select({ voteId: voteVoters.voteId, unitId: voteVoters.unitId })
        .from(voteVoters)
        .where(
          and(
            inArray(voteVoters.voteId, voteIds.length ? voteIds : [0]),
            inArray(voteVoters.unitId, [me.personId, me.householdId]),
          ),
        )
    : []
  const summary = (v: (typeof voteRows)[number]): VoteSummary => {
    const myUnit = me ? (v.electorate === 'households' ? me.householdId : me.personId) : null
    return {
      id: v.id,
      question: v.question,
      secret: v.secret,
      electorate: v.electorate,
      passRule: v.passRule,
      maxChoices: v.maxChoices,
      options: options.filter((o) => o.voteId === v.id).map((o) => ({ id: o.id, label: o.label, kind: o.kind })),
      state: v.state,
      openedAt: v.openedAt?.toISOString() ?? null,
      closedAt: v.closedAt?.toISOString() ?? null,
      eligible: me !== undefined && (v.electorate === 'representatives' ? me.representative : me.adult),
      // Each vote's units are of one kind (people or households), so the caller's unit of that kind decides.
      voted: myUnit !== null && myUnits.some((u) => u.voteId === v.id && u.unitId === myUnit),
      eligibleCount: onRollFor(m, v.electorate),
      offline:
        [...offline.values()].find((o) => mainPoints.has(o.countingPointId) && voteOf.get(o.id) === v.id) ?? null,
      boxes: [...offline.values()].filter((o) => voteOf.get(o.id) === v.id),
    }
  }
  return {
    ...header(m, quorums.get(m.id)!, { onMyRoll: me !== undefined, checkedIn: checkedIn !== undefined }),
    minutes: minutesFor(m, committee),
    agenda: items.map((item) => {
      const v = voteRows.find((x) => x.agendaItemId === item.id)
      return {
        id: item.id,
        position: item.position,
        title: item.title,
        description: item.description,
        vote: v ? summary(v) : null,
      }
    }),
  }
}

/**
 * 待办 of a voter: the votes open now in online meetings of the village that the person may cast (on the
 * roll as an adult, or as a representative for a representatives' vote) and has not — nor, for a vote
 * of one per household, has their household — oldest first. The same eligibility as casting a ballot.
 */
export async function votesAwaiting(db: Executor, villageId: number, personId: number | null): Promise<OpenVote[]> {
  if (personId === null) return []
  const [rows] = (await db.execute(sql`
    SELECT v.id AS voteId, m.id AS meetingId, m.title AS meetingTitle, v.question
    FROM votes v
    JOIN meetings m ON m.id = v.meeting_id AND m.village_id = ${villageId} AND m.online AND m.state <> 'draft'
    JOIN meeting_roll r ON r.meeting_id = m.id AND r.person_id = ${personId}
    WHERE v.state = 'open'
      AND (CASE WHEN v.electorate = 'representatives' THEN r.representative ELSE r.adult END)
      AND NOT EXISTS (
        SELECT 1 FROM vote_voters vv WHERE vv.vote_id = v.id
          AND vv.unit_id = (CASE WHEN v.electorate = 'households' THEN r.household_id ELSE r.person_id END))
    ORDER BY v.opened_at, v.id
    LIMIT 20`)) as unknown as [OpenVote[]]
  return rows.map((r) => ({ ...r, voteId: Number(r.voteId), meetingId: Number(r.meetingId) }))
}
