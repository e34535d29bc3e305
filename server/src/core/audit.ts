import { and, asc, eq, sql } from 'drizzle-orm'
import { GENESIS, link } from './chain.js'
import { affectedRows, transaction, type Db, type Executor, type Tx } from './db.js'
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

/** Appends one row to the audit log, inside the caller's transaction so it stands or falls with the change. */
export async function audit(tx: Executor, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await auditMany(tx, actor, [entry])
}

/**
 * Appends rows to the audit log, unlinked: no lock is taken, so audited writes of one village do not
 * queue on its chain (nor conflict across Galera nodes). The sealer links them shortly after.
 */
export async function auditMany(tx: Executor, actor: Actor | null, entries: readonly AuditEntry[]): Promise<void> {
  const createdAt = new Date()
  const rows = entries.map((e) => ({
    chain: e.villageId ?? 0,
    villageId: e.villageId,
    actorUserId: actor?.userId ?? null,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    data: e.data ?? null,
    requestId: actor?.requestId ?? null,
    createdAt,
    awaitingSeal: true,
  }))
  for (let i = 0; i < rows.length; i += 500) await tx.insert(auditLog).values(rows.slice(i, i + 500))
}

/** How many rows the sealer links in one transaction. */
const SEAL_BATCH = 500

/**
 * Links the rows awaiting their seal into their chains: per chain, the head is locked, the waiting rows
 * are read as stored (in id order, as far as they are visible), each gets the previous hash and its own,
 * and the head moves to the last. A chain's order is the order rows were sealed in, which `verify-ledger`
 * follows by the links (ids need not follow commit order). Several servers may run it at once: the head
 * lock (or, across Galera nodes, the certification of the second) lets one seal a row, once.
 * Returns how many rows it sealed.
 */
export async function sealAuditChains(db: Db): Promise<number> {
  const chains = await db
    .selectDistinct({ chain: auditLog.chain })
    .from(auditLog)
    .where(eq(auditLog.awaitingSeal, true))
    .orderBy(asc(auditLog.chain))
  let sealed = 0
  for (const { chain } of chains) {
    for (;;) {
      const n = await transaction(db, (tx) => sealBatch(tx, chain), { readCommitted: true })
      sealed += n
      if (n < SEAL_BATCH) break
    }
  }
  return sealed
}

async function sealBatch(tx: Tx, chain: number): Promise<number> {
  const lockHead = () => tx.select().from(auditChainHeads).where(eq(auditChainHeads.chain, chain)).for('update')
  let [head] = await lockHead()
  if (!head) {
    await tx.execute(
      sql`INSERT INTO audit_chain_heads (chain, last_hash) VALUES (${chain}, ${GENESIS}) ON DUPLICATE KEY UPDATE chain = chain`,
    )
    ;[head] = await lockHead()
  }
  const rows = await tx
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.awaitingSeal, true), eq(auditLog.chain, chain)))
    .orderBy(asc(auditLog.id))
    .limit(SEAL_BATCH)
    .for('update')
  if (rows.length === 0) return 0
  let prev = head!.lastHash
  const links = rows.map((r) => {
    const hash = link(prev, auditContent(r))
    const row = { id: r.id, prevHash: prev, hash }
    prev = hash
    return row
  })
  // One statement for the batch: each row's links by its id, only while it is still waiting.
  const res = await tx.execute(sql`UPDATE audit_log SET
      prev_hash = CASE id ${sql.join(
        links.map((l) => sql`WHEN ${l.id} THEN ${l.prevHash}`),
        sql` `,
      )} END,
      hash = CASE id ${sql.join(
        links.map((l) => sql`WHEN ${l.id} THEN ${l.hash}`),
        sql` `,
      )} END,
      awaiting_seal = FALSE
    WHERE awaiting_seal AND id IN (${sql.join(
      links.map((l) => sql`${l.id}`),
      sql`, `,
    )})`)
  // The rows were locked: no other sealer can have linked one of them meanwhile.
  if (affectedRows(res) !== links.length) throw new Error(`audit chain ${chain}: a row was sealed twice`)
  await tx
    .update(auditChainHeads)
    .set({ lastHash: prev, lastId: links[links.length - 1]!.id })
    .where(eq(auditChainHeads.chain, chain))
  return links.length
}
