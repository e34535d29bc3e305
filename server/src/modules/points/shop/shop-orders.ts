import { randomInt } from 'node:crypto'
import { ErrorCode, type Order, type OrderStatus, type RedeemBody } from '@liren/shared/contracts'
import { and, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/mysql-core'
import { audit, type Actor } from '../../../core/audit.js'
import { sameRequest, villageRow } from '../../../core/village-rows.js'
import { affectedRows, isDuplicateKey, transaction, type Db, type Executor, type Tx } from '../../../core/db.js'
import { AppError, conflict, forbidden } from '../../../core/errors.js'
import { qrDataUrl } from '../../../core/qr.js'
import { can } from '@liren/shared/rules'
import { identityTables, myPersonId, type VillageMember } from '../../identity/index.js'
import { callerKey, personAccount, systemAccount, transfer, type Transfer } from '../ledger/ledger.js'
import { isAvailable, itemNotFound } from './shop-items.js'
import { pointAccounts, pointEntries, pointSettings, shopItems, shopOrders } from '../tables.js'

const { persons } = identityTables
const DAY = 24 * 3600_000

const orderNotFound = () =>
  new AppError(404, ErrorCode.ORDER_NOT_FOUND, '没有这个订单', [{ field: 'orderId', message: '不存在' }])

/** Orders as the API shows them; `withQr` adds the pickup QR (for the member's own orders). */
export async function findOrders(db: Executor, where: SQL | undefined, withQr = false): Promise<Order[]> {
  const rows = await db
    .select({ o: shopOrders, itemName: shopItems.name, personName: persons.name })
    .from(shopOrders)
    .innerJoin(shopItems, eq(shopItems.id, shopOrders.itemId))
    .innerJoin(persons, eq(persons.id, shopOrders.personId))
    .where(where)
    .orderBy(desc(shopOrders.id))
    .limit(200)
  return Promise.all(
    rows.map(async ({ o, itemName, personName }) => ({
      id: o.id,
      itemId: o.itemId,
      itemName,
      personId: o.personId,
      personName,
      cost: o.cost,
      pickupCode: o.pickupCode,
      pickupQr: withQr && o.status === 'pending' ? await qrDataUrl(o.pickupCode) : null,
      status: o.status,
      expiresAt: o.expiresAt.toISOString(),
      createdAt: o.createdAt.toISOString(),
      closedAt: o.closedAt?.toISOString() ?? null,
    })),
  )
}

const one = async (db: Executor, orderId: number, withQr = false) =>
  (await findOrders(db, eq(shopOrders.id, orderId), withQr))[0]!

/**
 * Redeems one item for a roster person. Everything that only needs reading is read before the first
 * lock; then, with as few statements as possible while the hot rows are held: the stock is taken by a
 * conditional update (never below zero), the points move to the pending-orders account (the person's
 * row locked, so their limit holds), and the order gets a 6-digit pickup code. The same key returns the
 * first order.
 */
export async function redeem(
  db: Db,
  actor: Actor,
  villageId: number,
  personId: number,
  body: RedeemBody,
  now = new Date(),
): Promise<Order> {
  const attempt = () =>
    transaction(db, async (tx): Promise<Order> => {
      const [existing] = await tx
        .select({ id: shopOrders.id, personId: shopOrders.personId, itemId: shopOrders.itemId })
        .from(shopOrders)
        .where(sameRequest(shopOrders, shopOrders.createdBy, villageId, actor.userId, body.idempotencyKey))
      if (existing) {
        if (existing.personId !== personId || existing.itemId !== body.itemId)
          throw conflict(ErrorCode.IDEMPOTENCY_CONFLICT, '这个请求编号已经用于另一笔兑换')
        return one(tx, existing.id)
      }
      const ctx = await redeemContext(tx, villageId, personId, body.itemId)
      const { item } = ctx
      const taken = await tx
        .update(shopItems)
        .set({ stock: sql`${shopItems.stock} - 1` })
        .where(
          and(
            eq(shopItems.id, item.id),
            eq(shopItems.active, true),
            sql`${shopItems.stock} >= 1`,
            sql`(${shopItems.availableFrom} IS NULL OR ${shopItems.availableFrom} <= ${now})`,
            sql`(${shopItems.availableUntil} IS NULL OR ${shopItems.availableUntil} > ${now})`,
          ),
        )
      if (affectedRows(taken) !== 1) {
        if (!isAvailable({ ...item, stock: 1 }, now)) throw conflict(ErrorCode.ITEM_UNAVAILABLE, '这件商品现在不能兑换')
        throw conflict(ErrorCode.SOLD_OUT, '这件商品已经兑完了')
      }
      const holdEntryId = await transfer(
        tx,
        {
          villageId,
          fromAccountId: ctx.memberAccountId,
          toAccountId: ctx.pendingAccountId,
          amount: item.cost,
          kind: 'redeem',
          reason: `兑换：${item.name}`,
          ref: { type: 'shop_item', id: item.id },
          createdBy: actor.userId,
          key: callerKey('redeem', actor.userId, body.idempotencyKey),
        },
        { keyChecked: true },
      )
      if (item.perMemberLimit !== null) {
        // After the person's row is locked (by the transfer), and a locking read: it sees orders
        // committed since this transaction began (a plain read would not).
        const [{ n }] = (await tx
          .select({ n: sql<number>`COUNT(*)` })
          .from(shopOrders)
          .where(
            and(
              eq(shopOrders.personId, personId),
              eq(shopOrders.itemId, item.id),
              inArray(shopOrders.status, ['pending', 'fulfilled']),
            ),
          )
          .for('update')) as [{ n: number }]
        if (Number(n) >= item.perMemberLimit)
          throw conflict(ErrorCode.LIMIT_REACHED, `这件商品每人最多兑换 ${item.perMemberLimit} 件`)
      }
      const expiresAt = new Date(now.getTime() + ctx.expiryDays * DAY)
      const order = {
        villageId,
        itemId: item.id,
        personId,
        cost: item.cost,
        holdEntryId,
        expiresAt,
        createdBy: actor.userId,
        idempotencyKey: body.idempotencyKey,
        createdAt: now,
      }
      const { id, pickupCode } = await insertWithFreshCode(tx, order)
      await audit(tx, actor, {
        villageId,
        action: 'shop.redeemed',
        entity: 'shop_order',
        entityId: id,
        data: { itemId: item.id, personId, cost: item.cost },
      })
      return {
        id,
        itemId: item.id,
        itemName: item.name,
        personId,
        personName: ctx.personName,
        cost: item.cost,
        pickupCode,
        pickupQr: null,
        status: 'pending',
        expiresAt: expiresAt.toISOString(),
        createdAt: now.toISOString(),
        closedAt: null,
      }
    })
  let order: Order
  try {
    order = await attempt()
  } catch (err) {
    // The same key twice at once: the other request's order is committed now.
    if (isDuplicateKey(err, 'shop_orders_key_uq') || isDuplicateKey(err, 'point_entries_key_uq'))
      order = await attempt()
    else throw err
  }
  // Drawn after the commit, with no row locked.
  return { ...order, pickupQr: order.status === 'pending' ? await qrDataUrl(order.pickupCode) : null }
}

/**
 * What a redemption needs to know, in one plain read before any lock: the item, the person's name,
 * the village's order expiry, and the person's and the pending-orders accounts (created on first use).
 */
async function redeemContext(tx: Tx, villageId: number, personId: number, itemId: number) {
  const memberAccount = alias(pointAccounts, 'member_account')
  const pendingAccount = alias(pointAccounts, 'pending_account')
  const read = () =>
    tx
      .select({
        item: shopItems,
        personName: persons.name,
        expiryDays: pointSettings.orderExpiryDays,
        memberAccountId: memberAccount.id,
        pendingAccountId: pendingAccount.id,
      })
      .from(persons)
      .leftJoin(shopItems, and(eq(shopItems.id, itemId), eq(shopItems.villageId, villageId)))
      .leftJoin(pointSettings, eq(pointSettings.villageId, villageId))
      .leftJoin(memberAccount, eq(memberAccount.personId, persons.id))
      .leftJoin(pendingAccount, and(eq(pendingAccount.villageId, villageId), eq(pendingAccount.systemKey, 'pending')))
      .where(and(eq(persons.id, personId), eq(persons.villageId, villageId), eq(persons.status, 'resident')))
  let [row] = await read()
  if (!row)
    throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [
      { field: 'personId', message: '不是本村（社区）的人' },
    ])
  if (!row.item) throw itemNotFound()
  if (row.memberAccountId === null || row.pendingAccountId === null) {
    // First use of either account (rare): create it, then read again.
    await personAccount(tx, villageId, personId)
    await systemAccount(tx, villageId, 'pending')
    ;[row] = await read()
  }
  return {
    item: row!.item!,
    personName: row!.personName,
    expiryDays: row!.expiryDays ?? 14,
    memberAccountId: row!.memberAccountId!,
    pendingAccountId: row!.pendingAccountId!,
  }
}

