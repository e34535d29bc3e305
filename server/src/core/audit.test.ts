import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, nextKey, startWithVillages, type Village } from '../testing/factories.js'
import type { TestContext } from '../testing/harness.js'
import { verifyLedger } from '../verify-ledger.js'
import { audit, sealAuditChains } from './audit.js'

let t: TestContext
let village: Village
let other: Village
beforeAll(async () => {
  ;[t, village, other] = await startWithVillages(2, { env: { REPORT_LIMIT_PER_MINUTE: '1000' } })
})
afterAll(() => t?.close())

const report = (v: Village) =>
  as(t, { token: v.resident.token }).post(`/api/villages/${v.id}/reports`, {
    category: '环境卫生',
    description: '村口的垃圾没人收',
    idempotencyKey: nextKey(),
  })

type Row = { id: number; chain: number; prev_hash: string | null; hash: string | null; awaiting_seal: number }
const auditRows = async () =>
  (
    await t.database.pool.query('SELECT id, chain, prev_hash, hash, awaiting_seal FROM audit_log ORDER BY id')
  )[0] as Row[]

describe('the audit log: appended freely, sealed into chains shortly after', () => {
  it('an audited write does not wait for its chain: the head locked elsewhere, a report still goes through', async () => {
    expect((await report(village)).statusCode).toBe(201)
    await sealAuditChains(t.database.db) // the village's chain has a head
    const holder = await mysql.createConnection(t.databaseUrl)
    try {
      await holder.query('START TRANSACTION')
      const [heads] = (await holder.query('SELECT chain FROM audit_chain_heads WHERE chain = ? FOR UPDATE', [
        village.id,
      ])) as unknown as [{ chain: number }[]]
      expect(heads).toHaveLength(1)
      // Before: every audited write locked this row, so the report waited here until the lock timed out.
      const res = await report(village)
      expect(res.statusCode, res.body).toBe(201)
      const [row] = (await t.database.pool.query(
        "SELECT awaiting_seal, hash FROM audit_log WHERE action = 'report.submit' AND entity_id = ?",
        [res.json().id],
      )) as unknown as [{ awaiting_seal: number; hash: string | null }[]]
      expect(row).toEqual([{ awaiting_seal: 1, hash: null }])
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
    }
  })

  it('rows wait for the sealer, which links each once; verify-ledger reports the lag, then the chains', async () => {
    await Promise.all([report(village), report(other)])
    const waiting = (await auditRows()).filter((r) => r.awaiting_seal)
    expect(waiting.length).toBeGreaterThanOrEqual(2)
    const before = await verifyLedger(t.database.db)
    expect(before.broken).toEqual([])
    expect(before.awaitingSeal).toBe(waiting.length)
    expect(before.sealLagSeconds).toBeGreaterThanOrEqual(0)

    expect(await sealAuditChains(t.database.db)).toBe(waiting.length)
    expect(await sealAuditChains(t.database.db)).toBe(0)
    const rows = await auditRows()
    expect(rows.filter((r) => r.awaiting_seal || r.hash === null)).toEqual([])
    // Each chain is one line: every row links to a different predecessor, and the head is its end.
    for (const chain of new Set(rows.map((r) => r.chain))) {
      const on = rows.filter((r) => r.chain === chain)
      expect(new Set(on.map((r) => r.prev_hash)).size, `chain ${chain}`).toBe(on.length)
    }
    const after = await verifyLedger(t.database.db)
    expect(after).toMatchObject({ broken: [], awaitingSeal: 0, sealLagSeconds: null, unchained: 0 })
    expect(after.auditChains).toBeGreaterThanOrEqual(3) // two villages and the town-wide chain
  })

  it('several sealers at once, while rows keep arriving: every row sealed once, every chain whole', async () => {
    const writes = Array.from({ length: 60 }, (_, i) =>
      audit(t.database.db, null, {
        villageId: i % 3 === 0 ? null : i % 3 === 1 ? village.id : other.id,
        action: 'test.parallel',
        entity: 'test',
        entityId: i + 1,
      }),
    )
    const sealers = Array.from({ length: 4 }, () => sealAuditChains(t.database.db))
    await Promise.all(writes)
    const sealedMeanwhile = (await Promise.all(sealers)).reduce((a, b) => a + b, 0)
    const sealedAfter = await sealAuditChains(t.database.db)
    expect(sealedMeanwhile + sealedAfter).toBe(60)
    const r = await verifyLedger(t.database.db)
    expect(r).toMatchObject({ broken: [], awaitingSeal: 0 })
  })

  it('verify-ledger reads one snapshot: sealing while it checks never looks like a broken chain', async () => {
    const problems: unknown[] = []
    let checking = true
    // Rows written and sealed one at a time for as long as the checks run.
    const writing = (async () => {
      for (let i = 1; checking; i++) {
        await audit(t.database.db, null, { villageId: village.id, action: 'test.busy', entity: 'test', entityId: i })
        await sealAuditChains(t.database.db)
      }
    })()
    for (let round = 0; round < 40; round++) problems.push(...(await verifyLedger(t.database.db)).broken)
    checking = false
    await writing
    expect(problems).toEqual([])
  })

  it('a late row (a lower id committed after higher ones were sealed, as across Galera nodes) is sealed too', async () => {
    await sealAuditChains(t.database.db)
    const [[{ top }]] = (await t.database.pool.query('SELECT MAX(id) AS top FROM audit_log')) as unknown as [
      [{ top: number }],
    ]
    const row = (id: number) => [id, village.id, village.id, 'test.late', 'test', id]
    const insert =
      'INSERT INTO audit_log (id, chain, village_id, action, entity, entity_id, awaiting_seal) VALUES (?, ?, ?, ?, ?, ?, TRUE)'
    // Node B's row (a higher id) commits and is sealed first; node A's (a lower id) commits later.
    await t.database.pool.query(insert, row(top + 30))
    expect(await sealAuditChains(t.database.db)).toBe(1)
    await t.database.pool.query(insert, row(top + 10))
    expect(await sealAuditChains(t.database.db)).toBe(1)
    const [late] = (await t.database.pool.query('SELECT id, hash FROM audit_log WHERE id IN (?) ORDER BY id', [
      [top + 10, top + 30],
    ])) as unknown as [{ id: number; hash: string | null }[]]
    expect(late.map((r) => r.hash !== null)).toEqual([true, true])
    const [[head]] = (await t.database.pool.query('SELECT last_id FROM audit_chain_heads WHERE chain = ?', [
      village.id,
    ])) as unknown as [[{ last_id: number }]]
    expect(Number(head.last_id)).toBe(top + 10) // the chain's end is the row sealed last, not the highest id
    expect((await verifyLedger(t.database.db)).broken).toEqual([])
  })
})
