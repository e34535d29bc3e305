import { ErrorCode, type Grid, type Village, type VillageMember } from '@liren/shared/contracts'
import { and, asc, eq, inArray, sql, type Column, type SQL } from 'drizzle-orm'
import type { MySqlTable } from 'drizzle-orm/mysql-core'
import type { Executor } from '../../core/db.js'
import { invalid, notFound } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'

const { grids, gridWorkers, households, membershipRoles, memberships, villages } = identityTables

/**
 * `table`.`column`, always qualified: drizzle leaves columns unqualified in a one-table query, and
 * inside a correlated subquery an unqualified `id` would mean the inner table's.
 */
const col = (table: MySqlTable, column: Column) => sql`${table}.${sql.identifier(column.name)}`

/** Villages with how many grids and verified committee members each has. */
export async function villageViews(db: Executor, where: SQL): Promise<Village[]> {
  return db
    .select({
      id: villages.id,
      townId: villages.townId,
      code: villages.code,
      name: villages.name,
      kind: villages.kind,
      committeePhone: villages.committeePhone,
      officeHours: villages.officeHours,
      gridCount:
        sql`(SELECT COUNT(*) FROM ${grids} WHERE ${col(grids, grids.villageId)} = ${col(villages, villages.id)})`.mapWith(
          Number,
        ),
      committeeCount:
        sql`(SELECT COUNT(*) FROM ${memberships} INNER JOIN ${membershipRoles} ON ${col(membershipRoles, membershipRoles.membershipId)} = ${col(memberships, memberships.id)} AND ${col(membershipRoles, membershipRoles.role)} = 'committee' WHERE ${col(memberships, memberships.villageId)} = ${col(villages, villages.id)} AND ${col(memberships, memberships.status)} = 'verified')`.mapWith(
          Number,
        ),
    })
    .from(villages)
    .where(where)
    .orderBy(asc(villages.id))
}

export async function villageView(db: Executor, villageId: number): Promise<Village> {
  const [village] = await villageViews(db, eq(villages.id, villageId))
  if (!village) throw notFound(ErrorCode.VILLAGE_NOT_FOUND, '找不到这个村（社区）', 'villageId')
  return village
}

/** Grids of a village (or one of them) with their verified workers and household counts. */
export async function gridViews(db: Executor, villageId: number, gridId?: number): Promise<Grid[]> {
  const rows = await db
    .select({
      id: grids.id,
      villageId: grids.villageId,
      name: grids.name,
      boundary: grids.boundary,
      householdCount:
        sql`(SELECT COUNT(*) FROM ${households} WHERE ${col(households, households.gridId)} = ${col(grids, grids.id)})`.mapWith(
          Number,
        ),
    })
    .from(grids)
    .where(and(eq(grids.villageId, villageId), gridId === undefined ? undefined : eq(grids.id, gridId)))
    .orderBy(asc(grids.id))
  if (rows.length === 0) return []
  const workers = await db
    .select({ gridId: gridWorkers.gridId, membershipId: memberships.id, realName: memberships.realName })
    .from(gridWorkers)
    .innerJoin(memberships, and(eq(memberships.id, gridWorkers.membershipId), eq(memberships.status, 'verified')))
    .where(
      inArray(
        gridWorkers.gridId,
        rows.map((g) => g.id),
      ),
    )
    .orderBy(asc(memberships.id))
  return rows.map((g) => ({
    ...g,
    workers: workers.filter((w) => w.gridId === g.id).map(({ membershipId, realName }) => ({ membershipId, realName })),
  }))
}

export async function gridView(db: Executor, villageId: number, gridId: number): Promise<Grid> {
  const [grid] = await gridViews(db, villageId, gridId)
  if (!grid) throw gridNotFound()
  return grid
}

export const gridNotFound = () => notFound(ErrorCode.GRID_NOT_FOUND, '这个村（社区）没有这个网格', 'gridId')

