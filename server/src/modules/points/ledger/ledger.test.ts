import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextKey } from '../../../testing/factories.js'
import { auth, expectRefused, multipartFile, startDemo, type TestContext } from '../../../testing/harness.js'
import { expectLedgerConsistent, pointEntries } from '../../../testing/ledger.js'

let t: TestContext
let as: Record<'committee', string> // 王建国
let secondCommittee: string // 张秀兰, appointed below
let zhangjia: number
let heping: number

beforeAll(async () => {
  ;({ t, as, zhangjia, heping } = await startDemo(['committee']))
  const memberships = await t.rows<{ id: number; real_name: string; village_id: number }>('memberships')
  const m = (name: string) => memberships.find((x) => x.real_name === name && x.village_id === zhangjia)!.id
  const townAdmin = await t.login('demo-town-admin')
  const set = await t.app.inject({
    method: 'PUT',
    url: `/api/villages/${zhangjia}/committee`,
    headers: auth(townAdmin),
    payload: { membershipIds: [m('王建国'), m('张秀兰')] },
  })
  expect(set.statusCode).toBe(200)
  secondCommittee = await t.login('demo-zhangjia-resident')
})
afterAll(() => t.close())

const person = async (name: string) =>
  (await t.rows<{ id: number; name: string }>('persons')).find((p) => p.name === name)!.id
const awardReq = (payload: object, token = as.committee, villageId = zhangjia) =>
  t.app.inject({ method: 'POST', url: `/api/villages/${villageId}/points/awards`, headers: auth(token), payload })
const account = async (personId: number) =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/villages/${zhangjia}/points/accounts/${personId}`,
      headers: auth(as.committee),
    })
  ).json()
const entries = () => pointEntries(t)
const get = (path: string, token: string, villageId = zhangjia) =>
  t.app.inject({ method: 'GET', url: `/api/villages/${villageId}${path}`, headers: auth(token) })
/** The committee adds a rule to the rulebook. */
const addRule = (rule: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}/points/rules`,
    headers: auth(as.committee),
    payload: rule,
  })
/** A good deed of 40 points: over the threshold, so it waits for a second committee member. */
const goodDeed = (personId: number, reason: string, extra: object = {}) =>
  awardReq({ personId, ruleCode: 'good_deed', points: 40, reason, ...extra, idempotencyKey: nextKey() })
/** What waits for a second committee member, as the second one sees it. */
const approvals = async () =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/villages/${zhangjia}/points/approvals`,
      headers: auth(secondCommittee),
    })
  ).json()
/** A committee member approves or rejects a waiting award. */
const decide = (approvalId: number, verb: 'approve' | 'reject', token: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}/points/approvals/${approvalId}/${verb}`,
    headers: auth(token),
  })

const expectInvariants = () => expectLedgerConsistent(t.database.db)

