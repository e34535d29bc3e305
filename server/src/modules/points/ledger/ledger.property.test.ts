import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../../core/db.js'
import { AppError } from '../../../core/errors.js'
import { auth, startDemo, type TestContext } from '../../../testing/harness.js'
import { expectLedgerConsistent } from '../../../testing/ledger.js'
import { award } from '../awards/award.js'
import { reverse } from './reverse.js'
import { cancelOrder, expireOrders, redeem } from '../shop/shop-orders.js'
import { pointRules, shopItems } from '../tables.js'

let t: TestContext
let villageId: number
let people: number[]
let itemId: number
let as: Record<'committee', string>
const actor = { userId: 1, requestId: 'property-test' }
let n = 0
const key = () => `prop-key-${++n}`

beforeAll(async () => {
  // Hundreds of requests a minute from the same committee member: the property is about the ledger, not
  // the per-person rate limit (rate-limits.test.ts), which a fast run would otherwise meet (429).
  ;({ t, as, zhangjia: villageId } = await startDemo(['committee'], { env: { RATE_LIMIT_PER_MINUTE: '100000' } }))
  people = (await t.rows<{ id: number; village_id: number }>('persons'))
    .filter((p) => p.village_id === villageId)
    .slice(0, 4)
    .map((p) => p.id)
  // Rules without caps, so every refusal the property meets comes from the ledger itself.
  await t.database.db.insert(pointRules).values([
    { villageId, code: 'prop_earn', version: 1, name: '测试加分', kind: 'earn', points: 1 },
    { villageId, code: 'prop_penalty', version: 1, name: '测试扣分', kind: 'penalty', points: 1 },
  ])
  const [{ id }] = (await t.database.db
    .insert(shopItems)
    .values({ villageId, name: '测试商品', cost: 7, stock: 1000 })
    .$returningId()) as [{ id: number }]
  itemId = id
})
afterAll(() => t.close())

type Command =
  | { op: 'earn'; who: number; amount: number }
  | { op: 'penalty'; who: number; amount: number }
  | { op: 'redeem'; who: number }
  | { op: 'cancel'; nth: number }
  | { op: 'reverse'; nth: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('earn' as const), who: fc.nat(3), amount: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('penalty' as const), who: fc.nat(3), amount: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ op: fc.constant('redeem' as const), who: fc.nat(3) }),
  fc.record({ op: fc.constant('cancel' as const), nth: fc.nat(50) }),
  fc.record({ op: fc.constant('reverse' as const), nth: fc.nat(50) }),
)

/** The refusals the ledger may answer with; anything else is a bug. */
const EXPECTED = new Set(['INSUFFICIENT_POINTS', 'ORDER_CLOSED', 'ALREADY_REVERSED', 'SOLD_OUT'])

interface AccountRow {
  id: number
  village_id: number
  kind: string
  person_id: number | null
  balance: number
}
interface EntryRow {
  id: number
  kind: string
  amount: number
  from_account_id: number
  to_account_id: number
  ref_type: string | null
  ref_id: number | null
  reverses_entry_id: number | null
}
interface OrderRow {
  id: number
  village_id: number
  item_id: number
  person_id: number
  cost: number
  status: string
  hold_entry_id: number
  close_entry_id: number | null
  pickup_code: string
}

/**
 * The ledger oracle: what every account and every order must mean, checked from the rows. The books of
 * each village sum to zero and each balance is the sum of its entries; the pending-orders account holds
 * the cost of the orders still pending and the shop account that of the fulfilled ones; each order's
 * hold moved once and was released exactly once if (and only if) the order is closed; and each person
 * has what they were given, less what their pending and fulfilled orders cost (nobody paid twice,
 * nobody short).
 */
