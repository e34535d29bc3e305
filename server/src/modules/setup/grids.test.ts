import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, jsonValue, startDemo, type AuditRow, type TestContext } from '../../testing/harness.js'
import { updateGrid } from './update-grid.js'

let t: TestContext
/** 周涛; 王建国 of 张家村 村委会, 李梅 its grid worker; 陈静 of 和平社区 居委会. */
let as: Record<'townAdmin' | 'committee' | 'grid' | 'resident' | 'hpCommittee' | 'hpResident', string>
let zhangjia: number
let heping: number

type GridRow = { id: number; village_id: number; name: string; boundary: string | null }

/** A square of about 1 km around 张家村. */
const square: [number, number][] = [
  [120.1, 30.2],
  [120.11, 30.2],
  [120.11, 30.21],
  [120.1, 30.21],
]
const inside = { lng: 120.105, lat: 30.205 }
const outside = { lng: 120.2, lat: 30.205 }

beforeAll(async () => {
  ;({ t, as, zhangjia, heping } = await startDemo([
    'townAdmin',
    'committee',
    'grid',
    'resident',
    'hpCommittee',
    'hpResident',
  ]))
})
afterAll(() => t.close())

const list = (token: string, villageId: number | string = zhangjia) =>
  t.app.inject({ method: 'GET', url: `/api/villages/${villageId}/grids`, headers: auth(token) })
const create = (token: string, payload: unknown, villageId: number | string = zhangjia) =>
  t.app.inject({
    method: 'POST',
    url: `/api/villages/${villageId}/grids`,
    headers: auth(token),
    payload: payload as object,
  })
const patch = (token: string, gridId: number | string, payload: unknown, villageId: number | string = zhangjia) =>
  t.app.inject({
    method: 'PATCH',
    url: `/api/villages/${villageId}/grids/${gridId}`,
    headers: auth(token),
    payload: payload as object,
  })
const locate = (token: string, query: Record<string, unknown>, villageId: number = zhangjia) =>
  t.app.inject({
    method: 'GET',
    url: `/api/villages/${villageId}/grids/locate`,
    headers: auth(token),
    query: query as Record<string, string>,
  })
const members = (token: string, villageId: number = zhangjia) =>
  t.app.inject({ method: 'GET', url: `/api/villages/${villageId}/members`, headers: auth(token) })
const userId = async (token: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(token) })).json().userId as number
const counts = async () => ({ grids: (await t.rows('grids')).length, audit: (await t.rows('audit_log')).length })

describe('reading grids', () => {
  it('the committee, a grid worker and the town admin see the grids with workers and household counts', async () => {
    for (const token of [as.committee, as.grid, as.townAdmin]) {
      const res = await list(token)
      expect(res.statusCode).toBe(200)
      const grids = res.json()
      expect(grids.map((g: { name: string }) => g.name)).toEqual(['一组网格', '二组网格'])
      for (const g of grids) {
        expect(g).toMatchObject({
          villageId: zhangjia,
          boundary: null,
          workers: [{ membershipId: expect.any(Number), realName: '李梅' }],
        })
      }
    }
    const households = await t.rows<{ village_id: number; grid_id: number | null }>('households')
    const grids = (await list(as.committee)).json()
    for (const g of grids) expect(g.householdCount).toBe(households.filter((h) => h.grid_id === g.id).length)
    expect(grids[0].householdCount + grids[1].householdCount).toBe(
      households.filter((h) => h.village_id === zhangjia).length,
    )
  })
})

