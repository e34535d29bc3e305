import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayInChina } from '../../../core/time.js'
import { nextKey } from '../../../testing/factories.js'
import { auth, startDemo, type TestContext } from '../../../testing/harness.js'
import { pdfText } from '../../../testing/pdf.js'
import { lastMonth } from './notice.js'

let t: TestContext
let as: Record<'committee' | 'volunteer', string>
let zhangjia: number
let heping: number
const thisMonth = todayInChina().slice(0, 7)

beforeAll(async () => {
  ;({ t, as, zhangjia, heping } = await startDemo(['committee', 'volunteer']))
})
afterAll(() => t.close())

/** A person's row of the notice: their points, and each rule's times and points, in the notice's order. */
const noticeRow = (name: string, points: number, items: Record<string, [number, number]>) => ({
  householdNumber: expect.any(String),
  name,
  points,
  items: Object.entries(items).map(([rule, [times, points]]) => ({ rule, times, points })),
})
const person = async (name: string) =>
  (await t.rows<{ id: number; name: string }>('persons')).find((p) => p.name === name)!.id
const call = (method: 'GET' | 'POST' | 'PUT', path: string, token: string, payload?: object) =>
  t.app.inject({ method, url: `/api/villages/${zhangjia}${path}`, headers: auth(token), payload })
const award = async (name: string, ruleCode: string, points?: number) => {
  const res = await call('POST', '/points/awards', as.committee, {
    personId: await person(name),
    ruleCode,
    points,
    reason: '公示测试',
    idempotencyKey: nextKey(),
  })
  expect(res.statusCode).toBe(201)
  return res.json().entryId as number
}

