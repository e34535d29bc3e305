import { createHash } from 'node:crypto'
import { ErrorCode, type EntryKind } from '@liren/shared/contracts'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { affectedRows, type Executor, type Tx } from '../../../core/db.js'
import { link, pick } from '../../../core/chain.js'
import { AppError, conflict } from '../../../core/errors.js'
import { pointAccounts, pointEntries } from '../tables.js'

export type SystemAccount = 'issuance' | 'shop' | 'pending'

export interface Transfer {
  villageId: number
  fromAccountId: number
  toAccountId: number
  amount: number
  kind: EntryKind
  reason: string
  rule?: { id: number; version: number }
  ref?: { type: string; id: number }
  createdBy?: number | null
  approvedBy?: number | null
  reversesEntryId?: number
  /** Unique per movement: the same key with the same payload is the same movement. */
  key: string
}

/** What an entry's hash covers: everything in it but its id and its links. */
const ENTRY_CONTENT = [
  'villageId',
  'fromAccountId',
  'toAccountId',
  'amount',
  'kind',
  'reason',
  'ruleId',
  'ruleVersion',
  'refType',
  'refId',
  'createdBy',
  'approvedBy',
  'idempotencyKey',
  'payloadHash',
  'reversesEntryId',
  'createdAt',
] as const

export const entryContent = (e: Omit<typeof pointEntries.$inferSelect, 'id' | 'prevHash' | 'hash'>) =>
  pick(e, ENTRY_CONTENT)

export const insufficient = () =>
  new AppError(409, ErrorCode.INSUFFICIENT_POINTS, '积分不够', [{ field: 'points', message: '余额不足' }])

/**
 * Finds an account, creating it first when it does not exist yet. The usual case is one plain read,
 * taking no lock (an account is never deleted and its id never changes; the balance update locks the
 * row later, for as short a time as possible). Only a missing account is created, then found with a
 * locking read, which sees a row another transaction committed after ours began. Existing accounts
 * are never touched by INSERT IGNORE: its shared lock on a duplicate row, upgraded by the balance
 * update later, is a classic deadlock.
 */
async function findOrCreate(
  tx: Executor,
  find: (lock: boolean) => PromiseLike<{ id: number }[]>,
  create: () => Promise<unknown>,
): Promise<number> {
  const [found] = await find(false)
  if (found) return found.id
  await create()
  const [created] = await find(true)
  return created!.id
}

/** The account of a roster person, created on first use (every person has one, app or not). */
export function personAccount(tx: Executor, villageId: number, personId: number): Promise<number> {
  return findOrCreate(
    tx,
    (lock) => {
      const query = tx.select({ id: pointAccounts.id }).from(pointAccounts).where(eq(pointAccounts.personId, personId))
      return lock ? query.for('update') : query
    },
    () => tx.insert(pointAccounts).ignore().values({ villageId, kind: 'person', personId }),
  )
}

/** A village's issuance, shop or pending-orders account, created on first use. */
export function systemAccount(tx: Executor, villageId: number, kind: SystemAccount): Promise<number> {
  return findOrCreate(
    tx,
    (lock) => {
      const query = tx
        .select({ id: pointAccounts.id })
        .from(pointAccounts)
        .where(and(eq(pointAccounts.villageId, villageId), eq(pointAccounts.systemKey, kind)))
      return lock ? query.for('update') : query
    },
    () => tx.insert(pointAccounts).ignore().values({ villageId, kind, systemKey: kind }),
  )
}

function payloadHash(t: Transfer): string {
  const { key: _key, createdBy: _by, ...payload } = t
  return createHash('sha256')
    .update(JSON.stringify(payload, Object.keys(payload).sort()))
    .digest('hex')
}

/**
 * The ledger key of an idempotency key a caller sent: theirs alone (another member's, or another
 * village's, same key is another request), and apart from the keys events make (`report:42:valid`).
 */
export const callerKey = (use: 'award' | 'reverse' | 'redeem', userId: number, key: string) => `${use}:${userId}:${key}`

/** The village's entry already made under `key`, if any; refused when it was made with another payload. */
export async function findByKey(tx: Executor, t: Transfer): Promise<number | null> {
  const [existing] = await tx
    .select({ id: pointEntries.id, payloadHash: pointEntries.payloadHash })
    .from(pointEntries)
    .where(and(eq(pointEntries.villageId, t.villageId), eq(pointEntries.idempotencyKey, t.key)))
  if (!existing) return null
  if (existing.payloadHash !== payloadHash(t)) {
    throw conflict(ErrorCode.IDEMPOTENCY_CONFLICT, '这个请求编号已经用于另一笔积分，请勿重复使用')
  }
  return existing.id
}

