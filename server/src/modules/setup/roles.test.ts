import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, jsonValue, startDemo, type AuditRow, type TestContext } from '../../testing/harness.js'

let t: TestContext
let as: Record<'townAdmin' | 'committee' | 'grid', string> // 周涛; 王建国 and 李梅 of 张家村
let zhangjia: number
let heping: number
let grid1: number // 一组网格
let grid2: number // 二组网格
let hepingGrid: number
/** 张家村 membership ids by real name. */
const m: Record<string, number> = {}
const id = (realName: string) => m[realName]!
let chenJing: number // 陈静, a member of 和平社区
let applicant: number // 孙福来, pending in 张家村

type RoleRow = { membership_id: number; role: string }
type WorkerRow = { grid_id: number; membership_id: number }

beforeAll(async () => {
  ;({ t, as, zhangjia, heping } = await startDemo(['townAdmin', 'committee', 'grid']))
  for (const member of (
    await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/members`, headers: auth(as.townAdmin) })
  ).json()) {
    m[member.realName] = member.membershipId
  }
  const memberships = await t.rows<{ id: number; village_id: number; real_name: string; status: string }>('memberships')
  chenJing = memberships.find((x) => x.village_id === heping && x.real_name === '陈静')!.id
  applicant = memberships.find((x) => x.village_id === zhangjia && x.status === 'pending')!.id
  const grids = (
    await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/grids`, headers: auth(as.townAdmin) })
  ).json()
  ;[grid1, grid2] = grids.map((g: { id: number }) => g.id)
  hepingGrid = (
    await t.app.inject({ method: 'GET', url: `/api/villages/${heping}/grids`, headers: auth(as.townAdmin) })
  ).json()[0].id
})
afterAll(() => t.close())

const setWorkers = (
  token: string,
  gridId: number | string,
  membershipIds: unknown,
  villageId: number | string = zhangjia,
) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/villages/${villageId}/grids/${gridId}/workers`,
    headers: auth(token),
    payload: { membershipIds } as object,
  })
const setCommittee = (token: string, membershipIds: unknown, villageId: number | string = zhangjia) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/villages/${villageId}/committee`,
    headers: auth(token),
    payload: { membershipIds } as object,
  })
const rolesOf = async (membershipId: number) =>
  (await t.rows<RoleRow>('membership_roles'))
    .filter((r) => r.membership_id === membershipId)
    .map((r) => r.role)
    .sort()
const workersOf = async (gridId: number) =>
  (await t.rows<WorkerRow>('grid_workers'))
    .filter((w) => w.grid_id === gridId)
    .map((w) => w.membership_id)
    .sort((a, b) => a - b)
const snapshot = async () => ({
  roles: await t.rows('membership_roles'),
  workers: await t.rows('grid_workers'),
  audit: (await t.rows('audit_log')).length,
})

