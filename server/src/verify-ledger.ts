import { asc, sql } from 'drizzle-orm'
import { auditContent } from './core/audit.js'
import { GENESIS, link } from './core/chain.js'
import type { Executor } from './core/db.js'
import { auditChainHeads, auditLog } from './core/tables.js'
import { entryContent } from './modules/points/ledger.js'
import { pointsTables } from './modules/points/index.js'

const { pointAccounts, pointEntries } = pointsTables

export interface Broken {
  table: 'audit_log' | 'audit_chain_heads' | 'point_entries' | 'point_accounts'
  id: number
  problem: string
}
export interface LedgerReport {
  auditChains: number
  auditRows: number
  accounts: number
  entries: number
  /** Rows written before the chains existed (migration 0018): not covered. */
  unchained: number
  /** The first broken link of each chain found broken, in table and id order. */
  broken: Broken[]
}

const BATCH = 5000

/**
 * Recomputes every chain of the audit log and of the points ledger, and every account's balance from
 * its entries, and reports the first broken link of each broken chain: a row edited (its hash no
 * longer matches), removed or inserted (the next row's link no longer matches), or the chain's last
 * rows removed (the head no longer matches).
 */
export async function verifyLedger(db: Executor): Promise<LedgerReport> {
  const report: LedgerReport = { auditChains: 0, auditRows: 0, accounts: 0, entries: 0, unchained: 0, broken: [] }

  // The audit log, chain by chain.
  const heads = await db.select().from(auditChainHeads).orderBy(asc(auditChainHeads.chain))
  const tails = new Map<number, { prev: string; lastId: number | null; broken: boolean }>()
  for (let after = 0; ; ) {
    const rows = await db.select().from(auditLog).where(sql`${auditLog.id} > ${after}`).orderBy(asc(auditLog.id)).limit(BATCH)
    for (const r of rows) {
      report.auditRows++
      const chain = tails.get(r.chain) ?? { prev: GENESIS, lastId: null, broken: false }
      tails.set(r.chain, chain)
      if (r.hash === null && chain.lastId === null) {
        report.unchained++
        continue
      }
      if (chain.broken) continue
      const problem =
        r.hash === null ? 'has no hash after chained rows' : r.prevHash !== chain.prev ? 'does not link to the row before it (a row was removed or inserted)' : r.hash !== link(chain.prev, auditContent(r)) ? 'was changed after it was written' : null
      if (problem) {
        report.broken.push({ table: 'audit_log', id: r.id, problem: `chain ${r.chain}: row ${r.id} ${problem}` })
        chain.broken = true
        continue
      }
      chain.prev = r.hash!
      chain.lastId = r.id
    }
    if (rows.length < BATCH) break
    after = rows[rows.length - 1]!.id
  }
  for (const h of heads) {
    report.auditChains++
    const tail = tails.get(h.chain)
    if (tail?.broken) continue
    if (h.lastHash !== (tail?.prev ?? GENESIS) || (h.lastId ?? null) !== (tail?.lastId ?? null)) {
      report.broken.push({ table: 'audit_chain_heads', id: h.chain, problem: `chain ${h.chain}: ends at row ${tail?.lastId ?? 'none'}, but its head says ${h.lastId ?? 'none'} (its last rows were removed)` })
    }
  }

  // The ledger: each account's chain of the entries it paid, and its balance.
  const accounts = await db.select().from(pointAccounts).orderBy(asc(pointAccounts.id))
  const paid = new Map<number, { prev: string; started: boolean; broken: boolean; net: number }>(accounts.map((a) => [a.id, { prev: GENESIS, started: false, broken: false, net: 0 }]))
  for (let after = 0; ; ) {
    const rows = await db.select().from(pointEntries).where(sql`${pointEntries.id} > ${after}`).orderBy(asc(pointEntries.id)).limit(BATCH)
    for (const e of rows) {
      report.entries++
      const from = paid.get(e.fromAccountId)
      const to = paid.get(e.toAccountId)
      if (from) from.net -= e.amount
      if (to) to.net += e.amount
      if (!from || from.broken) continue
      if (e.hash === null && !from.started) {
        report.unchained++
        continue
      }
      const problem =
        e.hash === null ? 'has no hash after chained entries' : e.prevHash !== from.prev ? 'does not link to the entry before it (an entry was removed or inserted)' : e.hash !== link(from.prev, entryContent(e)) ? 'was changed after it was written' : null
      if (problem) {
        report.broken.push({ table: 'point_entries', id: e.id, problem: `account ${e.fromAccountId}: entry ${e.id} ${problem}` })
        from.broken = true
        continue
      }
      from.prev = e.hash!
      from.started = true
    }
    if (rows.length < BATCH) break
    after = rows[rows.length - 1]!.id
  }
  for (const a of accounts) {
    report.accounts++
    const chain = paid.get(a.id)!
    if (!chain.broken && a.chainHash !== chain.prev) report.broken.push({ table: 'point_accounts', id: a.id, problem: `account ${a.id}: its last entries were removed, or its chain head was changed` })
    if (a.balance !== chain.net) report.broken.push({ table: 'point_accounts', id: a.id, problem: `account ${a.id}: balance ${a.balance}, but its entries add up to ${chain.net}` })
  }
  return report
}