describe('awards and penalties by rule', () => {
  it('books an award below the threshold at once: balance, lifetime score, entry with its rule version', async () => {
    const p = await person('赵小明')
    const res = await awardReq({
      personId: p,
      ruleCode: 'volunteer_hour',
      points: 30,
      reason: '清理河道 3 小时',
      idempotencyKey: nextKey(),
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ status: 'done', approvalId: null })
    const acc = await account(p)
    expect(acc).toMatchObject({ balance: 30, lifetimeScore: 30, stars: 0, nextStarAt: 50 })
    expect(acc.entries[0]).toMatchObject({
      kind: 'earn',
      amount: 30,
      reason: '清理河道 3 小时',
      ruleCode: 'volunteer_hour',
      ruleVersion: 1,
      reversed: false,
    })
    await expectInvariants()
  })

  it('above the threshold waits for a second committee member; the proposer cannot approve it', async () => {
    const p = await person('赵小明')
    const proposed = await goodDeed(p, '救起落水儿童')
    expect(proposed.json()).toMatchObject({ status: 'pending_approval', entryId: null })
    const approvalId = proposed.json().approvalId
    expect((await account(p)).balance).toBe(30)

    const self = await decide(approvalId, 'approve', as.committee)
    expect(self.statusCode).toBe(403)
    expect(self.json().code).toBe('MAKER_CHECKER')

    const list = await approvals()
    expect(list.map((a: { id: number }) => a.id)).toContain(approvalId)
    const ok = await decide(approvalId, 'approve', secondCommittee)
    expect(ok.statusCode).toBe(200)
    const entry = (await entries()).find((e) => e.id === ok.json().entryId)!
    expect(entry.created_by).not.toBe(entry.approved_by)
    expect(entry.approved_by).not.toBeNull()
    expect((await account(p)).balance).toBe(70)
    const twice = await decide(approvalId, 'reject', secondCommittee)
    expect(twice.statusCode).toBe(409)
    await expectInvariants()
  })

  it('photo evidence must have been uploaded; the second member sees it when approving', async () => {
    const p = await person('赵小明')
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 60, b: 40 } } })
      .jpeg()
      .toBuffer()
    const { payload, headers } = multipartFile('file', 'evidence.jpg', jpeg)
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/photos`,
      headers: { ...auth(as.committee), ...headers },
      payload,
    })
    expect(upload.statusCode).toBe(201)
    const photo = upload.json()

    const approvalsBefore = await t.rows('point_approvals')
    const unknown = await goodDeed(p, '帮邻居修屋顶', { evidence: ['c'.repeat(64)] })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ code: 'PHOTO_NOT_FOUND', details: [{ field: 'evidence' }] })
    const notAKey = await goodDeed(p, '帮邻居修屋顶', { evidence: ['/files/x.jpg'] })
    expect(notAKey.statusCode).toBe(400)
    expect(notAKey.json().details[0].field).toMatch(/^evidence/)
    expect(await t.rows('point_approvals')).toEqual(approvalsBefore)

    const proposed = await goodDeed(p, '帮邻居修屋顶', { evidence: [photo.key] })
    expect(proposed.json()).toMatchObject({ status: 'pending_approval' })
    const list = await approvals()
    const mine = list.find((a: { id: number }) => a.id === proposed.json().approvalId)
    expect(mine.evidence).toEqual([photo])
    // Used, so the cleanup of unused uploads keeps it.
    expect(
      (await t.rows<{ key: string; attached_at: Date | null }>('photos')).find((r) => r.key === photo.key)!.attached_at,
    ).not.toBeNull()
    const rejected = await decide(mine.id, 'reject', secondCommittee)
    expect(rejected.statusCode).toBe(200)
  })

  it('a penalty lowers balance and lifetime score; it cannot take anyone below zero', async () => {
    const p = await person('李梅')
    await awardReq({ personId: p, ruleCode: 'courtyard_tidy', reason: '十月庭院整洁', idempotencyKey: nextKey() })
    const fine = await awardReq({
      personId: p,
      ruleCode: 'littering',
      reason: '路边乱扔垃圾',
      idempotencyKey: nextKey(),
    })
    expect(fine.statusCode).toBe(201)
    expect(await account(p)).toMatchObject({ balance: 0, lifetimeScore: 0 })
    const before = await entries()
    const more = await awardReq({ personId: p, ruleCode: 'littering', reason: '又一次', idempotencyKey: nextKey() })
    expect(more.statusCode).toBe(409)
    expect(more.json().code).toBe('INSUFFICIENT_POINTS')
    expect(await entries()).toEqual(before)
    await expectInvariants()
  })

  it('enforces the daily cap', async () => {
    const p = await person('王小雨')
    for (let i = 0; i < 5; i++)
      expect(
        (await awardReq({ personId: p, ruleCode: 'valid_report', reason: `有效上报 ${i}`, idempotencyKey: nextKey() }))
          .statusCode,
      ).toBe(201)
    const sixth = await awardReq({ personId: p, ruleCode: 'valid_report', reason: '第六次', idempotencyKey: nextKey() })
    expect(sixth.statusCode).toBe(409)
    expect(sixth.json()).toMatchObject({ code: 'CAP_REACHED' })
    expect(sixth.json().message).toContain('每天最多 10 分')
  })

  it('the daily cap holds under parallel awards too', async () => {
    const p = await person('刘桂兰')
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        awardReq({ personId: p, ruleCode: 'valid_report', reason: `并发上报 ${i}`, idempotencyKey: nextKey() }),
      ),
    )
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5)
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'CAP_REACHED')).toBe(true)
    expect((await account(p)).balance).toBe(10)
  })

  it('refuses bad requests with their own codes and writes nothing', async () => {
    const before = await entries()
    const p = await person('赵小明')
    const cases: [object, string, number, string][] = [
      [
        { personId: p, ruleCode: 'volunteer_hour', points: 0, reason: '零分', idempotencyKey: nextKey() },
        'VALIDATION_FAILED',
        400,
        'points',
      ],
      [
        { personId: p, ruleCode: 'volunteer_hour', points: -5, reason: '负分', idempotencyKey: nextKey() },
        'VALIDATION_FAILED',
        400,
        'points',
      ],
      [
        { personId: p, ruleCode: 'no_such_rule', reason: '没有这条', idempotencyKey: nextKey() },
        'RULE_NOT_FOUND',
        404,
        'ruleCode',
      ],
      [
        { personId: await person('刘洋'), ruleCode: 'volunteer_hour', reason: '别村的人', idempotencyKey: nextKey() },
        'PERSON_NOT_FOUND',
        404,
        'personId',
      ],
      [{ personId: p, ruleCode: 'volunteer_hour', reason: '没有请求编号' }, 'VALIDATION_FAILED', 400, 'idempotencyKey'],
    ]
    for (const [payload, code, status, field] of cases)
      expectRefused(await awardReq(payload), status, code, field, JSON.stringify(payload))
    // A resident awarding themself, and another village's committee.
    for (const [openid, reason] of [
      ['demo-zhangjia-volunteer', '自己给自己'],
      ['demo-heping-committee', '跨村'],
    ] as const) {
      const payload = { personId: p, ruleCode: 'volunteer_hour', reason, idempotencyKey: nextKey() }
      expect((await awardReq(payload, await t.login(openid))).statusCode, reason).toBe(403)
    }
    expect(await entries()).toEqual(before)
  })
})

describe('idempotency, reversal and concurrency', () => {
  it('the same key with the same payload is one entry, even sent 20 times at once; another payload is refused', async () => {
    const p = await person('张春生')
    const k = nextKey()
    const body = { personId: p, ruleCode: 'volunteer_hour', points: 20, reason: '敬老院帮厨 2 小时', idempotencyKey: k }
    const results = await Promise.all(Array.from({ length: 20 }, () => awardReq(body)))
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201))
    expect(new Set(results.map((r) => r.json().entryId)).size).toBe(1)
    expect((await account(p)).balance).toBe(20)
    const changed = await awardReq({ ...body, points: 30 })
    expect(changed.statusCode).toBe(409)
    expect(changed.json().code).toBe('IDEMPOTENCY_CONFLICT')
    await expectInvariants()
  })

  it('50 parallel penalties against one balance never take it below zero', async () => {
    const p = await person('赵秀英')
    await awardReq({
      personId: p,
      ruleCode: 'volunteer_hour',
      points: 50,
      reason: '打扫村道 5 小时',
      idempotencyKey: nextKey(),
    })
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        awardReq({ personId: p, ruleCode: 'littering', reason: `第 ${i} 次`, idempotencyKey: nextKey() }),
      ),
    )
    const ok = results.filter((r) => r.statusCode === 201).length
    expect(ok).toBe(10)
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'INSUFFICIENT_POINTS')).toBe(true)
    expect(await account(p)).toMatchObject({ balance: 0, lifetimeScore: 0 })
    await expectInvariants()
  })

  it('a reversal is a new entry pointing at the original, once only; the original is never changed', async () => {
    const p = await person('王国强')
    const done = (
      await awardReq({
        personId: p,
        ruleCode: 'volunteer_hour',
        points: 10,
        reason: '记错了人',
        idempotencyKey: nextKey(),
      })
    ).json()
    const original = (await entries()).find((e) => e.id === done.entryId)!
    const reverse = (reason: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/villages/${zhangjia}/points/entries/${done.entryId}/reverse`,
        headers: auth(as.committee),
        payload: { reason, idempotencyKey: nextKey() },
      })
    const reversed = await reverse('记到别人名下了')
    expect(reversed.statusCode).toBe(201)
    const all = await entries()
    expect(all.find((e) => e.id === done.entryId)).toEqual(original)
    expect(all.find((e) => e.id === reversed.json().entryId)).toMatchObject({
      kind: 'reversal',
      amount: 10,
      reverses_entry_id: done.entryId,
      from_account_id: original.to_account_id,
    })
    expect(await account(p)).toMatchObject({ balance: 0, lifetimeScore: 0 })
    expect((await account(p)).entries.find((e: { id: number }) => e.id === done.entryId).reversed).toBe(true)
    const again = await reverse('再冲一次')
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('ALREADY_REVERSED')
    await expectInvariants()
  })
})