describe('grid workers', () => {
  it('a town admin assigns workers: the grid answers with them, rows are written, the role is granted and audited', async () => {
    const res = await setWorkers(as.townAdmin, grid1, [id('李梅'), id('张秀兰'), id('赵小明')])
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      id: grid1,
      villageId: zhangjia,
      name: '一组网格',
      workers: [
        { membershipId: id('李梅'), realName: '李梅' },
        { membershipId: id('张秀兰'), realName: '张秀兰' },
        { membershipId: id('赵小明'), realName: '赵小明' },
      ].sort((a, b) => a.membershipId - b.membershipId),
    })
    expect(await workersOf(grid1)).toEqual([id('李梅'), id('张秀兰'), id('赵小明')].sort((a, b) => a - b))
    expect(await rolesOf(id('张秀兰'))).toEqual(['grid_worker', 'resident'])
    expect(await rolesOf(id('赵小明'))).toEqual(['grid_worker', 'resident', 'volunteer'])
    const audit = (await t.rows<AuditRow>('audit_log')).filter((a) => a.action === 'grid.workers_set')
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ entity: 'grid', entity_id: grid1, village_id: zhangjia })
    expect(jsonValue(audit[0]!.data)).toEqual({
      membershipIds: [id('李梅'), id('张秀兰'), id('赵小明')],
      added: [id('张秀兰'), id('赵小明')],
      removed: [],
      roleGranted: [id('张秀兰'), id('赵小明')],
      roleRevoked: [],
    })

    // The new grid worker may now read the grids.
    const zhang = await t.login('demo-zhangjia-resident')
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/grids`, headers: auth(zhang) })).statusCode,
    ).toBe(200)
  })

  it('someone keeps the role while they work in any grid and loses it when they work in none', async () => {
    await setWorkers(as.townAdmin, grid2, [id('李梅'), id('张秀兰')])
    expect((await setWorkers(as.townAdmin, grid1, [id('李梅'), id('赵小明')])).statusCode).toBe(200)
    expect(await rolesOf(id('张秀兰'))).toEqual(['grid_worker', 'resident']) // still in 二组网格

    const res = await setWorkers(as.townAdmin, grid2, [id('李梅')])
    expect(res.json().workers).toEqual([{ membershipId: id('李梅'), realName: '李梅' }])
    expect(await rolesOf(id('张秀兰'))).toEqual(['resident'])
    const last = (await t.rows<AuditRow>('audit_log')).filter((a) => a.action === 'grid.workers_set').at(-1)!
    expect(jsonValue(last.data)).toMatchObject({ removed: [id('张秀兰')], roleRevoked: [id('张秀兰')] })

    expect((await setWorkers(as.townAdmin, grid1, [])).json().workers).toEqual([])
    expect(await rolesOf(id('赵小明'))).toEqual(['resident', 'volunteer'])
    expect(await rolesOf(id('李梅'))).toEqual(['grid_worker', 'resident']) // still in 二组网格
  })

  it('the same list again changes nothing and logs nothing', async () => {
    const before = await snapshot()
    expect((await setWorkers(as.townAdmin, grid2, [id('李梅')])).statusCode).toBe(200)
    expect(await snapshot()).toEqual(before)
  })

  it('two grids emptied at the same time: the worker of both loses the role', async () => {
    await setWorkers(as.townAdmin, grid1, [id('李梅')])
    const results = await Promise.all([setWorkers(as.townAdmin, grid1, []), setWorkers(as.townAdmin, grid2, [])])
    expect(results.map((r) => r.statusCode)).toEqual([200, 200])
    expect(await workersOf(grid1)).toEqual([])
    expect(await workersOf(grid2)).toEqual([])
    expect(await rolesOf(id('李梅'))).toEqual(['resident'])
    // Without the role, 李梅 can no longer read the grids.
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/grids`, headers: auth(as.grid) }))
        .statusCode,
    ).toBe(403)
  })

  it.each([
    ['a member of another village', () => [id('张秀兰'), chenJing]],
    ['a pending applicant', () => [applicant]],
    ['an id nobody has', () => [id('张秀兰'), 999999]],
  ])('%s: 404 MEMBER_NOT_FOUND naming membershipIds, nothing written', async (_label, ids) => {
    const before = await snapshot()
    const res = await setWorkers(as.townAdmin, grid1, ids())
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'MEMBER_NOT_FOUND', details: [{ field: 'membershipIds' }] })
    expect(await snapshot()).toEqual(before)
  })

  it('a grid of another village or no grid at all: 404 GRID_NOT_FOUND', async () => {
    const before = await snapshot()
    for (const gridId of [hepingGrid, 999999]) {
      const res = await setWorkers(as.townAdmin, gridId, [id('张秀兰')])
      expect(res.statusCode).toBe(404)
      expect(res.json().code).toBe('GRID_NOT_FOUND')
    }
    expect(await snapshot()).toEqual(before)
  })
})

