import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  balanceOf,
  fund,
  startWithVillages,
  masked,
  type Caller,
  type Village,
} from '../../../testing/factories.js'
import { expectRefused, type TestContext } from '../../../testing/harness.js'
import { pointEntries } from '../../../testing/ledger.js'

let t: TestContext
let v: Village
let other: Village

beforeAll(async () => {
  ;[t, v, other] = await startWithVillages(2)
  // Starting balances: the resident 30, the volunteer 10, the grid worker none.
  await fund(t, v, v.resident.personId!, 30)
  await fund(t, v, v.volunteer.personId!, 10)
})
afterAll(() => t.close())

const url = (path = '', villageId = v.id) => `/api/villages/${villageId}/services${path}`
const post = (path: string, caller: Caller, payload?: object, villageId = v.id) =>
  as(t, caller).post(url(path, villageId), payload)
const list = async (caller: Caller) => {
  const res = await as(t, caller).get(url())
  expect(res.statusCode).toBe(200)
  return res.json() as {
    id: number
    posterName: string
    takerName: string | null
    status: string
    mine: boolean
    takenByMe: boolean
  }[]
}
const balance = (caller: Caller) => balanceOf(t, v.id, caller)
const entries = () => pointEntries(t)
const statusOf = async (id: number) =>
  (await t.rows<{ id: number; status: string }>('neighbour_services')).find((s) => s.id === id)!.status

async function postService(caller: Caller, overrides: object = {}): Promise<number> {
  const res = await post('', caller, {
    kind: 'offer',
    title: '接送孩子放学',
    description: '每天下午四点，村小学门口',
    points: 10,
    ...overrides,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

describe('offers and requests', () => {
  it('an offer: the poster helps, the taker receives, confirms and pays', async () => {
    const created = await post('', 'volunteer', {
      kind: 'offer',
      title: '接送孩子放学',
      description: '每天下午四点',
      points: 10,
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      kind: 'offer',
      posterName: v.volunteer.name,
      takerName: null,
      status: 'open',
      mine: true,
      takenByMe: false,
    })
    const id = created.json().id
    expect((await list('resident')).find((s) => s.id === id)).toMatchObject({
      posterName: masked(v.volunteer.name),
      mine: false,
    })

    const taken = await post(`/${id}/take`, 'resident')
    expect(taken.statusCode).toBe(200)
    expect(taken.json()).toMatchObject({
      status: 'taken',
      posterName: masked(v.volunteer.name),
      takerName: v.resident.name,
      takenByMe: true,
      mine: false,
    })
    expect((await list('volunteer')).find((s) => s.id === id)).toMatchObject({
      posterName: v.volunteer.name,
      takerName: masked(v.resident.name),
      mine: true,
    })
    expect((await list('committee')).find((s) => s.id === id)).toMatchObject({
      posterName: masked(v.volunteer.name),
      takerName: masked(v.resident.name),
    })

    // The provider cannot confirm their own work.
    const byProvider = await post(`/${id}/complete`, 'volunteer')
    expect(byProvider.statusCode).toBe(403)
    expect((await post(`/${id}/complete`, 'grid')).statusCode).toBe(403)
    expect(await statusOf(id)).toBe('taken')

    const before = [await balance('resident'), await balance('volunteer')]
    const done = await post(`/${id}/complete`, 'resident')
    expect(done.statusCode).toBe(200)
    expect(done.json()).toMatchObject({ status: 'completed', takenByMe: true })
    expect([await balance('resident'), await balance('volunteer')]).toEqual([before[0]! - 10, before[1]! + 10])
    expect((await entries()).find((e) => e.idempotency_key === `service:${id}`)).toMatchObject({
      amount: 10,
      kind: 'transfer',
      ref_id: id,
    })

    const snapshot = await entries()
    const again = await post(`/${id}/complete`, 'resident')
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('SERVICE_NOT_OPEN')
    expect(await entries()).toEqual(snapshot)
    const audits = await t.rows<{ action: string; entity: string; entity_id: number }>('audit_log')
    expect(audits.filter((a) => a.entity === 'neighbour_service' && a.entity_id === id).map((a) => a.action)).toEqual([
      'service.posted',
      'service.taken',
      'service.completed',
    ])
  })

  it('a request: the poster receives and pays the taker who helped', async () => {
    const id = await postService('resident', { kind: 'request', title: '陪老人去镇医院', points: 5 })
    expect((await post(`/${id}/take`, 'volunteer')).json()).toMatchObject({ status: 'taken', takenByMe: true })
    expect((await post(`/${id}/complete`, 'volunteer')).statusCode).toBe(403)
    const before = [await balance('resident'), await balance('volunteer')]
    const done = await post(`/${id}/complete`, 'resident')
    expect(done.statusCode).toBe(200)
    expect(done.json()).toMatchObject({
      status: 'completed',
      mine: true,
      posterName: v.resident.name,
      takerName: masked(v.volunteer.name),
    })
    expect([await balance('resident'), await balance('volunteer')]).toEqual([before[0]! - 5, before[1]! + 5])
  })

  it('a receiver without enough points is refused and nothing is written; once funded it goes through', async () => {
    const id = await postService('grid', { kind: 'request', title: '帮忙修水管', points: 20 })
    await post(`/${id}/take`, 'volunteer')
    const before = await entries()
    const volunteerBefore = await balance('volunteer')
    const refused = await post(`/${id}/complete`, 'grid')
    expect(refused.statusCode).toBe(409)
    expect(refused.json().code).toBe('INSUFFICIENT_POINTS')
    expect(await entries()).toEqual(before)
    expect(await statusOf(id)).toBe('taken')
    expect(await balance('volunteer')).toBe(volunteerBefore)

    await fund(t, v, v.grid.personId!, 20)
    expect((await post(`/${id}/complete`, 'grid')).json().status).toBe('completed')
    expect(await balance('grid')).toBe(0)
    expect(await balance('volunteer')).toBe(volunteerBefore + 20)
  })

  it('parallel confirmations pay once', async () => {
    const id = await postService('volunteer', { points: 3 })
    await post(`/${id}/take`, 'resident')
    const before = await balance('resident')
    const results = await Promise.all(Array.from({ length: 10 }, () => post(`/${id}/complete`, 'resident')))
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'SERVICE_NOT_OPEN')).toBe(true)
    expect(await balance('resident')).toBe(before - 3)
  })
})

describe('taking and withdrawing', () => {
  it('nobody takes their own; one of many takers wins; a taken one cannot be taken again', async () => {
    const id = await postService('volunteer')
    const own = await post(`/${id}/take`, 'volunteer')
    expect(own.statusCode).toBe(409)
    expect(own.json().code).toBe('SERVICE_NOT_OPEN')
    const results = await Promise.all(
      (['resident', 'grid', 'committee', 'resident', 'grid', 'committee'] as const).map((caller) =>
        post(`/${id}/take`, caller),
      ),
    )
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'SERVICE_NOT_OPEN')).toBe(true)
    const services = await t.rows<{ id: number; status: string; taker_person_id: number | null }>('neighbour_services')
    expect(services.find((s) => s.id === id)).toMatchObject({ status: 'taken' })
  })

  it('only the poster withdraws, and only while open', async () => {
    const id = await postService('resident')
    expect((await post(`/${id}/cancel`, 'volunteer')).statusCode).toBe(403)
    const cancelled = await post(`/${id}/cancel`, 'resident')
    expect(cancelled.statusCode).toBe(200)
    expect(cancelled.json().status).toBe('cancelled')
    expect((await post(`/${id}/take`, 'volunteer')).json().code).toBe('SERVICE_NOT_OPEN')
    expect((await post(`/${id}/cancel`, 'resident')).json().code).toBe('SERVICE_NOT_OPEN')
    expect((await post(`/${id}/complete`, 'resident')).json().code).toBe('SERVICE_NOT_OPEN')

    const taken = await postService('resident')
    await post(`/${taken}/take`, 'grid')
    const late = await post(`/${taken}/cancel`, 'resident')
    expect(late.statusCode).toBe(409)
    expect(late.json().code).toBe('SERVICE_NOT_OPEN')
  })

  it('lists open services first', async () => {
    await postService('grid', { title: '帮忙晒玉米' })
    const statuses = (await list('grid')).map((s) => s.status)
    const firstClosed = statuses.findIndex((s) => s !== 'open')
    expect(firstClosed).toBeGreaterThan(0)
    expect(statuses.slice(firstClosed).every((s) => s !== 'open')).toBe(true)
  })
})

