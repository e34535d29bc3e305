import { readFileSync } from 'node:fs'
import { Ajv, type AnySchema } from 'ajv'
import addFormats from 'ajv-formats'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  makeReport,
  startWithVillages,
  masked,
  nextKey,
  uploadPhoto,
  type Village,
} from '../../testing/factories.js'
import { PHONE_NUMBER, type TestContext } from '../../testing/harness.js'

let t: TestContext
let v: Village
let other: Village
let apiKey: string

beforeAll(async () => {
  ;[t, v, other] = await startWithVillages(2, { env: { REPORT_LIMIT_PER_MINUTE: '1000' } })
  const made = await as(t, 'committee').post(`/api/villages/${v.id}/open311/keys`, { label: '县 12345 热线' })
  expect(made.statusCode).toBe(201)
  apiKey = made.json().key
})
afterAll(() => t.close())

const get = (path: string) => as(t, 'anon').get(`/open311/v2/${path}`)
const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
})
/** Posts a request through Open311, form-encoded as the spec has it. */
const postForm = (url: string, fields: Record<string, string>) => t.app.inject({ method: 'POST', url, ...form(fields) })
const fileReport = (body: object) =>
  as(t, 'resident').post(`/api/villages/${v.id}/reports`, {
    category: '设施损坏',
    description: '路灯不亮',
    idempotencyKey: nextKey(),
    ...body,
  })
/** A report the resident files and the committee resolves: closed, to Open311. */
const resolvedReport = async (description: string) =>
  makeReport(t, v, 'resolved', { category: '设施损坏', description })
/** The note the committee resolves a factory report with. */
const RESOLVED_NOTE = '已经清理干净'