/**
 * Moves `amount` points in the caller's transaction and appends the entry. Balances change first,
 * by a conditional update (a person's balance never goes below zero), then the entry is inserted:
 * locking the account rows before the entry row that references them avoids deadlocks.
 * Returns the entry id; the same key with the same payload returns the first entry.
 */
export async function transfer(tx: Tx, t: Transfer, opts: { keyChecked?: boolean } = {}): Promise<number> {
  if (!Number.isInteger(t.amount) || t.amount <= 0)
    throw new AppError(400, ErrorCode.VALIDATION_FAILED, '分值必须是正整数', [
      { field: 'points', message: '必须大于 0' },
    ])
  // A caller that has just looked the key up (findByKey) spares the round trip; the unique key on
  // the entry still refuses a duplicate that slipped in since.
  if (!opts.keyChecked) {
    const existing = await findByKey(tx, t)
    if (existing) return existing
  }

  if (t.fromAccountId === t.toAccountId) throw new Error('a transfer needs two different accounts')
  const earned = t.kind === 'earn' ? t.amount : 0
  const penalty = t.kind === 'penalty' ? t.amount : 0
  const from = sql`${pointAccounts.id} = ${t.fromAccountId}`
  // Both balances in one statement (one round trip while the rows are locked, and always locked in
  // primary-key order). People cannot go below zero; the village's own accounts may (issuance is
  // negative by design), so the debit's condition only holds back a person's row.
  const moved = await tx
    .update(pointAccounts)
    .set({
      balance: sql`${pointAccounts.balance} + IF(${from}, ${-t.amount}, ${t.amount})`,
      lifetimeEarned: sql`${pointAccounts.lifetimeEarned} + IF(${from}, 0, ${earned})`,
      lifetimePenalty: sql`${pointAccounts.lifetimePenalty} + IF(${from}, ${penalty}, 0)`,
    })
    .where(
      and(
        inArray(pointAccounts.id, [t.fromAccountId, t.toAccountId]),
        eq(pointAccounts.villageId, t.villageId),
        sql`(NOT ${from} OR ${pointAccounts.kind} <> 'person' OR ${pointAccounts.balance} >= ${t.amount})`,
      ),
    )
  if (affectedRows(moved) !== 2) {
    // Nothing is kept: the caller's transaction rolls back with the error.
    const [payer] = await tx
      .select({ id: pointAccounts.id })
      .from(pointAccounts)
      .where(and(eq(pointAccounts.id, t.fromAccountId), eq(pointAccounts.villageId, t.villageId)))
    if (payer) throw insufficient()
    throw new Error(`point accounts ${t.fromAccountId} → ${t.toAccountId} are not both in village ${t.villageId}`)
  }

  // The entry joins its debited account's chain; that row is locked by the update above, so the
  // locking read sees its latest link and no other entry can join the chain until this one commits.
  const [debited] = await tx
    .select({ chainHash: pointAccounts.chainHash })
    .from(pointAccounts)
    .where(eq(pointAccounts.id, t.fromAccountId))
    .for('update')
  const entry = {
    villageId: t.villageId,
    fromAccountId: t.fromAccountId,
    toAccountId: t.toAccountId,
    amount: t.amount,
    kind: t.kind,
    reason: t.reason,
    ruleId: t.rule?.id ?? null,
    ruleVersion: t.rule?.version ?? null,
    refType: t.ref?.type ?? null,
    refId: t.ref?.id ?? null,
    createdBy: t.createdBy ?? null,
    approvedBy: t.approvedBy ?? null,
    idempotencyKey: t.key,
    payloadHash: payloadHash(t),
    reversesEntryId: t.reversesEntryId ?? null,
    createdAt: new Date(),
  }
  const hash = link(debited!.chainHash, entryContent(entry))
  const [{ id }] = (await tx
    .insert(pointEntries)
    .values({ ...entry, prevHash: debited!.chainHash, hash })
    .$returningId()) as [{ id: number }]
  await tx.update(pointAccounts).set({ chainHash: hash }).where(eq(pointAccounts.id, t.fromAccountId))
  return id
}