async function checkInvariants() {
  const accounts = await t.rows<AccountRow>('point_accounts')
  const entries = await t.rows<EntryRow>('point_entries')
  const orders = await t.rows<OrderRow>('shop_orders')
  const net = new Map<number, number>()
  const move = (account: number, amount: number) => net.set(account, (net.get(account) ?? 0) + amount)
  for (const e of entries) {
    move(e.from_account_id, -e.amount)
    move(e.to_account_id, e.amount)
  }
  const sums = new Map<number, number>()
  for (const a of accounts) {
    sums.set(a.village_id, (sums.get(a.village_id) ?? 0) + Number(a.balance))
    expect(Number(a.balance), `account ${a.id}`).toBe(net.get(a.id) ?? 0)
    if (a.kind === 'person') expect(Number(a.balance), `account ${a.id}`).toBeGreaterThanOrEqual(0)
  }
  for (const [village, sum] of sums) expect(sum, `village ${village}`).toBe(0)
  const reversed = entries.filter((e) => e.reverses_entry_id !== null).map((e) => e.reverses_entry_id)
  expect(new Set(reversed).size).toBe(reversed.length)

  const system = (villageId: number, kind: string) =>
    accounts.find((a) => a.village_id === villageId && a.kind === kind)
  const personal = new Map(accounts.filter((a) => a.person_id !== null).map((a) => [a.person_id!, a]))
  const orderMovements = new Set<number>()
  const owed = new Map<number, number>()
  for (const o of orders) {
    const pending = system(o.village_id, 'pending')!.id
    const person = personal.get(o.person_id)!.id
    const hold = entries.find((e) => e.id === o.hold_entry_id)
    expect(hold, `order ${o.id}`).toMatchObject({
      kind: 'redeem',
      from_account_id: person,
      to_account_id: pending,
      amount: o.cost,
    })
    // Whatever released this order's hold: its refund, expiry or fulfilment, or the reversal of its redemption.
    const releases = entries.filter(
      (e) => (e.ref_type === 'shop_order' && Number(e.ref_id) === o.id) || e.reverses_entry_id === o.hold_entry_id,
    )
    orderMovements.add(o.hold_entry_id)
    for (const e of releases) orderMovements.add(e.id)
    if (o.status === 'pending') {
      expect(releases, `order ${o.id}`).toEqual([])
      expect(o.close_entry_id, `order ${o.id}`).toBeNull()
    } else {
      expect(
        releases.map((e) => e.id),
        `order ${o.id} (${o.status})`,
      ).toEqual([o.close_entry_id])
      const to = o.status === 'fulfilled' ? system(o.village_id, 'shop')!.id : person
      expect(releases[0], `order ${o.id}`).toMatchObject({
        from_account_id: pending,
        to_account_id: to,
        amount: o.cost,
      })
    }
    if (o.status === 'pending' || o.status === 'fulfilled') owed.set(person, (owed.get(person) ?? 0) + o.cost)
  }
  for (const villageId of sums.keys()) {
    const cost = (status: string) =>
      orders.filter((o) => o.village_id === villageId && o.status === status).reduce((s, o) => s + o.cost, 0)
    expect(Number(system(villageId, 'pending')?.balance ?? 0), `pending-orders account of village ${villageId}`).toBe(
      cost('pending'),
    )
    expect(Number(system(villageId, 'shop')?.balance ?? 0), `shop account of village ${villageId}`).toBe(
      cost('fulfilled'),
    )
  }
  const given = new Map<number, number>()
  for (const e of entries) {
    if (orderMovements.has(e.id)) continue
    given.set(e.from_account_id, (given.get(e.from_account_id) ?? 0) - e.amount)
    given.set(e.to_account_id, (given.get(e.to_account_id) ?? 0) + e.amount)
  }
  for (const a of accounts.filter((a) => a.kind === 'person'))
    expect(Number(a.balance), `person ${a.person_id}`).toBe((given.get(a.id) ?? 0) - (owed.get(a.id) ?? 0))

  const [item] = (await t.rows<{ id: number; stock: number }>('shop_items')).filter((i) => i.id === itemId)
  const held = orders.filter((o) => o.item_id === itemId && (o.status === 'pending' || o.status === 'fulfilled')).length
  expect(item!.stock + held).toBe(1000)
}

describe('the ledger under random sequences of earn, penalty, redeem, cancel and reverse', () => {
  it('keeps every invariant after every step', async () => {
    const entriesBefore = new Map<number, string>()
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 20 }), async (commands) => {
        for (const c of commands) {
          try {
            if (c.op === 'earn' || c.op === 'penalty') {
              await transaction(t.database.db, (tx) =>
                award(tx, {
                  villageId,
                  personId: people[c.who]!,
                  ruleCode: c.op === 'earn' ? 'prop_earn' : 'prop_penalty',
                  points: c.amount,
                  key: key(),
                }),
              )
            } else if (c.op === 'redeem') {
              await redeem(t.database.db, actor, villageId, people[c.who]!, { itemId, idempotencyKey: key() })
            } else if (c.op === 'cancel') {
              const orders = await t.rows<{ id: number }>('shop_orders')
              if (orders.length)
                await cancelOrder(
                  t.database.db,
                  actor,
                  { villageId, membershipId: null, roles: ['committee'], personId: null },
                  orders[c.nth % orders.length]!.id,
                )
            } else {
              const entries = await t.rows<{ id: number; kind: string }>('point_entries')
              const candidates = entries.filter((e) => e.kind !== 'reversal')
              if (candidates.length)
                await transaction(t.database.db, (tx) =>
                  reverse(tx, actor, villageId, candidates[c.nth % candidates.length]!.id, '测试冲正', key()),
                )
            }
          } catch (err) {
            if (!(err instanceof AppError) || !EXPECTED.has(err.code)) throw err
          }
          await checkInvariants()
        }
        // The chains too (verify-ledger), once per run: it reads the whole audit log.
        await expectLedgerConsistent(t.database.db)
        // No entry is ever changed once written.
        for (const e of await t.rows<Record<string, unknown> & { id: number }>('point_entries')) {
          const seen = entriesBefore.get(e.id)
          const now = JSON.stringify(e)
          if (seen) expect(now).toBe(seen)
          else entriesBefore.set(e.id, now)
        }
      }),
      { numRuns: 25 },
    )
  })
})

