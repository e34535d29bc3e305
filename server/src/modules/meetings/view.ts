import type { Meeting, MeetingList, VoteSummary } from '@liren/shared/contracts'
import { type Quorum, type RollPerson, defaultElectorate, eligibleUnits, noticeDays, quorum, quorumOf } from '@liren/shared/rules'
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { findMeeting } from './access.js'
import { tallyViews } from './offline-tally.js'
import { agendaItems, meetingAttendance, meetingRoll, meetings, offlineTallies, voteOptions, voteVoters, votes } from './tables.js'

type MeetingRow = typeof meetings.$inferSelect

async function rollOf(db: Executor, meetingId: number): Promise<RollPerson[]> {
  return db.select({ personId: meetingRoll.personId, householdId: meetingRoll.householdId, adult: meetingRoll.adult, representative: meetingRoll.representative }).from(meetingRoll).where(eq(meetingRoll.meetingId, meetingId))
}

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
    onRoll: q.eligible,
    present: q.present,
    quorumMet: q.met,
    quorumRule: q.rule,
    ...me,
  }
}

/** The minutes: the committee's draft, everyone's once the meeting is published. */
const minutesFor = (m: MeetingRow, committee: boolean) => (m.state === 'published' || committee ? m.minutes : null)

interface Counts {
  meetingId: number
  adults: number
  representatives: number
  households: number
}
/** Adults, representatives and households of each meeting's roll, or of those of it checked in, counted by the database. */
async function rollCounts(db: Executor, ids: number[], present: boolean): Promise<Map<number, Counts>> {
  const [rows] = (await db.execute(sql`
    SELECT r.meeting_id AS meetingId, SUM(r.adult) AS adults, SUM(r.representative) AS representatives, COUNT(DISTINCT IF(r.adult, r.household_id, NULL)) AS households
    FROM meeting_roll r ${present ? sql`JOIN meeting_attendance a ON a.meeting_id = r.meeting_id AND a.person_id = r.person_id` : sql``}
    WHERE r.meeting_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
    GROUP BY r.meeting_id`)) as unknown as [Record<keyof Counts, string | number>[]]
  return new Map(rows.map((r) => [Number(r.meetingId), { meetingId: Number(r.meetingId), adults: Number(r.adults), representatives: Number(r.representatives), households: Number(r.households) }]))
}

/** The village's meetings, newest first; drafts for the committee only. */
export async function listMeetings(db: Executor, villageId: number, committee: boolean, personId: number | null): Promise<MeetingList> {
  const rows = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.villageId, villageId), committee ? undefined : ne(meetings.state, 'draft')))
    .orderBy(desc(meetings.startsAt), desc(meetings.id))
    .limit(100)
  if (rows.length === 0) return []
  // A few grouped counts for the whole list, not each meeting's roll (a roll is the whole roster).
  const ids = rows.map((m) => m.id)
  const [onRoll, here, mine, mineHere] = await Promise.all([
    rollCounts(db, ids, false),
    rollCounts(db, ids, true),
    personId === null ? [] : db.select({ id: meetingRoll.meetingId }).from(meetingRoll).where(and(eq(meetingRoll.personId, personId), inArray(meetingRoll.meetingId, ids))),
    personId === null ? [] : db.select({ id: meetingAttendance.meetingId }).from(meetingAttendance).where(and(eq(meetingAttendance.personId, personId), inArray(meetingAttendance.meetingId, ids))),
  ])
  return rows.map((m) => {
    const reps = defaultElectorate(m.kind) === 'representatives'
    const all = onRoll.get(m.id)
    const came = here.get(m.id)
    const q = quorumOf(m.kind, defaultElectorate(m.kind), {
      eligible: (reps ? all?.representatives : all?.adults) ?? 0,
      present: (reps ? came?.representatives : came?.adults) ?? 0,
      households: all?.households ?? 0,
      presentHouseholds: came?.households ?? 0,
    })
    return header(m, q, { onMyRoll: mine.some((x) => x.id === m.id), checkedIn: mineHere.some((x) => x.id === m.id) })
  })
}

/** One meeting with its agenda and votes as the caller sees them: whether they may vote and have. */
export async function getMeeting(db: Executor, villageId: number, meetingId: number, committee: boolean, personId: number | null): Promise<Meeting> {
  const m = await findMeeting(db, villageId, meetingId, committee)
  const [roll, present, items, voteRows] = await Promise.all([
    rollOf(db, m.id),
    db.select({ personId: meetingAttendance.personId }).from(meetingAttendance).where(eq(meetingAttendance.meetingId, m.id)),
    db.select().from(agendaItems).where(eq(agendaItems.meetingId, m.id)).orderBy(asc(agendaItems.position)),
    db.select().from(votes).where(eq(votes.meetingId, m.id)),
  ])
  const voteIds = voteRows.map((v) => v.id)
  const [options, votedCounts, tallies] = voteIds.length
    ? await Promise.all([
        db.select().from(voteOptions).where(inArray(voteOptions.voteId, voteIds)).orderBy(asc(voteOptions.position)),
        db.select({ voteId: voteVoters.voteId, n: sql<number>`COUNT(*)` }).from(voteVoters).where(inArray(voteVoters.voteId, voteIds)).groupBy(voteVoters.voteId),
        db.select().from(offlineTallies).where(inArray(offlineTallies.voteId, voteIds)).orderBy(asc(offlineTallies.id)),
      ])
    : [[], [], []]
  // The latest venue counts of each vote (later rows correct earlier ones).
  const offline = await tallyViews(db, [...new Map(tallies.map((t) => [t.voteId, t])).values()])
  const me = personId === null ? undefined : roll.find((p) => p.personId === personId)
  const myUnits = me
    ? await db.select({ voteId: voteVoters.voteId, unitId: voteVoters.unitId }).from(voteVoters).where(and(inArray(voteVoters.voteId, voteIds.length ? voteIds : [0]), inArray(voteVoters.unitId, [me.personId, me.householdId])))
    : []
  const summary = (v: (typeof voteRows)[number]): VoteSummary => {
    const units = eligibleUnits(roll, v.electorate)
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
      eligible: myUnit !== null && units.includes(myUnit),
      // Each vote's units are of one kind (people or households), so the caller's unit of that kind decides.
      voted: myUnit !== null && myUnits.some((u) => u.voteId === v.id && u.unitId === myUnit),
      votedCount: Number(votedCounts.find((c) => c.voteId === v.id)?.n ?? 0),
      eligibleCount: units.length,
      offline: offline.get(v.id) ?? null,
    }
  }
  return {
    ...header(m, quorum(m.kind, defaultElectorate(m.kind), roll, present.map((p) => p.personId)), {
      onMyRoll: personId !== null && roll.some((p) => p.personId === personId),
      checkedIn: personId !== null && present.some((p) => p.personId === personId),
    }),
    minutes: minutesFor(m, committee),
    agenda: items.map((item) => {
      const v = voteRows.find((x) => x.agendaItemId === item.id)
      return { id: item.id, position: item.position, title: item.title, description: item.description, vote: v ? summary(v) : null }
    }),
  }
}
