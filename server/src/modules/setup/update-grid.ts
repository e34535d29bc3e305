import type { Grid, UpdateGridBody } from '@liren/shared/contracts'
import { eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { villageRow } from '../../core/village-rows.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { identityTables } from '../identity/index.js'
import { gridNameTaken } from './create-grid.js'
import { changes, checkBoundary, gridNotFound, gridView, nothingToChange } from './places.js'

const { grids } = identityTables

/** A town admin renames a grid or redraws (or clears, with null) its boundary. */
export async function updateGrid(
  db: Db,
  actor: Actor,
  villageId: number,
  gridId: number,
  body: UpdateGridBody,
): Promise<Grid> {
  const wanted = { name: body.name, boundary: body.boundary }
  if (wanted.name === undefined && wanted.boundary === undefined) throw nothingToChange()
  checkBoundary(wanted.boundary)
  try {
    return await transaction(db, async (tx) => {
      const before = await villageRow(tx, grids, villageId, gridId, { lock: true })
      if (!before) throw gridNotFound()
      const change = changes(before, wanted)
      if (change) {
        await tx.update(grids).set(change.to).where(eq(grids.id, gridId))
        await audit(tx, actor, { villageId, action: 'grid.updated', entity: 'grid', entityId: gridId, data: change })
      }
      return gridView(tx, villageId, gridId)
    })
  } catch (err) {
    if (wanted.name !== undefined && isDuplicateKey(err, 'grids_village_name_uq')) throw gridNameTaken(wanted.name)
    throw err
  }
}
