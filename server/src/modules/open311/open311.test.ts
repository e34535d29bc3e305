import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestContext, type TestContext } from '../../testing/harness.js'

let t: TestContext
let committee: string
let resident: string
let zhangjia: number
let apiKey: string
let n = 0
const key = () => `open311-test-${Date.now()}-${++n}`

beforeAll(async () => {
  t = await startTestContext({ env: { REPORT_LIMIT_PER_MINUTE: '1000' } })
  committee = await t.login('demo-zhangjia-committee')
  resident = await t.login('demo-zhangjia-resident')
  zhangjia = await t.villageId('zhangjia')
  const made = await t.app.inject({ method: 'POST', url: `/api/villages/${zhangjia}/open311/keys`, headers: auth(committee), payload: { label: '县 12345 热线' } })
  expect(made.statusCode).toBe(201)
  apiKey = made.json().key
})
afterAll(() => t.close())

const get = (path: string) => t.app.inject({ method: 'GET', url: `/open311/v2/${path}` })
const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
const fileReport = (body: object) => t.app.inject({ method: 'POST', url: `/api/villages/${zhangjia}/reports`, headers: auth(resident), payload: { category: '设施损坏', description: '路灯不亮', idempotencyKey: key(), ...body } })

describe('Open311 GeoReport v2', () => {
  it('discovery and services, in JSON and XML', async () => {
    const discovery = await get('discovery.json')
    expect(discovery.statusCode).toBe(200)
    expect(discovery.json().endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json', 'text/xml'] })
    const services = (await get('services.json?jurisdiction_id=zhangjia')).json()
    expect(services.map((s: { service_code: string }) => s.service_code)).toEqual(['环境卫生', '设施损坏', '治安隐患', '矛盾纠纷', '民生诉求', '文明劝导', '其他'])
    const xml = await get('services.xml?jurisdiction_id=zhangjia')
    expect(xml.headers['content-type']).toContain('text/xml')
    const parsed = new XMLParser().parse(xml.body)
    expect(parsed.services.service).toHaveLength(7)
    expect(parsed.services.service[0].service_code).toBe('环境卫生')
    const definition = await get(`services/${encodeURIComponent('设施损坏')}.json?jurisdiction_id=zhangjia`)
    expect(definition.json()).toEqual({ service_code: '设施损坏', attributes: [] })
  })

  it('creates a request with the village’s api_key (form-encoded), readable by id and by token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      ...form({ jurisdiction_id: 'zhangjia', api_key: apiKey, service_code: '环境卫生', description: '河边有人倒建筑垃圾', lat: '30.25', long: '120.16', address_string: '张家村河边' }),
    })
    expect(res.statusCode).toBe(201)
    const [{ service_request_id: id, token }] = res.json()
    const one = (await get(`requests/${id}.json?jurisdiction_id=zhangjia`)).json()
    expect(one).toEqual([expect.objectContaining({ service_request_id: id, status: 'open', service_code: '环境卫生', description: '河边有人倒建筑垃圾', address: '张家村河边', lat: 30.25, long: 120.16 })])
    expect((await get(`tokens/${token}.json?jurisdiction_id=zhangjia`)).json()).toEqual([{ service_request_id: id, token }])
    // The committee sees it in its queue.
    const queue = (await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/reports/queue?queue=all`, headers: auth(committee) })).json()
    expect(queue.map((r: { id: number }) => String(r.id))).toContain(id)
  })

  it('errors are the spec’s list, with 400, 403 and 404, in either format', async () => {
    const noKey = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...form({ jurisdiction_id: 'zhangjia', service_code: '环境卫生', description: 'x', address_string: 'y' }) })
    expect(noKey.statusCode).toBe(403)
    expect(noKey.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }])
    const wrongVillage = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...form({ jurisdiction_id: 'heping', api_key: apiKey, service_code: '环境卫生', description: 'x', address_string: 'y' }) })
    expect(wrongVillage.statusCode).toBe(403)
    const badService = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', ...form({ jurisdiction_id: 'zhangjia', api_key: apiKey, service_code: '外星人', description: 'x', address_string: 'y' }) })
    expect(badService.statusCode).toBe(400)
    expect(new XMLParser().parse(badService.body).errors.error.code).toBe(400)
    expect((await get('requests.json')).json()).toEqual([{ code: 400, description: expect.stringContaining('jurisdiction_id') }])
    expect((await get('requests.json?jurisdiction_id=nowhere')).statusCode).toBe(404)
    expect((await get('requests/999999.json?jurisdiction_id=zhangjia')).statusCode).toBe(404)
    expect((await get('requests.json?jurisdiction_id=zhangjia&status=maybe')).statusCode).toBe(400)
    expect((await get('requests.csv?jurisdiction_id=zhangjia')).statusCode).toBe(404)
    const revoked = await t.app.inject({ method: 'POST', url: `/api/villages/${zhangjia}/open311/keys/1/revoke`, headers: auth(committee) })
    expect(revoked.json()[0].revoked).toBe(true)
    const after = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...form({ jurisdiction_id: 'zhangjia', api_key: apiKey, service_code: '环境卫生', description: 'x', address_string: 'y' }) })
    expect(after.statusCode).toBe(403)
    const again = await t.app.inject({ method: 'POST', url: `/api/villages/${zhangjia}/open311/keys`, headers: auth(committee), payload: { label: '新密钥' } })
    apiKey = again.json().key
    expect((await t.app.inject({ method: 'POST', url: `/api/villages/${zhangjia}/open311/keys`, headers: auth(resident), payload: { label: 'x' } })).statusCode).toBe(403)
  })

  it('lists public requests only, never names a reporter, maps statuses, filters and pages', async () => {
    const anonymous = (await fileReport({ anonymous: true, description: '有人偷电动车' })).json()
    const hidden = (await fileReport({ public: false, description: '私下反映的事' })).json()
    const done = (await fileReport({ description: '井盖丢了' })).json()
    for (const [action, body] of [['accept', {}], ['resolve', { note: '已经补上井盖' }]] as const) {
      expect((await t.app.inject({ method: 'POST', url: `/api/villages/${zhangjia}/reports/${done.id}/${action}`, headers: auth(committee), payload: body })).statusCode).toBe(200)
    }
    const all = (await get('requests.json?jurisdiction_id=zhangjia')).json() as { service_request_id: string; status: string; status_notes: string }[]
    const ids = all.map((r) => r.service_request_id)
    expect(ids).toContain(String(anonymous.id))
    expect(ids).not.toContain(String(hidden.id))
    expect(JSON.stringify(all)).not.toContain('张秀兰')
    expect(all.find((r) => r.service_request_id === String(done.id))).toMatchObject({ status: 'closed', status_notes: '已经补上井盖' })
    const open = (await get('requests.json?jurisdiction_id=zhangjia&status=open')).json()
    expect(open.length).toBeGreaterThan(0)
    expect(open.every((r: { status: string }) => r.status === 'open')).toBe(true)
    const lights = (await get(`requests.json?jurisdiction_id=zhangjia&service_code=${encodeURIComponent('设施损坏')}`)).json()
    expect(lights.length).toBeGreaterThan(0)
    expect(lights.every((r: { service_code: string }) => r.service_code === '设施损坏')).toBe(true)
    const first = (await get('requests.json?jurisdiction_id=zhangjia&page_size=2&page=1')).json()
    const second = (await get('requests.json?jurisdiction_id=zhangjia&page_size=2&page=2')).json()
    expect(first).toHaveLength(2)
    expect(second.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(first[0].service_request_id)
    const future = (await get('requests.json?jurisdiction_id=zhangjia&start_date=2030-01-01T00:00:00Z&end_date=2030-02-01T00:00:00Z')).json()
    expect(future).toEqual([])
    expect((await get(`requests/${hidden.id}.json?jurisdiction_id=zhangjia`)).statusCode).toBe(404)
  })
})
