import type { Village } from '@liren/shared/contracts'
import { eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { identityTables } from '../identity/index.js'
import { villageViews } from './places.js'

/** The villages of a town, for its admin. */
export async function listTownVillages(db: Executor, townId: number): Promise<Village[]> {
  return villageViews(db, eq(identityTables.villages.townId, townId))
}