describe('creating and changing grids', () => {
  it('a town admin creates a grid with a boundary: 201, the row, an audit row, and locate finds it', async () => {
    const res = await create(as.townAdmin, { name: '三组网格', boundary: square })
    expect(res.statusCode).toBe(201)
    const grid = res.json()
    expect(grid).toEqual({
      id: expect.any(Number),
      villageId: zhangjia,
      name: '三组网格',
      boundary: square,
      workers: [],
      householdCount: 0,
    })
    const row = (await t.rows<GridRow>('grids')).find((g) => g.id === grid.id)!
    expect(row).toMatchObject({ village_id: zhangjia, name: '三组网格' })
    expect(jsonValue(row.boundary)).toEqual(square)
    const audit = (await t.rows<AuditRow>('audit_log')).filter((a) => a.entity === 'grid' && a.entity_id === grid.id)
    expect(audit).toMatchObject([{ action: 'grid.created', village_id: zhangjia }])
    expect(jsonValue(audit[0]!.data)).toEqual({ name: '三组网格', boundary: square })
    expect((await list(as.committee)).json().map((g: { name: string }) => g.name)).toEqual([
      '一组网格',
      '二组网格',
      '三组网格',
    ])

    // Any member of the village may ask where a point lies.
    for (const token of [as.resident, as.committee, as.townAdmin]) {
      const found = await locate(token, inside)
      expect(found.statusCode).toBe(200)
      expect(found.json()).toEqual({ gridId: grid.id, gridName: '三组网格' })
    }
    expect((await locate(as.resident, outside)).json()).toEqual({ gridId: null, gridName: null })
  })

  it('a grid without a boundary is stored with NULL and never located', async () => {
    const res = await create(as.townAdmin, { name: '无边界网格' })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ name: '无边界网格', boundary: null })
    expect((await t.rows<GridRow>('grids')).find((g) => g.id === res.json().id)?.boundary).toBeNull()
  })

  it('a name already used in the village is refused with 409; another village may use it', async () => {
    const before = await counts()
    const taken = await create(as.townAdmin, { name: '一组网格' })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().code).toBe('GRID_NAME_TAKEN')
    expect(await counts()).toEqual(before)
    expect((await create(as.townAdmin, { name: '一组网格' }, heping)).statusCode).toBe(201)
  })

  it('a town admin renames a grid and redraws or clears its boundary; the first grid holding a point wins', async () => {
    const { id } = (await create(as.townAdmin, { name: '四组网格' })).json()
    const renamed = await patch(as.townAdmin, id, { name: '四组新网格' })
    expect(renamed.statusCode).toBe(200)
    expect(renamed.json()).toMatchObject({ id, name: '四组新网格', boundary: null })
    expect((await t.rows<GridRow>('grids')).find((g) => g.id === id)?.name).toBe('四组新网格')

    // Drawn over 三组网格, which was created first and still wins the point.
    const drawn = await patch(as.townAdmin, id, { boundary: square })
    expect(drawn.json().boundary).toEqual(square)
    expect((await locate(as.resident, inside)).json().gridName).toBe('三组网格')
    const far: [number, number][] = [
      [121, 31],
      [121.01, 31],
      [121.005, 31.01],
    ]
    await patch(as.townAdmin, id, { boundary: far })
    expect((await locate(as.resident, { lng: 121.005, lat: 31.003 })).json()).toEqual({
      gridId: id,
      gridName: '四组新网格',
    })

    // Over HTTP `boundary: null` is refused for now (see the next test), so the use case is called directly.
    const cleared = await updateGrid(
      t.database.db,
      { userId: await userId(as.townAdmin), requestId: 'test' },
      zhangjia,
      id,
      { boundary: null },
    )
    expect(cleared.boundary).toBeNull()
    expect((await t.rows<GridRow>('grids')).find((g) => g.id === id)?.boundary).toBeNull()
    expect((await locate(as.resident, { lng: 121.005, lat: 31.003 })).json()).toEqual({ gridId: null, gridName: null })

    const audit = (await t.rows<AuditRow>('audit_log'))
      .filter((a) => a.action === 'grid.updated' && a.entity_id === id)
      .map((a) => jsonValue(a.data))
    expect(audit).toEqual([
      { from: { name: '四组网格' }, to: { name: '四组新网格' } },
      { from: { boundary: null }, to: { boundary: square } },
      { from: { boundary: square }, to: { boundary: far } },
      { from: { boundary: far }, to: { boundary: null } },
    ])

    const clash = await patch(as.townAdmin, id, { name: '一组网格' })
    expect(clash.statusCode).toBe(409)
    expect(clash.json().code).toBe('GRID_NAME_TAKEN')
    expect((await t.rows<GridRow>('grids')).find((g) => g.id === id)?.name).toBe('四组新网格')
  })

  // The server validates with `coerceTypes: 'array'`, and AJV coerces in the first branch of an anyOf that
  // it tries: the Boundary branch turns null into [null] before the Null branch sees it. The contract
  // needs `Type.Union([Type.Null(), Boundary])` in CreateGridBody and UpdateGridBody; then flip this to it().
  it('a boundary of null over HTTP clears it', async () => {
    const { id } = (await create(as.townAdmin, { name: '待清空网格', boundary: square })).json()
    const cleared = await patch(as.townAdmin, id, { boundary: null })
    expect(cleared.statusCode).toBe(200)
    expect((await create(as.townAdmin, { name: '空边界网格', boundary: null })).statusCode).toBe(201)
  })

  it('a grid of another village is not found through this one', async () => {
    const [hepingGrid] = (await t.rows<GridRow>('grids')).filter((g) => g.village_id === heping)
    const res = await patch(as.townAdmin, hepingGrid!.id, { name: '偷来的网格' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'GRID_NOT_FOUND', details: [{ field: 'gridId' }] })
    expect((await patch(as.townAdmin, 99999, { name: '无此网格' })).json().code).toBe('GRID_NOT_FOUND')
    expect((await t.rows<GridRow>('grids')).find((g) => g.id === hepingGrid!.id)?.name).toBe('第一网格')
  })
})