describe('the monthly notice (积分公示)', () => {
  it('lists who was given points for what, in household order, every name masked (an opt-in is for the rankings); penalties only counted', async () => {
    await award('赵小明', 'valid_report')
    await award('赵小明', 'valid_report')
    await award('赵小明', 'volunteer_hour', 30)
    await award('张秀兰', 'good_deed', 20)
    const reversed = await award('刘桂芳', 'courtyard_tidy')
    expect(
      (
        await call('POST', `/points/entries/${reversed}/reverse`, as.committee, {
          reason: '记错了人',
          idempotencyKey: nextKey(),
        })
      ).statusCode,
    ).toBe(201)
    await award('张秀兰', 'valid_report')
    await call('POST', '/points/awards', as.committee, {
      personId: await person('张秀兰'),
      ruleCode: 'littering',
      reason: '乱扔垃圾',
      idempotencyKey: nextKey(),
    })
    expect((await call('PUT', '/points/name-visibility', as.volunteer, { showFullName: true })).statusCode).toBe(200)

    const res = await call('GET', `/points/notice?month=${thisMonth}`, as.volunteer)
    expect(res.statusCode).toBe(200)
    const notice = res.json()
    const [year, month] = thisMonth.split('-').map(Number)
    expect(notice).toMatchObject({
      title: `张家村${year}年${month}月积分公示`,
      publisher: '张家村村民委员会',
      month: thisMonth,
      objectionDays: 7,
    })
    expect(notice.totals).toEqual({
      points: 4 + 30 + 20 + 2,
      people: 2,
      penalties: 1,
      anonymousAwards: 0,
      anonymousPoints: 0,
      serviceMinutes: 0,
      redeemedOrders: 0,
      redeemedPoints: 0,
    })
    expect(notice.rows).toEqual([
      noticeRow('张*兰', 22, { 好人好事: [1, 20], 随手拍有效上报: [1, 2] }),
      noticeRow('赵*明', 34, { '志愿服务（每小时）': [1, 30], 随手拍有效上报: [2, 4] }),
    ])
    const numbers = notice.rows.map((r: { householdNumber: string }) => r.householdNumber)
    expect(numbers).toEqual([...numbers].sort((a, b) => a.localeCompare(b, 'zh-CN', { numeric: true })))
    // Nothing about the penalty by name, nor the reversed award.
    expect(JSON.stringify(notice)).not.toMatch(/乱扔垃圾|刘\*芳|庭院/)
  })

  it('is about last month unless a month is asked for; a month with nothing says so', async () => {
    const res = await call('GET', '/points/notice', as.volunteer)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ month: lastMonth(todayInChina()), rows: [], totals: { points: 0, people: 0 } })
    expect(lastMonth('2026-01-15')).toBe('2025-12')
    expect(lastMonth('2026-03-31')).toBe('2026-02')
  })

  it('prints as an A4 PDF with the title, the rows, the objection period and page numbers', async () => {
    const res = await call('GET', `/points/notice.pdf?month=${thisMonth}`, as.committee)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toContain(`filename="points-notice-${thisMonth}.pdf"`)
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    const { pages, size } = await pdfText(res.rawPayload)
    expect(size).toEqual([0, 0, 595, 842]) // A4 in points
    const [year, month] = thisMonth.split('-').map(Number)
    const text = pages.join('\n')
    for (const words of [
      `张家村${year}年${month}月积分公示`,
      '赵*明',
      '张*兰',
      '志愿服务（每小时） 1 次 30 分',
      '共 7 天',
      '张家村村民委员会',
      '第 1 页，共 1 页',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(words)
    }
    expect(text).not.toContain('刘*芳')
    expect(text).not.toContain('赵小明')
    expect(res.rawPayload.length).toBeLessThan(300_000) // the font is embedded as a subset
  })

  it('a long notice runs over pages, each numbered', async () => {
    const everyone = (await t.rows<{ id: number; village_id: number; status: string }>('persons')).filter(
      (p) => p.village_id === zhangjia && p.status === 'resident',
    )
    for (const p of everyone) {
      const res = await call('POST', '/points/awards', as.committee, {
        personId: p.id,
        ruleCode: 'valid_report',
        reason: '公示测试',
        idempotencyKey: nextKey(),
      })
      expect(res.statusCode).toBe(201)
    }
    const { pages } = await pdfText(
      (await call('GET', `/points/notice.pdf?month=${thisMonth}`, as.committee)).rawPayload,
    )
    expect(pages.length).toBeGreaterThan(1)
    pages.forEach((page, i) => expect(page).toContain(`第 ${i + 1} 页，共 ${pages.length} 页`))
    expect(pages.every((page) => page.includes('加分事项'))).toBe(true) // the header on every page
  })

  it('an anonymous report earns its reporter points, counted apart on the notice and left off the rankings', async () => {
    const [reporter, hepingCommittee] = await Promise.all([
      t.login('demo-heping-resident'),
      t.login('demo-heping-committee'),
    ])
    const at = (path: string) => `/api/villages/${heping}${path}`
    const send = async (token: string, path: string, payload: object = {}) => {
      const res = await t.app.inject({ method: 'POST', url: at(path), headers: auth(token), payload })
      expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300)
      return res.json()
    }
    const get = async (token: string, path: string) =>
      (await t.app.inject({ method: 'GET', url: at(path), headers: auth(token) })).json()
    const report = await send(reporter, '/reports', {
      category: '设施损坏',
      description: '楼道灯坏了',
      anonymous: true,
      public: true,
      idempotencyKey: nextKey(),
    })
    for (const step of ['accept', 'start']) await send(hepingCommittee, `/reports/${report.id}/${step}`)
    await send(hepingCommittee, `/reports/${report.id}/resolve`, { note: '换了新灯' })
    await send(reporter, `/reports/${report.id}/rate`, { rating: 'satisfied' })
    const mine = await get(reporter, '/points/me')
    expect(mine.balance).toBe(2)

    const notice = await get(hepingCommittee, `/points/notice?month=${thisMonth}`)
    expect(notice.rows).toEqual([])
    expect(notice.totals).toMatchObject({ people: 0, points: 0, anonymousAwards: 1, anonymousPoints: 2 })
    const pdf = (
      await pdfText(
        (
          await t.app.inject({
            method: 'GET',
            url: at(`/points/notice.pdf?month=${thisMonth}`),
            headers: auth(reporter),
          })
        ).rawPayload,
      )
    ).pages.join('')
    expect(pdf.replace(/\s+/g, ' ')).toContain('匿名随手拍奖励 1 次，共 2 分')
    expect(pdf).not.toContain('刘*洋')
    for (const q of ['', '?period=all', '?by=household', '?period=all&by=household'])
      expect((await get(reporter, `/points/rankings${q}`)).rows, q).toEqual([])

    // Taken back, it is no longer counted.
    await send(hepingCommittee, `/points/entries/${mine.entries[0].id}/reverse`, {
      reason: '重复上报',
      idempotencyKey: nextKey(),
    })
    expect((await get(hepingCommittee, `/points/notice?month=${thisMonth}`)).totals).toMatchObject({
      anonymousAwards: 0,
      anonymousPoints: 0,
    })
  })

  it("only the village's own members see it; a bad month is refused by field", async () => {
    const outsider = await t.login('demo-heping-resident')
    expect((await call('GET', '/points/notice', outsider)).statusCode).toBe(403)
    expect((await call('GET', '/points/notice.pdf', outsider)).statusCode).toBe(403)
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/villages/${heping}/points/notice`, headers: auth(outsider) }))
        .statusCode,
    ).toBe(200)
    const bad = await call('GET', '/points/notice?month=2026-13', as.volunteer)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].field).toBe('month')
  })
})
