import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaMonth } from '../../core/time.js'
import { nextKey } from '../../testing/factories.js'
import { auth, startDemo, type TestContext } from '../../testing/harness.js'

let t: TestContext
let as: Record<'committee' | 'resident' | 'townAdmin', string>
let zhangjia: number

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['committee', 'resident', 'townAdmin'], {
    env: { REPORT_LIMIT_PER_MINUTE: '1000' },
  }))
})
afterAll(() => t.close())

const v = (path: string) => `/api/villages/${zhangjia}/reports${path}`
const post = (path: string, token: string, payload: object) =>
  t.app.inject({ method: 'POST', url: v(path), headers: auth(token), payload })
async function file(category: string, description = '要处理的事') {
  const res = await post('', as.resident, { category, description, idempotencyKey: nextKey() })
  expect(res.statusCode).toBe(201)
  return res.json().id as number
}
/** Moves a report's clock back, as if it had been filed `hours` ago. */
const filedAgo = (id: number, hours: number) =>
  t.database.pool.query(
    'UPDATE reports SET created_at = NOW(3) - INTERVAL ? HOUR, resolve_due_at = NOW(3) - INTERVAL ? HOUR + INTERVAL 24 HOUR WHERE id = ?',
    [hours, hours, id],
  )

describe('figures', () => {
  it('counts, medians, on-time and satisfaction rates from what happened; CSV for Excel; town-wide for the town admin', async () => {
    const a = await file('环境卫生')
    const b = await file('环境卫生')
    const c = await file('设施损坏')
    const d = await file('其他', '我家门口=SUM(A1)') // stays submitted
    await filedAgo(d, 40 * 24) // filed 40 days ago: last month or the one before
    await filedAgo(a, 10) // resolved 10 h after filing: on time (deadline 24 h)
    await filedAgo(b, 30) // resolved 30 h after filing: late
    await filedAgo(c, 4)
    for (const id of [a, b, c]) {
      expect((await post(`/${id}/accept`, as.committee, {})).statusCode).toBe(200)
      expect((await post(`/${id}/resolve`, as.committee, { note: '处理好了' })).statusCode).toBe(200)
    }
    await post(`/${a}/rate`, as.resident, { rating: 'satisfied' })
    await post(`/${b}/rate`, as.resident, { rating: 'unsatisfied', comment: '太慢了' })
    await post(`/${c}/rate`, as.resident, { rating: 'basically_satisfied' })

    const res = await t.app.inject({ method: 'GET', url: v('/figures'), headers: auth(as.committee) })
    expect(res.statusCode).toBe(200)
    const f = res.json()
    expect(f.total).toBe(4)
    expect(f.byCategory).toEqual([
      { key: '环境卫生', count: 2 },
      { key: '其他', count: 1 },
      { key: '设施损坏', count: 1 },
    ])
    expect(f.byState).toEqual(
      expect.arrayContaining([
        { key: 'closed', count: 2 },
        { key: 'in_progress', count: 1 },
        { key: 'submitted', count: 1 },
      ]),
    )
    expect(f.byGrid).toEqual([{ key: '二组网格', count: 4 }])
    const monthOf = (hoursAgo: number) => chinaMonth(new Date(Date.now() - hoursAgo * 3600_000))
    const months = new Map<string, number>()
    for (const h of [10, 30, 4, 40 * 24]) months.set(monthOf(h), (months.get(monthOf(h)) ?? 0) + 1)
    expect(f.byMonth).toEqual(
      [...months].map(([key, count]) => ({ key, count })).sort((x, y) => x.key.localeCompare(y.key)),
    )
    expect(f.byMonth.length).toBeGreaterThanOrEqual(2)
    expect(f.medianAcceptHours).toBeCloseTo(10, 0) // 4, 10 and 30 hours
    // b was reopened (不满意), so two are resolved: a on time, c on time.
    expect(f.onTimeRate).toBe(1)
    expect(f.satisfactionRate).toBe(1) // the two closed ones were 满意 and 基本满意
    expect((await t.app.inject({ method: 'GET', url: v('/figures'), headers: auth(as.resident) })).statusCode).toBe(403)

    const csv = await t.app.inject({ method: 'GET', url: v('/figures.csv'), headers: auth(as.committee) })
    expect(csv.headers['content-type']).toContain('text/csv')
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines).toHaveLength(5)
    expect(lines[0]).toContain('"按时办结"')
    expect(csv.body).not.toContain('张秀兰')

    const towns = (await t.app.inject({ method: 'GET', url: '/api/towns/mine', headers: auth(as.townAdmin) })).json()
    const town = await t.app.inject({
      method: 'GET',
      url: `/api/towns/${towns[0].id}/reports/figures`,
      headers: auth(as.townAdmin),
    })
    expect(town.json().total).toBe(4)
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/towns/${towns[0].id}/reports/figures`,
          headers: auth(as.committee),
        })
      ).statusCode,
    ).toBe(403)
    const bad = await t.app.inject({
      method: 'GET',
      url: v('/figures?from=2026-12-01&to=2026-01-01'),
      headers: auth(as.committee),
    })
    expect(bad.statusCode).toBe(400)
  })
})