describe('bad boundaries and bad input are refused with the field named, nothing written', () => {
  it.each([
    [
      'two points',
      [
        [120.1, 30.2],
        [120.11, 30.2],
      ],
    ],
    [
      'a latitude of 100',
      [
        [120.1, 30.2],
        [120.11, 100],
        [120.1, 30.21],
      ],
    ],
    [
      'a longitude of 200',
      [
        [200, 30.2],
        [120.11, 30.2],
        [120.1, 30.21],
      ],
    ],
    [
      'a point of three numbers',
      [
        [120.1, 30.2, 5],
        [120.11, 30.2],
        [120.1, 30.21],
      ],
    ],
    ['a point of one number', [[120.1], [120.11, 30.2], [120.1, 30.21]]],
    [
      'points that are not numbers',
      [
        ['a', 'b'],
        [120.11, 30.2],
        [120.1, 30.21],
      ],
    ],
    [
      'points on one line',
      [
        [120.1, 30.2],
        [120.11, 30.2],
        [120.12, 30.2],
      ],
    ],
    [
      'one point three times',
      [
        [120.1, 30.2],
        [120.1, 30.2],
        [120.1, 30.2],
      ],
    ],
    ['not a list', 'square'],
    ['too many points', Array.from({ length: 501 }, (_, i) => [120 + Math.cos(i) / 100, 30 + Math.sin(i) / 100])],
  ])('%s', async (_label, boundary) => {
    const before = await counts()
    for (const res of [
      await create(as.townAdmin, { name: '坏网格', boundary }),
      await patch(as.townAdmin, (await list(as.townAdmin)).json()[0].id, { boundary }),
    ]) {
      expect(res.statusCode).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
      expect(res.json().details.some((d: { field: string }) => d.field.startsWith('boundary'))).toBe(true)
    }
    expect(await counts()).toEqual(before)
  })

  it.each([
    ['no name', {}, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['a name of the wrong type', { name: { zh: '网格' } }, 'name'],
    ['a name too long', { name: '网'.repeat(65) }, 'name'],
  ])('create: %s', async (_label, payload, field) => {
    const before = await counts()
    const res = await create(as.townAdmin, payload)
    expect(res.statusCode).toBe(400)
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field)
    expect(await counts()).toEqual(before)
  })

  it('change: an empty body or only unknown fields, a grid id of letters', async () => {
    const gridId = (await list(as.townAdmin)).json()[0].id
    for (const payload of [{}, { villageId: heping }]) {
      const res = await patch(as.townAdmin, gridId, payload)
      expect(res.statusCode).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
    }
    const letters = await patch(as.townAdmin, 'abc', { name: '网格' })
    expect(letters.statusCode).toBe(400)
    expect(letters.json().details[0].field).toBe('gridId')
    expect((await t.rows<GridRow>('grids')).find((g) => g.id === gridId)?.village_id).toBe(zhangjia)
  })

  it.each([
    ['no point', {}, ['lng', 'lat']],
    ['a latitude of letters', { lng: 120, lat: 'north' }, ['lat']],
    ['a latitude of 100', { lng: 120, lat: 100 }, ['lat']],
  ])('locate: %s', async (_label, query, fields) => {
    const res = await locate(as.resident, query)
    expect(res.statusCode).toBe(400)
    const named = res.json().details.map((d: { field: string }) => d.field)
    for (const f of fields) expect(named).toContain(f)
  })
})

