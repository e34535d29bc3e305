import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, startWithVillages, type Caller, type Village } from '../../testing/factories.js'
import { type TestContext } from '../../testing/harness.js'
import { WechatClient } from '../../core/wechat.js'
import { pushNotifications } from './notifications.js'

let t: TestContext
let home: Village
let other: Village

beforeAll(async () => ([t, home, other] = await startWithVillages(2)))
afterAll(() => t.close())

/** Somebody new to the app, signed in through WeChat. */
const newcomer = async (openid: string): Promise<Caller> => ({ token: await t.login(openid) })
const apply = (caller: Caller, villageId: number | string, payload: unknown) =>
  as(t, caller).post(`/api/villages/${villageId}/applications`, payload as object)
const pending = (caller: Caller, villageId: number) => as(t, caller).get(`/api/villages/${villageId}/applications`)
const decide = (caller: Caller, villageId: number, id: number, verb: 'verify' | 'reject', payload: object = {}) =>
  as(t, caller).post(`/api/villages/${villageId}/applications/${id}/${verb}`, payload)
const me = async (caller: Caller) => (await as(t, caller).get('/api/me')).json()
const switchTo = (caller: Caller, villageId: number) => as(t, caller).put('/api/me/current-village', { villageId })
const counts = async () => ({
  memberships: (await t.rows('memberships')).length,
  audit: (await t.rows('audit_log')).length,
})

const good = { realName: '李秀英', householdAddress: '张家村二组 30 号', birthYear: 1961 }

describe('joining a village and being verified', () => {
  it('a new resident applies, the committee verifies, the resident is verified with the resident role', async () => {
    const token = await newcomer('wx-li-xiuying')
    const res = await apply(token, home.id, good)
    expect(res.statusCode).toBe(201)
    const membership = res.json()
    expect(membership).toMatchObject({
      villageId: home.id,
      villageName: home.name,
      status: 'pending',
      roles: [],
      realName: '李秀英',
    })
    expect((await me(token)).currentVillageId).toBe(home.id)

    const list = await pending('committee', home.id)
    expect(list.statusCode).toBe(200)
    expect(list.json().map((a: { realName: string }) => a.realName)).toContain('李秀英')

    const verified = await decide('committee', home.id, membership.id, 'verify')
    expect(verified.statusCode).toBe(200)
    expect(verified.json()).toMatchObject({ id: membership.id, status: 'verified' })

    const mine = await me(token)
    expect(mine.memberships).toEqual([
      expect.objectContaining({ id: membership.id, status: 'verified', roles: ['resident'] }),
    ])
    const rows = await t.rows<{ id: number; status: string; decided_by: number }>('memberships')
    const committeeUser = (await me('committee')).userId
    expect(rows.find((r) => r.id === membership.id)).toMatchObject({ status: 'verified', decided_by: committeeUser })
    const audit = await t.rows<{
      action: string
      entity: string
      entity_id: number
      actor_user_id: number
      village_id: number
    }>('audit_log')
    expect(
      audit.filter((a) => a.entity === 'membership' && a.entity_id === membership.id).map((a) => a.action),
    ).toEqual(['membership.applied', 'membership.verified'])
    expect(audit.find((a) => a.action === 'membership.verified' && a.entity_id === membership.id)).toMatchObject({
      actor_user_id: committeeUser,
      village_id: home.id,
    })

    const twice = await decide('committee', home.id, membership.id, 'verify')
    expect(twice.statusCode).toBe(409)
    expect(twice.json().code).toBe('ALREADY_DECIDED')
    const again = await apply(token, home.id, good)
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('ALREADY_MEMBER')
  })

  it('a rejected applicant reads the reason and may apply again', async () => {
    const token = await newcomer('wx-wang-er')
    const { id } = (await apply(token, home.id, { ...good, realName: '王二' })).json()
    const noReason = await decide('committee', home.id, id, 'reject', {})
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().details[0].field).toBe('reason')
    const rejected = await decide('committee', home.id, id, 'reject', { reason: '花名册上查不到这一户' })
    expect(rejected.statusCode).toBe(200)
    expect((await me(token)).memberships[0]).toMatchObject({ status: 'rejected', rejectReason: '花名册上查不到这一户' })

    const reapply = await apply(token, home.id, { ...good, realName: '王二', householdAddress: '张家村一组 8 号' })
    expect(reapply.statusCode).toBe(201)
    expect(reapply.json()).toMatchObject({
      id,
      status: 'pending',
      rejectReason: null,
      householdAddress: '张家村一组 8 号',
    })
  })

  it('parallel applications by one user leave exactly one membership', async () => {
    const token = await newcomer('wx-parallel')
    const results = await Promise.all(
      Array.from({ length: 8 }, () => apply(token, other.id, { ...good, realName: '并发' })),
    )
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'ALREADY_APPLIED')).toBe(true)
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(7)
    const userId = (await me(token)).userId
    expect((await t.rows<{ user_id: number }>('memberships')).filter((m) => m.user_id === userId)).toHaveLength(1)
  })

  it('a verify and a reject racing on one application: exactly one wins', async () => {
    const token = await newcomer('wx-race')
    const { id } = (await apply(token, home.id, { ...good, realName: '赛跑' })).json()
    const [v, r] = await Promise.all([
      decide('committee', home.id, id, 'verify'),
      decide('committee', home.id, id, 'reject', { reason: '重复申请' }),
    ])
    expect([v.statusCode, r.statusCode].sort()).toEqual([200, 409])
    const audit = await t.rows<{ entity: string; entity_id: number; action: string }>('audit_log')
    expect(audit.filter((a) => a.entity === 'membership' && a.entity_id === id).map((a) => a.action)).toEqual([
      'membership.applied',
      v.statusCode === 200 ? 'membership.verified' : 'membership.rejected',
    ])
  })
})