describe('villages and input', () => {
  it("another village's members cannot see or act here; its services are not found here", async () => {
    const id = await postService('volunteer')
    expect((await as(t, other.resident).get(url())).statusCode).toBe(403)
    expect((await post(`/${id}/take`, other.resident)).statusCode).toBe(403)
    expect(
      (await post('', other.committee, { kind: 'offer', title: '跨村服务', description: '试试', points: 1 }))
        .statusCode,
    ).toBe(403)
    const foreign = await post(`/${id}/take`, other.resident, undefined, other.id)
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND', details: [{ field: 'serviceId' }] })
    const missing = await post('/999999/take', 'resident')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().code).toBe('SERVICE_NOT_FOUND')
    expect(await statusOf(id)).toBe('open')
  })

  it('refuses bad input naming the field, never with a 5xx', async () => {
    const body = { kind: 'offer', title: '教用智能手机', description: '每周六上午，村委会', points: 5 }
    const cases: [object, string][] = [
      [{ ...body, points: 0 }, 'points'],
      [{ ...body, points: 1001 }, 'points'],
      [{ ...body, points: 2.5 }, 'points'],
      [{ ...body, kind: 'gift' }, 'kind'],
      [{ ...body, title: '' }, 'title'],
      [{ ...body, description: undefined }, 'description'],
    ]
    for (const [payload, field] of cases)
      expectRefused(await post('', 'resident', payload), 400, 'VALIDATION_FAILED', field, JSON.stringify(payload))
    for (const path of ['/abc/take', '/0/complete', '/-1/cancel']) {
      const res = await post(path, 'resident')
      expect(res.statusCode, path).toBe(400)
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain('serviceId')
    }
    const noBody = await as(t, 'resident').post(url(), '{"kind":', { headers: { 'content-type': 'application/json' } })
    expect(noBody.statusCode).toBe(400)
  })
})
