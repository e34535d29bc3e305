import { ErrorCode } from '@liren/shared/contracts'
import {
  MEETING_LIFECYCLE,
  MEETING_STATE_LABEL,
  type MeetingAction,
  dateTimeWords,
  earliestStart,
  isAdultOn,
  meetingAllows,
  meetingKindLabel,
  noticeProblem,
} from '@liren/shared/rules'
import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm'
import type { Actor } from '../../core/audit.js'
import { affectedRows, transaction, type Db, type Tx } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { todayInChina } from '../../core/time.js'
import { identityTables } from '../identity/index.js'
import { anyVoteOpened, changeMeeting, lockMeeting, notifyRoll } from './access.js'
import { getMeetingSettings } from './settings.js'
import { agendaItems, meetingRoll, meetings, topics, votes } from './tables.js'

const { persons, villages } = identityTables
type MeetingRow = typeof meetings.$inferSelect

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

const notAllowed = (m: MeetingRow, action: MeetingAction) =>
  conflict(
    ErrorCode.MEETING_STATE,
    `会议现在是“${MEETING_STATE_LABEL[m.state]}”，不能${MEETING_LIFECYCLE[action].label}`,
  )

/** Moves the locked meeting from its state by `action`'s row of the lifecycle table (a conditional update). */
async function move(tx: Tx, m: MeetingRow, action: MeetingAction, set: Partial<MeetingRow> = {}): Promise<void> {
  const { from, to } = MEETING_LIFECYCLE[action]
  const res = await tx
    .update(meetings)
    .set({ ...set, state: to })
    .where(and(eq(meetings.id, m.id), inArray(meetings.state, [...from])))
  if (affectedRows(res) !== 1) throw conflict(ErrorCode.MEETING_STATE, '会议状态刚刚变了，请刷新')
}

/** The words a notice gives the meeting: when, where, what kind. */
async function noticeWords(tx: Tx, villageId: number, m: MeetingRow, startsAt: Date): Promise<string> {
  const [village] = await tx.select({ kind: villages.kind }).from(villages).where(eq(villages.id, villageId))
  return `${dateTimeWords(startsAt)} 在${m.place}召开${meetingKindLabel(m.kind, village!.kind)}`
}

/** Refused with the rule named when `startsAt` leaves less notice than the rule (and it is not 紧急). */
async function checkNotice(tx: Tx, villageId: number, m: MeetingRow, startsAt: Date, urgent: boolean, now: Date) {
  const problem = noticeProblem(m.kind, startsAt, now, await getMeetingSettings(tx, villageId), urgent)
  if (problem) throw new AppError(409, ErrorCode.NOTICE_TOO_SHORT, problem, [{ field: 'startsAt', message: problem }])
}

/**
 * Announcing: the agenda is fixed (a draft only can change it), the notice period is checked, the roll
 * is frozen (the roster's residents as they are now, adults counted on the meeting's date), and everyone
 * called to the meeting is told, in the same transaction as the notice itself.
 */
async function announce(tx: Tx, villageId: number, m: MeetingRow, now: Date): Promise<void> {
  const items = await tx.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.meetingId, m.id))
  if (items.length === 0) throw conflict(ErrorCode.NO_AGENDA, '会议还没有议程，请先加上要议的事')
  await checkNotice(tx, villageId, m, m.startsAt, m.urgentReason !== null, now)
  const rollDate = todayInChina(m.startsAt)
  await move(tx, m, 'announce', { announcedAt: now, rollDate })
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
  const urgent = m.urgentReason ? `（紧急召开：${m.urgentReason}）` : ''
  const body = `${await noticeWords(tx, villageId, m, m.startsAt)}，请准时参加${urgent}`
  await notifyRoll(tx, villageId, m.id, `会议通知：${m.title}`, body)
}

/**
 * Takes one step of the meeting's life (announce, start, close, publish) as the lifecycle table allows,
 * on the meeting row locked: a session starts no earlier than the announced time less the village's grace;
 * closing needs every vote closed; publishing needs the minutes.
 */
export async function advanceMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  action: Exclude<MeetingAction, 'postpone' | 'cancel'>,
  now = new Date(),
): Promise<void> {
  await changeMeeting(db, actor, villageId, meetingId, `meeting.${MEETING_LIFECYCLE[action].to}`, async (tx, found) => {
    const m = await lockMeeting(tx, found.id)
    if (!meetingAllows(m.state, action)) throw notAllowed(m, action)
    if (action === 'announce') await announce(tx, villageId, m, now)
    else if (action === 'start') {
      const earliest = earliestStart(m.startsAt, await getMeetingSettings(tx, villageId))
      if (now < earliest)
        throw conflict(ErrorCode.TOO_EARLY, `还没到开会时间（${dateTimeWords(m.startsAt)}），不能提前开会`)
      await move(tx, m, action)
    } else if (action === 'close') {
      const open = await tx
        .select({ id: votes.id })
        .from(votes)
        .where(and(eq(votes.meetingId, m.id), eq(votes.state, 'open')))
      if (open.length) throw conflict(ErrorCode.MEETING_STATE, '还有表决没有结束，请先结束表决')
      await move(tx, m, action)
    } else {
      if (!m.minutes?.trim()) throw conflict(ErrorCode.MEETING_STATE, '请先写好会议纪要，再公布')
      await move(tx, m, action)
    }
    return { from: m.state, to: MEETING_LIFECYCLE[action].to }
  })
}

