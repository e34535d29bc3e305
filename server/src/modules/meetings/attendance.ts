import { type Attendance, type AttendancePerson, type AttendanceStatus, ErrorCode } from '@liren/shared/contracts'
import { defaultElectorate, type MeetingKind, quorum } from '@liren/shared/rules'
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import { findVillage, identityTables } from '../identity/index.js'
import { findMeeting } from './access.js'
import { agendaItems, meetingAttendance, meetingRoll, votes, voteVoters } from './tables.js'

const { households, memberships, persons } = identityTables

/**
 * Whether someone on the roll is called to this kind of meeting, as `rollUsers` decides it for the notices:
 * the representatives to a 村民代表会议, the adults to a 村民会议, everyone on the roll to a 议事协商会.
 */
export const calledTo = (kind: MeetingKind, p: { adult: boolean; representative: boolean }): boolean =>
  kind === 'representative_meeting' ? p.representative : kind === 'villager_meeting' ? p.adult : true

/** Household numbers in their natural order (2 before 10), names as a Chinese reader sorts them. */
const collator = new Intl.Collator('zh-Hans-CN', { numeric: true })

/** 张家村一组 3 号 → 一组 3 号: the village is the clerk's own. */
const shortAddress = (address: string, villageName: string) =>
  address.startsWith(villageName) && address.length > villageName.length
    ? address.slice(villageName.length).trim()
    : address

/**
 * 到会名单 (committee): everyone called to an announced meeting, by full name, with how and when they
 * arrived (scanned the venue code themselves, or checked in by a committee member, named) and the closed
 * votes they took part in on their phone — never what they chose, and nothing of a vote still open (who has
 * voted is hidden from everyone until the close). 应到 / 实到 and the quorum are the meeting page's, by the
 * shared rule over the same roll. A draft has no roll yet.
 */
export async function getAttendance(
  db: Executor,
  villageId: number,
  meetingId: number,
  status: AttendanceStatus = 'all',
): Promise<Attendance> {
  const m = await findMeeting(db, villageId, meetingId, true)
  if (m.state === 'draft')
    throw conflict(ErrorCode.MEETING_STATE, '会议还没发通知，还没有到会名单（发通知时按花名册定下名单）')
  const [village, roll, came, voteRows] = await Promise.all([
    findVillage(db, villageId),
    db
      .select({
        personId: meetingRoll.personId,
        householdId: meetingRoll.householdId,
        adult: meetingRoll.adult,
        representative: meetingRoll.representative,
        name: persons.name,
        status: persons.status,
        householdNumber: households.number,
        address: households.address,
      })
      .from(meetingRoll)
      .innerJoin(persons, eq(persons.id, meetingRoll.personId))
      .innerJoin(households, eq(households.id, meetingRoll.householdId))
      .where(eq(meetingRoll.meetingId, m.id)),
    // Who recorded each arrival, as a member of this village: the person's own account means they scanned.
    db
      .select({
        personId: meetingAttendance.personId,
        at: meetingAttendance.createdAt,
        recorderPersonId: memberships.personId,
        recorderName: memberships.realName,
      })
      .from(meetingAttendance)
      .leftJoin(
        memberships,
        and(eq(memberships.userId, meetingAttendance.recordedBy), eq(memberships.villageId, villageId)),
      )
      .where(eq(meetingAttendance.meetingId, m.id)),
    db
      .select({ id: votes.id, question: votes.question, state: votes.state })
      .from(votes)
      .innerJoin(agendaItems, eq(agendaItems.id, votes.agendaItemId))
      .where(eq(votes.meetingId, m.id))
      .orderBy(asc(agendaItems.position)),
  ])
  const closed = voteRows.filter((v) => v.state === 'closed').map((v) => v.id)
  const online = closed.length
    ? await db
        .select({ voteId: voteVoters.voteId, personId: voteVoters.personId })
        .from(voteVoters)
        .where(and(inArray(voteVoters.voteId, closed), eq(voteVoters.channel, 'online')))
    : []

  const arrivals = new Map(came.map((a) => [a.personId, a]))
  const votedBy = new Map<number, number[]>()
  for (const o of online) votedBy.set(o.personId, [...(votedBy.get(o.personId) ?? []), o.voteId])
  const q = quorum(
    m.kind,
    defaultElectorate(m.kind),
    roll,
    came.map((a) => a.personId),
  )
  const people: AttendancePerson[] = roll
    .filter((p) => calledTo(m.kind, p))
    .map((p): AttendancePerson => {
      const a = arrivals.get(p.personId)
      const scanned = a?.recorderPersonId === p.personId
      return {
        personId: p.personId,
        name: p.name,
        householdNumber: p.householdNumber,
        address: shortAddress(p.address, village.name),
        adult: p.adult,
        representative: p.representative,
        resident: p.status === 'resident',
        arrival: a
          ? {
              way: scanned ? 'scan' : 'committee',
              recordedBy: scanned ? null : a.recorderName || null,
              at: a.at.toISOString(),
            }
          : null,
        votedOnline: votedBy.get(p.personId) ?? [],
      }
    })
    .sort((a, b) => collator.compare(a.householdNumber, b.householdNumber) || collator.compare(a.name, b.name))
  const arrived = people.filter((p) => p.arrival !== null).length
  return {
    meetingId: m.id,
    kind: m.kind,
    title: m.title,
    state: m.state,
    startsAt: m.startsAt.toISOString(),
    place: m.place,
    onRoll: q.eligible,
    present: q.present,
    quorumMet: q.met,
    quorumRule: q.rule,
    called: people.length,
    arrived,
    votes: voteRows,
    people: status === 'all' ? people : people.filter((p) => (p.arrival !== null) === (status === 'arrived')),
  }
}
