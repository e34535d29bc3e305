import { ErrorCode, type CreateGridBody, type Grid } from '@liren/shared/contracts'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { checkBoundary } from './places.js'

/** A town admin adds a grid to a village; its name is unique within the village (the unique key decides). */
export async function createGrid(db: Db, actor: Actor, villageId: number, body: CreateGridBody): Promise<Grid> {
  const name = body.name
  const boundary = body.boundary ?? null
  checkBoundary(boundary)
  try {
    return await transaction(db, async (tx) => {
      const [{ id }] = (await tx.insert(identityTables.grids).values({ villageId, name, boundary }).$returningId()) as [
        { id: number },
      ]
      await audit(tx, actor, {
        villageId,
        action: 'grid.created',
        entity: 'grid',
        entityId: id,
        data: { name, boundary },
      })
      return { id, villageId, name, boundary, workers: [], householdCount: 0 }
    })
  } catch (err) {
    if (isDuplicateKey(err, 'grids_village_name_uq')) throw gridNameTaken(name)
    throw err
  }
}

export const gridNameTaken = (name: string) =>
  conflict(ErrorCode.GRID_NAME_TAKEN, `这个村（社区）已经有叫“${name}”的网格了`)
