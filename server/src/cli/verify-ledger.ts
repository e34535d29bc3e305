import { loadConfig } from '../config.js'
import { openDatabase } from '../core/db.js'
import { verifyLedger } from '../verify-ledger.js'

/**
 * `npm run verify-ledger`: recomputes the hash chains of the audit log and the points ledger and every
 * account's balance and what it means (the pending-orders and shop accounts against the orders); prints the first broken link of each broken chain and exits 1 if there is one.
 */
const config = loadConfig()
const database = openDatabase(config.databaseUrl, 1)
try {
  const r = await verifyLedger(database.db)
  console.log(
    `audit log: ${r.auditRows} rows on ${r.auditChains} chains; ledger: ${r.entries} entries on ${r.accounts} accounts; ${r.unchained} rows from before the chains`,
  )
  if (r.awaitingSeal > 0)
    console.log(
      `${r.awaitingSeal} audit rows not sealed yet, the oldest for ${r.sealLagSeconds!.toFixed(1)} s (servers seal them every second)`,
    )
  if (r.broken.length === 0) console.log('every chain and every balance verifies')
  for (const b of r.broken) console.error(`BROKEN ${b.table} ${b.id}: ${b.problem}`)
  if (r.broken.length) process.exitCode = 1
} finally {
  await database.close()
}