/** Inserts the order under a random pickup code, drawing again when the village has used it before. */
async function insertWithFreshCode(
  tx: Tx,
  values: Omit<typeof shopOrders.$inferInsert, 'pickupCode'>,
): Promise<{ id: number; pickupCode: string }> {
  for (let i = 0; ; i++) {
    const pickupCode = String(randomInt(0, 1_000_000)).padStart(6, '0')
    try {
      // A failed INSERT undoes only itself; the transaction goes on.
      const [{ id }] = (await tx
        .insert(shopOrders)
        .values({ ...values, pickupCode })
        .$returningId()) as [{ id: number }]
      return { id, pickupCode }
    } catch (err) {
      if (!isDuplicateKey(err, 'shop_orders_code_uq') || i >= 20) throw err
    }
  }
}

/**
 * Closes a pending order once (conditional update) and moves its held points where they belong, in the
 * caller's transaction. A cancellation made by reversing the redemption moves them by that reversal.
 */
async function close(
  tx: Tx,
  actor: Actor | null,
  order: typeof shopOrders.$inferSelect,
  to: 'fulfilled' | 'cancelled' | 'expired',
  now: Date,
  reversal?: Transfer,
): Promise<number> {
  const res = await tx
    .update(shopOrders)
    .set({ status: to, closedAt: now, closedBy: actor?.userId ?? null })
    .where(and(eq(shopOrders.id, order.id), eq(shopOrders.status, 'pending')))
  if (affectedRows(res) !== 1) throw conflict(ErrorCode.ORDER_CLOSED, '这个订单已经处理过了')
  const pending = await systemAccount(tx, order.villageId, 'pending')
  const target =
    to === 'fulfilled'
      ? await systemAccount(tx, order.villageId, 'shop')
      : await personAccount(tx, order.villageId, order.personId)
  const closeEntryId = await transfer(
    tx,
    reversal ?? {
      villageId: order.villageId,
      fromAccountId: pending,
      toAccountId: target,
      amount: order.cost,
      kind: to === 'fulfilled' ? 'transfer' : to === 'cancelled' ? 'refund' : 'expire',
      reason: to === 'fulfilled' ? '兑换已领取' : to === 'cancelled' ? '取消兑换，退回积分' : '兑换过期未领，退回积分',
      ref: { type: 'shop_order', id: order.id },
      createdBy: actor?.userId ?? null,
      key: `order:${order.id}:${to}`,
    },
  )
  await tx.update(shopOrders).set({ closeEntryId }).where(eq(shopOrders.id, order.id))
  if (to !== 'fulfilled')
    await tx
      .update(shopItems)
      .set({ stock: sql`${shopItems.stock} + 1` })
      .where(eq(shopItems.id, order.itemId))
  await audit(tx, actor, {
    villageId: order.villageId,
    action: `shop.order_${to}`,
    entity: 'shop_order',
    entityId: order.id,
    data: reversal ? { closeEntryId, reverses: order.holdEntryId } : { closeEntryId },
  })
  return closeEntryId
}

