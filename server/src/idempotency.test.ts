import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, DEMO_PEOPLE, startTestContext, type TestContext } from './testing/harness.js'

/**
 * Idempotency keys belong to the village and the caller (issue 13, item 5): a key that 和平社区's member
 * used, reused in 张家村 (by one of its members, by another, or by someone who belongs to both), is a new
 * request there. It never answers with 和平社区's object, and it is not refused either (a refusal would
 * tell the caller that someone somewhere used that key). The same caller repeating a key in the same
 * village still gets the first answer.
 */

let t: TestContext
const ids = { zhangjia: 0, heping: 0 }
let tokens: Record<keyof typeof DEMO_PEOPLE, string>
const person = {} as Record<'xiulan' | 'xiaoming' | 'liuyang', number>

beforeAll(async () => {
  t = await startTestContext()
  ids.zhangjia = await t.villageId('zhangjia')
  ids.heping = await t.villageId('heping')
  tokens = await t.loginAll(DEMO_PEOPLE)
  const people = await t.rows<{ id: number; name: string }>('persons')
  const byName = (name: string) => people.find((p) => p.name === name)!.id
  Object.assign(person, { xiulan: byName('张秀兰'), xiaoming: byName('赵小明'), liuyang: byName('刘洋') })
})
afterAll(() => t.close())

