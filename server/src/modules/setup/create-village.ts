import { ErrorCode, type CreateVillageBody, type Village } from '@liren/shared/contracts'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'

/** A town admin adds a village (or community) to the town. The unique code key decides between racing requests. */
export async function createVillage(db: Db, actor: Actor, townId: number, body: CreateVillageBody): Promise<Village> {
  const { code, name, kind } = body
  try {
    return await transaction(db, async (tx) => {
      const [{ id }] = (await tx
        .insert(identityTables.villages)
        .values({ townId, code, name, kind })
        .$returningId()) as [{ id: number }]
      await audit(tx, actor, {
        villageId: id,
        action: 'village.created',
        entity: 'village',
        entityId: id,
        data: { townId, code, name, kind },
      })
      return { id, townId, code, name, kind, gridCount: 0, committeeCount: 0, committeePhone: null, officeHours: null }
    })
  } catch (err) {
    if (isDuplicateKey(err, 'villages_code_uq'))
      throw conflict(ErrorCode.VILLAGE_CODE_TAKEN, `代码“${code}”已经被其他村（社区）使用了`)
    throw err
  }
}
