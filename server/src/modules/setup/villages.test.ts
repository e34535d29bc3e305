import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, jsonValue, startDemo, type AuditRow, type TestContext } from '../../testing/harness.js'

let t: TestContext
let townAdmin: string // 周涛
let committeeA: string // 王建国, 张家村 村委会
let residentA: string
let townId: number
let zhangjia: number

type VillageRow = { id: number; town_id: number; code: string; name: string; kind: string }

beforeAll(async () => {
  ;({
    t,
    as: { townAdmin, committee: committeeA, resident: residentA },
    zhangjia,
  } = await startDemo(['townAdmin', 'committee', 'resident']))
  townId = (await t.app.inject({ method: 'GET', url: '/api/towns/mine', headers: auth(townAdmin) })).json()[0].id
})
afterAll(() => t.close())

const create = (token: string, payload: unknown, town: number | string = townId) =>
  t.app.inject({ method: 'POST', url: `/api/towns/${town}/villages`, headers: auth(token), payload: payload as object })
const patch = (token: string, villageId: number | string, payload: unknown) =>
  t.app.inject({ method: 'PATCH', url: `/api/villages/${villageId}`, headers: auth(token), payload: payload as object })
const userId = async (token: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(token) })).json().userId as number
const counts = async () => ({ villages: (await t.rows('villages')).length, audit: (await t.rows('audit_log')).length })