describe('Open311 GeoReport v2', () => {
  it('discovery and services, in JSON and XML', async () => {
    const discovery = await get('discovery.json')
    expect(discovery.statusCode).toBe(200)
    expect(discovery.json().endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      formats: ['application/json', 'text/xml'],
    })
    const services = (await get(`services.json?jurisdiction_id=${v.code}`)).json()
    expect(services.map((s: { service_code: string }) => s.service_code)).toEqual([
      '环境卫生',
      '设施损坏',
      '治安隐患',
      '矛盾纠纷',
      '民生诉求',
      '文明劝导',
      '其他',
    ])
    const xml = await get(`services.xml?jurisdiction_id=${v.code}`)
    expect(xml.headers['content-type']).toContain('text/xml')
    const parsed = new XMLParser().parse(xml.body)
    expect(parsed.services.service).toHaveLength(7)
    expect(parsed.services.service[0].service_code).toBe('环境卫生')
    const definition = await get(`services/${encodeURIComponent('设施损坏')}.json?jurisdiction_id=${v.code}`)
    expect(definition.json()).toEqual({ service_code: '设施损坏', attributes: [] })
  })

  it('creates a request with the village’s api_key (form-encoded), readable by id and by token', async () => {
    const res = await postForm('/open311/v2/requests.json', {
      jurisdiction_id: v.code,
      api_key: apiKey,
      service_code: '环境卫生',
      description: '河边有人倒建筑垃圾',
      lat: '30.25',
      long: '120.16',
      address_string: '村里的河边',
    })
    expect(res.statusCode).toBe(201)
    const [{ service_request_id: id, token }] = res.json()
    const one = (await get(`requests/${id}.json?jurisdiction_id=${v.code}`)).json()
    expect(one).toEqual([
      expect.objectContaining({
        service_request_id: id,
        status: 'open',
        service_code: '环境卫生',
        description: '河边有人倒建筑垃圾',
        address: '村里的河边',
        lat: 30.25,
        long: 120.16,
      }),
    ])
    expect((await get(`tokens/${token}.json?jurisdiction_id=${v.code}`)).json()).toEqual([
      { service_request_id: id, token },
    ])
    // The committee sees it in its queue.
    const queue = (await as(t, 'committee').get(`/api/villages/${v.id}/reports/queue?queue=all`)).json()
    expect(queue.map((r: { id: number }) => String(r.id))).toContain(id)
  })

  it('errors are the spec’s list, with 400, 403 and 404, in either format', async () => {
    const noKey = await postForm('/open311/v2/requests.json', {
      jurisdiction_id: v.code,
      service_code: '环境卫生',
      description: 'x',
      address_string: 'y',
    })
    expect(noKey.statusCode).toBe(403)
    expect(noKey.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }])
    const wrongVillage = await postForm('/open311/v2/requests.json', {
      jurisdiction_id: other.code,
      api_key: apiKey,
      service_code: '环境卫生',
      description: 'x',
      address_string: 'y',
    })
    expect(wrongVillage.statusCode).toBe(403)
    const badService = await postForm('/open311/v2/requests.xml', {
      jurisdiction_id: v.code,
      api_key: apiKey,
      service_code: '外星人',
      description: 'x',
      address_string: 'y',
    })
    expect(badService.statusCode).toBe(400)
    expect(new XMLParser().parse(badService.body).errors.error.code).toBe(400)
    expect((await get('requests.json')).json()).toEqual([
      { code: 400, description: expect.stringContaining('jurisdiction_id') },
    ])
    expect((await get('requests.json?jurisdiction_id=nowhere')).statusCode).toBe(404)
    expect((await get(`requests/999999.json?jurisdiction_id=${v.code}`)).statusCode).toBe(404)
    expect((await get(`requests.json?jurisdiction_id=${v.code}&status=maybe`)).statusCode).toBe(400)
    expect((await get(`requests.csv?jurisdiction_id=${v.code}`)).statusCode).toBe(404)
    const revoked = await as(t, 'committee').post(`/api/villages/${v.id}/open311/keys/1/revoke`)
    expect(revoked.json()[0].revoked).toBe(true)
    const after = await postForm('/open311/v2/requests.json', {
      jurisdiction_id: v.code,
      api_key: apiKey,
      service_code: '环境卫生',
      description: 'x',
      address_string: 'y',
    })
    expect(after.statusCode).toBe(403)
    const again = await as(t, 'committee').post(`/api/villages/${v.id}/open311/keys`, { label: '新密钥' })
    apiKey = again.json().key
    expect((await as(t, 'resident').post(`/api/villages/${v.id}/open311/keys`, { label: 'x' })).statusCode).toBe(403)
  })

  it('lists public requests only, never names a reporter, maps statuses, filters and pages', async () => {
    const anonymous = (await fileReport({ anonymous: true, description: '有人偷电动车' })).json()
    const hidden = (await fileReport({ public: false, description: '私下反映的事' })).json()
    const done = await resolvedReport('井盖丢了')
    const all = (await get(`requests.json?jurisdiction_id=${v.code}`)).json() as {
      service_request_id: string
      status: string
      status_notes: string
    }[]
    const ids = all.map((r) => r.service_request_id)
    expect(ids).toContain(String(anonymous.id))
    expect(ids).not.toContain(String(hidden.id))
    expect(JSON.stringify(all)).not.toContain(v.resident.name)
    expect(all.find((r) => r.service_request_id === String(done.id))).toMatchObject({
      status: 'closed',
      status_notes: RESOLVED_NOTE,
    })
    const open = (await get(`requests.json?jurisdiction_id=${v.code}&status=open`)).json()
    expect(open.length).toBeGreaterThan(0)
    expect(open.every((r: { status: string }) => r.status === 'open')).toBe(true)
    const lights = (
      await get(`requests.json?jurisdiction_id=${v.code}&service_code=${encodeURIComponent('设施损坏')}`)
    ).json()
    expect(lights.length).toBeGreaterThan(0)
    expect(lights.every((r: { service_code: string }) => r.service_code === '设施损坏')).toBe(true)
    const first = (await get(`requests.json?jurisdiction_id=${v.code}&page_size=2&page=1`)).json()
    const second = (await get(`requests.json?jurisdiction_id=${v.code}&page_size=2&page=2`)).json()
    expect(first).toHaveLength(2)
    expect(second.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(
      first[0].service_request_id,
    )
    const future = (
      await get(`requests.json?jurisdiction_id=${v.code}&start_date=2030-01-01T00:00:00Z&end_date=2030-02-01T00:00:00Z`)
    ).json()
    expect(future).toEqual([])
    expect((await get(`requests/${hidden.id}.json?jurisdiction_id=${v.code}`)).statusCode).toBe(404)
  })
})

