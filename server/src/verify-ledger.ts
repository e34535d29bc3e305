import { asc, sql } from 'drizzle-orm'
import { auditContent } from './core/audit.js'
import { GENESIS, link } from './core/chain.js'
import type { MySqlColumn, MySqlTable } from 'drizzle-orm/mysql-core'
import type { Executor } from './core/db.js'
import { auditChainHeads, auditLog } from './core/tables.js'
import { entryContent } from './modules/points/index.js'
import { pointsTables } from './modules/points/index.js'

const { pointAccounts, pointEntries, shopOrders } = pointsTables
type Account = typeof pointAccounts.$inferSelect
type Entry = typeof pointEntries.$inferSelect

export interface Broken {
  table: 'audit_log' | 'audit_chain_heads' | 'point_entries' | 'point_accounts' | 'shop_orders' | 'villages'
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
  /** Rows written but not linked into their chain yet (the sealer runs every second or so): not covered yet. */
  awaitingSeal: number
  /** How long the oldest of those has waited, in seconds (how far sealing lags); null when none waits. */
  sealLagSeconds: number | null
  /** The first broken link of each chain found broken, in table and id order. */
  broken: Broken[]
}

const BATCH = 5000

/** Every row of a table, in id order, read a batch at a time. */
async function* everyRow<T extends MySqlTable & { id: MySqlColumn }>(
  db: Executor,
  table: T,
): AsyncGenerator<T['$inferSelect']> {
  for (let after = 0; ;) {
    const rows = (await db
      .select()
      .from(table as MySqlTable)
      .where(sql`${table.id} > ${after}`)
      .orderBy(asc(table.id))
      .limit(BATCH)) as (T['$inferSelect'] & { id: number })[]
    yield* rows
    if (rows.length < BATCH) return
    after = rows[rows.length - 1]!.id
  }
}

/** Adds `value` to the list kept under `key`. */
const note = <K, V>(map: Map<K, V[]>, key: K, value: V) => map.set(key, [...(map.get(key) ?? []), value])

/**
 * Follows one chain from its start: each row must be the only one linking to the row before it, and its
 * hash must match its content. Returns the hash it ended at and the first problem, if any. Rows are
 * followed by their links, not by id, so ids allocated out of order (several TiDB servers) do not matter.
 */
function follow<R extends { id: number; prevHash: string | null; hash: string | null }>(
  rows: R[],
  content: (r: R) => Record<string, unknown>,
  what: string,
): { end: string; last: number | null; problem: { id: number; text: string } | null } {
  const byPrev = new Map<string, R[]>()
  for (const r of rows) {
    const key = r.prevHash ?? ''
    if (!byPrev.has(key)) byPrev.set(key, [])
    byPrev.get(key)!.push(r)
  }
  let end = GENESIS
  let last: number | null = null
  const seen = new Set<number>()
  for (;;) {
    const next = byPrev.get(end) ?? []
    if (next.length === 0) break
    const r = next[0]!
    if (next.length > 1)
      return {
        end,
        last,
        problem: {
          id: next[1]!.id,
          text: `${what} ${next[1]!.id} links to the same row as ${r.id} (a row was inserted)`,
        },
      }
    if (r.hash !== link(end, content(r)))
      return { end, last, problem: { id: r.id, text: `${what} ${r.id} was changed after it was written` } }
    seen.add(r.id)
    end = r.hash
    last = r.id
  }
  const stray = rows.find((r) => !seen.has(r.id))
  return {
    end,
    last,
    problem: stray
      ? {
          id: stray.id,
          text: `${what} ${stray.id} does not link to the ${what} before it (a ${what} was removed or inserted)`,
        }
      : null,
  }
}

/**
 * Recomputes every chain of the audit log and of the points ledger, and every account's balance from
 * its entries, and reports the first broken link of each broken chain: a row edited (its hash no
 * longer matches), removed or inserted (the next row's link no longer matches), or the chain's last
 * rows removed (the head no longer matches). Then checks what the balances mean (verifyMeanings).
 */
export async function verifyLedger(db: Executor): Promise<LedgerReport> {
  // One consistent snapshot: rows sealed, entries paid and heads moved while the check reads would
  // otherwise be half seen (a row read in one batch, the row linking to it in the next) and look broken.
  return db.transaction((tx) => verifyIn(tx), {
    isolationLevel: 'repeatable read',
    withConsistentSnapshot: true,
  })
}

