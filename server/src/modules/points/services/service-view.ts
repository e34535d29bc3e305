import { ErrorCode, type NeighbourService } from '@liren/shared/contracts'
import { maskName } from '@liren/shared/rules'
import { and, desc, eq, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/mysql-core'
import type { Executor } from '../../../core/db.js'
import { villageRow } from '../../../core/village-rows.js'
import { notFound } from '../../../core/errors.js'
import { identityTables } from '../../identity/index.js'
import { neighbourServices } from '../tables.js'

const { persons } = identityTables
const poster = alias(persons, 'poster')
const taker = alias(persons, 'taker')

export type ServiceRow = typeof neighbourServices.$inferSelect

/** Enough for a village's board; the list has no paging yet. */
const LIMIT = 200

export const serviceNotFound = () => notFound(ErrorCode.SERVICE_NOT_FOUND, '找不到这条服务', 'serviceId')

/** Who receives the service (and pays): the taker of an offer, the poster of a request. */
export const receiverOf = (s: Pick<ServiceRow, 'kind' | 'posterPersonId' | 'takerPersonId'>) =>
  s.kind === 'offer' ? s.takerPersonId : s.posterPersonId
export const providerOf = (s: Pick<ServiceRow, 'kind' | 'posterPersonId' | 'takerPersonId'>) =>
  s.kind === 'offer' ? s.posterPersonId : s.takerPersonId

/** A service of this village; another village's is as good as missing. */
export async function findService(db: Executor, villageId: number, serviceId: number): Promise<ServiceRow> {
  const s = await villageRow(db, neighbourServices, villageId, serviceId)
  if (!s) throw serviceNotFound()
  return s
}

function query(db: Executor) {
  return db
    .select({ s: neighbourServices, posterName: poster.name, takerName: taker.name })
    .from(neighbourServices)
    .innerJoin(poster, eq(poster.id, neighbourServices.posterPersonId))
    .leftJoin(taker, eq(taker.id, neighbourServices.takerPersonId))
}

/** Names are masked (张*明) for everyone but the person themself. */
function toService(
  { s, posterName, takerName }: { s: ServiceRow; posterName: string; takerName: string | null },
  me: number | null,
): NeighbourService {
  const mine = s.posterPersonId === me
  const takenByMe = s.takerPersonId !== null && s.takerPersonId === me
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    description: s.description,
    points: s.points,
    posterName: mine ? posterName : maskName(posterName),
    takerName: takerName === null ? null : takenByMe ? takerName : maskName(takerName),
    status: s.status,
    mine,
    takenByMe,
    createdAt: s.createdAt.toISOString(),
  }
}

/** One service as the caller (`me`, a roster person or null) sees it. */
export async function serviceFor(
  db: Executor,
  villageId: number,
  serviceId: number,
  me: number | null,
): Promise<NeighbourService> {
  const [row] = await query(db).where(
    and(eq(neighbourServices.id, serviceId), eq(neighbourServices.villageId, villageId)),
  )
  if (!row) throw serviceNotFound()
  return toService(row, me)
}

/** The village's services: open ones first, then the latest. */
export async function listServices(db: Executor, villageId: number, me: number | null): Promise<NeighbourService[]> {
  const rows = await query(db)
    .where(eq(neighbourServices.villageId, villageId))
    .orderBy(
      sql`${neighbourServices.status} = 'open' DESC`,
      desc(neighbourServices.createdAt),
      desc(neighbourServices.id),
    )
    .limit(LIMIT)
  return rows.map((row) => toService(row, me))
}

/** 我的服务: what the caller (`me`) posted or took in the village, the latest first. */
export async function listMyServices(db: Executor, villageId: number, me: number | null): Promise<NeighbourService[]> {
  if (me === null) return []
  const rows = await query(db)
    .where(
      and(
        eq(neighbourServices.villageId, villageId),
        or(eq(neighbourServices.posterPersonId, me), eq(neighbourServices.takerPersonId, me)),
      ),
    )
    .orderBy(desc(neighbourServices.createdAt), desc(neighbourServices.id))
    .limit(LIMIT)
  return rows.map((row) => toService(row, me))
}
