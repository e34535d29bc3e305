import { ErrorCode } from '@liren/shared/contracts'
import {
  MEETING_STATE_LABEL,
  NEXT_MEETING_STATE,
  type MeetingState,
  dateTimeWords,
  isAdultOn,
  meetingKindLabel,
} from '@liren/shared/rules'
import { and, eq } from 'drizzle-orm'
import type { Actor } from '../../core/audit.js'
import { affectedRows, type Db } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import { todayInChina } from '../../core/time.js'
import { identityTables } from '../identity/index.js'
import { changeMeeting, notifyRoll } from './access.js'
import { agendaItems, meetingRoll, meetings, votes } from './tables.js'

const { persons, villages } = identityTables

/** The committee writes (or rewrites) the minutes after the close, until they are published. */
export async function saveMinutes(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  minutes: string,
): Promise<void> {
  await changeMeeting(db, actor, villageId, meetingId, 'meeting.minutes_saved', async (tx, m) => {
    const res = await tx
      .update(meetings)
      .set({ minutes: minutes.trim() })
      .where(and(eq(meetings.id, m.id), eq(meetings.state, 'closed')))
    if (affectedRows(res) !== 1) throw conflict(ErrorCode.MEETING_STATE, '散会以后、公布以前才能写会议纪要')
    return { length: minutes.trim().length }
  })
}

/**
 * Moves a meeting one step: draft → announced → in_session → closed → published, each once (a
 * conditional update). Announcing needs an agenda and freezes the roll: the roster's residents as they
 * are now, adults counted on the meeting's date. Closing needs every vote closed first.
 */
export async function advanceMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  to: MeetingState,
  now = new Date(),
): Promise<void> {
  await changeMeeting(db, actor, villageId, meetingId, `meeting.${to}`, async (tx, m) => {
    const from = (Object.keys(NEXT_MEETING_STATE) as MeetingState[]).find((s) => NEXT_MEETING_STATE[s] === to)!
    if (m.state !== from)
      throw conflict(ErrorCode.MEETING_STATE, `会议现在是“${MEETING_STATE_LABEL[m.state]}”，不能这样做`)
    if (to === 'announced') {
      const items = await tx.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.meetingId, m.id))
      if (items.length === 0) throw conflict(ErrorCode.NO_AGENDA, '会议还没有议程，请先加上要议的事')
    }
    if (to === 'published' && !m.minutes?.trim()) throw conflict(ErrorCode.MEETING_STATE, '请先写好会议纪要，再公布')
    if (to === 'closed') {
      const open = await tx
        .select({ id: votes.id })
        .from(votes)
        .where(and(eq(votes.meetingId, m.id), eq(votes.state, 'open')))
      if (open.length) throw conflict(ErrorCode.MEETING_STATE, '还有表决没有结束，请先结束表决')
    }
    const rollDate = todayInChina(m.startsAt)
    const res = await tx
      .update(meetings)
      .set(to === 'announced' ? { state: to, announcedAt: now, rollDate } : { state: to })
      .where(and(eq(meetings.id, m.id), eq(meetings.state, from)))
    if (affectedRows(res) !== 1) throw conflict(ErrorCode.MEETING_STATE, '会议状态刚刚变了，请刷新')
    if (to === 'announced') {
      const people = await tx
        .select({
          id: persons.id,
          householdId: persons.householdId,
          birthDate: persons.birthDate,
          representative: persons.representative,
        })
        .from(persons)
        .where(and(eq(persons.villageId, villageId), eq(persons.status, 'resident')))
      const roll = people.map((p) => ({
        meetingId: m.id,
        personId: p.id,
        householdId: p.householdId,
        adult: isAdultOn(p.birthDate, rollDate),
        representative: p.representative,
      }))
      // In batches: a town-sized roster is tens of thousands of rows.
      for (let i = 0; i < roll.length; i += 2000) await tx.insert(meetingRoll).values(roll.slice(i, i + 2000))
      await tx
        .update(meetings)
        .set({
          rollAdults: roll.filter((p) => p.adult).length,
          rollRepresentatives: roll.filter((p) => p.representative).length,
          rollHouseholds: new Set(roll.filter((p) => p.adult).map((p) => p.householdId)).size,
        })
        .where(eq(meetings.id, m.id))
      // Everyone on the roll with the app is told, in the same transaction as the notice itself.
      const [village] = await tx.select({ kind: villages.kind }).from(villages).where(eq(villages.id, villageId))
      const body = `${dateTimeWords(m.startsAt)} 在${m.place}召开${meetingKindLabel(m.kind, village!.kind)}，请准时参加`
      await notifyRoll(tx, villageId, m.id, `会议通知：${m.title}`, body)
    }
    return { from, to }
  })
}