/**
 * Reversing a redemption (冲正) is cancelling its order: the points and the stock come back, once. The
 * order's row is locked first, as cancel, fulfil and expiry lock it, so whichever comes first closes the
 * order and the others find it closed. The reversal of a closed order is refused: its points have
 * already gone to the shop or back to the person.
 */
export async function reverseRedemption(
  tx: Tx,
  actor: Actor,
  reversal: Transfer & { reversesEntryId: number },
  now = new Date(),
): Promise<number> {
  // Found by a plain read (made with its hold, so visible with it), then locked by its primary key: a
  // locking read through the hold's index would also lock the gap where new orders are inserted.
  const [found] = await tx
    .select({ id: shopOrders.id })
    .from(shopOrders)
    .where(eq(shopOrders.holdEntryId, reversal.reversesEntryId))
  const [order] = found ? await tx.select().from(shopOrders).where(eq(shopOrders.id, found.id)).for('update') : []
  if (order?.status === 'pending') return close(tx, actor, order, 'cancelled', now, reversal)
  if (order?.closeEntryId) {
    // The same request again, committed while this one waited for the lock: a locking read sees it.
    const [closing] = await tx
      .select({ key: pointEntries.idempotencyKey })
      .from(pointEntries)
      .where(eq(pointEntries.id, order.closeEntryId))
      .for('update')
    if (closing?.key === reversal.key) return order.closeEntryId
  }
  throw conflict(
    ErrorCode.ORDER_CLOSED,
    order?.status === 'fulfilled' ? '这笔兑换已经领取，不能冲正' : '这笔兑换已经取消或过期，积分已经退回，不能冲正',
  )
}