describe('the applicant is told', () => {
  const inbox = async (caller: Caller) => (await as(t, caller).get('/api/notifications')).json()
  const notices = () => t.rows<{ user_id: number; village_id: number; title: string; body: string }>('notifications')

  it('verified without a roster person: a message for the applicant alone, saying there is no points account yet', async () => {
    const token = await newcomer('wx-told-verified')
    const { id } = (await apply(token, home.id, { ...good, realName: '通知甲' })).json()
    const before = (await notices()).length
    expect((await decide('committee', home.id, id, 'verify')).statusCode).toBe(200)

    const userId = (await me(token)).userId
    const added = (await notices()).slice(before)
    expect(added).toEqual([
      expect.objectContaining({
        user_id: userId,
        village_id: home.id,
        title: `您加入${home.name}的申请已通过`,
        body: '村委会还没把您和花名册对上，暂时没有积分账户，也不能在手机上表决。请找村委会在花名册里关联您。',
      }),
    ])
    const mine = await inbox(token)
    expect(mine.unread).toBe(1)
    expect(mine.items[0]).toMatchObject({ title: `您加入${home.name}的申请已通过`, read: false })
  })

  it('verified as a roster person: welcomed', async () => {
    const token = await newcomer('wx-told-linked')
    const { id } = (await apply(token, other.id, { ...good, realName: '通知乙' })).json()
    const linked = [other.committee, other.resident, other.grid, other.volunteer, other.townAdmin].map(
      (m) => m.personId,
    )
    const personId = other.persons.find((p) => p.adult && !linked.includes(p.id))!.id
    const before = (await notices()).length
    const res = await decide({ token: other.committee.token }, other.id, id, 'verify', { personId })
    expect(res.statusCode, res.body).toBe(200)
    expect((await notices()).slice(before)).toEqual([
      expect.objectContaining({
        title: `您加入${other.name}的申请已通过`,
        body: '欢迎！现在可以随手拍、参加表决、攒积分了。',
      }),
    ])
    expect((await inbox(token)).unread).toBe(1)
  })

  it('rejected: told why, and nobody else hears of it', async () => {
    const token = await newcomer('wx-told-rejected')
    const { id } = (await apply(token, home.id, { ...good, realName: '通知丙' })).json()
    const before = (await notices()).length
    const committeeUnread = (await inbox('committee')).unread
    expect((await decide('committee', home.id, id, 'reject', { reason: '住址与花名册不一致' })).statusCode).toBe(200)

    const added = (await notices()).slice(before)
    expect(added).toEqual([
      expect.objectContaining({
        user_id: (await me(token)).userId,
        title: `您加入${home.name}的申请没有通过`,
        body: '原因：住址与花名册不一致。如有疑问，请联系村委会。',
      }),
    ])
    expect((await inbox('committee')).unread).toBe(committeeUnread)
    expect((await inbox('resident')).items).toEqual([])

    // It goes out as a WeChat subscribe message too, as a report's news does.
    const client = new WechatClient({ appid: 'wx-liren-dev', secret: 'liren-dev-wechat-secret', apiBase: t.wechat.url })
    await pushNotifications(t.database.db, client, 'tpl-member')
    expect(t.wechat.sentMessages().filter((m) => m.touser === 'wx-told-rejected')).toEqual([
      expect.objectContaining({
        template_id: 'tpl-member',
        data: expect.objectContaining({ thing1: { value: expect.stringContaining('没有通过') } }),
      }),
    ])
  })
})

