import { eq, sql } from 'drizzle-orm'
import { GENESIS, link } from './chain.js'
import type { Executor } from './db.js'
import { auditChainHeads, auditLog } from './tables.js'

/** Who is acting and under which request: passed to every use case that changes state. */
export interface Actor {
  userId: number
  requestId: string
}

export interface AuditEntry {
  villageId: number | null
  action: string
  entity: string
  entityId: number
  data?: Record<string, unknown>
}

/** What a row's hash covers: everything in it but its id and its links. */
export function auditContent(row: {
  chain: number
  villageId: number | null
  actorUserId: number | null
  action: string
  entity: string
  entityId: number
  data: unknown
  requestId: string | null
  createdAt: Date
}) {
  const { chain, villageId, actorUserId, action, entity, entityId, data, requestId, createdAt } = row
  return { chain, villageId, actorUserId, action, entity, entityId, data, requestId, createdAt }
}

/**
 * Every village's audit chain, and the town-wide one (0), gets its head before any row is appended:
 * the first rows of a new chain would otherwise race to create it. (A village created through the
 * API gets its head from its own audit row, alone.)
 */
export async function startAuditChains(db: Executor): Promise<void> {
  await db.execute(
    sql`INSERT IGNORE INTO audit_chain_heads (chain, last_hash) SELECT id, ${GENESIS} FROM villages UNION ALL SELECT 0, ${GENESIS}`,
  )
}

/** Appends one row to the audit log, inside the caller's transaction so it stands or falls with the change. */
export async function audit(tx: Executor, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await auditMany(tx, actor, [entry])
}

/**
 * Appends rows to the audit log's chains (one per village, 0 for rows of no village). Each chain's head
 * is locked for the rest of the transaction, so rows join a chain one transaction at a time, in id order.
 */
export async function auditMany(tx: Executor, actor: Actor | null, entries: readonly AuditEntry[]): Promise<void> {
  const byChain = new Map<number, AuditEntry[]>()
  for (const e of entries) byChain.set(e.villageId ?? 0, [...(byChain.get(e.villageId ?? 0) ?? []), e])
  // Heads are always locked in the same order, so two transactions cannot wait on each other's.
  for (const chain of [...byChain.keys()].sort((a, b) => a - b)) {
    const lockHead = () =>
      tx
        .select({ lastHash: auditChainHeads.lastHash })
        .from(auditChainHeads)
        .where(eq(auditChainHeads.chain, chain))
        .for('update')
    let [head] = await lockHead()
    if (!head) {
      // A chain's first row, perhaps many at once: the upsert takes the new head exclusively, so they
      // queue on it. (INSERT IGNORE would take it shared, and two holding it shared deadlock on the
      // locking read below.)
      await tx.execute(
        sql`INSERT INTO audit_chain_heads (chain, last_hash) VALUES (${chain}, ${GENESIS}) ON DUPLICATE KEY UPDATE chain = chain`,
      )
      ;[head] = await lockHead()
    }
    let prev = head!.lastHash
    const createdAt = new Date()
    const rows = byChain.get(chain)!.map((e) => {
      const row = {
        chain,
        villageId: e.villageId,
        actorUserId: actor?.userId ?? null,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        data: e.data ?? null,
        requestId: actor?.requestId ?? null,
        createdAt,
      }
      const hash = link(prev, auditContent(row))
      const linked = { ...row, prevHash: prev, hash }
      prev = hash
      return linked
    })
    let lastId = 0
    for (let i = 0; i < rows.length; i += 500) {
      const ids = (await tx
        .insert(auditLog)
        .values(rows.slice(i, i + 500))
        .$returningId()) as { id: number }[]
      lastId = ids[ids.length - 1]!.id
    }
    await tx.update(auditChainHeads).set({ lastHash: prev, lastId }).where(eq(auditChainHeads.chain, chain))
  }
}