async function verifyIn(db: Executor): Promise<LedgerReport> {
  const report: LedgerReport = {
    auditChains: 0,
    auditRows: 0,
    accounts: 0,
    entries: 0,
    unchained: 0,
    awaitingSeal: 0,
    sealLagSeconds: null,
    broken: [],
  }
  const startedAt = Date.now()

  // The audit log, chain by chain. Rows from before the chains (no hash) and rows not sealed yet are
  // counted, not followed.
  const chains = new Map<number, (typeof auditLog.$inferSelect)[]>()
  for await (const r of everyRow(db, auditLog)) {
    report.auditRows++
    if (r.awaitingSeal) {
      report.awaitingSeal++
      const waited = Math.max(0, (startedAt - r.createdAt.getTime()) / 1000)
      report.sealLagSeconds = Math.max(report.sealLagSeconds ?? 0, waited)
    } else if (r.hash === null) report.unchained++
    else note(chains, r.chain, r)
  }
  const heads = await db.select().from(auditChainHeads).orderBy(asc(auditChainHeads.chain))
  for (const h of heads) {
    report.auditChains++
    const { end, last, problem } = follow(chains.get(h.chain) ?? [], auditContent, 'row')
    if (problem)
      report.broken.push({ table: 'audit_log', id: problem.id, problem: `chain ${h.chain}: ${problem.text}` })
    else if (h.lastHash !== end || (h.lastId ?? null) !== last) {
      report.broken.push({
        table: 'audit_chain_heads',
        id: h.chain,
        problem: `chain ${h.chain}: ends at row ${last ?? 'none'}, but its head says ${h.lastId ?? 'none'} (its last rows were removed)`,
      })
    }
  }
  for (const chain of chains.keys())
    if (!heads.some((h) => h.chain === chain))
      report.broken.push({ table: 'audit_chain_heads', id: chain, problem: `chain ${chain}: has rows but no head` })

  // The ledger: each account's chain of the entries it paid, and its balance from every entry.
  const accounts = await db.select().from(pointAccounts).orderBy(asc(pointAccounts.id))
  const net = new Map<number, number>(accounts.map((a) => [a.id, 0]))
  const paid = new Map<number, Entry[]>()
  const entries = new Map<number, Entry>()
  for await (const e of everyRow(db, pointEntries)) {
    report.entries++
    entries.set(e.id, e)
    net.set(e.fromAccountId, (net.get(e.fromAccountId) ?? 0) - e.amount)
    net.set(e.toAccountId, (net.get(e.toAccountId) ?? 0) + e.amount)
    if (e.hash === null) report.unchained++
    else note(paid, e.fromAccountId, e)
  }
  for (const a of accounts) {
    report.accounts++
    const { end, problem } = follow(paid.get(a.id) ?? [], entryContent, 'entry')
    if (problem)
      report.broken.push({ table: 'point_entries', id: problem.id, problem: `account ${a.id}: ${problem.text}` })
    else if (a.chainHash !== end)
      report.broken.push({
        table: 'point_accounts',
        id: a.id,
        problem: `account ${a.id}: its last entries were removed, or its chain head was changed`,
      })
    if (a.balance !== net.get(a.id))
      report.broken.push({
        table: 'point_accounts',
        id: a.id,
        problem: `account ${a.id}: balance ${a.balance}, but its entries add up to ${net.get(a.id)}`,
      })
  }
  await verifyMeanings(db, accounts, entries, report)
  return report
}

/**
 * What each account means, per village: the books sum to zero; nobody's balance is below zero; the
 * pending-orders account holds exactly the cost of the orders still pending, and the shop account what
 * the fulfilled orders moved to it. Each order's hold went from its person to the pending-orders
 * account, and was released once (to the shop or back to the person) if and only if it is closed.
 */
