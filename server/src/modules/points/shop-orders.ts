import { randomInt } from 'node:crypto'
import { ErrorCode, type Order, type OrderStatus, type RedeemBody } from '@liren/shared/contracts'
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import type { ResultSetHeader } from 'mysql2'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db, type Executor, type Tx } from '../../core/db.js'
import { AppError, conflict, forbidden } from '../../core/errors.js'
import { qrDataUrl } from '../../core/qr.js'
import { identityTables } from '../identity/index.js'
import { personAccount, systemAccount, transfer } from './ledger.js'
import { isAvailable, itemNotFound } from './shop-items.js'
import { pointSettings, shopItems, shopOrders } from './tables.js'

const { persons } = identityTables
const DAY = 24 * 3600_000

const orderNotFound = () => new AppError(404, ErrorCode.ORDER_NOT_FOUND, '没有这个订单', [{ field: 'orderId', message: '不存在' }])

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
  return Promise.all(rows.map(async ({ o, itemName, personName }) => ({
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
  })))
}

const one = async (db: Executor, orderId: number, withQr = false) => (await findOrders(db, eq(shopOrders.id, orderId), withQr))[0]!

/**
 * Redeems one item for a roster person: the person's account is locked first (so their limit holds),
 * the stock is taken by a conditional update (never below zero), the points move to the pending-orders
 * account, and the order gets a 6-digit pickup code. The same key returns the first order.
 */
export async function redeem(db: Db, actor: Actor, villageId: number, personId: number, body: RedeemBody, now = new Date()): Promise<Order> {
  const attempt = () =>
    transaction(db, async (tx) => {
      const [existing] = await tx.select({ id: shopOrders.id, personId: shopOrders.personId, itemId: shopOrders.itemId }).from(shopOrders).where(eq(shopOrders.idempotencyKey, body.idempotencyKey))
      if (existing) {
        if (existing.personId !== personId || existing.itemId !== body.itemId) throw conflict(ErrorCode.IDEMPOTENCY_CONFLICT, '这个请求编号已经用于另一笔兑换')
        return existing.id
      }
      const [person] = await tx.select({ id: persons.id }).from(persons).where(and(eq(persons.id, personId), eq(persons.villageId, villageId)))
      if (!person) throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [{ field: 'personId', message: '不是本村（社区）的人' }])
      const member = await personAccount(tx, villageId, personId)
      const [item] = await tx.select().from(shopItems).where(and(eq(shopItems.id, body.itemId), eq(shopItems.villageId, villageId)))
      if (!item) throw itemNotFound()
      if (item.perMemberLimit !== null) {
        const [{ n }] = (await tx
          .select({ n: sql<number>`COUNT(*)` })
          .from(shopOrders)
          .where(and(eq(shopOrders.personId, personId), eq(shopOrders.itemId, item.id), inArray(shopOrders.status, ['pending', 'fulfilled'])))
          // A locking read: it sees orders committed since this transaction began (a plain read would not).
          .for('update')) as [{ n: number }]
        if (Number(n) >= item.perMemberLimit) throw conflict(ErrorCode.LIMIT_REACHED, `这件商品每人最多兑换 ${item.perMemberLimit} 件`)
      }
      const [taken] = (await tx
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
        )) as unknown as [ResultSetHeader]
      if (taken.affectedRows !== 1) {
        if (!isAvailable({ ...item, stock: 1 }, now)) throw conflict(ErrorCode.ITEM_UNAVAILABLE, '这件商品现在不能兑换')
        throw conflict(ErrorCode.SOLD_OUT, '这件商品已经兑完了')
      }
      const pending = await systemAccount(tx, villageId, 'pending')
      const holdEntryId = await transfer(tx, { villageId, fromAccountId: member, toAccountId: pending, amount: item.cost, kind: 'redeem', reason: `兑换：${item.name}`, ref: { type: 'shop_item', id: item.id }, createdBy: actor.userId, key: `redeem:${body.idempotencyKey}` })
      const [settings] = await tx.select({ days: pointSettings.orderExpiryDays }).from(pointSettings).where(eq(pointSettings.villageId, villageId))
      const expiresAt = new Date(now.getTime() + (settings?.days ?? 14) * DAY)
      const orderId = await insertWithFreshCode(tx, { villageId, itemId: item.id, personId, cost: item.cost, holdEntryId, expiresAt, createdBy: actor.userId, idempotencyKey: body.idempotencyKey })
      await audit(tx, actor, { villageId, action: 'shop.redeemed', entity: 'shop_order', entityId: orderId, data: { itemId: item.id, personId, cost: item.cost } })
      return orderId
    })
  let orderId: number
  try {
    orderId = await attempt()
  } catch (err) {
    // The same key twice at once: the other request's order is committed now.
    if (isDuplicateKey(err, 'shop_orders_key_uq') || isDuplicateKey(err, 'point_entries_key_uq')) orderId = await attempt()
    else throw err
  }
  return one(db, orderId, true)
}

