import type { DemoTown } from '@liren/mocks/seed'
import { isConflict, isDuplicateKey, type Db } from './core/db.js'
import { identityTables, seedDemoTown } from './modules/identity/index.js'
import { seedDemoItems, seedDemoRules } from './modules/points/index.js'

/** The demo town with everything each module adds to it. False (nothing written) when the database has a town. */
export async function seedDemo(db: Db, town: DemoTown): Promise<boolean> {
  try {
    if (!(await seedDemoTown(db, town))) return false
  } catch (err) {
    // Another server, starting at the same moment, seeded it first (its town's code is taken).
    if (isDuplicateKey(err) || isConflict(err)) return false
    throw err
  }
  const villages = await db.select({ id: identityTables.villages.id }).from(identityTables.villages)
  const villageIds = villages.map((v) => v.id)
  await seedDemoRules(db, villageIds)
  await seedDemoItems(db, villageIds)
  return true
}
