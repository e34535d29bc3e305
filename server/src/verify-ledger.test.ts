import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sealAuditChains } from './core/audit.js'
import { transaction } from './core/db.js'
import { personAccount, systemAccount, transfer } from './modules/points/index.js'
import { auth, startDemo, type TestContext } from './testing/harness.js'
import { expectLedgerConsistent } from './testing/ledger.js'
import { verifyLedger } from './verify-ledger.js'

let t: TestContext
let zhangjia: number

beforeAll(async () => {
  const demo = await startDemo(['committee', 'resident'], { env: { REPORT_LIMIT_PER_MINUTE: '1000' } })
  ;({ t, zhangjia } = demo)
  const { committee, resident } = demo.as
  // A village at work: awards, a redemption, reports, a deletion, all through the API.
  const call = async (path: string, token: string, payload: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}${path}`,
      headers: auth(token),
      payload,
    })
    expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300)
    return res.json()
  }
  const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(resident) })).json().memberships[0]
  await call('/points/rules', committee, { code: 'chain_test', name: '打扫卫生', kind: 'earn', points: 10 })
  for (let i = 0; i < 5; i++)
    await call('/points/awards', committee, {
      personId: me.personId,
      ruleCode: 'chain_test',
      reason: '打扫村口',
      idempotencyKey: `chain-award-${i}`,
    })
  const item = await call('/shop/items', committee, { name: '肥皂', cost: 3, stock: 10 })
  await call('/shop/orders', resident, { itemId: item.id, idempotencyKey: 'chain-order-1' })
  for (let i = 0; i < 3; i++)
    await call('/reports', resident, {
      category: '环境卫生',
      description: `垃圾没人清 ${i}`,
      idempotencyKey: `chain-report-${i}`,
    })
  expect(
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/me/delete',
        headers: auth(await t.login('demo-zhangjia-volunteer')),
        payload: { confirm: '注销' },
      })
    ).statusCode,
  ).toBe(200)
})
afterAll(() => t?.close())

const run = promisify(execFile)
/** `npm run verify-ledger` against this test's database: its exit code and what it printed. */
async function command() {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/verify-ledger.ts'], {
      env: { ...process.env, NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret', DATABASE_URL: t.databaseUrl },
    })
    return { code: 0, out: stdout + stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, out: e.stdout + e.stderr }
  }
}
const q = (sql: string, params: unknown[] = []) => t.database.pool.query(sql, params)

describe('npm run verify-ledger', () => {
  it('verifies the chains and balances of a village at work, once its audit rows are sealed', async () => {
    const waiting = await command()
    expect(waiting.code).toBe(0)
    expect(waiting.out).toMatch(/\d+ audit rows not sealed yet, the oldest for [\d.]+ s/)
    await sealAuditChains(t.database.db)
    const r = await verifyLedger(t.database.db)
    expect(r.broken).toEqual([])
    expect(r.unchained).toBe(0)
    expect(r.auditRows).toBeGreaterThan(10)
    expect(r.entries).toBeGreaterThan(5)
    expect(r.auditChains).toBeGreaterThanOrEqual(2) // the village's and the town-wide one (sign-ups, the deletion)
    const ok = await command()
    expect(ok.out).toContain('every chain and every balance verifies')
    expect(ok.out).not.toContain('not sealed yet')
    expect(ok.code).toBe(0)
  })

  it('finds an entry changed in SQL, and the balance that no longer adds up', async () => {
    const [[entry]] = (await q(
      "SELECT id, amount FROM point_entries WHERE reason = '打扫村口' ORDER BY id LIMIT 1 OFFSET 2",
    )) as unknown as [[{ id: number; amount: number }]]
    await q('UPDATE point_entries SET amount = amount + 100 WHERE id = ?', [entry.id])
    const found = await command()
    expect(found.code).toBe(1)
    expect(found.out).toContain(`BROKEN point_entries ${entry.id}: account`)
    expect(found.out).toContain('was changed after it was written')
    expect(found.out).toMatch(/BROKEN point_accounts \d+: account \d+: balance/)
    await q('UPDATE point_entries SET amount = ? WHERE id = ?', [entry.amount, entry.id])
    await expectLedgerConsistent(t.database.db)
  })

  it('finds an order whose state changed in SQL without its points: the order, the pending-orders and the shop account', async () => {
    const [[order]] = (await q(
      "SELECT id, cost FROM shop_orders WHERE idempotency_key = 'chain-order-1'",
    )) as unknown as [[{ id: number; cost: number }]]
    const [[pending]] = (await q("SELECT id FROM point_accounts WHERE village_id = ? AND system_key = 'pending'", [
      zhangjia,
    ])) as unknown as [[{ id: number }]]
    const [[shop]] = (await q("SELECT id, balance FROM point_accounts WHERE village_id = ? AND system_key = 'shop'", [
      zhangjia,
    ])) as unknown as [[{ id: number; balance: number }]]
    await q("UPDATE shop_orders SET status = 'fulfilled' WHERE id = ?", [order.id])
    const found = await command()
    expect(found.code).toBe(1)
    expect(found.out).toContain(
      `BROKEN shop_orders ${order.id}: order ${order.id} (fulfilled): no entry moved its ${order.cost} points from the pending-orders account to the shop`,
    )
    expect(found.out).toContain(
      `BROKEN point_accounts ${pending.id}: village ${zhangjia}: the pending-orders account holds ${order.cost}, but the cost of its pending orders is 0`,
    )
    expect(found.out).toContain(
      `BROKEN point_accounts ${shop.id}: village ${zhangjia}: the shop account holds ${shop.balance}, but what its fulfilled orders moved is ${Number(shop.balance) + order.cost}`,
    )
    await q("UPDATE shop_orders SET status = 'pending' WHERE id = ?", [order.id])
    await expectLedgerConsistent(t.database.db)
  })

  it('finds a person below zero (the CHECK switched off) and a village whose balances no longer sum to zero', async () => {
    const [[account]] = (await q(
      "SELECT id, balance FROM point_accounts WHERE village_id = ? AND kind = 'person' AND balance > 0 LIMIT 1",
      [zhangjia],
    )) as unknown as [[{ id: number; balance: number }]]
    const conn = await t.database.pool.getConnection()
    try {
      await conn.query('SET SESSION check_constraint_checks = 0')
      await conn.query('UPDATE point_accounts SET balance = -1 WHERE id = ?', [account.id])
    } finally {
      await conn.query('SET SESSION check_constraint_checks = 1')
      conn.release()
    }
    const { broken } = await verifyLedger(t.database.db)
    expect(broken).toContainEqual({
      table: 'point_accounts',
      id: account.id,
      problem: `account ${account.id}: a person's balance is -1, below zero`,
    })
    expect(broken).toContainEqual({
      table: 'villages',
      id: zhangjia,
      problem: `village ${zhangjia}: its balances add up to ${-1 - Number(account.balance)}, not 0`,
    })
    await q('UPDATE point_accounts SET balance = ? WHERE id = ?', [account.balance, account.id])
    await expectLedgerConsistent(t.database.db)
  })

  it('finds an audit row changed, a row removed from the middle, and the last rows removed', async () => {
    const [rows] = (await q('SELECT * FROM audit_log WHERE chain = ? ORDER BY id', [zhangjia])) as unknown as [
      Record<string, unknown>[],
    ]
    const [middle, next] = [rows[3]!, rows[4]!]
    await q("UPDATE audit_log SET action = 'points.awarded_twice' WHERE id = ?", [middle.id])
    expect((await verifyLedger(t.database.db)).broken).toEqual([
      {
        table: 'audit_log',
        id: middle.id,
        problem: `chain ${zhangjia}: row ${middle.id} was changed after it was written`,
      },
    ])
    await q('DELETE FROM audit_log WHERE id = ?', [middle.id])
    expect((await verifyLedger(t.database.db)).broken).toEqual([
      {
        table: 'audit_log',
        id: next.id,
        problem: `chain ${zhangjia}: row ${next.id} does not link to the row before it (a row was removed or inserted)`,
      },
    ])
    await q('INSERT INTO audit_log SET ?', [
      {
        ...middle,
        data: middle.data === null || typeof middle.data === 'string' ? middle.data : JSON.stringify(middle.data),
      },
    ])
    await expectLedgerConsistent(t.database.db)

    const last = rows[rows.length - 1]!
    await q('DELETE FROM audit_log WHERE id = ?', [last.id])
    const gone = await command()
    expect(gone.code).toBe(1)
    expect(gone.out).toContain(
      `BROKEN audit_chain_heads ${zhangjia}: chain ${zhangjia}: ends at row ${rows[rows.length - 2]!.id}, but its head says ${last.id}`,
    )
  })

  // Last: the entry it adds is chained and stays (the ledger is append-only).
  it('finds an order whose hold was released twice: a second refund made by a faulty path, chained like any entry', async () => {
    const resident = await t.login('demo-zhangjia-resident')
    const [item] = (await t.rows<{ id: number; village_id: number; name: string }>('shop_items')).filter(
      (i) => i.village_id === zhangjia && i.name === '肥皂',
    )
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/shop/orders`,
      headers: auth(resident),
      payload: { itemId: item!.id, idempotencyKey: 'chain-order-twice' },
    })
    const order = res.json() as { id: number; personId: number; cost: number }
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/villages/${zhangjia}/shop/orders/${order.id}/cancel`,
          headers: auth(resident),
        })
      ).statusCode,
    ).toBe(200)
    const again = await transaction(t.database.db, async (tx) => {
      const [pending, person] = [
        await systemAccount(tx, zhangjia, 'pending'),
        await personAccount(tx, zhangjia, order.personId),
      ]
      return transfer(tx, {
        villageId: zhangjia,
        fromAccountId: pending,
        toAccountId: person,
        amount: order.cost,
        kind: 'refund',
        reason: '取消兑换，退回积分',
        ref: { type: 'shop_order', id: order.id },
        key: `order:${order.id}:refund-again`,
      })
    })
    const found = await command()
    expect(found.code).toBe(1)
    expect(found.out).toContain(
      `BROKEN shop_orders ${order.id}: order ${order.id} (cancelled): its hold was released again, by entry ${again}`,
    )
    expect(found.out).toMatch(
      new RegExp(
        `BROKEN point_accounts \\d+: village ${zhangjia}: the pending-orders account holds -?\\d+, but the cost of its pending orders is`,
      ),
    )
  })
})