describe('who may read and set up grids and members', () => {
  it('a committee member, a grid worker or a resident cannot create or change grids', async () => {
    const before = await counts()
    const gridId = (await list(as.townAdmin)).json()[0].id
    for (const token of [as.committee, as.grid, as.resident, as.hpCommittee]) {
      const created = await create(token, { name: '越权网格' })
      expect(created.statusCode).toBe(403)
      expect(created.json().code).toBe('FORBIDDEN')
      expect((await patch(token, gridId, { name: '越权网格' })).statusCode).toBe(403)
    }
    expect(await counts()).toEqual(before)
  })

  it('another village’s committee and residents cannot read this village’s grids, members or locate in it', async () => {
    for (const token of [as.hpCommittee, as.hpResident, as.resident]) {
      const grids = await list(token)
      expect(grids.statusCode).toBe(403)
      expect(grids.json().code).toBe('FORBIDDEN')
      expect((await members(token)).statusCode).toBe(403)
    }
    expect((await locate(as.hpCommittee, inside)).statusCode).toBe(403)
    expect((await locate(await t.login('wx-stranger'), inside)).statusCode).toBe(403)
  })

  it('the committee and the town admin read the verified members with roles and roster persons', async () => {
    for (const token of [as.committee, as.townAdmin]) {
      const res = await members(token)
      expect(res.statusCode).toBe(200)
      const byName = Object.fromEntries(res.json().map((m: { realName: string }) => [m.realName, m]))
      expect(Object.keys(byName).sort()).toEqual(['周涛', '孙福来', '张秀兰', '李梅', '王建国', '赵小明'].sort())
      expect(byName['孙福来'].status).toBe('pending')
      expect(byName['王建国']).toEqual({
        membershipId: expect.any(Number),
        realName: '王建国',
        status: 'verified',
        roles: ['resident', 'committee'],
        personId: expect.any(Number),
      })
      expect(byName['李梅'].roles).toEqual(['resident', 'grid_worker'])
      expect(byName['周涛'].roles).toEqual(['town_admin'])
    }
    // A grid worker is not the committee.
    expect((await members(as.grid)).statusCode).toBe(403)
  })

  it('unknown villages are 404, bad ids 400, no token 401', async () => {
    for (const res of [
      await list(as.townAdmin, 99999),
      await create(as.townAdmin, { name: '网格' }, 99999),
      await members(as.townAdmin, 99999),
    ]) {
      expect(res.statusCode).toBe(404)
      expect(res.json().code).toBe('VILLAGE_NOT_FOUND')
    }
    expect((await list(as.townAdmin, 'abc')).statusCode).toBe(400)
    expect((await list(as.townAdmin, '1.5')).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/grids` })).statusCode).toBe(401)
  })
})
