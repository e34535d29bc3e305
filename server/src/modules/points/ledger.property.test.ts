import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { transaction } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { startTestContext, type TestContext } from '../../testing/harness.js'
import { award } from './award.js'
import { reverse } from './reverse.js'
import { cancelOrder, redeem } from './shop-orders.js'
import { pointRules, shopItems } from './tables.js'

let t: TestContext
let villageId: number
let people: number[]
let itemId: number
const actor = { userId: 1, requestId: 'property-test' }
let n = 0
const key = () => `prop-${++n}`

beforeAll(async () => {
  t = await startTestContext()
  villageId = await t.villageId('zhangjia')
  people = (await t.rows<{ id: number; village_id: number }>('persons')).filter((p) => p.village_id === villageId).slice(0, 4).map((p) => p.id)
  // Rules without caps, so every refusal the property meets comes from the ledger itself.
  await t.database.db.insert(pointRules).values([
    { villageId, code: 'prop_earn', version: 1, name: '测试加分', kind: 'earn', points: 1 },
    { villageId, code: 'prop_penalty', version: 1, name: '测试扣分', kind: 'penalty', points: 1 },
  ])
  const [{ id }] = (await t.database.db.insert(shopItems).values({ villageId, name: '测试商品', cost: 7, stock: 1000 }).$returningId()) as [{ id: number }]
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

async function checkInvariants() {
  const accounts = await t.rows<{ id: number; village_id: number; kind: string; balance: number; lifetime_earned: number; lifetime_penalty: number }>('point_accounts')
  const entries = await t.rows<{ id: number; amount: number; from_account_id: number; to_account_id: number; reverses_entry_id: number | null }>('point_entries')
  const sums = new Map<number, number>()
  for (const a of accounts) sums.set(a.village_id, (sums.get(a.village_id) ?? 0) + Number(a.balance))
  for (const s of sums.values()) expect(s).toBe(0)
  for (const a of accounts) {
    expect(Number(a.balance)).toBe(entries.reduce((s, e) => s + (e.to_account_id === a.id ? e.amount : 0) - (e.from_account_id === a.id ? e.amount : 0), 0))
    if (a.kind === 'person') expect(Number(a.balance)).toBeGreaterThanOrEqual(0)
  }
  const reversed = entries.filter((e) => e.reverses_entry_id !== null).map((e) => e.reverses_entry_id)
  expect(new Set(reversed).size).toBe(reversed.length)
  const [item] = (await t.rows<{ id: number; stock: number }>('shop_items')).filter((i) => i.id === itemId)
  const held = (await t.rows<{ item_id: number; status: string }>('shop_orders')).filter((o) => o.item_id === itemId && (o.status === 'pending' || o.status === 'fulfilled')).length
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
              await transaction(t.database.db, (tx) => award(tx, { villageId, personId: people[c.who]!, ruleCode: c.op === 'earn' ? 'prop_earn' : 'prop_penalty', points: c.amount, key: key() }))
            } else if (c.op === 'redeem') {
              await redeem(t.database.db, actor, villageId, people[c.who]!, { itemId, idempotencyKey: key() })
            } else if (c.op === 'cancel') {
              const orders = await t.rows<{ id: number }>('shop_orders')
              if (orders.length) await cancelOrder(t.database.db, actor, villageId, orders[c.nth % orders.length]!.id, true, null)
            } else {
              const entries = await t.rows<{ id: number; kind: string }>('point_entries')
              const candidates = entries.filter((e) => e.kind !== 'reversal')
              if (candidates.length) await transaction(t.database.db, (tx) => reverse(tx, actor, villageId, candidates[c.nth % candidates.length]!.id, '测试冲正', key()))
            }
          } catch (err) {
            if (!(err instanceof AppError) || !EXPECTED.has(err.code)) throw err
          }
          await checkInvariants()
        }
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
