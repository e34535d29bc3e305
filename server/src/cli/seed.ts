import { demoTown } from '@liren/mocks/seed'
import { loadConfig } from '../config.js'
import { ensureDatabase, migrateDatabase, openDatabase } from '../core/db.js'
import { seedDemo } from '../seed-demo.js'

/** `npm run seed`: the demo town, into an empty database (never over real data). */
const config = loadConfig()
await ensureDatabase(config.databaseUrl)
const database = openDatabase(config.databaseUrl, 1)
try {
  await migrateDatabase(database.db)
  const seeded = await seedDemo(database.db, demoTown)
  console.log(seeded ? `seeded the demo town ${demoTown.name}` : 'the database already has a town: nothing seeded')
} finally {
  await database.close()
}