describe('who may decide', () => {
  it('only the committee of that village: residents, applicants and other villages’ committees are refused', async () => {
    const token = await newcomer('wx-applicant-x')
    const { id } = (await apply(token, home.id, { ...good, realName: '申请人' })).json()

    for (const stranger of ['resident' as const, other.committee, token]) {
      const list = await pending(stranger, home.id)
      expect(list.statusCode).toBe(403)
      expect(list.json().code).toBe('FORBIDDEN')
      const v = await decide(stranger, home.id, id, 'verify')
      expect(v.statusCode).toBe(403)
    }
    // A committee member of another village cannot reach this village's application through their own village either.
    const viaOwnVillage = await decide(other.committee, other.id, id, 'verify')
    expect(viaOwnVillage.statusCode).toBe(404)
    expect(viaOwnVillage.json().code).toBe('APPLICATION_NOT_FOUND')
    expect((await t.rows<{ id: number; status: string }>('memberships')).find((m) => m.id === id)?.status).toBe(
      'pending',
    )

    // The town admin role does not verify applications: the issue gives that to the committee alone.
    expect((await pending('townAdmin', home.id)).statusCode).toBe(403)
  })

  it('a household from another village cannot be linked', async () => {
    const token = await newcomer('wx-household')
    const { id } = (await apply(token, home.id, { ...good, realName: '户主' })).json()
    const res = await decide('committee', home.id, id, 'verify', { householdId: other.households[0]!.id })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'HOUSEHOLD_NOT_FOUND', details: [{ field: 'householdId' }] })
    expect((await t.rows<{ id: number; status: string }>('memberships')).find((m) => m.id === id)?.status).toBe(
      'pending',
    )
  })
})

describe('bad input is refused with the field named and nothing written', () => {
  it.each([
    ['missing everything', {}, ['realName', 'householdAddress', 'birthYear']],
    ['wrong types', { realName: ['x'], householdAddress: 5, birthYear: 'nineteen sixty' }, ['realName', 'birthYear']],
    ['a name of digits', { ...good, realName: '12345' }, ['realName']],
    ['a birth year in the future', { ...good, birthYear: new Date().getFullYear() + 1 }, ['birthYear']],
    ['a birth year out of range', { ...good, birthYear: 1800 }, ['birthYear']],
    ['an address too long', { ...good, householdAddress: '路'.repeat(101) }, ['householdAddress']],
  ])('%s', async (_label, payload, fields) => {
    const token = await newcomer('wx-bad-input')
    const before = await counts()
    const res = await apply(token, home.id, payload)
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.code).toBe('VALIDATION_FAILED')
    expect(body.message).toMatch(/[\u4e00-\u9fff]/)
    for (const f of fields) expect(body.details.map((d: { field: string }) => d.field)).toContain(f)
    expect(await counts()).toEqual(before)
  })

  it('an unknown or malformed village', async () => {
    const token = await newcomer('wx-bad-input')
    const before = await counts()
    const unknown = await apply(token, 999999, good)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ code: 'VILLAGE_NOT_FOUND', details: [{ field: 'villageId' }] })
    const malformed = await apply(token, 'abc', good)
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().details[0].field).toBe('villageId')
    const committeeUnknown = await pending('committee', 999999)
    expect(committeeUnknown.statusCode).toBe(404)
    expect(await counts()).toEqual(before)
  })

  it('strange bodies never produce a 5xx', async () => {
    const token = await newcomer('wx-bad-input')
    const bodies = [
      'null',
      '[]',
      '"x"',
      '{"realName":null}',
      '{"birthYear":1e308}',
      '{"realName":"\\u0000"}',
      `{"realName":"${'名'.repeat(5000)}"}`,
    ]
    for (const payload of bodies) {
      const res = await as(t, token).post(`/api/villages/${home.id}/applications`, payload, {
        headers: { 'content-type': 'application/json' },
      })
      expect(res.statusCode, payload.slice(0, 40)).toBeGreaterThanOrEqual(400)
      expect(res.statusCode, payload.slice(0, 40)).toBeLessThan(500)
      expect(res.json().code).toBe('VALIDATION_FAILED')
    }
  })
})

describe('switching the current village', () => {
  it('switches among the user’s own villages only', async () => {
    // Somebody who applied to both villages (the last application made the other village current).
    const both = await newcomer('wx-two-villages')
    for (const village of [home, other]) expect((await apply(both, village.id, good)).statusCode).toBe(201)
    const switched = await switchTo(both, home.id)
    expect(switched.statusCode).toBe(200)
    expect(switched.json().currentVillageId).toBe(home.id)
    expect(switched.json().memberships).toHaveLength(2)

    const notMine = await switchTo('resident', other.id)
    expect(notMine.statusCode).toBe(403)
    expect(notMine.json().code).toBe('NOT_A_MEMBER')
    const missing = await switchTo('resident', 424242)
    expect(missing.statusCode).toBe(404)
    expect((await me('resident')).currentVillageId).toBe(home.id)
  })
})