describe('the rulebook and accounts', () => {
  it('editing a rule makes a new version; booked entries keep theirs', async () => {
    const edit = await t.app.inject({
      method: 'PUT',
      url: `/api/villages/${zhangjia}/points/rules/volunteer_hour`,
      headers: auth(as.committee),
      payload: { code: 'volunteer_hour', name: '志愿服务（每小时）', kind: 'earn', points: 12, capPerDay: 96 },
    })
    expect(edit.statusCode).toBe(200)
    expect(edit.json()).toMatchObject({ version: 2, points: 12 })
    const rules = (await get('/points/rules', secondCommittee)).json()
    expect(rules.find((r: { code: string }) => r.code === 'volunteer_hour')).toMatchObject({ version: 2, points: 12 })
    const p = await person('赵小明')
    await awardReq({ personId: p, ruleCode: 'volunteer_hour', reason: '新版本 1 小时', idempotencyKey: nextKey() })
    const versions = (await account(p)).entries
      .filter((e: { ruleCode: string }) => e.ruleCode === 'volunteer_hour')
      .map((e: { ruleVersion: number; amount: number }) => [e.ruleVersion, e.amount])
    expect(versions).toEqual([
      [2, 12],
      [1, 30],
    ])
    const dup = await addRule({ code: 'vote', name: '参与表决', kind: 'earn', points: 1 })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().code).toBe('RULE_CODE_TAKEN')
  })

  it('a member sees their own account; one not yet on the roster is told so', async () => {
    const volunteer = await t.login('demo-zhangjia-volunteer')
    const mine = await get('/points/me', volunteer)
    expect(mine.statusCode).toBe(200)
    expect(mine.json()).toMatchObject({ name: '赵小明', balance: 82, lifetimeScore: 82, stars: 1, nextStarAt: 150 })
    const townAdmin = await t.login('demo-town-admin')
    const unlinked = await get('/points/me', townAdmin, heping)
    expect(unlinked.statusCode).toBe(404)
    expect(unlinked.json().code).toBe('NOT_ON_ROSTER')
    // Residents see only their own account.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/villages/${zhangjia}/points/accounts/${await person('李梅')}`,
          headers: auth(volunteer),
        })
      ).statusCode,
    ).toBe(403)
  })

  it('the history comes a page of 20 at a time, newest first, every entry once; a foreign cursor is refused', async () => {
    const personId = await person('刘桂芳')
    const rule = await addRule({ code: 'paging_test', name: '翻页测试', kind: 'earn', points: 1 })
    expect(rule.statusCode).toBe(201)
    const before = (await account(personId)).balance
    for (let i = 1; i <= 45; i++)
      expect(
        (
          await awardReq({
            personId,
            ruleCode: 'paging_test',
            points: i,
            reason: `第 ${i} 次`,
            idempotencyKey: nextKey(),
          })
        ).statusCode,
      ).toBe(201)
    const page = async (before?: number) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/villages/${zhangjia}/points/accounts/${personId}${before ? `?before=${before}` : ''}`,
          headers: auth(as.committee),
        })
      ).json()
    const first = await page()
    expect(first.entries).toHaveLength(20)
    expect(first.hasMore).toBe(true)
    expect(first.entries[0].reason).toBe('第 45 次')
    const second = await page(first.entries[19].id)
    const third = await page(second.entries[19].id)
    expect([second.entries.length, second.hasMore, third.entries.length, third.hasMore]).toEqual([20, true, 5, false])
    const seen = [...first.entries, ...second.entries, ...third.entries].map((e: { reason: string }) => e.reason)
    expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => `第 ${45 - i} 次`))
    expect(third.balance).toBe(before + (45 * 46) / 2)
    // A cursor from someone else's history is not a way to read it.
    const other = (await account(await person('李梅'))).entries[0]?.id ?? 1
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/villages/${zhangjia}/points/accounts/${personId}?before=${other}`,
      headers: auth(as.committee),
    })
    expect(foreign.statusCode).toBe(400)
    expect(foreign.json().details[0].field).toBe('before')
  })
})
