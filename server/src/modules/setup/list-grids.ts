import type { Grid } from '@liren/shared/contracts'
import type { Executor } from '../../core/db.js'
import { gridViews } from './places.js'

/** The grids of a village with their workers and how many households each holds. */
export async function listGrids(db: Executor, villageId: number): Promise<Grid[]> {
  return gridViews(db, villageId)
}