async function verifyMeanings(db: Executor, accounts: Account[], entries: Map<number, Entry>, report: LedgerReport) {
  const system = new Map<string, Account>()
  const personal = new Map<number, Account>()
  const sums = new Map<number, number>()
  for (const a of accounts) {
    sums.set(a.villageId, (sums.get(a.villageId) ?? 0) + a.balance)
    if (a.personId !== null) personal.set(a.personId, a)
    else system.set(`${a.villageId}:${a.kind}`, a)
    if (a.kind === 'person' && a.balance < 0)
      report.broken.push({
        table: 'point_accounts',
        id: a.id,
        problem: `account ${a.id}: a person's balance is ${a.balance}, below zero`,
      })
  }
  // What released each order's hold: an entry made for the order (fulfil, refund, expiry), or the
  // reversal of its redemption.
  const reversals = new Map<number, number[]>()
  const forOrder = new Map<number, number[]>()
  for (const e of entries.values()) {
    if (e.reversesEntryId !== null) note(reversals, e.reversesEntryId, e.id)
    if (e.refType === 'shop_order' && e.refId !== null) note(forOrder, e.refId, e.id)
  }

  const held = new Map<string, number>()
  const add = (villageId: number, kind: 'pending' | 'shop', amount: number) =>
    held.set(`${villageId}:${kind}`, (held.get(`${villageId}:${kind}`) ?? 0) + amount)
  for await (const o of everyRow(db, shopOrders)) {
    const broken = (problem: string) =>
      report.broken.push({ table: 'shop_orders', id: o.id, problem: `order ${o.id} (${o.status}): ${problem}` })
    const pending = system.get(`${o.villageId}:pending`)?.id
    const person = personal.get(o.personId)?.id
    const hold = entries.get(o.holdEntryId)
    if (o.status === 'pending') add(o.villageId, 'pending', o.cost)
    if (o.status === 'fulfilled') add(o.villageId, 'shop', o.cost)
    if (
      !hold ||
      hold.kind !== 'redeem' ||
      hold.fromAccountId !== person ||
      hold.toAccountId !== pending ||
      hold.amount !== o.cost
    ) {
      broken(
        `its hold, entry ${o.holdEntryId}, is not a redemption of ${o.cost} from the person's account to the pending-orders account`,
      )
    }
    const releases = [...(reversals.get(o.holdEntryId) ?? []), ...(forOrder.get(o.id) ?? [])]
    if (o.status === 'pending') {
      if (o.closeEntryId !== null || releases.length)
        broken(`its hold was released by entry ${o.closeEntryId ?? releases[0]}, but the order is still pending`)
      continue
    }
    const close = o.closeEntryId === null ? undefined : entries.get(o.closeEntryId)
    const to = o.status === 'fulfilled' ? system.get(`${o.villageId}:shop`)?.id : person
    const byReversal = close?.kind === 'reversal' && close.reversesEntryId === o.holdEntryId && o.status === 'cancelled'
    const kind = o.status === 'fulfilled' ? 'transfer' : o.status === 'cancelled' ? 'refund' : 'expire'
    if (
      !close ||
      (close.kind !== kind && !byReversal) ||
      close.fromAccountId !== pending ||
      close.toAccountId !== to ||
      close.amount !== o.cost
    ) {
      broken(
        `no entry moved its ${o.cost} points from the pending-orders account to ${o.status === 'fulfilled' ? 'the shop' : 'the person'}`,
      )
    }
    const others = releases.filter((id) => id !== o.closeEntryId)
    if (others.length) broken(`its hold was released again, by entry ${others[0]}`)
  }

  for (const [villageId, sum] of sums) {
    if (sum !== 0)
      report.broken.push({
        table: 'villages',
        id: villageId,
        problem: `village ${villageId}: its balances add up to ${sum}, not 0`,
      })
    for (const [kind, what] of [
      ['pending', 'the cost of its pending orders'],
      ['shop', 'what its fulfilled orders moved'],
    ] as const) {
      const a = system.get(`${villageId}:${kind}`)
      const expected = held.get(`${villageId}:${kind}`) ?? 0
      if ((a?.balance ?? 0) !== expected) {
        report.broken.push({
          ...(a ? { table: 'point_accounts', id: a.id } : { table: 'villages', id: villageId }),
          problem: `village ${villageId}: the ${kind === 'pending' ? 'pending-orders' : 'shop'} account holds ${a?.balance ?? 0}, but ${what} is ${expected}`,
        })
      }
    }
  }
}