type OrderCommand =
  | { op: 'earn'; who: number; amount: number }
  | { op: 'redeem'; who: number }
  | { op: 'reverse-hold' | 'reverse-close' | 'reverse-any' | 'cancel' | 'fulfil' | 'expire'; nth: number }

const orderCommand: fc.Arbitrary<OrderCommand> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant('earn' as const), who: fc.nat(3), amount: fc.integer({ min: 1, max: 40 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('redeem' as const), who: fc.nat(3) }), weight: 4 },
  {
    arbitrary: fc.record({
      op: fc.constantFrom(
        'reverse-hold' as const,
        'reverse-close' as const,
        'cancel' as const,
        'fulfil' as const,
        'expire' as const,
      ),
      nth: fc.nat(5),
    }),
    weight: 8,
  },
  fc.record({ op: fc.constant('reverse-any' as const), nth: fc.nat(200) }),
)

describe('orders under random interleavings of redeem, reverse, cancel, fulfil and expire, in turn and at once', () => {
  const post = async (path: string, payload?: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${villageId}${path}`,
      headers: auth(as.committee),
      ...(payload ? { payload } : {}),
    })
    const body = res.json() as { code?: string }
    // Only refusals a villager could meet; a 500, a 404 or a validation error is a bug.
    if (res.statusCode >= 300)
      expect(res.statusCode === 409 && EXPECTED.has(body.code!), `${path}: ${res.statusCode} ${res.body}`).toBe(true)
  }

  async function run(c: OrderCommand, orders: OrderRow[], entryIds: number[]) {
    if (c.op === 'earn') {
      await transaction(t.database.db, (tx) =>
        award(tx, { villageId, personId: people[c.who]!, ruleCode: 'prop_earn', points: c.amount, key: key() }),
      )
      return
    }
    if (c.op === 'redeem') return post('/shop/orders', { itemId, personId: people[c.who]!, idempotencyKey: key() })
    const reason = '测试冲正'
    if (c.op === 'reverse-any')
      return entryIds.length
        ? post(`/points/entries/${entryIds[c.nth % entryIds.length]}/reverse`, { reason, idempotencyKey: key() })
        : undefined
    // The most recent orders, so that several commands of one batch meet on the same order.
    const recent = orders.slice(-6)
    const o = recent[c.nth % recent.length]
    if (!o) return
    if (c.op === 'reverse-hold')
      return post(`/points/entries/${o.hold_entry_id}/reverse`, { reason, idempotencyKey: key() })
    if (c.op === 'reverse-close')
      return o.close_entry_id
        ? post(`/points/entries/${o.close_entry_id}/reverse`, { reason, idempotencyKey: key() })
        : undefined
    if (c.op === 'cancel') return post(`/shop/orders/${o.id}/cancel`)
    if (c.op === 'fulfil') return post('/shop/orders/fulfil', { pickupCode: o.pickup_code })
    // Its pickup time is up: the scheduled expiry (the real function) finds it due.
    await t.database.pool.query('UPDATE shop_orders SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [o.id])
    await expireOrders(t.database.db)
  }

  it('releases every hold once and keeps what every account means after every batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(orderCommand, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        async (batches) => {
          for (const batch of batches) {
            const orders = (await t.rows<OrderRow>('shop_orders'))
              .filter((o) => o.item_id === itemId)
              .sort((a, b) => a.id - b.id)
            const entryIds = (await t.rows<{ id: number }>('point_entries')).map((e) => e.id)
            await Promise.all(batch.map((c) => run(c, orders, entryIds)))
            await checkInvariants()
          }
          await expectLedgerConsistent(t.database.db)
        },
      ),
      { numRuns: 40 },
    )
  }, 60_000)
})