async function insertWithFreshCode(tx: Tx, values: Omit<typeof shopOrders.$inferInsert, 'pickupCode'>): Promise<number> {
  for (let i = 0; ; i++) {
    const pickupCode = String(randomInt(0, 1_000_000)).padStart(6, '0')
    const [taken] = await tx.select({ id: shopOrders.id }).from(shopOrders).where(and(eq(shopOrders.villageId, values.villageId), eq(shopOrders.pickupCode, pickupCode)))
    if (taken && i < 20) continue
    const [{ id }] = (await tx.insert(shopOrders).values({ ...values, pickupCode }).$returningId()) as [{ id: number }]
    return id
  }
}

/** Closes a pending order once (conditional update) and moves its held points where they belong. */
async function close(tx: Tx, actor: Actor | null, order: typeof shopOrders.$inferSelect, to: 'fulfilled' | 'cancelled' | 'expired', now: Date): Promise<void> {
  const [res] = (await tx
    .update(shopOrders)
    .set({ status: to, closedAt: now, closedBy: actor?.userId ?? null })
    .where(and(eq(shopOrders.id, order.id), eq(shopOrders.status, 'pending')))) as unknown as [ResultSetHeader]
  if (res.affectedRows !== 1) throw conflict(ErrorCode.ORDER_CLOSED, '这个订单已经处理过了')
  const pending = await systemAccount(tx, order.villageId, 'pending')
  const target = to === 'fulfilled' ? await systemAccount(tx, order.villageId, 'shop') : await personAccount(tx, order.villageId, order.personId)
  const closeEntryId = await transfer(tx, {
    villageId: order.villageId,
    fromAccountId: pending,
    toAccountId: target,
    amount: order.cost,
    kind: to === 'fulfilled' ? 'transfer' : to === 'cancelled' ? 'refund' : 'expire',
    reason: to === 'fulfilled' ? '兑换已领取' : to === 'cancelled' ? '取消兑换，退回积分' : '兑换过期未领，退回积分',
    ref: { type: 'shop_order', id: order.id },
    createdBy: actor?.userId ?? null,
    key: `order:${order.id}:${to}`,
  })
  await tx.update(shopOrders).set({ closeEntryId }).where(eq(shopOrders.id, order.id))
  if (to !== 'fulfilled') await tx.update(shopItems).set({ stock: sql`${shopItems.stock} + 1` }).where(eq(shopItems.id, order.itemId))
  await audit(tx, actor, { villageId: order.villageId, action: `shop.order_${to}`, entity: 'shop_order', entityId: order.id, data: { closeEntryId } })
}

/** Staff hand the item over against the pickup code (核销): a code fulfils once. */
export async function fulfil(db: Db, actor: Actor, villageId: number, pickupCode: string, now = new Date()): Promise<Order> {
  const id = await transaction(db, async (tx) => {
    const [order] = await tx.select().from(shopOrders).where(and(eq(shopOrders.villageId, villageId), eq(shopOrders.pickupCode, pickupCode))).for('update')
    if (!order) throw new AppError(404, ErrorCode.CODE_INVALID, '取货码不对，请核对', [{ field: 'pickupCode', message: '没有这个取货码' }])
    if (order.status !== 'pending') throw conflict(ErrorCode.ORDER_CLOSED, order.status === 'fulfilled' ? '这个取货码已经用过了' : '这个订单已取消或过期')
    if (order.expiresAt <= now) throw conflict(ErrorCode.ORDER_CLOSED, '这个订单已经过期，积分会退回')
    await close(tx, actor, order, 'fulfilled', now)
    return order.id
  })
  return one(db, id)
}

/** The member (or staff) cancels a pending order; the points come back and so does the stock. */
export async function cancelOrder(db: Db, actor: Actor, villageId: number, orderId: number, asStaff: boolean, myPersonId: number | null, now = new Date()): Promise<Order> {
  await transaction(db, async (tx) => {
    const [order] = await tx.select().from(shopOrders).where(and(eq(shopOrders.id, orderId), eq(shopOrders.villageId, villageId))).for('update')
    if (!order) throw orderNotFound()
    if (!asStaff && order.personId !== myPersonId) throw forbidden('只能取消自己的兑换')
    if (order.status !== 'pending') throw conflict(ErrorCode.ORDER_CLOSED, '这个订单已经处理过了')
    await close(tx, actor, order, 'cancelled', now)
  })
  return one(db, orderId)
}

/** Orders not picked up in time are closed and refunded; each in its own transaction. Returns how many. */
export async function expireOrders(db: Db, now = new Date()): Promise<number> {
  const due = await db.select({ id: shopOrders.id }).from(shopOrders).where(and(eq(shopOrders.status, 'pending'), lt(shopOrders.expiresAt, now))).limit(500)
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

export const ordersOf = (db: Executor, villageId: number, personId: number) => findOrders(db, and(eq(shopOrders.villageId, villageId), eq(shopOrders.personId, personId)), true)
export const villageOrders = (db: Executor, villageId: number, status?: OrderStatus) =>
  findOrders(db, and(eq(shopOrders.villageId, villageId), status ? eq(shopOrders.status, status) : undefined))