/** Members of a village in `statuses` (verified ones by default) matching `where`, with their roles in the order the role list gives them. */
export async function memberViews(
  db: Executor,
  villageId: number,
  where?: SQL,
  statuses: ('verified' | 'pending')[] = ['verified'],
): Promise<VillageMember[]> {
  const rows = await db
    .select({
      membershipId: memberships.id,
      realName: memberships.realName,
      status: memberships.status,
      // ORDER BY an enum column sorts by its declared order: resident, volunteer, grid_worker, committee, town_admin.
      roles: sql<
        string | null
      >`(SELECT GROUP_CONCAT(${col(membershipRoles, membershipRoles.role)} ORDER BY ${col(membershipRoles, membershipRoles.role)}) FROM ${membershipRoles} WHERE ${col(membershipRoles, membershipRoles.membershipId)} = ${col(memberships, memberships.id)})`,
      personId: memberships.personId,
    })
    .from(memberships)
    .where(and(eq(memberships.villageId, villageId), inArray(memberships.status, statuses), where))
    .orderBy(asc(memberships.id))
  return rows.map((m) => ({
    ...m,
    status: m.status as VillageMember['status'],
    roles: m.roles ? m.roles.split(',') : [],
  }))
}

/**
 * Locks the village row for the rest of the transaction. Changes to who holds which role in a village
 * take this lock first, so two of them never decide from the same stale picture.
 */
export async function lockVillage(tx: Executor, villageId: number): Promise<void> {
  const [village] = await tx.select({ id: villages.id }).from(villages).where(eq(villages.id, villageId)).for('update')
  if (!village) throw notFound(ErrorCode.VILLAGE_NOT_FOUND, '找不到这个村（社区）', 'villageId')
}

/** Refuses unless every id is a membership of the village with one of `statuses` (verified by default). */
export async function requireVerifiedMembers(
  tx: Executor,
  villageId: number,
  membershipIds: number[],
  statuses: ('verified' | 'pending')[] = ['verified'],
): Promise<void> {
  if (membershipIds.length === 0) return
  const found = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        inArray(memberships.id, membershipIds),
        eq(memberships.villageId, villageId),
        inArray(memberships.status, statuses),
      ),
    )
  if (found.length !== membershipIds.length) {
    throw notFound(ErrorCode.MEMBER_NOT_FOUND, '所选的人中有不是本村（社区）已认证成员的，请重新选择', 'membershipIds')
  }
}

/** A PATCH whose body held only fields that cannot be changed (e.g. a village's code). */
export const nothingToChange = () => invalid('body', '没有可以修改的内容')

/** The fields of `to` whose values differ from `from`, as `{ from, to }` for the audit log; null when none do. */
export function changes<T extends Record<string, unknown>>(
  from: T,
  to: Partial<T>,
): { from: Partial<T>; to: Partial<T> } | null {
  const before: Partial<T> = {}
  const after: Partial<T> = {}
  for (const key of Object.keys(to) as (keyof T)[]) {
    if (to[key] === undefined || JSON.stringify(from[key] ?? null) === JSON.stringify(to[key])) continue
    before[key] = from[key]
    after[key] = to[key]
  }
  return Object.keys(after).length ? { from: before, to: after } : null
}

/**
 * The schema already bounds each point; a ring whose points all lie on one line (or on one spot)
 * still passes it but encloses nothing, so no point could ever be located in that grid.
 */
export function checkBoundary(boundary: readonly (readonly [number, number])[] | null | undefined): void {
  if (!boundary) return
  let twiceArea = 0
  for (let i = 0, j = boundary.length - 1; i < boundary.length; j = i++) {
    twiceArea += boundary[j]![0] * boundary[i]![1] - boundary[i]![0] * boundary[j]![1]
  }
  if (Math.abs(twiceArea) < 1e-12) throw invalid('boundary', '网格边界至少要有三个不在一条直线上的点')
}
