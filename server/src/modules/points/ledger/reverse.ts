import { ErrorCode } from '@liren/shared/contracts'
import { and, eq, gte, inArray, sql } from 'drizzle-orm'
import type { Actor } from '../../../core/audit.js'
import type { Tx } from '../../../core/db.js'
import { AppError, conflict } from '../../../core/errors.js'
import { findByKey, transfer, type Transfer } from './ledger.js'
import { reverseRedemption } from '../shop/shop-orders.js'
import { pointAccounts, pointEntries } from '../tables.js'

/**
 * Reverses an entry with a new entry the other way, pointing at it (unique: once only). Reversing an
 * earn also takes it out of the lifetime score; reversing a penalty gives it back. Points held for an
 * order move only with the order: reversing a redemption cancels its order (shop-orders.ts), and the
 * entries that closed an order (fulfilment, refund, expiry) are not reversed, or the hold would be
 * released twice and the pending-orders account would no longer match the pending orders.
 */
export async function reverse(
  tx: Tx,
  actor: Actor,
  villageId: number,
  entryId: number,
  reason: string,
  key: string,
  now = new Date(),
): Promise<number> {
  const [original] = await tx
    .select()
    .from(pointEntries)
    .where(and(eq(pointEntries.id, entryId), eq(pointEntries.villageId, villageId)))
  if (!original)
    throw new AppError(404, ErrorCode.ENTRY_NOT_FOUND, '找不到这笔积分记录', [{ field: 'entryId', message: '不存在' }])
  if (original.kind === 'reversal') throw conflict(ErrorCode.ALREADY_REVERSED, '冲正记录不能再冲正')
  const t: Transfer & { reversesEntryId: number } = {
    villageId,
    fromAccountId: original.toAccountId,
    toAccountId: original.fromAccountId,
    amount: original.amount,
    kind: 'reversal',
    reason,
    reversesEntryId: original.id,
    createdBy: actor.userId,
    key,
  }
  const again = await findByKey(tx, t)
  if (again) return again
  const [already] = await tx
    .select({ id: pointEntries.id })
    .from(pointEntries)
    .where(eq(pointEntries.reversesEntryId, entryId))
  if (already) throw conflict(ErrorCode.ALREADY_REVERSED, '这笔积分已经冲正过了')
  if (original.kind === 'redeem') return reverseRedemption(tx, actor, t, now)
  const accounts = await tx
    .select({ kind: pointAccounts.kind })
    .from(pointAccounts)
    .where(inArray(pointAccounts.id, [original.fromAccountId, original.toAccountId]))
  if (accounts.some((a) => a.kind === 'pending' || a.kind === 'shop'))
    throw conflict(ErrorCode.ORDER_CLOSED, '这是兑换订单领取或退回的积分，不能冲正')
  const id = await transfer(tx, t)
  // The lifetime score follows what the reversed entry did to it.
  if (original.kind === 'earn') {
    await tx
      .update(pointAccounts)
      .set({ lifetimeEarned: sql`${pointAccounts.lifetimeEarned} - ${original.amount}` })
      .where(and(eq(pointAccounts.id, original.toAccountId), gte(pointAccounts.lifetimeEarned, original.amount)))
  }
  if (original.kind === 'penalty') {
    await tx
      .update(pointAccounts)
      .set({ lifetimePenalty: sql`${pointAccounts.lifetimePenalty} - ${original.amount}` })
      .where(and(eq(pointAccounts.id, original.fromAccountId), gte(pointAccounts.lifetimePenalty, original.amount)))
  }
  return id
}