/*
 * The published GeoReport v2 schemas (schemas/README.md): every answer is checked against them in JSON,
 * and in XML through the same schemas turned to XML's terms (text values; an empty element for null; a
 * list as a wrapper element with one element per entry). Beyond the schemas: each item is an object
 * with only published fields (nothing about a reporter can ride along), and the XML carries what the
 * JSON does.
 */
type Schema = Record<string, unknown>
const load = (name: string): Schema => JSON.parse(readFileSync(new URL(`./schemas/${name}`, import.meta.url), 'utf8'))
const swagger = load('swagger.json') as { definitions: Record<string, Schema> }
const published: Record<string, Schema> = { 'request.json': load('request.json'), 'service.json': load('service.json') }
const SCHEMAS = {
  discovery: load('discovery.json'),
  services: load('services.json'),
  service_definition: load('service-definition.json'),
  requests: load('requests.json'),
  created: { type: 'array', items: swagger.definitions.RequestResponse },
  tokens: { type: 'array', items: swagger.definitions.TokenResponse },
  errors: load('errors.json'),
}
type Kind = keyof typeof SCHEMAS
/** The XML root of each answer, and for a list the element of each entry. */
const XML_SHAPE: Record<Kind, [string, string?]> = {
  discovery: ['discovery'],
  services: ['services', 'service'],
  service_definition: ['service_definition'],
  requests: ['service_requests', 'request'],
  created: ['service_requests', 'request'],
  tokens: ['service_requests', 'request'],
  errors: ['errors', 'error'],
}
const LIST_ENTRY: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
}

/** The same schema for XML's text: numbers and booleans as their text, null as an empty element, lists wrapped. */
function xmlSchema(schema: Schema, name?: string): Schema {
  if (typeof schema.$ref === 'string') return xmlSchema(published[schema.$ref]!, name)
  if (Array.isArray(schema.anyOf)) return { anyOf: (schema.anyOf as Schema[]).map((s) => xmlSchema(s, name)) }
  const { type, description: _, ...rest } = schema
  if (type === 'null') return { const: '' }
  if (type === 'number') return { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' }
  if (type === 'integer') return { type: 'string', pattern: '^-?\\d+$' }
  if (type === 'boolean') return { type: 'string', enum: ['true', 'false'] }
  if (type === 'array') {
    const entry = LIST_ENTRY[name!]!
    const wrapped = {
      type: 'object',
      required: [entry],
      additionalProperties: false,
      properties: { [entry]: { type: 'array', items: xmlSchema(schema.items as Schema) } },
    }
    return schema.minItems ? wrapped : { anyOf: [{ const: '' }, wrapped] }
  }
  if (schema.properties) {
    const properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, Schema>).map(([k, s]) => [k, xmlSchema(s, k)]),
    )
    return { ...rest, type: 'object', properties }
  }
  return schema
}
/** An answer's items (a list's entries, or the one object) and the fields the schema publishes for them. */
function itemSchema(schema: Schema): Schema {
  const items = (schema.type === 'array' || schema.items ? schema.items : schema) as Schema
  return typeof items.$ref === 'string' ? published[items.$ref]! : items
}

const ajv = new Ajv({ strict: false, allErrors: true })
addFormats(ajv)
// swagger.json's own format for ids, which it does not define: an id that is not empty.
ajv.addFormat('uid', /\S/)
for (const [name, schema] of Object.entries(published)) ajv.addSchema(schema, name)
const validate = Object.fromEntries(
  Object.entries(SCHEMAS).map(([kind, schema]) => {
    const top =
      schema.type === 'array' ? { type: 'array', items: xmlSchema(schema.items as Schema) } : xmlSchema(schema)
    return [kind, { json: ajv.compile(schema as AnySchema), xml: ajv.compile(top as AnySchema) }]
  }),
) as Record<Kind, { json: ReturnType<Ajv['compile']>; xml: ReturnType<Ajv['compile']> }>

function expectValid(kind: Kind, format: 'json' | 'xml', body: unknown, what: string) {
  const check = validate[kind][format]
  expect(
    check(body),
    `${what} (${format}) against the ${kind} schema: ${ajv.errorsText(check.errors)}\n${JSON.stringify(body)}`,
  ).toBe(true)
  const fields = Object.keys(itemSchema(SCHEMAS[kind]).properties as object)
  for (const item of Array.isArray(body) ? body : [body]) {
    expect(typeof item === 'object' && item !== null, `${what} (${format}): an item is not an object`).toBe(true)
    expect(
      Object.keys(item as object).filter((k) => !fields.includes(k)),
      `${what} (${format}): fields the schema does not publish`,
    ).toEqual([])
  }
}