async function post(token: string, village: keyof typeof ids, path: string, payload: object) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/villages/${ids[village]}${path}`,
    headers: auth(token),
    payload,
  })
  return { status: res.statusCode, body: res.json() }
}
let n = 0
const key = (what: string) => `scope-${what}-${++n}-key`
/** The village's committee awards points to one of its people, under `rule`, sending key `idempotencyKey`. */
const award = (village: keyof typeof ids, personId: number, rule: object, idempotencyKey: string) =>
  post(village === 'heping' ? tokens.hpCommittee : tokens.committee, village, '/points/awards', {
    personId,
    ...rule,
    idempotencyKey,
  })

describe('an idempotency key is the caller’s own in their village', () => {
  it('reports: a key used in 和平社区 files a new report for each 张家村 member, and for the member of both villages', async () => {
    const k = key('report')
    const report = { category: '环境卫生', description: '村口的垃圾没人清理', public: false }
    const heping = await post(tokens.hpResident, 'heping', '/reports', { ...report, idempotencyKey: k })
    expect(heping.status, JSON.stringify(heping.body)).toBe(201)

    const resident = await post(tokens.resident, 'zhangjia', '/reports', { ...report, idempotencyKey: k })
    const volunteer = await post(tokens.volunteer, 'zhangjia', '/reports', { ...report, idempotencyKey: k })
    const town = await post(tokens.townAdmin, 'zhangjia', '/reports', { ...report, idempotencyKey: k })
    for (const r of [resident, volunteer, town]) expect(r.status, JSON.stringify(r.body)).toBe(201)
    const made = [heping.body.id, resident.body.id, volunteer.body.id, town.body.id]
    expect(new Set(made).size).toBe(4)
    // 周涛 belongs to both villages: his key in 和平社区 is not his key in 张家村.
    const townInHeping = await post(tokens.townAdmin, 'heping', '/reports', { ...report, idempotencyKey: k })
    expect(townInHeping.status).toBe(201)
    expect(made).not.toContain(townInHeping.body.id)

    // Each is on file in its own village, filed by its own caller; a repeat is still the first report.
    const rows = (await t.rows<{ id: number; village_id: number; idempotency_key: string }>('reports')).filter(
      (r) => r.idempotency_key === k,
    )
    expect(rows.map((r) => [r.id, r.village_id]).sort()).toEqual(
      [
        [heping.body.id, ids.heping],
        [resident.body.id, ids.zhangjia],
        [volunteer.body.id, ids.zhangjia],
        [town.body.id, ids.zhangjia],
        [townInHeping.body.id, ids.heping],
      ].sort(),
    )
    const again = await post(tokens.resident, 'zhangjia', '/reports', { ...report, idempotencyKey: k })
    expect(again.body.id).toBe(resident.body.id)
  })

  it('awards waiting for a second committee member: a key used in 和平社区 proposes a new award in 张家村', async () => {
    const k = key('approval')
    const deed = { ruleCode: 'good_deed', points: 40 }
    const heping = await award('heping', person.liuyang, { ...deed, reason: '救起落水儿童' }, k)
    expect(heping.body).toMatchObject({ status: 'pending_approval' })
    const zhangjia = await award('zhangjia', person.xiulan, { ...deed, reason: '帮邻居修屋顶' }, k)
    expect(zhangjia.status, JSON.stringify(zhangjia.body)).toBe(201)
    expect(zhangjia.body.status).toBe('pending_approval')
    expect(zhangjia.body.approvalId).not.toBe(heping.body.approvalId)
    const rows = (
      await t.rows<{ id: number; village_id: number; person_id: number; idempotency_key: string }>('point_approvals')
    ).filter((r) => r.idempotency_key === k)
    expect(rows.map((r) => [r.village_id, r.person_id]).sort()).toEqual(
      [
        [ids.heping, person.liuyang],
        [ids.zhangjia, person.xiulan],
      ].sort(),
    )
    // 和平社区's list shows its own proposal only.
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/villages/${ids.zhangjia}/points/approvals`,
      headers: auth(tokens.committee),
    })
    expect(list.json().map((a: { id: number }) => a.id)).not.toContain(heping.body.approvalId)
  })

  it('awards and reversals: a key used in 和平社区 books a new entry in 张家村', async () => {
    const k = key('award')
    const hour = { ruleCode: 'volunteer_hour', points: 20, reason: '清理河道' }
    const heping = await award('heping', person.liuyang, hour, k)
    expect(heping.status).toBe(201)
    const zhangjia = await award('zhangjia', person.xiulan, hour, k)
    expect(zhangjia.status, JSON.stringify(zhangjia.body)).toBe(201)
    expect(zhangjia.body.entryId).not.toBe(heping.body.entryId)

    const r = key('reverse')
    const hpReversal = await post(tokens.hpCommittee, 'heping', `/points/entries/${heping.body.entryId}/reverse`, {
      reason: '记错了',
      idempotencyKey: r,
    })
    expect(hpReversal.status).toBe(201)
    const zjReversal = await post(tokens.committee, 'zhangjia', `/points/entries/${zhangjia.body.entryId}/reverse`, {
      reason: '记错了',
      idempotencyKey: r,
    })
    expect(zjReversal.status, JSON.stringify(zjReversal.body)).toBe(201)
    expect(zjReversal.body.entryId).not.toBe(hpReversal.body.entryId)
    const entries = await t.rows<{ id: number; village_id: number; reverses_entry_id: number | null }>('point_entries')
    expect(entries.find((e) => e.id === zjReversal.body.entryId)).toMatchObject({
      village_id: ids.zhangjia,
      reverses_entry_id: zhangjia.body.entryId,
    })
  })

  it('an event’s own key cannot be taken by a caller: a client key that looks like one books apart from it', async () => {
    // 随手拍 pays `report:<id>:valid` once; a committee member sending that very key books their own award.
    const k = 'report:1:valid'
    const first = await award('zhangjia', person.xiulan, { ruleCode: 'courtyard_tidy', reason: '庭院整洁' }, k)
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const keys = (await t.rows<{ id: number; idempotency_key: string }>('point_entries'))
      .filter((e) => e.id === first.body.entryId)
      .map((e) => e.idempotency_key)
    expect(keys).not.toContain(k)
  })

  it('shop orders: a key used in 和平社区 redeems anew for each 张家村 member', async () => {
    for (const [village, token, personId] of [
      ['heping', tokens.hpCommittee, person.liuyang],
      ['zhangjia', tokens.committee, person.xiulan],
      ['zhangjia', tokens.committee, person.xiaoming],
    ] as const) {
      expect(
        (
          await post(token, village, '/points/awards', {
            personId,
            ruleCode: 'volunteer_hour',
            points: 30,
            reason: '打扫卫生',
            idempotencyKey: key('fund'),
          })
        ).status,
      ).toBe(201)
    }
    const hpItem = await post(tokens.hpCommittee, 'heping', '/shop/items', { name: '香皂', cost: 3, stock: 10 })
    const zjItem = await post(tokens.committee, 'zhangjia', '/shop/items', { name: '香皂', cost: 3, stock: 10 })
    const k = key('order')
    const heping = await post(tokens.hpResident, 'heping', '/shop/orders', {
      itemId: hpItem.body.id,
      idempotencyKey: k,
    })
    expect(heping.status).toBe(201)
    const resident = await post(tokens.resident, 'zhangjia', '/shop/orders', {
      itemId: zjItem.body.id,
      idempotencyKey: k,
    })
    const volunteer = await post(tokens.volunteer, 'zhangjia', '/shop/orders', {
      itemId: zjItem.body.id,
      idempotencyKey: k,
    })
    for (const r of [resident, volunteer]) {
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      expect(r.body.id).not.toBe(heping.body.id)
      expect(r.body.pickupCode).not.toBe(heping.body.pickupCode)
    }
    expect(resident.body).toMatchObject({ personId: person.xiulan, itemId: zjItem.body.id })
    expect(volunteer.body).toMatchObject({ personId: person.xiaoming, itemId: zjItem.body.id })
    const again = await post(tokens.resident, 'zhangjia', '/shop/orders', {
      itemId: zjItem.body.id,
      idempotencyKey: k,
    })
    expect(again.body.id).toBe(resident.body.id)
    const orders = (await t.rows<{ village_id: number; idempotency_key: string }>('shop_orders')).filter(
      (o) => o.idempotency_key === k,
    )
    expect(orders.map((o) => o.village_id).sort()).toEqual([ids.heping, ids.zhangjia, ids.zhangjia].sort())
  })

  it('the same key sent at once by members of both villages: one object each, none shared', async () => {
    const k = key('parallel')
    const report = { category: '设施损坏', description: '路灯不亮了', public: true, idempotencyKey: k }
    const sent = await Promise.all(
      [0, 1, 2].flatMap(() => [
        post(tokens.hpResident, 'heping', '/reports', report),
        post(tokens.resident, 'zhangjia', '/reports', report),
        post(tokens.volunteer, 'zhangjia', '/reports', report),
      ]),
    )
    for (const r of sent) expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(new Set(sent.map((r) => r.body.id)).size).toBe(3)
    expect((await t.rows<{ idempotency_key: string }>('reports')).filter((r) => r.idempotency_key === k)).toHaveLength(
      3,
    )
  })
})
