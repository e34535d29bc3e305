import { type AgendaComment, ErrorCode } from '@liren/shared/contracts'
import { can, meetingIsNoticed, shownName } from '@liren/shared/rules'
import { and, asc, eq, isNull } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { affectedRows, transaction, type Db, type Executor } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import type { WechatClient } from '../../core/wechat.js'
import { identityTables, type VillageMember } from '../identity/index.js'
import { changeMeeting, findMeeting } from './access.js'
import { agendaComments, agendaItems } from './tables.js'

const { persons, users } = identityTables

/**
 * 征求意见: a member comments on an agenda item while the meeting is announced, from the notice until
 * the committee's deadline (at the latest the start). The text passes WeChat's content check first: risky text is refused, unclear text is held.
 */
export async function addComment(
  db: Db,
  wechat: WechatClient,
  actor: Actor,
  villageId: number,
  meetingId: number,
  itemId: number,
  personId: number,
  body: string,
  now = new Date(),
): Promise<number> {
  const m = await findMeeting(db, villageId, meetingId, false)
  if (!meetingIsNoticed(m.state)) throw conflict(ErrorCode.MEETING_STATE, '征求意见在会议通知以后、开会以前')
  if (now > (m.commentsCloseAt ?? m.startsAt)) throw conflict(ErrorCode.COMMENTS_CLOSED, '征求意见已经截止了')
  const [item] = await db
    .select({ id: agendaItems.id })
    .from(agendaItems)
    .where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, m.id)))
  if (!item)
    throw new AppError(404, ErrorCode.NOT_FOUND, '这次会议没有这项议程', [{ field: 'itemId', message: '不存在' }])
  const [me] = await db.select({ openid: users.openid }).from(users).where(eq(users.id, actor.userId))
  const check = await wechat.checkText(body, me!.openid)
  if (check === 'risky')
    throw new AppError(400, ErrorCode.CONTENT_REJECTED, '内容里有不合适的话，请修改后再提交', [
      { field: 'body', message: '没有通过内容安全检查' },
    ])
  return transaction(db, async (tx) => {
    const [{ id }] = (await tx
      .insert(agendaComments)
      .values({
        meetingId: m.id,
        agendaItemId: item.id,
        personId,
        userId: actor.userId,
        body: body.trim(),
        held: check !== 'pass',
      })
      .$returningId()) as [{ id: number }]
    await audit(tx, actor, {
      villageId,
      action: 'meeting.commented',
      entity: 'meeting',
      entityId: m.id,
      data: { commentId: id },
    })
    return id
  })
}

/** A meeting's comments, oldest first: members see names masked and none held or hidden but their own; the committee sees all. */
export async function listComments(
  db: Executor,
  villageId: number,
  meetingId: number,
  member: VillageMember,
): Promise<AgendaComment[]> {
  const { personId } = member
  const committee = can(member, 'meetings.manage')
  const m = await findMeeting(db, villageId, meetingId, committee)
  const rows = await db
    .select({ c: agendaComments, name: persons.name })
    .from(agendaComments)
    .innerJoin(persons, eq(persons.id, agendaComments.personId))
    .where(eq(agendaComments.meetingId, m.id))
    .orderBy(asc(agendaComments.id))
  return rows
    .filter(({ c }) => committee || c.personId === personId || (!c.held && c.hiddenReason === null))
    .map(({ c, name }) => ({
      id: c.id,
      agendaItemId: c.agendaItemId,
      author: shownName(name, committee),
      body: c.body,
      mine: c.personId === personId,
      held: c.held || c.hiddenReason !== null,
      hiddenReason: c.hiddenReason,
      createdAt: c.createdAt.toISOString(),
    }))
}

/** The committee hides a comment from members, once, with a reason its author sees. */
export async function hideComment(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  commentId: number,
  reason: string,
): Promise<void> {
  await changeMeeting(db, actor, villageId, meetingId, 'meeting.comment_hidden', async (tx, m) => {
    const res = await tx
      .update(agendaComments)
      .set({ hiddenReason: reason.trim(), hiddenBy: actor.userId })
      .where(
        and(eq(agendaComments.id, commentId), eq(agendaComments.meetingId, m.id), isNull(agendaComments.hiddenReason)),
      )
    if (affectedRows(res) !== 1)
      throw new AppError(404, ErrorCode.NOT_FOUND, '没有这条意见，或已经隐藏了', [
        { field: 'commentId', message: '不存在或已隐藏' },
      ])
    return { commentId, reason }
  })
}
