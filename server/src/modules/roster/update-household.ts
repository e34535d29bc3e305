import { ErrorCode, type Household, type HouseholdPatch } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { villageRow } from '../../core/village-rows.js'
import { transaction, type Db } from '../../core/db.js'
import { invalid, notFound } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { makeHead } from './head.js'
import { findHouseholds } from './people.js'

const { grids, households, persons } = identityTables

/** The committee corrects a household: address, grid, head (who must live in it; see makeHead). */
export async function updateHousehold(
  db: Db,
  actor: Actor,
  villageId: number,
  householdId: number,
  patch: HouseholdPatch,
): Promise<Household> {
  await transaction(db, async (tx) => {
    const before = await villageRow(tx, households, villageId, householdId, { lock: true })
    if (!before) throw notFound(ErrorCode.HOUSEHOLD_NOT_FOUND, '这个村（社区）没有这一户', 'householdId')
    if (patch.gridId !== undefined && patch.gridId !== null) {
      const [grid] = await tx
        .select({ id: grids.id })
        .from(grids)
        .where(and(eq(grids.id, patch.gridId), eq(grids.villageId, villageId)))
      if (!grid) throw notFound(ErrorCode.GRID_NOT_FOUND, '这个村（社区）没有这个网格', 'gridId')
    }
    if (patch.headPersonId !== undefined && patch.headPersonId !== null) {
      const [head] = await tx
        .select({ id: persons.id })
        .from(persons)
        .where(
          and(eq(persons.id, patch.headPersonId), eq(persons.householdId, householdId), eq(persons.status, 'resident')),
        )
      if (!head) throw invalid('headPersonId', '户主必须是这一户在册的人')
    }
    const { headPersonId, ...fields } = patch
    if (Object.keys(fields).length) await tx.update(households).set(fields).where(eq(households.id, householdId))
    if (headPersonId === null)
      await tx.update(households).set({ headPersonId: null }).where(eq(households.id, householdId))
    else if (headPersonId !== undefined) await makeHead(tx, householdId, headPersonId)
    const changed = Object.fromEntries(
      Object.entries(patch).map(([k, v]) => [k, { from: (before as Record<string, unknown>)[k], to: v }]),
    )
    await audit(tx, actor, {
      villageId,
      action: 'household.updated',
      entity: 'household',
      entityId: householdId,
      data: { changed },
    })
  })
  const [household] = await findHouseholds(db, eq(households.id, householdId))
  return household!
}