/** Staff hand the item over against the pickup code (核销): a code fulfils once. */
export async function fulfil(
  db: Db,
  actor: Actor,
  villageId: number,
  pickupCode: string,
  now = new Date(),
): Promise<Order> {
  const id = await transaction(db, async (tx) => {
    const [order] = await tx
      .select()
      .from(shopOrders)
      .where(and(eq(shopOrders.villageId, villageId), eq(shopOrders.pickupCode, pickupCode)))
      .for('update')
    if (!order)
      throw new AppError(404, ErrorCode.CODE_INVALID, '取货码不对，请核对', [
        { field: 'pickupCode', message: '没有这个取货码' },
      ])
    if (order.status !== 'pending')
      throw conflict(
        ErrorCode.ORDER_CLOSED,
        order.status === 'fulfilled' ? '这个取货码已经用过了' : '这个订单已取消或过期',
      )
    if (order.expiresAt <= now) throw conflict(ErrorCode.ORDER_CLOSED, '这个订单已经过期，积分会退回')
    await close(tx, actor, order, 'fulfilled', now)
    return order.id
  })
  return one(db, id)
}

/**
 * The member cancels their own pending order, or the shop's keeper (`shop.manage`) anyone's; the points
 * come back and so does the stock.
 */
export async function cancelOrder(
  db: Db,
  actor: Actor,
  member: VillageMember,
  orderId: number,
  now = new Date(),
): Promise<Order> {
  const { villageId } = member
  const asStaff = can(member, 'shop.manage')
  const mine = asStaff ? null : myPersonId(member)
  await transaction(db, async (tx) => {
    const order = await villageRow(tx, shopOrders, villageId, orderId, { lock: true })
    if (!order) throw orderNotFound()
    if (!asStaff && order.personId !== mine) throw forbidden('只能取消自己的兑换')
    if (order.status !== 'pending') throw conflict(ErrorCode.ORDER_CLOSED, '这个订单已经处理过了')
    await close(tx, actor, order, 'cancelled', now)
  })
  return one(db, orderId)
}

/** Orders not picked up in time are closed and refunded; each in its own transaction. Returns how many. */
export async function expireOrders(db: Db, now = new Date()): Promise<number> {
  const due = await db
    .select({ id: shopOrders.id })
    .from(shopOrders)
    .where(and(eq(shopOrders.status, 'pending'), lt(shopOrders.expiresAt, now)))
    .limit(500)
  let expired = 0
  for (const { id } of due) {
    await transaction(db, async (tx) => {
      const [order] = await tx.select().from(shopOrders).where(eq(shopOrders.id, id)).for('update')
      if (order?.status !== 'pending' || order.expiresAt >= now) return
      await close(tx, null, order, 'expired', now)
      expired++
    })
  }
  return expired
}

export const ordersOf = (db: Executor, villageId: number, personId: number) =>
  findOrders(db, and(eq(shopOrders.villageId, villageId), eq(shopOrders.personId, personId)), true)
export const villageOrders = (db: Executor, villageId: number, status?: OrderStatus) =>
  findOrders(db, and(eq(shopOrders.villageId, villageId), status ? eq(shopOrders.status, status) : undefined))

/** How many of a village's orders wait to be fulfilled (核销): pending and not past their expiry. */
export async function countOrdersToFulfil(db: Executor, villageId: number, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(shopOrders)
    .where(and(eq(shopOrders.villageId, villageId), eq(shopOrders.status, 'pending'), gt(shopOrders.expiresAt, now)))
  return Number(row?.n ?? 0)
}
