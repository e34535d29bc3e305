import { type CreateMeetingBody, ErrorCode } from '@liren/shared/contracts'
import { DEFAULT_OPTIONS, defaultElectorate } from '@liren/shared/rules'
import { eq, inArray, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db, type Tx } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { findMeeting, lockMeeting } from './access.js'
import { agendaItems, meetings, topics, voteOptions, votes } from './tables.js'

/** What is wrong with an agenda item's vote, if anything (a field path and a message). */
function voteProblem(
  vote: NonNullable<CreateMeetingBody['agenda'][number]['vote']>,
  at: string,
): { field: string; message: string } | null {
  const options = vote.options ?? DEFAULT_OPTIONS
  const choosable = options.filter((o) => o.kind !== 'abstain')
  const maxChoices = vote.maxChoices ?? 1
  if (choosable.length === 0) return { field: `${at}.options`, message: '至少要有一个可以选的选项' }
  if (new Set(options.map((o) => o.label.trim())).size !== options.length)
    return { field: `${at}.options`, message: '选项不能重名' }
  const motion = options.some((o) => o.kind === 'agree' || o.kind === 'oppose')
  if (motion && options.some((o) => o.kind === 'choice'))
    return { field: `${at}.options`, message: '同意/反对的表决不能再混入其他方案' }
  if (motion && maxChoices !== 1) return { field: `${at}.maxChoices`, message: '同意/反对的表决只能选一项' }
  if (maxChoices > choosable.length) return { field: `${at}.maxChoices`, message: `最多只能选 ${choosable.length} 项` }
  return null
}

/** What is wrong with a meeting's body, if anything (every problem, each with its field). */
function meetingProblems(body: CreateMeetingBody, now: Date): { field: string; message: string }[] {
  const startsAt = new Date(body.startsAt)
  const commentsCloseAt = body.commentsCloseAt ? new Date(body.commentsCloseAt) : null
  return [
    ...(commentsCloseAt && commentsCloseAt > startsAt
      ? [{ field: 'commentsCloseAt', message: '征求意见要在开会以前截止' }]
      : []),
    ...(commentsCloseAt && commentsCloseAt < now
      ? [{ field: 'commentsCloseAt', message: '征求意见的截止时间已经过了' }]
      : []),
    ...body.agenda
      .flatMap((item, i) => (item.vote ? [voteProblem(item.vote, `agenda.${i}.vote`)] : []))
      .filter((p) => p !== null),
  ]
}

function checkBody(body: CreateMeetingBody, now: Date): void {
  const problems = meetingProblems(body, now)
  if (problems.length) throw new AppError(400, ErrorCode.VALIDATION_FAILED, problems[0]!.message, problems)
}

/** The meeting's own fields from a body (create and edit alike). */
const fieldsOf = (body: CreateMeetingBody) => ({
  kind: body.kind,
  title: body.title.trim(),
  description: body.description?.trim() ?? '',
  place: body.place.trim(),
  startsAt: new Date(body.startsAt),
  commentsCloseAt: body.commentsCloseAt ? new Date(body.commentsCloseAt) : null,
  online: body.online,
  urgentReason: body.urgentReason?.trim() || null,
})

/** An agenda item's vote and its options, as the body gives them. */
async function insertVote(
  tx: Tx,
  meetingId: number,
  itemId: number,
  kind: CreateMeetingBody['kind'],
  v: NonNullable<CreateMeetingBody['agenda'][number]['vote']>,
): Promise<void> {
  const [{ id: voteId }] = (await tx
    .insert(votes)
    .values({
      meetingId,
      agendaItemId: itemId,
      question: v.question.trim(),
      secret: v.secret,
      electorate: v.electorate ?? defaultElectorate(kind),
      passRule: v.passRule ?? 'majority',
      maxChoices: v.maxChoices ?? 1,
    })
    .$returningId()) as [{ id: number }]
  await tx.insert(voteOptions).values(
    (v.options ?? DEFAULT_OPTIONS).map((o, position) => ({
      voteId,
      position: position + 1,
      label: o.label.trim(),
      kind: o.kind,
    })),
  )
}

