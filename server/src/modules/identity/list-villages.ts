import type { VillageSummary } from '@liren/shared/contracts'
import { asc, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { towns, villages } from './tables.js'

/** Villages a user may apply to join (names are public). */
export async function listVillages(db: Executor): Promise<VillageSummary[]> {
  return db
    .select({ id: villages.id, code: villages.code, name: villages.name, kind: villages.kind, townName: towns.name })
    .from(villages)
    .innerJoin(towns, eq(towns.id, villages.townId))
    .orderBy(asc(villages.id))
}
