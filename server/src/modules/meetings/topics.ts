import { ErrorCode, type ProposeTopicBody, type Topic, type TopicState } from '@liren/shared/contracts'
import { can, hearingThreshold, isAdultOn, shownName } from '@liren/shared/rules'
import { and, desc, eq, inArray, max, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { villageRow } from '../../core/village-rows.js'
import { affectedRows, isDuplicateKey, transaction, type Db, type Executor } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { attachPhotos, photoUrls } from '../../core/photos.js'
import { todayInChina } from '../../core/time.js'
import type { WechatClient } from '../../core/wechat.js'
import { identityTables, notify, type VillageMember } from '../identity/index.js'
import { findMeeting } from './access.js'
import { agendaItems, topicSupports, topics } from './tables.js'

const { persons, users } = identityTables
type TopicRow = typeof topics.$inferSelect
const topicNotFound = () =>
  new AppError(404, ErrorCode.TOPIC_NOT_FOUND, '找不到这个议题', [{ field: 'topicId', message: '不存在' }])
const closed = () => conflict(ErrorCode.TOPIC_CLOSED, '这个议题已经处理过了')

/** Who is looking: the committee sees held topics too; a member sees their own. */
export interface TopicViewer {
  committee: boolean
  personId: number | null
}
export const viewerOf = (member: VillageMember): TopicViewer => ({
  committee: can(member, 'meetings.manage'),
  personId: member.personId,
})

/** A tenth of the village's adult residents today (第二十一条), at least one. */
export async function topicThreshold(db: Executor, villageId: number): Promise<number> {
  const people = await db
    .select({ birthDate: persons.birthDate })
    .from(persons)
    .where(and(eq(persons.villageId, villageId), eq(persons.status, 'resident')))
  const today = todayInChina()
  return hearingThreshold(people.filter((p) => isAdultOn(p.birthDate, today)).length)
}

async function views(db: Executor, villageId: number, rows: TopicRow[], viewer: TopicViewer): Promise<Topic[]> {
  if (rows.length === 0) return []
  const need = await topicThreshold(db, villageId)
  const names = await db
    .select({ id: persons.id, name: persons.name })
    .from(persons)
    .where(eq(persons.villageId, villageId))
  const mine =
    viewer.personId === null
      ? []
      : await db
          .select({ topicId: topicSupports.topicId })
          .from(topicSupports)
          .where(eq(topicSupports.personId, viewer.personId))
  const itemIds = rows.flatMap((r) => (r.agendaItemId === null ? [] : [r.agendaItemId]))
  const items = itemIds.length
    ? await db
        .select({ id: agendaItems.id, meetingId: agendaItems.meetingId })
        .from(agendaItems)
        .where(inArray(agendaItems.id, itemIds))
    : []
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    photos: r.photos.map(photoUrls),
    // The committee sees who proposed it; other villagers see the name masked (张*兰).
    proposerName: shownName(
      names.find((n) => n.id === r.proposerPersonId)?.name ?? '',
      viewer.committee || r.proposerPersonId === viewer.personId,
    ),
    state: r.state,
    supporters: r.supporters,
    threshold: need,
    mustBeHeard: r.supporters >= need,
    supportedByMe: mine.some((m) => m.topicId === r.id),
    mine: r.proposerPersonId === viewer.personId,
    held: r.held,
    declineReason: r.declineReason,
    mergedIntoId: r.mergedIntoId,
    meetingId: items.find((i) => i.id === r.agendaItemId)?.meetingId ?? null,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  }))
}

export async function findTopic(
  db: Executor,
  villageId: number,
  topicId: number,
  viewer: TopicViewer,
  lock = false,
): Promise<TopicRow> {
  const t = await villageRow(db, topics, villageId, topicId, { lock })
  if (!t || (t.held && !viewer.committee && t.proposerPersonId !== viewer.personId)) throw topicNotFound()
  return t
}

export async function getTopic(db: Executor, villageId: number, topicId: number, viewer: TopicViewer): Promise<Topic> {
  return (await views(db, villageId, [await findTopic(db, villageId, topicId, viewer)], viewer))[0]!
}

/** The village's topics; open ones with the most supporters first. Held ones only for their proposer and the committee. */
export async function listTopics(
  db: Executor,
  villageId: number,
  viewer: TopicViewer,
  state?: TopicState,
): Promise<Topic[]> {
  const rows = await db
    .select()
    .from(topics)
    .where(and(eq(topics.villageId, villageId), state ? eq(topics.state, state) : undefined))
    .orderBy(desc(topics.supporters), desc(topics.id))
    .limit(200)
  return views(
    db,
    villageId,
    rows.filter((r) => !r.held || viewer.committee || r.proposerPersonId === viewer.personId),
    viewer,
  )
}

/** 我的提议: the topics the caller proposed in the village, held ones too, the latest first. */
export async function listMyTopics(db: Executor, villageId: number, viewer: TopicViewer): Promise<Topic[]> {
  if (viewer.personId === null) return []
  const rows = await db
    .select()
    .from(topics)
    .where(and(eq(topics.villageId, villageId), eq(topics.proposerPersonId, viewer.personId)))
    .orderBy(desc(topics.id))
    .limit(200)
  return views(db, villageId, rows, viewer)
}

