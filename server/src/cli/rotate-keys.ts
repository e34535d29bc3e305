import { loadConfig } from '../config.js'
import { openDatabase } from '../core/db.js'
import { Secrets } from '../core/secrets.js'
import { rotateKeys } from '../rotate-keys.js'

/**
 * `npm run rotate-keys`: every stored phone under the first key of DATA_KEYS (and none left in
 * plaintext). Run it once every server has the new DATA_KEYS, so none still writes under the old key.
 */
const config = loadConfig()
const secrets = new Secrets(config.dataKeys)
const database = openDatabase(config.databaseUrl, 1)
try {
  const report = await rotateKeys(database.db, secrets)
  console.log(`current data key: ${secrets.currentKeyId}`)
  for (const [column, c] of Object.entries(report)) {
    console.log(
      `${column}: ${c.reencrypted} re-encrypted, ${c.encrypted} encrypted (were plaintext), ${c.skipped} changed meanwhile (left as written), ${c.unreadable.length} unreadable`,
    )
    if (c.unreadable.length)
      console.error(
        `  unreadable ids (a key missing from DATA_KEYS, or altered): ${c.unreadable.slice(0, 50).join(', ')}${c.unreadable.length > 50 ? ' …' : ''}`,
      )
  }
  if (Object.values(report).some((c) => c.unreadable.length)) process.exitCode = 1
} finally {
  await database.close()
}
