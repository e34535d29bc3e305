import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startDemo, type TestContext } from '../../../testing/harness.js'
import { expectLedgerConsistent } from '../../../testing/ledger.js'
import { expireOrders } from './shop-orders.js'

let t: TestContext
let as: Record<'committee', string>
let zhangjia: number
let n = 0
const key = () => `release-${++n}`
const DAY = 24 * 3600_000

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['committee']))
})
afterAll(() => t.close())

async function post(path: string, payload?: object) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}${path}`,
    headers: auth(as.committee),
    ...(payload ? { payload } : {}),
  })
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { code?: string; message?: string } }
}
const crowd = async () =>
  (await t.rows<{ id: number; village_id: number; status: string }>('persons')).filter(
    (p) => p.village_id === zhangjia && p.status === 'resident',
  )
const accountsOf = async () =>
  (
    await t.rows<{ id: number; village_id: number; person_id: number | null; kind: string; balance: number }>(
      'point_accounts',
    )
  ).filter((a) => a.village_id === zhangjia)
const balanceOf = async (personId: number) =>
  Number((await accountsOf()).find((a) => a.person_id === personId)?.balance ?? 0)
const systemBalance = async (kind: 'pending' | 'shop') =>
  Number((await accountsOf()).find((a) => a.kind === kind)?.balance ?? 0)
const orderRow = async (id: number) =>
  (
    await t.rows<{ id: number; status: string; hold_entry_id: number; close_entry_id: number | null }>('shop_orders')
  ).find((o) => o.id === id)!
const stockOf = async (itemId: number) =>
  (await t.rows<{ id: number; stock: number }>('shop_items')).find((i) => i.id === itemId)!.stock

/** What the pending-orders and shop accounts must hold: the cost of pending orders, of fulfilled ones. */
async function expectAccountMeanings() {
  const orders = (await t.rows<{ village_id: number; status: string; cost: number }>('shop_orders')).filter(
    (o) => o.village_id === zhangjia,
  )
  const sum = (status: string) => orders.filter((o) => o.status === status).reduce((s, o) => s + o.cost, 0)
  expect(await systemBalance('pending')).toBe(sum('pending'))
  expect(await systemBalance('shop')).toBe(sum('fulfilled'))
  await expectLedgerConsistent(t.database.db)
}

async function setUp(personId: number, points: number, cost: number, stock: number) {
  expect(
    (
      await post('/points/awards', {
        personId,
        ruleCode: 'volunteer_hour',
        points,
        reason: '打扫卫生',
        idempotencyKey: key(),
      })
    ).status,
  ).toBe(201)
  const item = await post('/shop/items', { name: `测试商品 ${key()}`, cost, stock })
  expect(item.status).toBe(201)
  return item.body.id as number
}
async function redeem(personId: number, itemId: number) {
  const idempotencyKey = key()
  const res = await post('/shop/orders', { itemId, personId, idempotencyKey })
  expect(res.status).toBe(201)
  const order = (await t.rows<{ id: number; hold_entry_id: number }>('shop_orders')).find((o) => o.id === res.body.id)!
  return {
    id: res.body.id as number,
    pickupCode: res.body.pickupCode as string,
    holdEntryId: Number(order.hold_entry_id),
  }
}
const reverse = (entryId: number, idempotencyKey = key()) =>
  post(`/points/entries/${entryId}/reverse`, { reason: '登记错了', idempotencyKey })

describe('an order releases its hold once, whichever way comes first', () => {
  it('reversing the redemption of a pending order cancels it: points and stock come back once, then cancel, fulfil and expiry are refused', async () => {
    const [p] = await crowd()
    const before = await balanceOf(p!.id)
    const itemId = await setUp(p!.id, 20, 5, 3)
    const order = await redeem(p!.id, itemId)
    expect(await balanceOf(p!.id)).toBe(before + 15)

    const reversed = await reverse(order.holdEntryId)
    expect(reversed.status).toBe(201)
    expect(await orderRow(order.id)).toMatchObject({ status: 'cancelled', close_entry_id: reversed.body.entryId })
    expect(await balanceOf(p!.id)).toBe(before + 20)
    expect(await stockOf(itemId)).toBe(3)

    const cancel = await post(`/shop/orders/${order.id}/cancel`)
    expect(cancel.status).toBe(409)
    expect(cancel.body.code).toBe('ORDER_CLOSED')
    expect((await post('/shop/orders/fulfil', { pickupCode: order.pickupCode })).body.code).toBe('ORDER_CLOSED')
    await expireOrders(t.database.db, new Date(Date.now() + 30 * DAY))
    expect((await orderRow(order.id)).status).toBe('cancelled')
    expect(await balanceOf(p!.id)).toBe(before + 20)
    expect(await stockOf(itemId)).toBe(3)
    await expectAccountMeanings()
  })

  it('refuses to reverse the redemption of an order already closed, and the entries that closed it, writing nothing', async () => {
    const [, p] = await crowd()
    const itemId = await setUp(p!.id, 30, 5, 10)
    const fulfilled = await redeem(p!.id, itemId)
    expect((await post('/shop/orders/fulfil', { pickupCode: fulfilled.pickupCode })).status).toBe(200)
    const cancelled = await redeem(p!.id, itemId)
    expect((await post(`/shop/orders/${cancelled.id}/cancel`)).status).toBe(200)
    const expired = await redeem(p!.id, itemId)
    await expireOrders(t.database.db, new Date(Date.now() + 30 * DAY))
    expect((await orderRow(expired.id)).status).toBe('expired')

    const entriesBefore = await t.rows('point_entries')
    const balance = await balanceOf(p!.id)
    for (const order of [fulfilled, cancelled, expired]) {
      const hold = await reverse(order.holdEntryId)
      expect(hold.status).toBe(409)
      expect(hold.body.code).toBe('ORDER_CLOSED')
      expect(hold.body.message).toMatch(/不能冲正/)
      const closing = await reverse((await orderRow(order.id)).close_entry_id!)
      expect(closing.status).toBe(409)
      expect(closing.body.code).toBe('ORDER_CLOSED')
      expect(closing.body.message).toMatch(/不能冲正/)
    }
    expect(await t.rows('point_entries')).toEqual(entriesBefore)
    expect(await balanceOf(p!.id)).toBe(balance)
    await expectAccountMeanings()
  })

  it('a reversal of a redemption cannot itself be reversed, and a second reversal is refused; the same key answers the same entry', async () => {
    const [, , p] = await crowd()
    const itemId = await setUp(p!.id, 10, 4, 5)
    const order = await redeem(p!.id, itemId)
    const k = key()
    const same = await Promise.all([
      reverse(order.holdEntryId, k),
      reverse(order.holdEntryId, k),
      reverse(order.holdEntryId, k),
    ])
    expect(same.map((r) => r.status)).toEqual([201, 201, 201])
    expect(new Set(same.map((r) => r.body.entryId)).size).toBe(1)
    const again = await reverse(order.holdEntryId)
    expect(again.status).toBe(409)
    const back = await reverse(same[0]!.body.entryId as number)
    expect(back.status).toBe(409)
    expect(back.body.code).toBe('ALREADY_REVERSED')
    await expectAccountMeanings()
  })

  it('cancel, fulfil, reverse and expire of the same orders at once: exactly one wins each order, and each account keeps its meaning', async () => {
    const people = (await crowd()).slice(3, 13)
    const before = new Map(await Promise.all(people.map(async (p) => [p.id, await balanceOf(p.id)] as const)))
    const itemId = await setUp(people[0]!.id, 6, 6, 100)
    for (const p of people.slice(1))
      expect(
        (
          await post('/points/awards', {
            personId: p.id,
            ruleCode: 'volunteer_hour',
            points: 6,
            reason: '打扫卫生',
            idempotencyKey: key(),
          })
        ).status,
      ).toBe(201)
    const orders = await Promise.all(people.map((p) => redeem(p.id, itemId)))
    // Expiry runs as of a later day, so that fulfilment (as of now) is still allowed and all four race.
    const later = new Date(Date.now() + 30 * DAY)
    let expiredCount = 0
    const results = await Promise.all([
      ...orders.flatMap((o) => [
        post(`/shop/orders/${o.id}/cancel`).then((r) => ({ order: o.id, way: 'cancel', ...r })),
        post('/shop/orders/fulfil', { pickupCode: o.pickupCode }).then((r) => ({ order: o.id, way: 'fulfil', ...r })),
        reverse(o.holdEntryId).then((r) => ({ order: o.id, way: 'reverse', ...r })),
      ]),
      expireOrders(t.database.db, later).then((count) => {
        expiredCount = count
        return null
      }),
    ])
    const won = results.filter((r) => r !== null && r.status < 300)
    const lost = results.filter((r) => r !== null && r.status >= 300)
    expect(lost.every((r) => r!.status === 409 && r!.body.code === 'ORDER_CLOSED')).toBe(true)
    for (const o of orders) {
      const row = await orderRow(o.id)
      const winners = won.filter((r) => r!.order === o.id)
      // Each order closed by exactly one way: one winning request, or expiry (and then no request won).
      if (row.status === 'expired') expect(winners).toHaveLength(0)
      else expect(winners).toHaveLength(1)
      const refunded = row.status !== 'fulfilled'
      const person = people[orders.indexOf(o)]!
      expect(await balanceOf(person.id)).toBe(before.get(person.id)! + (refunded ? 6 : 0))
    }
    expect(won.length + expiredCount).toBe(orders.length)
    expect(await stockOf(itemId)).toBe(
      100 - (await Promise.all(orders.map((o) => orderRow(o.id)))).filter((o) => o.status === 'fulfilled').length,
    )
    await expectAccountMeanings()
  })
})