/** The committee drafts a meeting with its agenda; each item may carry a vote. */
export async function createMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  body: CreateMeetingBody,
  now = new Date(),
): Promise<number> {
  checkBody(body, now)
  if (body.agenda.some((item) => item.id !== undefined))
    throw new AppError(400, ErrorCode.VALIDATION_FAILED, '新会议的议程还没有编号', [
      { field: 'agenda', message: '新会议的议程不能带编号' },
    ])
  return transaction(db, async (tx) => {
    const [{ id }] = (await tx
      .insert(meetings)
      .values({ villageId, ...fieldsOf(body), createdBy: actor.userId })
      .$returningId()) as [{ id: number }]
    for (const [i, item] of body.agenda.entries()) {
      const [{ id: itemId }] = (await tx
        .insert(agendaItems)
        .values({
          meetingId: id,
          position: i + 1,
          title: item.title.trim(),
          description: item.description?.trim() ?? '',
        })
        .$returningId()) as [{ id: number }]
      if (item.vote) await insertVote(tx, id, itemId, body.kind, item.vote)
    }
    await audit(tx, actor, {
      villageId,
      action: 'meeting.created',
      entity: 'meeting',
      entityId: id,
      data: { kind: body.kind, items: body.agenda.length },
    })
    return id
  })
}

/**
 * The committee edits a draft in full: its fields, and its agenda as the body lists it. An item named by
 * its id is kept (with the topic put on it), others are new; an item left out goes, and a topic put on
 * it goes back to the queue. Votes of a draft have no ballots: they are written again as the body says.
 */
export async function editMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  body: CreateMeetingBody,
  now = new Date(),
): Promise<void> {
  checkBody(body, now)
  await transaction(db, async (tx) => {
    await findMeeting(tx, villageId, meetingId, true)
    const m = await lockMeeting(tx, meetingId)
    if (m.state !== 'draft') throw conflict(ErrorCode.MEETING_STATE, '会议已经发出通知，不能再改；可以延期或者取消')
    const existing = await tx.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.meetingId, m.id))
    const ids = new Set(existing.map((e) => e.id))
    const unknown = body.agenda.findIndex((item) => item.id !== undefined && !ids.has(item.id))
    if (unknown >= 0)
      throw new AppError(400, ErrorCode.VALIDATION_FAILED, '议程里有一项不是这个会议的', [
        { field: `agenda.${unknown}.id`, message: '不是这个会议的议程' },
      ])
    const kept = new Set(body.agenda.flatMap((item) => (item.id === undefined ? [] : [item.id])))
    if (kept.size !== body.agenda.filter((item) => item.id !== undefined).length)
      throw new AppError(400, ErrorCode.VALIDATION_FAILED, '议程里有一项写了两次', [
        { field: 'agenda', message: '同一项议程只能出现一次' },
      ])
    const gone = existing.map((e) => e.id).filter((id) => !kept.has(id))
    await tx.update(meetings).set(fieldsOf(body)).where(eq(meetings.id, m.id))
    // The draft's votes are written again; the items left out go, their topics back to the queue.
    const draftVotes = tx.select({ id: votes.id }).from(votes).where(eq(votes.meetingId, m.id))
    await tx.delete(voteOptions).where(inArray(voteOptions.voteId, draftVotes))
    await tx.delete(votes).where(eq(votes.meetingId, m.id))
    if (gone.length) {
      await tx
        .update(topics)
        .set({ state: 'open', agendaItemId: null, decidedBy: null, decidedAt: null })
        .where(inArray(topics.agendaItemId, gone))
      await tx.delete(agendaItems).where(inArray(agendaItems.id, gone))
    }
    // Positions are unique per meeting: the kept items step aside before taking their new places.
    await tx
      .update(agendaItems)
      .set({ position: sql`${agendaItems.position} + 100` })
      .where(eq(agendaItems.meetingId, m.id))
    for (const [i, item] of body.agenda.entries()) {
      const fields = { position: i + 1, title: item.title.trim(), description: item.description?.trim() ?? '' }
      let itemId = item.id
      if (itemId === undefined)
        [{ id: itemId }] = (await tx
          .insert(agendaItems)
          .values({ meetingId: m.id, ...fields })
          .$returningId()) as [{ id: number }]
      else await tx.update(agendaItems).set(fields).where(eq(agendaItems.id, itemId))
      if (item.vote) await insertVote(tx, m.id, itemId, body.kind, item.vote)
    }
    await audit(tx, actor, {
      villageId,
      action: 'meeting.edited',
      entity: 'meeting',
      entityId: m.id,
      data: { items: body.agenda.length, removed: gone.length },
    })
  })
}