/** JSON's values as XML's text. */
const asXmlText = (value: unknown, name?: string): unknown => {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.length === 0 ? '' : { [LIST_ENTRY[name!]!]: value.map((v) => asXmlText(v)) }
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asXmlText(v, k)]))
  return String(value)
}

function parseXml(kind: Kind, text: string): unknown {
  const [root, item] = XML_SHAPE[kind]
  const parsed = new XMLParser({
    parseTagValue: false,
    ignoreDeclaration: true,
    isArray: (tag, path) => path === `${root}.${item}` || Object.values(LIST_ENTRY).includes(tag),
  }).parse(text) as Record<string, unknown>
  expect(Object.keys(parsed), text).toEqual([root])
  if (!item) return parsed[root]
  const list = parsed[root]
  return list === '' ? [] : (list as Record<string, unknown>)[item]
}

/** Every answer body seen, JSON and XML, for the anonymity check at the end. */
const answers: string[] = []

/**
 * One request in JSON and the same in XML: same status, both valid, and (unless each call makes a new
 * record) the same content. Returns the JSON answer.
 */
async function checked(
  kind: Kind,
  method: 'GET' | 'POST',
  url: string,
  opts: { status?: number; form?: Record<string, string>; same?: boolean } = {},
) {
  const send = (u: string) => t.app.inject({ method, url: u, ...(opts.form ? form(opts.form) : {}) })
  const json = await send(url)
  expect(json.statusCode, `${url}: ${json.body}`).toBe(opts.status ?? 200)
  expect(json.headers['content-type']).toContain('application/json')
  expectValid(kind, 'json', json.json(), url)
  const xmlUrl = url.replace('.json', '.xml')
  const xml = await send(xmlUrl)
  expect(xml.statusCode, `${xmlUrl}: ${xml.body}`).toBe(json.statusCode)
  expect(xml.headers['content-type']).toContain('text/xml; charset=utf-8')
  expect(xml.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true)
  const parsed = parseXml(kind, xml.body)
  expectValid(kind, 'xml', parsed, xmlUrl)
  const body: unknown = json.json()
  if (opts.same !== false)
    expect(parsed, xmlUrl).toEqual(Array.isArray(body) ? body.map((item) => asXmlText(item)) : asXmlText(body))
  answers.push(json.body, xml.body)
  // Read field by field by the test; the schemas above already checked its shape.
  return body as any
}

