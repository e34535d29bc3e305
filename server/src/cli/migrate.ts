import { loadConfig } from '../config.js'
import { ensureDatabase, migrateDatabase, openDatabase } from '../core/db.js'

/** `npm run db:migrate`: creates the database if missing and applies the committed migrations. */
const config = loadConfig()
await ensureDatabase(config.databaseUrl)
const database = openDatabase(config.databaseUrl, 1)
try {
  await migrateDatabase(database.db)
  console.log(`migrated ${new URL(config.databaseUrl).pathname.slice(1)}`)
} finally {
  await database.close()
}
