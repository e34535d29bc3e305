import {
  type CreateMatterBody,
  ErrorCode,
  type Matter,
  type RateMatterBody,
  type RecordStageBody,
} from '@liren/shared/contracts'
import {
  MATTER_STAGE_LABEL,
  MATTER_STAGES,
  type MatterStage,
  needsRework,
  nextMatterStage,
  ratable,
} from '@liren/shared/rules'
import { asc, desc, eq, inArray } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { villageRow } from '../../core/village-rows.js'
import { isDuplicateKey, transaction, type Db, type Executor } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { findMeeting } from './access.js'
import { matterRatings, matterStages, matters } from './tables.js'

type MatterRow = typeof matters.$inferSelect
const matterNotFound = () =>
  new AppError(404, ErrorCode.MATTER_NOT_FOUND, '找不到这个事项', [{ field: 'matterId', message: '不存在' }])
const order = (s: MatterStage) => MATTER_STAGES.indexOf(s)

async function views(db: Executor, rows: MatterRow[], personId: number | null): Promise<Matter[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [stages, ratings] = await Promise.all([
    db.select().from(matterStages).where(inArray(matterStages.matterId, ids)),
    db
      .select({ matterId: matterRatings.matterId, personId: matterRatings.personId, rating: matterRatings.rating })
      .from(matterRatings)
      .where(inArray(matterRatings.matterId, ids)),
  ])
  return rows.map((m) => {
    const mine = stages.filter((s) => s.matterId === m.id).sort((a, b) => order(a.stage) - order(b.stage))
    const recorded = mine.map((s) => s.stage)
    const rated = ratings.filter((r) => r.matterId === m.id)
    const count = (rating: string) => rated.filter((r) => r.rating === rating).length
    const myRating = rated.find((r) => r.personId === personId)?.rating ?? null
    return {
      id: m.id,
      title: m.title,
      description: m.description,
      stages: mine.map((s) => ({
        stage: s.stage,
        heldOn: s.heldOn,
        meetingId: s.meetingId,
        outcome: s.outcome,
        document: s.document,
        recordedAt: s.createdAt.toISOString(),
      })),
      nextStage: nextMatterStage(recorded),
      ratings: {
        satisfied: count('satisfied'),
        basicallySatisfied: count('basically_satisfied'),
        unsatisfied: count('unsatisfied'),
      },
      needsRework: needsRework(count('satisfied'), rated.length),
      myRating,
      canRate: personId !== null && myRating === null && ratable(recorded),
      createdAt: m.createdAt.toISOString(),
    }
  })
}

async function findMatter(db: Executor, villageId: number, matterId: number, lock = false): Promise<MatterRow> {
  const m = await villageRow(db, matters, villageId, matterId, { lock })
  if (!m) throw matterNotFound()
  return m
}

export async function getMatter(
  db: Executor,
  villageId: number,
  matterId: number,
  personId: number | null,
): Promise<Matter> {
  return (await views(db, [await findMatter(db, villageId, matterId)], personId))[0]!
}

export async function listMatters(db: Executor, villageId: number, personId: number | null): Promise<Matter[]> {
  return views(
    db,
    await db.select().from(matters).where(eq(matters.villageId, villageId)).orderBy(desc(matters.id)).limit(100),
    personId,
  )
}

export async function createMatter(db: Db, actor: Actor, villageId: number, body: CreateMatterBody): Promise<number> {
  return transaction(db, async (tx) => {
    const [{ id }] = (await tx
      .insert(matters)
      .values({ villageId, title: body.title.trim(), description: body.description.trim(), createdBy: actor.userId })
      .$returningId()) as [{ id: number }]
    await audit(tx, actor, { villageId, action: 'matter.created', entity: 'matter', entityId: id })
    return id
  })
}

/**
 * The committee records a matter's next stage, in order and once each (the matter row locked; the
 * primary key as the last word). 决议 names the closed 村民代表会议 or 村民会议 that decided it.
 */
export async function recordStage(
  db: Db,
  actor: Actor,
  villageId: number,
  matterId: number,
  body: RecordStageBody,
): Promise<void> {
  try {
    await transaction(db, async (tx) => {
      const m = await findMatter(tx, villageId, matterId, true)
      const recorded = (
        await tx
          .select({ stage: matterStages.stage })
          .from(matterStages)
          .where(eq(matterStages.matterId, m.id))
          .orderBy(asc(matterStages.createdAt))
      ).map((s) => s.stage)
      const next = nextMatterStage(recorded)
      if (body.stage !== next) {
        const message = next ? `现在该记“${MATTER_STAGE_LABEL[next]}”，四议两公开要按顺序来` : '六个环节都已经记完了'
        throw new AppError(400, ErrorCode.STAGE_ORDER, message, [{ field: 'stage', message }])
      }
      let meetingId: number | null = null
      if (body.stage === 'resolution') {
        if (body.meetingId === undefined)
          throw new AppError(400, ErrorCode.VALIDATION_FAILED, '请选作出决议的会议', [
            { field: 'meetingId', message: '决议要写明是哪次会议' },
          ])
        const meeting = await findMeeting(tx, villageId, body.meetingId, true)
        if (meeting.kind === 'deliberation' || (meeting.state !== 'closed' && meeting.state !== 'published')) {
          throw conflict(ErrorCode.MEETING_STATE, '决议要由已经开过的村民代表会议或村民会议作出')
        }
        meetingId = meeting.id
      }
      await tx.insert(matterStages).values({
        matterId: m.id,
        stage: body.stage,
        heldOn: body.heldOn,
        meetingId,
        outcome: body.outcome.trim(),
        document: body.document?.trim() || null,
        recordedBy: actor.userId,
      })
      await audit(tx, actor, {
        villageId,
        action: 'matter.stage_recorded',
        entity: 'matter',
        entityId: m.id,
        data: { stage: body.stage, meetingId },
      })
    })
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY'))
      throw new AppError(400, ErrorCode.STAGE_ORDER, '这个环节已经记过了', [{ field: 'stage', message: '已经记过' }])
    throw err
  }
}

/** 监督评议: a resident rates a matter once its result has been published, once. */
export async function rateMatter(
  db: Db,
  actor: Actor,
  villageId: number,
  matterId: number,
  personId: number,
  body: RateMatterBody,
): Promise<void> {
  try {
    await transaction(db, async (tx) => {
      const m = await findMatter(tx, villageId, matterId)
      const recorded = (
        await tx.select({ stage: matterStages.stage }).from(matterStages).where(eq(matterStages.matterId, m.id))
      ).map((s) => s.stage)
      if (!ratable(recorded)) throw conflict(ErrorCode.NOT_RATABLE, '实施结果公开以后才能评议')
      await tx
        .insert(matterRatings)
        .values({ matterId: m.id, personId, rating: body.rating, comment: body.comment?.trim() || null })
      await audit(tx, actor, {
        villageId,
        action: 'matter.rated',
        entity: 'matter',
        entityId: m.id,
        data: { rating: body.rating },
      })
    })
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY')) throw conflict(ErrorCode.ALREADY_RATED, '您已经评议过了，每人一次')
    throw err
  }
}
