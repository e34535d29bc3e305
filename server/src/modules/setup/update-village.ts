import { ErrorCode, type UpdateVillageBody, type Village, type VillageContact } from '@liren/shared/contracts'
import { eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { notFound } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { changes, nothingToChange, villageView } from './places.js'

const { villages } = identityTables

/** A town admin renames a village or changes its kind. The code never changes: it is in addresses and Open311. */
export async function updateVillage(
  db: Db,
  actor: Actor,
  villageId: number,
  body: UpdateVillageBody,
): Promise<Village> {
  // Only these fields: anything else in the body (a code, say) is ignored, never written.
  const wanted = { name: body.name, kind: body.kind }
  if (wanted.name === undefined && wanted.kind === undefined) throw nothingToChange()
  return changeVillage(db, actor, villageId, wanted)
}

/**
 * The committee (or the town admin) sets how people reach the committee: its office phone and hours.
 * Both are replaced; an empty value clears it.
 */
export async function updateVillageContact(
  db: Db,
  actor: Actor,
  villageId: number,
  body: VillageContact,
): Promise<VillageContact> {
  const hours = body.officeHours?.trim() || null
  const { committeePhone, officeHours } = await changeVillage(db, actor, villageId, {
    committeePhone: body.committeePhone,
    officeHours: hours,
  })
  return { committeePhone, officeHours }
}

/** Writes the fields that differ, with their audit row, under the village's row lock. */
async function changeVillage(
  db: Db,
  actor: Actor,
  villageId: number,
  wanted: Partial<Pick<typeof villages.$inferSelect, 'name' | 'kind' | 'committeePhone' | 'officeHours'>>,
): Promise<Village> {
  return transaction(db, async (tx) => {
    const [before] = await tx.select().from(villages).where(eq(villages.id, villageId)).for('update')
    if (!before) throw notFound(ErrorCode.VILLAGE_NOT_FOUND, '找不到这个村（社区）', 'villageId')
    const change = changes(before, wanted)
    if (change) {
      await tx.update(villages).set(change.to).where(eq(villages.id, villageId))
      await audit(tx, actor, {
        villageId,
        action: 'village.updated',
        entity: 'village',
        entityId: villageId,
        data: change,
      })
    }
    return villageView(tx, villageId)
  })
}