/** A member proposes a topic; the text passes WeChat's content check first (risky text is refused). */
export async function proposeTopic(
  db: Db,
  wechat: WechatClient,
  actor: Actor,
  villageId: number,
  personId: number,
  body: ProposeTopicBody,
): Promise<number> {
  const [me] = await db.select({ openid: users.openid }).from(users).where(eq(users.id, actor.userId))
  const check = await wechat.checkText(`${body.title} ${body.description}`, me!.openid)
  if (check === 'risky')
    throw new AppError(400, ErrorCode.CONTENT_REJECTED, '内容里有不合适的话，请修改后再提交', [
      { field: 'description', message: '没有通过内容安全检查' },
    ])
  return transaction(db, async (tx) => {
    const photos = body.photos ?? []
    await attachPhotos(tx, photos, 'photos')
    const [{ id }] = (await tx
      .insert(topics)
      .values({
        villageId,
        title: body.title.trim(),
        description: body.description.trim(),
        photos,
        proposerPersonId: personId,
        proposerUserId: actor.userId,
        held: check !== 'pass',
      })
      .$returningId()) as [{ id: number }]
    await tx.insert(topicSupports).values({ topicId: id, personId })
    await audit(tx, actor, { villageId, action: 'topic.proposed', entity: 'topic', entityId: id })
    return id
  })
}

/** 附议: a member backs an open topic, once (the primary key); the count moves in the same transaction. */
export async function supportTopic(
  db: Db,
  actor: Actor,
  villageId: number,
  topicId: number,
  viewer: TopicViewer,
): Promise<void> {
  try {
    await transaction(db, async (tx) => {
      const t = await findTopic(tx, villageId, topicId, viewer)
      if (t.state !== 'open' || t.held) throw closed()
      await tx.insert(topicSupports).values({ topicId: t.id, personId: viewer.personId! })
      await tx
        .update(topics)
        .set({ supporters: sql`${topics.supporters} + 1` })
        .where(eq(topics.id, t.id))
      await audit(tx, actor, { villageId, action: 'topic.supported', entity: 'topic', entityId: t.id })
    })
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY'))
      throw conflict(ErrorCode.ALREADY_SUPPORTED, '您已经附议过了（提出的人已算一人）')
    throw err
  }
}

type Decision =
  { to: 'accepted'; meetingId: number } | { to: 'merged'; intoTopicId: number } | { to: 'declined'; reason: string }

/**
 * The committee decides on an open topic, once (a conditional update): onto a draft meeting's agenda as
 * a new item at the end, merged into another open topic, or declined with a reason.
 */
export async function decideTopic(
  db: Db,
  actor: Actor,
  villageId: number,
  topicId: number,
  decision: Decision,
  now = new Date(),
): Promise<void> {
  await transaction(db, async (tx) => {
    const t = await findTopic(tx, villageId, topicId, { committee: true, personId: null }, true)
    if (t.state !== 'open') throw closed()
    const set: Partial<TopicRow> = { state: decision.to, decidedBy: actor.userId, decidedAt: now }
    if (decision.to === 'accepted') {
      const m = await findMeeting(tx, villageId, decision.meetingId, true)
      if (m.state !== 'draft')
        throw conflict(ErrorCode.MEETING_STATE, '会议已经发出通知，议程不能再加了；请选一个还没通知的会议')
      const [{ last }] = (await tx
        .select({ last: max(agendaItems.position) })
        .from(agendaItems)
        .where(eq(agendaItems.meetingId, m.id))) as [{ last: number | null }]
      const [{ id }] = (await tx
        .insert(agendaItems)
        .values({
          meetingId: m.id,
          position: (last ?? 0) + 1,
          title: t.title.slice(0, 100),
          description: t.description,
        })
        .$returningId()) as [{ id: number }]
      set.agendaItemId = id
    } else if (decision.to === 'merged') {
      if (decision.intoTopicId === t.id)
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, '不能并入它自己', [
          { field: 'intoTopicId', message: '是同一个议题' },
        ])
      const into = await findTopic(tx, villageId, decision.intoTopicId, { committee: true, personId: null }).catch(
        () => {
          throw new AppError(404, ErrorCode.TOPIC_NOT_FOUND, '要并入的议题不存在', [
            { field: 'intoTopicId', message: '不存在' },
          ])
        },
      )
      if (into.state !== 'open') throw conflict(ErrorCode.TOPIC_CLOSED, '要并入的议题已经处理过了')
      set.mergedIntoId = into.id
    } else {
      set.declineReason = decision.reason.trim()
    }
    const res = await tx
      .update(topics)
      .set(set)
      .where(and(eq(topics.id, t.id), eq(topics.state, 'open')))
    if (affectedRows(res) !== 1) throw closed()
    const told = {
      accepted: '已列入会议议程',
      merged: '已并入另一个同样的议题',
      declined: `不予采纳：${set.declineReason ?? ''}`,
    }[decision.to]
    await notify(tx, [
      {
        userId: t.proposerUserId,
        villageId,
        page: `packages/meetings/topic/index?villageId=${villageId}&topicId=${t.id}`,
        title: `您提的“${t.title}”`.slice(0, 60),
        body: told,
      },
    ])
    await audit(tx, actor, {
      villageId,
      action: `topic.${decision.to}`,
      entity: 'topic',
      entityId: t.id,
      data: { ...decision },
    })
  })
}
