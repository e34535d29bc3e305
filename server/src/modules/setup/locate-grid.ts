import type { LocateResult } from '@liren/shared/contracts'
import { pointInPolygon } from '@liren/shared/rules'
import { and, asc, eq, isNotNull } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { identityTables } from '../identity/index.js'

const { grids } = identityTables

/** The first grid of the village (by id) whose boundary holds the point; nulls when none does. */
export async function locateGrid(db: Executor, villageId: number, lng: number, lat: number): Promise<LocateResult> {
  const rows = await db
    .select({ id: grids.id, name: grids.name, boundary: grids.boundary })
    .from(grids)
    .where(and(eq(grids.villageId, villageId), isNotNull(grids.boundary)))
    .orderBy(asc(grids.id))
  const grid = rows.find((g) => g.boundary && pointInPolygon([lng, lat], g.boundary))
  return { gridId: grid?.id ?? null, gridName: grid?.name ?? null }
}