describe('Open311 answers against the published GeoReport v2 schemas', () => {
  it('every answer, in JSON and XML: discovery, services, definitions, create, lists, one, tokens and errors', async () => {
    const j = `jurisdiction_id=${v.code}`
    await checked('discovery', 'GET', '/open311/v2/discovery.json')
    const services = await checked('services', 'GET', `/open311/v2/services.json?${j}`)
    expect(services).toHaveLength(7)
    await checked('service_definition', 'GET', `/open311/v2/services/${encodeURIComponent('设施损坏')}.json?${j}`)

    // Created through Open311: with a position and an address; with an address only.
    const created = await checked('created', 'POST', '/open311/v2/requests.json', {
      status: 201,
      same: false,
      form: {
        jurisdiction_id: v.code,
        api_key: apiKey,
        service_code: '环境卫生',
        description: '桥下有人倒垃圾',
        lat: '30.25',
        long: '120.16',
        address_string: '村里的桥下',
      },
    })
    const addressOnly = await checked('created', 'POST', '/open311/v2/requests.json', {
      status: 201,
      same: false,
      form: {
        jurisdiction_id: v.code,
        api_key: apiKey,
        service_code: '设施损坏',
        description: '村道有个坑',
        address_string: '村里的村道',
      },
    })
    // Filed in the app: with a photo, without, anonymous, closed, and a private one that is never listed.
    const photo = await uploadPhoto(t, v.id, 'resident')
    const withPhoto = (
      await fileReport({
        description: '垃圾桶满了',
        photos: [photo],
        location: { latitude: 30.2, longitude: 120.1 },
      })
    ).json()
    const withoutPhoto = (await fileReport({ description: '路灯不亮了' })).json()
    const anonymous = (await fileReport({ anonymous: true, description: '有人在河里电鱼' })).json()
    const closed = await resolvedReport('水管漏水')
    const hidden = (await fileReport({ public: false, description: '私下说的事' })).json()

    const all = await checked('requests', 'GET', `/open311/v2/requests.json?${j}`)
    const byId = (id: number | string) =>
      all.find((r: { service_request_id: string }) => r.service_request_id === String(id))
    expect(byId(hidden.id)).toBeUndefined()
    expect(byId(withoutPhoto.id).media_url).toBeNull()
    expect(byId(withPhoto.id).media_url).toMatch(/^http:\/\/.+\/files\/[0-9a-f]{64}\.jpg$/)
    expect((await as(t, 'anon').get(new URL(byId(withPhoto.id).media_url).pathname)).statusCode).toBe(200)
    expect(byId(addressOnly[0].service_request_id)).toMatchObject({ lat: null, long: null, address: '村里的村道' })
    expect(byId(created[0].service_request_id)).toMatchObject({ lat: 30.25, long: 120.16 })
    expect(byId(closed.id)).toMatchObject({ status: 'closed', status_notes: RESOLVED_NOTE })
    expect(byId(withoutPhoto.id)).toMatchObject({ status: 'open', status_notes: null })
    for (const r of all) expect(Date.parse(r.updated_datetime)).toBeGreaterThanOrEqual(Date.parse(r.requested_datetime))

    for (const filter of [
      'status=open',
      'status=closed',
      'status=open,closed',
      `service_code=${encodeURIComponent('设施损坏,环境卫生')}`,
      'page=1&page_size=2',
      'page=2&page_size=2',
      'page=999',
      'start_date=2030-01-01T00:00:00Z&end_date=2030-02-01T00:00:00Z',
      `service_request_id=${withPhoto.id},${closed.id},${hidden.id}`,
    ]) {
      await checked('requests', 'GET', `/open311/v2/requests.json?${j}&${filter}`)
    }
    for (const id of [
      withPhoto.id,
      withoutPhoto.id,
      anonymous.id,
      closed.id,
      created[0].service_request_id,
      addressOnly[0].service_request_id,
    ]) {
      const one = await checked('requests', 'GET', `/open311/v2/requests/${id}.json?${j}`)
      expect(one).toEqual([byId(id)])
    }
    expect(await checked('tokens', 'GET', `/open311/v2/tokens/${created[0].token}.json?${j}`)).toEqual([
      { service_request_id: created[0].service_request_id, token: created[0].token },
    ])

    // Errors: 400, 403 and 404, each as the spec's list.
    await checked('errors', 'GET', '/open311/v2/requests.json', { status: 400 })
    await checked('errors', 'GET', `/open311/v2/requests.json?${j}&status=maybe`, { status: 400 })
    await checked('errors', 'GET', '/open311/v2/services.json?jurisdiction_id=nowhere', { status: 404 })
    await checked('errors', 'GET', `/open311/v2/requests/${hidden.id}.json?${j}`, { status: 404 })
    await checked('errors', 'GET', `/open311/v2/tokens/nosuchtoken.json?${j}`, { status: 404 })
    await checked('errors', 'GET', `/open311/v2/services/${encodeURIComponent('外星人')}.json?${j}`, { status: 404 })
    await checked('errors', 'POST', '/open311/v2/requests.json', {
      status: 403,
      form: { jurisdiction_id: v.code, service_code: '环境卫生', description: 'x', address_string: 'y' },
    })
    await checked('errors', 'POST', '/open311/v2/requests.json', {
      status: 400,
      form: { jurisdiction_id: v.code, api_key: apiKey, service_code: '环境卫生', description: 'x', lat: '30' },
    })
    const badFormat = await get(`requests.csv?${j}`)
    expect(badFormat.statusCode).toBe(404)
    expectValid('errors', 'json', badFormat.json(), 'requests.csv')

    // Anonymity: no answer names the anonymous reporter (or the resident who filed the others), by
    // name, openid or phone; the published fields alone were allowed through (expectValid).
    const text = answers.join('\n')
    expect(byId(anonymous.id)).toBeDefined()
    for (const secret of [v.resident.name, masked(v.resident.name), v.resident.openid])
      expect(text).not.toContain(secret)
    expect(text).not.toMatch(PHONE_NUMBER)
  })
})
