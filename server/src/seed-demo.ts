import type { DemoTown } from '@liren/mocks/seed'
import type { Db } from './core/db.js'
import { identityTables, seedDemoTown } from './modules/identity/index.js'
import { seedDemoRules } from './modules/points/index.js'

/** The demo town with everything each module adds to it. False (nothing written) when the database has a town. */
export async function seedDemo(db: Db, town: DemoTown): Promise<boolean> {
  if (!(await seedDemoTown(db, town))) return false
  const villages = await db.select({ id: identityTables.villages.id }).from(identityTables.villages)
  await seedDemoRules(
    db,
    villages.map((v) => v.id),
  )
  return true
}