/** Before any vote opens, and only as the lifecycle table allows `action`. */
async function checkMovable(tx: Tx, m: MeetingRow, action: 'postpone' | 'cancel'): Promise<void> {
  if (!meetingAllows(m.state, action)) throw notAllowed(m, action)
  if (await anyVoteOpened(tx, m.id))
    throw conflict(ErrorCode.MEETING_STATE, `已经开始表决了，不能${MEETING_LIFECYCLE[action].label}`)
}

/**
 * The committee postpones an announced meeting to a new time, with a reason, before any vote opens. The
 * new notice is given now: the notice period runs again from it (unless 紧急 with a reason); reminders are
 * sent again for the new time; everyone called to the meeting is told. The roll stays as it was frozen.
 */
export async function postponeMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  body: { startsAt: string; reason: string; urgentReason?: string },
  now = new Date(),
): Promise<void> {
  await changeMeeting(db, actor, villageId, meetingId, 'meeting.postponed', async (tx, found) => {
    const m = await lockMeeting(tx, found.id)
    await checkMovable(tx, m, 'postpone')
    const startsAt = new Date(body.startsAt)
    if (startsAt <= m.startsAt)
      throw new AppError(400, ErrorCode.VALIDATION_FAILED, '延期后的时间要比原来的晚', [
        { field: 'startsAt', message: '要比原来的时间晚' },
      ])
    const urgentReason = body.urgentReason?.trim() || null
    await checkNotice(tx, villageId, m, startsAt, urgentReason !== null, now)
    await move(tx, m, 'postpone', {
      postponedFrom: m.startsAt,
      startsAt,
      announcedAt: now,
      changeReason: body.reason.trim(),
      urgentReason,
      // 征求意见 runs to the new start.
      commentsCloseAt: null,
      remindedDayAt: null,
      remindedHourAt: null,
    })
    const body2 = `改为${await noticeWords(tx, villageId, m, startsAt)}。原因：${body.reason.trim()}`
    await notifyRoll(tx, villageId, m.id, `会议延期：${m.title}`, body2)
    return { from: m.startsAt.toISOString(), to: startsAt.toISOString(), reason: body.reason.trim() }
  })
}

/**
 * The committee cancels a meeting before any vote opens, with a reason. Everyone called is told; the
 * topics (说事) put on its agenda go back to the queue, to be put on another meeting.
 */
export async function cancelMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  reason: string,
): Promise<void> {
  await changeMeeting(db, actor, villageId, meetingId, 'meeting.cancelled', async (tx, found) => {
    const m = await lockMeeting(tx, found.id)
    await checkMovable(tx, m, 'cancel')
    await move(tx, m, 'cancel', { changeReason: reason.trim() })
    const items = tx.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.meetingId, m.id))
    const back = await tx
      .update(topics)
      .set({ state: 'open', agendaItemId: null, decidedBy: null, decidedAt: null })
      .where(and(eq(topics.state, 'accepted'), inArray(topics.agendaItemId, items)))
    await notifyRoll(
      tx,
      villageId,
      m.id,
      `会议取消：${m.title}`,
      `原定${dateTimeWords(m.startsAt)}的会议不开了。原因：${reason.trim()}`,
    )
    return { reason: reason.trim(), topicsBack: affectedRows(back) }
  })
}

/**
 * Reminders to those called to a meeting: the day before and an hour before its time (inbox and WeChat's
 * subscribe message, as every notice). Each is claimed by a conditional update of the meeting, so with
 * several servers running the scheduler it goes once; a postponement clears them for the new time.
 * Returns how many reminders went.
 */
export async function remindMeetings(db: Db, now = new Date()): Promise<number> {
  let sent = 0
  for (const [column, ahead, words] of [
    [meetings.remindedDayAt, 24 * 3600_000, '明天'],
    [meetings.remindedHourAt, 3600_000, '一小时后'],
  ] as const) {
    const due = await db
      .select({ id: meetings.id })
      .from(meetings)
      .where(
        and(
          inArray(meetings.state, ['announced', 'postponed']),
          isNull(column),
          gt(meetings.startsAt, now),
          lte(meetings.startsAt, new Date(now.getTime() + ahead)),
        ),
      )
      .limit(200)
    for (const { id } of due) {
      const went = await transaction(db, async (tx) => {
        const claim = await tx
          .update(meetings)
          .set({ [column.name === 'reminded_day_at' ? 'remindedDayAt' : 'remindedHourAt']: now })
          .where(and(eq(meetings.id, id), isNull(column), inArray(meetings.state, ['announced', 'postponed'])))
        if (affectedRows(claim) !== 1) return false
        const [m] = await tx.select().from(meetings).where(eq(meetings.id, id))
        const body = `${words}${await noticeWords(tx, m!.villageId, m!, m!.startsAt)}，请准时参加`
        await notifyRoll(tx, m!.villageId, m!.id, `开会提醒：${m!.title}`, body)
        return true
      })
      if (went) sent++
    }
  }
  return sent
}