describe('the committee', () => {
  it('a town admin replaces the committee: roles follow, the answer is the new committee, audited', async () => {
    const res = await setCommittee(as.townAdmin, [id('王建国'), id('张秀兰')])
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual(
      [
        {
          membershipId: id('王建国'),
          realName: '王建国',
          status: 'verified',
          roles: ['resident', 'committee'],
          personId: expect.any(Number),
        },
        {
          membershipId: id('张秀兰'),
          realName: '张秀兰',
          status: 'verified',
          roles: ['resident', 'committee'],
          personId: expect.any(Number),
        },
      ].sort((a, b) => a.membershipId - b.membershipId),
    )
    expect(await rolesOf(id('张秀兰'))).toEqual(['committee', 'resident'])

    const replaced = await setCommittee(as.townAdmin, [id('张秀兰')])
    expect(replaced.statusCode).toBe(200)
    expect(replaced.json().map((x: { realName: string }) => x.realName)).toEqual(['张秀兰'])
    expect(await rolesOf(id('王建国'))).toEqual(['resident'])
    const committee = (await t.rows<RoleRow>('membership_roles'))
      .filter((r) => r.role === 'committee')
      .map((r) => r.membership_id)
    expect(committee.sort()).toEqual([chenJing, id('张秀兰')].sort()) // 和平社区's committee is untouched

    const audit = (await t.rows<AuditRow>('audit_log')).filter((a) => a.action === 'committee.set')
    expect(audit.map((a) => [a.entity, a.entity_id, a.village_id])).toEqual([
      ['village', zhangjia, zhangjia],
      ['village', zhangjia, zhangjia],
    ])
    expect(jsonValue(audit[1]!.data)).toEqual({ membershipIds: [id('张秀兰')], added: [], removed: [id('王建国')] })

    // 王建国 is no longer on the committee; the town's list of villages counts one.
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/members`, headers: auth(as.committee) }))
        .statusCode,
    ).toBe(403)
    const townId = (
      await t.app.inject({ method: 'GET', url: '/api/towns/mine', headers: auth(as.townAdmin) })
    ).json()[0].id
    const villages = (
      await t.app.inject({ method: 'GET', url: `/api/towns/${townId}/villages`, headers: auth(as.townAdmin) })
    ).json()
    expect(villages.find((v: { id: number }) => v.id === zhangjia).committeeCount).toBe(1)
    await setCommittee(as.townAdmin, [id('王建国')])
  })

  it('an empty committee is refused with 400 naming membershipIds', async () => {
    const before = await snapshot()
    const res = await setCommittee(as.townAdmin, [])
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'membershipIds' }] })
    expect(await snapshot()).toEqual(before)
  })

  it.each([
    ['a member of another village', () => [id('王建国'), chenJing]],
    ['an id nobody has', () => [999999]],
  ])('%s: 404 MEMBER_NOT_FOUND, nothing written', async (_label, ids) => {
    const before = await snapshot()
    const res = await setCommittee(as.townAdmin, ids())
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'MEMBER_NOT_FOUND', details: [{ field: 'membershipIds' }] })
    expect(await snapshot()).toEqual(before)
  })
})

describe('a new village gets its first committee', () => {
  it('the town admin appoints applicants, which verifies them; they can then verify others', async () => {
    const towns = (await t.app.inject({ method: 'GET', url: '/api/towns/mine', headers: auth(as.townAdmin) })).json()
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/towns/${towns[0].id}/villages`,
      headers: auth(as.townAdmin),
      payload: { code: 'xinzhuang', name: '新庄村', kind: 'rural' },
    })
    expect(created.statusCode).toBe(201)
    const village = created.json().id
    const first = await t.login('wx-xinzhuang-first')
    const applied = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${village}/applications`,
      headers: auth(first),
      payload: { realName: '马春生', householdAddress: '新庄村 1 号', birthYear: 1970 },
    })
    const membershipId = applied.json().id

    const members = (
      await t.app.inject({ method: 'GET', url: `/api/villages/${village}/members`, headers: auth(as.townAdmin) })
    ).json()
    expect(members).toEqual([
      expect.objectContaining({ membershipId, realName: '马春生', status: 'pending', roles: [] }),
    ])
    const res = await setCommittee(as.townAdmin, [membershipId], village)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual([
      expect.objectContaining({ membershipId, status: 'verified', roles: ['resident', 'committee'] }),
    ])
    const row = (await t.rows<{ id: number; status: string; decided_by: number }>('memberships')).find(
      (x) => x.id === membershipId,
    )!
    expect(row.status).toBe('verified')

    // The new committee member now verifies the next applicant.
    const next = await t.login('wx-xinzhuang-next')
    const second = (
      await t.app.inject({
        method: 'POST',
        url: `/api/villages/${village}/applications`,
        headers: auth(next),
        payload: { realName: '马秋月', householdAddress: '新庄村 2 号', birthYear: 1975 },
      })
    ).json()
    const verify = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${village}/applications/${second.id}/verify`,
      headers: auth(first),
      payload: {},
    })
    expect(verify.statusCode).toBe(200)
  })
})

describe('only the town admin sets workers and committees', () => {
  it('the committee, a grid worker and another village’s committee are refused', async () => {
    await setWorkers(as.townAdmin, grid1, [id('李梅')])
    const before = await snapshot()
    const others = [
      as.committee,
      as.grid,
      await t.login('demo-heping-committee'),
      await t.login('demo-zhangjia-volunteer'),
    ]
    for (const token of others) {
      const workers = await setWorkers(token, grid1, [id('张秀兰')])
      expect(workers.statusCode).toBe(403)
      expect(workers.json().code).toBe('FORBIDDEN')
      expect((await setCommittee(token, [id('张秀兰')])).statusCode).toBe(403)
    }
    expect(await snapshot()).toEqual(before)
  })

  it('unknown villages are 404 VILLAGE_NOT_FOUND', async () => {
    expect((await setCommittee(as.townAdmin, [id('王建国')], 999999)).json().code).toBe('VILLAGE_NOT_FOUND')
    expect((await setWorkers(as.townAdmin, grid1, [id('王建国')], 999999)).json().code).toBe('VILLAGE_NOT_FOUND')
  })
})

describe('bad lists are refused with 400, never a 5xx', () => {
  it.each([
    ['no list', undefined],
    ['an object', { a: 1 }],
    ['letters', ['abc']],
    ['zero', [0]],
    ['a fraction', [1.5]],
    ['the same id twice', [1, 1]],
    ['too many', Array.from({ length: 101 }, (_, i) => i + 1)],
  ])('%s', async (_label, ids) => {
    const before = await snapshot()
    for (const res of [await setWorkers(as.townAdmin, grid1, ids), await setCommittee(as.townAdmin, ids)]) {
      expect(res.statusCode).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
      expect(res.json().details[0].field).toMatch(/^membershipIds/)
    }
    expect(await snapshot()).toEqual(before)
  })

  it('no body at all, and a body that is not JSON', async () => {
    const none = await t.app.inject({
      method: 'PUT',
      url: `/api/villages/${zhangjia}/committee`,
      headers: auth(as.townAdmin),
    })
    expect(none.statusCode).toBe(400)
    const broken = await t.app.inject({
      method: 'PUT',
      url: `/api/villages/${zhangjia}/grids/${grid1}/workers`,
      headers: { ...auth(as.townAdmin), 'content-type': 'application/json' },
      payload: '{"membershipIds": [',
    })
    expect(broken.statusCode).toBe(400)
    expect(broken.json().code).toBe('VALIDATION_FAILED')
  })
})