describe('towns and their villages', () => {
  it('a town admin sees the town they administer; everyone else sees none', async () => {
    const mine = await t.app.inject({ method: 'GET', url: '/api/towns/mine', headers: auth(townAdmin) })
    expect(mine.statusCode).toBe(200)
    expect(mine.json()).toEqual([{ id: townId, code: 'qingshan', name: '青山镇' }])
    for (const token of [committeeA, residentA, await t.login('wx-nobody')]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/towns/mine', headers: auth(token) })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual([])
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/towns/mine' })).statusCode).toBe(401)
  })

  it('lists the villages of the town with grid and committee counts', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/towns/${townId}/villages`, headers: auth(townAdmin) })
    expect(res.statusCode).toBe(200)
    expect(res.json().slice(0, 2)).toEqual([
      {
        id: zhangjia,
        townId,
        code: 'zhangjia',
        name: '张家村',
        kind: 'rural',
        gridCount: 2,
        committeeCount: 1,
        committeePhone: '0571-63581234',
        officeHours: '周一至周五 8:30-17:00',
      },
      expect.objectContaining({ code: 'heping', name: '和平社区', kind: 'urban', gridCount: 1, committeeCount: 1 }),
    ])
  })
})

describe('creating and renaming a village', () => {
  it('a town admin creates a village: 201, the row and an audit row', async () => {
    const res = await create(townAdmin, { code: 'lijia', name: '李家村', kind: 'rural' })
    expect(res.statusCode).toBe(201)
    const village = res.json()
    expect(village).toEqual({
      id: expect.any(Number),
      townId,
      code: 'lijia',
      name: '李家村',
      kind: 'rural',
      gridCount: 0,
      committeeCount: 0,
      committeePhone: null,
      officeHours: null,
    })
    expect((await t.rows<VillageRow>('villages')).find((v) => v.id === village.id)).toMatchObject({
      town_id: townId,
      code: 'lijia',
      name: '李家村',
      kind: 'rural',
    })
    const audit = (await t.rows<AuditRow>('audit_log')).filter(
      (a) => a.entity === 'village' && a.entity_id === village.id,
    )
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      action: 'village.created',
      village_id: village.id,
      actor_user_id: await userId(townAdmin),
    })
    expect(jsonValue(audit[0]!.data)).toEqual({ townId, code: 'lijia', name: '李家村', kind: 'rural' })

    const list = (
      await t.app.inject({ method: 'GET', url: `/api/towns/${townId}/villages`, headers: auth(townAdmin) })
    ).json()
    expect(list.map((v: { code: string }) => v.code)).toContain('lijia')
    const open = (await t.app.inject({ method: 'GET', url: '/api/villages', headers: auth(residentA) })).json()
    expect(open.map((v: { code: string }) => v.code)).toContain('lijia')
  })

  it('a code already in use is refused with 409 and nothing written', async () => {
    const before = await counts()
    const res = await create(townAdmin, { code: 'zhangjia', name: '另一个张家村', kind: 'rural' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'VILLAGE_CODE_TAKEN' })
    expect(await counts()).toEqual(before)
  })

  it('parallel creates of one code: exactly one 201, the rest 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create(townAdmin, { code: 'racing', name: `赛跑村${i}`, kind: 'urban' })),
    )
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    const refused = results.filter((r) => r.statusCode !== 201)
    expect(refused).toHaveLength(5)
    expect(refused.every((r) => r.statusCode === 409 && r.json().code === 'VILLAGE_CODE_TAKEN')).toBe(true)
    expect((await t.rows<VillageRow>('villages')).filter((v) => v.code === 'racing')).toHaveLength(1)
    expect(
      (await t.rows<AuditRow>('audit_log')).filter(
        (a) => a.action === 'village.created' && jsonValue(a.data).code === 'racing',
      ),
    ).toHaveLength(1)
  })

  it('a town admin renames a village and changes its kind; the code stays, whatever the body says', async () => {
    const { id } = (await create(townAdmin, { code: 'renamed', name: '旧名村', kind: 'rural' })).json()
    const res = await patch(townAdmin, id, { name: '新名社区', kind: 'urban', code: 'hijacked' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id,
      townId,
      code: 'renamed',
      name: '新名社区',
      kind: 'urban',
      gridCount: 0,
      committeeCount: 0,
      committeePhone: null,
      officeHours: null,
    })
    expect((await t.rows<VillageRow>('villages')).find((v) => v.id === id)).toMatchObject({
      code: 'renamed',
      name: '新名社区',
      kind: 'urban',
    })
    const audit = (await t.rows<AuditRow>('audit_log')).filter(
      (a) => a.action === 'village.updated' && a.entity_id === id,
    )
    expect(audit.map((a) => jsonValue(a.data))).toEqual([
      { from: { name: '旧名村', kind: 'rural' }, to: { name: '新名社区', kind: 'urban' } },
    ])

    // Only the code: nothing that may change, so nothing changes.
    const onlyCode = await patch(townAdmin, id, { code: 'hijacked' })
    expect(onlyCode.statusCode).toBe(400)
    expect(onlyCode.json().code).toBe('VALIDATION_FAILED')
    // The same name again changes nothing and logs nothing.
    expect((await patch(townAdmin, id, { name: '新名社区' })).statusCode).toBe(200)
    expect(
      (await t.rows<AuditRow>('audit_log')).filter((a) => a.action === 'village.updated' && a.entity_id === id),
    ).toHaveLength(1)
    expect((await t.rows<VillageRow>('villages')).find((v) => v.id === id)?.code).toBe('renamed')
  })
})

describe('who may set up villages', () => {
  it('a committee member or a resident cannot create or rename villages or list the town', async () => {
    const before = await counts()
    for (const token of [committeeA, residentA]) {
      const created = await create(token, { code: 'sneaky', name: '偷偷村', kind: 'rural' })
      expect(created.statusCode).toBe(403)
      expect(created.json().code).toBe('FORBIDDEN')
      const renamed = await patch(token, zhangjia, { name: '改名村' })
      expect(renamed.statusCode).toBe(403)
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/towns/${townId}/villages`, headers: auth(token) })).statusCode,
      ).toBe(403)
    }
    expect(await counts()).toEqual(before)
    expect((await t.rows<VillageRow>('villages')).find((v) => v.id === zhangjia)?.name).toBe('张家村')
  })

  it('unknown towns and villages are 404 with their own codes; no token is 401', async () => {
    const town = await create(townAdmin, { code: 'nowhere', name: '无处村', kind: 'rural' }, 99999)
    expect(town.statusCode).toBe(404)
    expect(town.json()).toMatchObject({ code: 'TOWN_NOT_FOUND', details: [{ field: 'townId' }] })
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/towns/99999/villages', headers: auth(townAdmin) })).json().code,
    ).toBe('TOWN_NOT_FOUND')
    const village = await patch(townAdmin, 99999, { name: '无处村' })
    expect(village.statusCode).toBe(404)
    expect(village.json().code).toBe('VILLAGE_NOT_FOUND')
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/towns/${townId}/villages`,
          payload: { code: 'x1', name: '无名村', kind: 'rural' },
        })
      ).statusCode,
    ).toBe(401)
  })
})

describe('bad input is refused with the field named, never a 5xx', () => {
  it.each([
    ['missing everything', {}, ['code', 'name', 'kind']],
    ['wrong types', { code: 12, name: ['x'], kind: 'city' }, ['name', 'kind']],
    ['a code with capitals and spaces', { code: 'Li Jia', name: '李家村', kind: 'rural' }, ['code']],
    ['a code too long', { code: 'a'.repeat(33), name: '李家村', kind: 'rural' }, ['code']],
    ['a name too short', { code: 'short', name: '村', kind: 'rural' }, ['name']],
  ])('create: %s', async (_label, payload, fields) => {
    const before = await counts()
    const res = await create(townAdmin, payload)
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('VALIDATION_FAILED')
    const named = res.json().details.map((d: { field: string }) => d.field)
    for (const f of fields) expect(named).toContain(f)
    expect(await counts()).toEqual(before)
  })

  it.each([
    ['a town id of letters', 'abc'],
    ['a town id of zero', '0'],
    ['a negative town id', '-4'],
  ])('%s', async (_label, town) => {
    const res = await create(townAdmin, { code: 'param', name: '参数村', kind: 'rural' }, town)
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toBe('townId')
  })

  it('rename: an empty body, a kind that does not exist, a body that is not JSON', async () => {
    for (const payload of [{}, { kind: 'city' }, { name: 5 }]) {
      const res = await patch(townAdmin, zhangjia, payload)
      expect(res.statusCode).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
    }
    const notJson = await t.app.inject({
      method: 'PATCH',
      url: `/api/villages/${zhangjia}`,
      headers: { ...auth(townAdmin), 'content-type': 'application/json' },
      payload: '{name',
    })
    expect(notJson.statusCode).toBe(400)
    expect((await patch(townAdmin, 'x', { name: '张家村' })).statusCode).toBe(400)
  })
})
