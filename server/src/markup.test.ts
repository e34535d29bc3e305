import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, multipartFile, startDemo, type TestContext } from './testing/harness.js'
import { calledSoon } from './testing/factories.js'

/**
 * Stored markup is data, never markup: what a villager types as `<script>` or `<img onerror>` is kept
 * and answered verbatim as a JSON string (the H5 and mini-program clients render text nodes), every
 * answer says what it is (`application/json`) with `nosniff` and a CSP that allows no inline script,
 * and the one XML the server writes (Open311) escapes it. (That a browser shows it as text is the
 * client's end-to-end test.)
 */
let t: TestContext
let zhangjia: number
let as: Record<'committee' | 'resident', string>
const SCRIPT = '<script>alert(1)</script>'
const IMG = '<img src=x onerror=alert(1)>'
const MIXED = `"></textarea>${SCRIPT}${IMG}<svg onload=alert(1)>&lt;&amp;'`

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['committee', 'resident'], { env: { REPORT_LIMIT_PER_MINUTE: '1000' } }))
})
afterAll(() => t?.close())

const v = (path: string) => `/api/villages/${zhangjia}${path}`
const call = (method: 'GET' | 'POST' | 'PUT', url: string, token?: string, payload?: object) =>
  t.app.inject({ method, url, headers: token ? auth(token) : {}, ...(payload ? { payload } : {}) })

function expectSafeHeaders(res: Awaited<ReturnType<typeof call>>, type: RegExp) {
  expect(String(res.headers['content-type'])).toMatch(type)
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  const csp = String(res.headers['content-security-policy'])
  expect(csp).toContain("default-src 'self'")
  // 'self' and, when the H5 app is built beside the server, the hash of its one inline script
  // (h5-files.test.ts): never any other inline script.
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))
  expect(scriptSrc?.trim()).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')?$/)
  expect(csp).toContain("object-src 'none'")
}

describe('stored markup', () => {
  it('is stored and answered verbatim, as JSON strings, with nosniff and a CSP without inline script', async () => {
    const report = await call('POST', v('/reports'), as.resident, {
      category: '环境卫生',
      description: MIXED,
      idempotencyKey: 'markup-report-1',
      location: { latitude: 39.9, longitude: 116.4, address: IMG },
    })
    expect(report.statusCode, report.body).toBe(201)
    const topic = await call('POST', v('/topics'), as.resident, { title: SCRIPT, description: MIXED })
    expect(topic.statusCode, topic.body).toBe(201)
    const meeting = await call('POST', v('/meetings'), as.committee, {
      kind: 'villager_meeting',
      title: IMG,
      place: SCRIPT,
      ...calledSoon(),
      online: true,
      agenda: [{ title: SCRIPT, description: MIXED, vote: { question: IMG, secret: false } }],
    })
    expect(meeting.statusCode, meeting.body).toBe(201)
    const m = meeting.json()
    expect((await call('POST', v(`/meetings/${m.id}/announce`), as.committee)).statusCode).toBe(200)
    const comment = await call('POST', v(`/meetings/${m.id}/agenda/${m.agenda[0].id}/comments`), as.resident, {
      body: MIXED,
    })
    expect(comment.statusCode, comment.body).toBe(201)

    // The database holds exactly what was typed: no escaping on the way in.
    const [stored] = await t.rows<{ description: string; address: string }>('reports')
    expect(stored).toMatchObject({ description: MIXED, address: IMG })
    expect((await t.rows<{ body: string }>('agenda_comments'))[0]!.body).toBe(MIXED)

    const pages: [string, (body: any) => unknown[]][] = [
      [v(`/reports/${report.json().id}`), (b) => [b.description, b.address]],
      [v('/reports'), (b) => [b.items[0].description]],
      [v(`/topics/${topic.json().id}`), (b) => [b.title, b.description]],
      [
        v(`/meetings/${m.id}`),
        (b) => [b.title, b.place, b.agenda[0].title, b.agenda[0].description, b.agenda[0].vote.question],
      ],
      [v(`/meetings/${m.id}/comments`), (b) => [b[0].body]],
    ]
    for (const [url, fields] of pages) {
      const res = await call('GET', url, as.resident)
      expect(res.statusCode, url).toBe(200)
      expectSafeHeaders(res, /^application\/json; charset=utf-8$/)
      // Verbatim: the same characters come back, not HTML entities, inside JSON strings.
      const values = fields(res.json())
      expect(values.length, url).toBeGreaterThan(0)
      for (const value of values) expect([SCRIPT, IMG, MIXED], url).toContain(value)
      expect(res.body).not.toContain('&lt;script')
      expect(res.body).toContain(JSON.stringify(SCRIPT).slice(1, -1))
    }
  })

  it('refusals, URLs the router cannot read and photo files answer with the same headers', async () => {
    const refused = await call('POST', v('/topics'), as.resident, { title: SCRIPT })
    expect(refused.statusCode).toBe(400)
    expectSafeHeaders(refused, /^application\/json/)
    const missing = await call('GET', `/nowhere/${encodeURIComponent(SCRIPT)}`)
    expect(missing.statusCode).toBe(404)
    expectSafeHeaders(missing, /^application\/json/)
    // The error does not echo the path back.
    expect(missing.body).not.toContain('script')
    const unauthenticated = await call('GET', v('/reports'))
    expectSafeHeaders(unauthenticated, /^application\/json/)
    // URLs the router cannot read: a path parameter over 100 characters, broken percent-encoding.
    // (POST: a GET that the router cannot match falls through to the H5 files' wildcard, a 404.)
    for (const [url, status] of [
      [`/api/villages/${'a'.repeat(5000)}/reports`, 414],
      [v('/reports/%ED%A0%80/accept'), 400],
    ] as const) {
      const res = await call('POST', url, as.resident, {})
      expect(res.statusCode, url.slice(0, 60)).toBe(status)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
      expect(res.body).not.toContain('aaaa')
      expectSafeHeaders(res, /^application\/json/)
    }
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
      .png()
      .toBuffer()
    const upload = multipartFile('file', `${SCRIPT}.png`, png)
    const photo = await t.app.inject({
      method: 'POST',
      url: v('/photos'),
      headers: { ...auth(as.resident), ...upload.headers },
      payload: upload.payload,
    })
    expect(photo.statusCode).toBe(201)
    expectSafeHeaders(await call('GET', photo.json().url), /^image\/jpeg$/)
  })

  it('is escaped in the Open311 XML, and kept verbatim in its JSON', async () => {
    const key = (await call('POST', v('/open311/keys'), as.committee, { label: '城管平台' })).json().key as string
    const form = new URLSearchParams({
      jurisdiction_id: 'zhangjia',
      api_key: key,
      service_code: '环境卫生',
      description: MIXED,
      address_string: IMG,
    }).toString()
    const created = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json()[0].service_request_id
    const xml = await call('GET', `/open311/v2/requests/${id}.xml?jurisdiction_id=zhangjia`)
    expect(xml.statusCode).toBe(200)
    expectSafeHeaders(xml, /^text\/xml/)
    expect(xml.body).not.toContain('<script>')
    expect(xml.body).not.toContain('<img')
    expect(xml.body).toContain('&lt;script&gt;')
    const json = await call('GET', `/open311/v2/requests/${id}.json?jurisdiction_id=zhangjia`)
    expectSafeHeaders(json, /^application\/json/)
    expect(json.json()[0].description).toBe(MIXED)
  })
})
