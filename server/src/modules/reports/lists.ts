import type { FeedQuery, QueueQuery, ReportPage, ReportSummary } from '@liren/shared/contracts'
import { can, canOnSome, holdsTie, OPEN_STATES } from '@liren/shared/rules'
import { and, desc, eq, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { forbidden } from '../../core/errors.js'
import { identityTables, type VillageMember } from '../identity/index.js'
import { toSummary } from './view.js'
import { reports } from './tables.js'

const { grids, gridWorkers } = identityTables

/** Reports with the names of their grids, for lists. */
const withGridNames = (db: Executor) =>
  db.select({ r: reports, gridName: grids.name }).from(reports).leftJoin(grids, eq(grids.id, reports.gridId)).$dynamic()

/**
 * One page, newest first. The ids come first from the index alone (a range that stops after one page),
 * then the rows by id, in one statement: asked for whole rows at once, MariaDB walks the index from the
 * top and filters, which on a deep cursor read 150,000 rows for 21.
 */
async function page(
  db: Executor,
  where: SQL | undefined,
  q: { cursor?: string; limit?: number },
  now: Date,
): Promise<ReportPage> {
  const limit = q.limit ?? 20
  const ids = db
    .select({ id: reports.id })
    .from(reports)
    .where(and(where, q.cursor ? lt(reports.id, Number(q.cursor)) : undefined))
    .orderBy(desc(reports.id))
    .limit(limit + 1)
    .as('page_ids')
  const rows = await withGridNames(db).innerJoin(ids, eq(ids.id, reports.id)).orderBy(desc(reports.id))
  const shown = rows.slice(0, limit)
  return {
    items: shown.map(({ r, gridName }) => toSummary(r, gridName, now)),
    nextCursor: rows.length > limit ? String(shown[shown.length - 1]!.r.id) : null,
  }
}

/** The village feed: public reports, newest first, a page at a time (cursor = the last id seen). */
export function feed(db: Executor, villageId: number, q: FeedQuery, now = new Date()): Promise<ReportPage> {
  return page(
    db,
    and(
      eq(reports.villageId, villageId),
      eq(reports.isPublic, true),
      q.category ? eq(reports.category, q.category) : undefined,
      q.state ? eq(reports.state, q.state) : undefined,
    ),
    q,
    now,
  )
}

/** What the caller reported, or filed for someone (代办), public or not. */
export function myReports(
  db: Executor,
  villageId: number,
  userId: number,
  q: FeedQuery,
  now = new Date(),
): Promise<ReportPage> {
  return page(
    db,
    and(eq(reports.villageId, villageId), or(eq(reports.reporterUserId, userId), eq(reports.filedBy, userId))),
    q,
    now,
  )
}

/**
 * The reports a handler may work on: the committee's (and town admins') every report, a grid worker's
 * their grids' (`scope`, undefined for every report), and the grids they work.
 */
async function handlerScope(db: Executor, member: VillageMember): Promise<{ myGrids: number[]; scope?: SQL }> {
  const myGrids =
    holdsTie(member, 'reports.handle') && member.membershipId !== null
      ? (
          await db
            .select({ gridId: gridWorkers.gridId })
            .from(gridWorkers)
            .where(eq(gridWorkers.membershipId, member.membershipId))
        ).map((g) => g.gridId)
      : []
  if (can(member, 'reports.handle')) return { myGrids }
  return { myGrids, scope: myGrids.length > 0 ? inArray(reports.gridId, myGrids) : sql`FALSE` }
}

/** A village's open reports. */
const openIn = (villageId: number) => and(eq(reports.villageId, villageId), inArray(reports.state, [...OPEN_STATES]))
/** The deadline an open report is waiting on: acceptance while submitted, then resolution (the view's `overdue`). */
const dueAt = sql`CASE WHEN ${reports.state} = 'submitted' THEN ${reports.acceptDueAt} ELSE ${reports.resolveDueAt} END`

/**
 * 待办 of a handler: the open reports their queue opens on (the committee's every one, a grid worker's
 * their grids') and how many of them are overdue, counted by the database; null for anyone else.
 */
export async function countToHandle(
  db: Executor,
  member: VillageMember,
  villageId: number,
  now = new Date(),
): Promise<{ open: number; overdue: number } | null> {
  if (!canOnSome(member, 'reports.handle')) return null
  const { scope } = await handlerScope(db, member)
  const [row] = await db
    .select({ open: sql<number>`COUNT(*)`, overdue: sql<number>`COALESCE(SUM(${dueAt} < ${now}), 0)` })
    .from(reports)
    .where(and(openIn(villageId), scope))
  return { open: Number(row?.open ?? 0), overdue: Number(row?.overdue ?? 0) }
}

/**
 * A handler's work queue, open reports only, overdue first then by the nearest deadline: assigned to
 * me, in my grids, escalated to my level (the village for the committee, the town for town admins), or all.
 */
export async function queue(
  db: Executor,
  member: VillageMember,
  userId: number,
  villageId: number,
  q: QueueQuery,
  now = new Date(),
): Promise<ReportSummary[]> {
  if (!canOnSome(member, 'reports.handle')) throw forbidden('只有处理人可以看处理队列')
  const townAdmin = member.roles.includes('town_admin')
  const name = q.queue ?? 'mine'
  const { myGrids, scope } = await handlerScope(db, member)
  const which =
    name === 'mine'
      ? eq(reports.assigneeUserId, userId)
      : name === 'grid'
        ? myGrids.length > 0
          ? inArray(reports.gridId, myGrids)
          : sql`FALSE`
        : name === 'escalated'
          ? inArray(reports.level, townAdmin ? ['town'] : ['village', 'town'])
          : undefined
  const rows = await withGridNames(db)
    .where(and(openIn(villageId), scope, which))
    .orderBy(dueAt, reports.id)
    .limit(200)
  return rows.map(({ r, gridName }) => toSummary(r, gridName, now))
}

/** Open public reports with a place on the map (the newest 500), for the village map. */
export async function mapReports(db: Executor, villageId: number, now = new Date()): Promise<ReportSummary[]> {
  const rows = await withGridNames(db)
    .where(
      and(
        eq(reports.villageId, villageId),
        eq(reports.isPublic, true),
        inArray(reports.state, [...OPEN_STATES]),
        isNotNull(reports.latitude),
      ),
    )
    .orderBy(desc(reports.id))
    .limit(500)
  return rows.map(({ r, gridName }) => toSummary(r, gridName, now))
}
