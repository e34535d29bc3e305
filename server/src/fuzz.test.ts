import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import sharp from 'sharp'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, multipartFile, startTestContext, type TestContext } from './testing/harness.js'
import {
  HUGE,
  OVERFLOWING_JSON,
  OVERFLOWING_TEXT,
  anyValue,
  asText,
  invalid,
  toJson,
  valid,
  type Hints,
  type JsonSchema,
} from './testing/schema-arbitrary.js'
import { calledNow, calledSoon } from './testing/factories.js'

/**
 * Hostile input, generated from the contracts: every route the OpenAPI document lists, every method,
 * called with fast-check values built from its JSON schemas (params, querystring, body) — valid but odd
 * (boundary lengths and numbers, emoji, combining marks, RTL, zero-width, full-width digits) and invalid
 * (wrong types, 100 KB strings, bad numbers (1e400 and 400 nines as bare JSON; Infinity, NaN, past 2^53,
 * hex and spaced as text), NUL and lone surrogates, extra and missing fields, SQL and markup, broken
 * JSON and multipart) — as the committee, a resident, a grid worker, the town, nobody and
 * forged tokens, with real ids in the path most of the time. Every answer is below 500, every 4xx is in
 * the one error shape with a Chinese message (Open311's in its spec's), and nothing echoes a stack trace
 * or SQL. Deterministic: a fixed seed (FUZZ_SEED replays another; times "near now" follow the clock),
 * FUZZ_RUNS sets the cases per route. A failure names the route, its seed, the input and the answer.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122)
const RUNS = Number(process.env.FUZZ_RUNS ?? 50)

let t: TestContext
let zhangjia: number
let heping: number
let committeeId: number
const tokens: Record<string, string> = {}
const throwaway: string[] = []
const known: Record<string, unknown[]> = {}

interface Param {
  in: 'path' | 'query'
  name: string
  required?: boolean
  schema: JsonSchema
}
interface Operation {
  method: string
  path: string
  params?: Param[]
  requestBody?: { content: Record<string, { schema?: JsonSchema }> }
  security?: unknown[]
}
interface Case {
  who: string
  path: Record<string, string>
  query: [string, string][]
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; type: string; text: string } | { kind: 'none' }
}

const LIMITS = Object.fromEntries(
  [
    'RATE_LIMIT',
    'REPORT_LIMIT',
    'REPORT_IP_LIMIT',
    'LOGIN_LIMIT',
    'LOGIN_IP_LIMIT',
    'COMMENT_LIMIT',
    'COMMENT_IP_LIMIT',
    'TOPIC_LIMIT',
    'TOPIC_IP_LIMIT',
    'UPLOAD_LIMIT',
    'UPLOAD_IP_LIMIT',
  ].map((k) => [`${k}_PER_MINUTE`, '100000000']),
)

/** An HS256 token the server did not sign (another secret), for the committee's user id. */
function foreignToken(sub: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, typ: 'access', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })}`
  return `${body}.${createHmac('sha256', 'not-the-servers-secret').update(body).digest('base64url')}`
}

const call = (method: string, url: string, token?: string, payload?: object) =>
  t.app.inject({ method: method as 'GET', url, headers: token ? auth(token) : {}, ...(payload ? { payload } : {}) })
async function ok(method: string, path: string, token: string, payload?: object) {
  const res = await call(
    method,
    `/api/villages/${zhangjia}${path}`,
    token,
    payload ?? (method === 'GET' ? undefined : {}),
  )
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`)
  return res.json()
}

beforeAll(async () => {
  t = await startTestContext({ env: LIMITS })
  zhangjia = await t.villageId('zhangjia')
  heping = await t.villageId('heping')
  const who = {
    committee: 'demo-zhangjia-committee',
    resident: 'demo-zhangjia-resident',
    grid: 'demo-zhangjia-grid',
    town: 'demo-town-admin',
    volunteer: 'demo-zhangjia-volunteer',
  }
  for (const [k, openid] of Object.entries(who)) tokens[k] = await t.login(openid)
  // Their own callers for the routes that end them: 0-3 delete their account, 4-7 sign out.
  for (let i = 0; i < 8; i++) throwaway.push(await t.login(`fuzz-throwaway-${i}`))
  const refresh = await t.app.inject({
    method: 'POST',
    url: '/api/auth/wechat',
    payload: { code: t.wechat.issueCode(who.committee) },
  })
  committeeId = refresh.json().userId
  tokens.refresh = refresh.json().refreshToken
  tokens.foreign = foreignToken(String(committeeId))
  // Signed with the server's own secret, naming no row: a subject or session that is not an id.
  const { sid } = t.app.jwt.decode<{ sid: string }>(tokens.committee!)!
  tokens.badSubject = t.app.jwt.sign({ sub: '1e400', sid, typ: 'access' } as never)
  tokens.badSession = t.app.jwt.sign({ sub: String(committeeId), sid: '99999999999999999999', typ: 'access' } as never)
  tokens.none = ''

  // The village at work, with odd and hostile text in it, so every page has something to show.
  const odd = `<img src=x onerror=alert(1)>👨‍👩‍👧‍👦\u202Egnirts\u202C<script>alert(1)</script>`
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 120, b: 60 } } })
    .png()
    .toBuffer()
  const upload = multipartFile('file', 'a.png', png)
  const photo = (
    await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/photos`,
      headers: { ...auth(tokens.resident!), ...upload.headers },
      payload: upload.payload,
    })
  ).json()
  const report = await ok('POST', '/reports', tokens.resident!, {
    category: '环境卫生',
    description: odd,
    idempotencyKey: 'fuzz-report-1',
    photos: [photo.key],
    location: { latitude: 39.9, longitude: 116.4, address: odd },
  })
  await ok('POST', '/reports', tokens.volunteer!, {
    category: '设施损坏',
    description: '路灯坏了',
    anonymous: true,
    idempotencyKey: 'fuzz-report-2',
  })
  await ok('POST', `/reports/${report.id}/accept`, tokens.committee!, { note: odd })
  await ok('POST', '/points/rules', tokens.committee!, {
    code: 'fuzz',
    name: odd.slice(0, 20),
    kind: 'earn',
    points: 5,
  })
  const persons = await t.rows<{ id: number; name: string; village_id: number }>('persons')
  const neighbour = persons.find((p) => p.village_id === zhangjia && p.name === '孙福来')!
  await ok('POST', '/points/awards', tokens.committee!, {
    personId: neighbour.id,
    ruleCode: 'fuzz',
    reason: odd,
    idempotencyKey: 'fuzz-award-1',
  })
  await ok('POST', '/shop/items', tokens.committee!, { name: odd.slice(0, 30), cost: 1, stock: 100 })
  const topic = await ok('POST', '/topics', tokens.resident!, { title: odd.slice(0, 30), description: odd })
  await ok('POST', '/matters', tokens.committee!, { title: odd.slice(0, 30), description: odd })
  await ok('POST', '/petitions', tokens.resident!, { kind: 'villager_meeting', title: odd.slice(0, 30), reason: odd })
  await ok('POST', '/services', tokens.resident!, {
    kind: 'offer',
    title: odd.slice(0, 30),
    description: odd,
    points: 3,
  })
  const day = 24 * 3600_000
  await ok('POST', '/activities', tokens.committee!, {
    title: odd.slice(0, 30),
    description: odd,
    place: odd.slice(0, 30),
    startsAt: new Date(Date.now() + day).toISOString(),
    endsAt: new Date(Date.now() + day + 7200_000).toISOString(),
    capacity: 20,
    pointsMode: 'fixed',
    points: 5,
  })
  const meeting = (title: string, time = calledNow()) => ({
    kind: 'villager_meeting',
    title,
    place: odd.slice(0, 40),
    ...time,
    online: true,
    agenda: [{ title: odd.slice(0, 40), description: odd, vote: { question: odd.slice(0, 40), secret: false } }],
  })
  // One meeting closed with its vote counted (the notice, the public results), one open for comments and ballots.
  const closed = await ok('POST', '/meetings', tokens.committee!, meeting(`${odd.slice(0, 20)} 已散会`))
  await ok('POST', `/meetings/${closed.id}/announce`, tokens.committee!)
  const closedVote = closed.agenda[0].vote
  await ok('POST', `/votes/${closedVote.id}/open`, tokens.committee!)
  const receipt = await ok('POST', `/votes/${closedVote.id}/ballots`, tokens.resident!, {
    choices: [closedVote.options[0].id],
  })
  await ok('POST', `/votes/${closedVote.id}/close`, tokens.committee!)
  for (const step of ['start', 'close']) await ok('POST', `/meetings/${closed.id}/${step}`, tokens.committee!)
  await ok('PUT', `/meetings/${closed.id}/minutes`, tokens.committee!, { minutes: odd })
  const open = await ok('POST', '/meetings', tokens.committee!, meeting(odd.slice(0, 30), calledSoon()))
  await ok('POST', `/meetings/${open.id}/announce`, tokens.committee!)
  await ok('POST', `/meetings/${open.id}/agenda/${open.agenda[0].id}/comments`, tokens.resident!, { body: odd })
  await ok('POST', `/votes/${open.agenda[0].vote.id}/open`, tokens.committee!)
  const key = await ok('POST', '/open311/keys', tokens.committee!, { label: odd.slice(0, 30) })
  const members = await t.rows<{ id: number; real_name: string; village_id: number }>('memberships')
  const membershipOf = (name: string) => members.find((m) => m.real_name === name && m.village_id === zhangjia)!.id
  const tallies = { counterMembershipId: membershipOf('王建国'), scrutineerMembershipId: membershipOf('李梅') }
  await ok('POST', `/meetings/${open.id}/attendance`, tokens.committee!, { personId: neighbour.id })
  await ok('POST', `/votes/${open.agenda[0].vote.id}/offline`, tokens.committee!, {
    ...tallies,
    counts: [{ optionId: open.agenda[0].vote.options[0].id, count: 1 }],
  })

  Object.assign(known, {
    category: ['环境卫生', '设施损坏'],
    categories: [['环境卫生', odd.slice(0, 20)]],
    ruleCode: ['fuzz', 'walk'],
    photos: [[photo.key]],
    evidence: [[photo.key]],
    choices: [[open.agenda[0].vote.options[0].id], open.agenda[0].vote.options.map((o: { id: number }) => o.id)],
    optionId: open.agenda[0].vote.options.map((o: { id: number }) => o.id),
    counterMembershipId: [tallies.counterMembershipId],
    scrutineerMembershipId: [tallies.scrutineerMembershipId],
    personId: [neighbour.id],
    meetingId: [open.id, closed.id],
    intoTopicId: [topic.id],
    receipt: [receipt.receiptCode],
    apiKey: [key.key],
    token: ['nope'],
    confirm: ['注销'],
  })
})
afterAll(() => t?.close())

/** Ids that exist for each path parameter (both villages', so a cross-village id is tried too), read when the route's turn comes. */
async function realValues(path: string, name: string): Promise<unknown[]> {
  const ids = async (table: string, where = sql``) => {
    const [rows] = (await t.database.db.execute(
      sql`SELECT id FROM ${sql.identifier(table)} ${where} ORDER BY id DESC LIMIT 12`,
    )) as unknown as [{ id: number }[]]
    return rows.map((r) => r.id)
  }
  switch (name) {
    case 'villageId':
      return [zhangjia, zhangjia, zhangjia, heping]
    case 'townId':
      return ids('towns')
    case 'membershipId':
      return ids('memberships')
    case 'gridId':
      return ids('grids')
    case 'personId':
      return ids('persons')
    case 'householdId':
      return ids('households')
    case 'approvalId':
      return ids('point_approvals')
    case 'entryId':
      return ids('point_entries')
    case 'activityId':
      return ids('activities')
    case 'serviceId':
      return ids('neighbour_services')
    case 'orderId':
      return ids('shop_orders')
    case 'itemId':
      return path.includes('/agenda/') ? ids('agenda_items') : ids('shop_items')
    case 'reportId':
    case 'id':
      return ids('reports')
    case 'meetingId':
      return ids('meetings')
    case 'commentId':
      return ids('agenda_comments')
    case 'topicId':
      return ids('topics')
    case 'matterId':
      return ids('matters')
    case 'petitionId':
      return ids('petitions')
    case 'voteId':
      return ids('votes')
    case 'tallyId':
      return ids('offline_tallies')
    case 'keyId':
      return ids('open311_keys')
    case 'format':
      return ['json', 'xml', 'json']
    case 'name': {
      const [rows] = (await t.database.db.execute(sql`SELECT \`key\` FROM photos LIMIT 5`)) as unknown as [
        { key: string }[],
      ]
      return rows.flatMap((r) => [`${r.key}.jpg`, `${r.key}-thumb.jpg`])
    }
    case 'code':
      if (path.includes('/receipts/')) return known.receipt!
      if (path.includes('/rules/')) return ['fuzz', 'walk']
      return ['环境卫生', '设施损坏']
    case 'token':
      return ['nope']
    default:
      return []
  }
}

/** Real ids for body fields, by field name (the same names across the contracts). */
async function bodyPools(): Promise<Record<string, unknown[]>> {
  const ids = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as [{ id: number }[]])[0].map((r) => Number(r.id))
  const [persons, households, memberships, grids, items, users, reports, meetings, topics, options] = await Promise.all(
    [
      ids(sql`SELECT id FROM persons WHERE village_id = ${zhangjia} ORDER BY id LIMIT 30`),
      ids(sql`SELECT id FROM households WHERE village_id = ${zhangjia} ORDER BY id LIMIT 20`),
      ids(sql`SELECT id FROM memberships WHERE village_id = ${zhangjia} ORDER BY id`),
      ids(sql`SELECT id FROM grids WHERE village_id = ${zhangjia}`),
      ids(sql`SELECT id FROM shop_items ORDER BY id DESC LIMIT 10`),
      ids(sql`SELECT user_id AS id FROM memberships WHERE village_id = ${zhangjia}`),
      ids(sql`SELECT id FROM reports ORDER BY id DESC LIMIT 10`),
      ids(sql`SELECT id FROM meetings ORDER BY id DESC LIMIT 10`),
      ids(sql`SELECT id FROM topics ORDER BY id DESC LIMIT 10`),
      ids(sql`SELECT id FROM vote_options ORDER BY id DESC LIMIT 20`),
    ],
  )
  return {
    personId: persons,
    headPersonId: persons,
    onBehalfOf: persons,
    householdId: households,
    representedHouseholdIds: households,
    membershipIds: memberships,
    counterMembershipId: memberships,
    scrutineerMembershipId: memberships,
    gridId: grids,
    itemId: items,
    assigneeUserId: users,
    intoReportId: reports,
    meetingId: meetings,
    intoTopicId: topics,
    optionId: options,
    choices: options,
    villageId: [zhangjia, heping],
  }
}

/** What a path parameter should never be: not a number, out of range, SQL, markup, huge, encoded tricks. */
const BAD_PARAMS = [
  '0',
  '-1',
  '1.5',
  '2147483648',
  '4294967296',
  ...OVERFLOWING_TEXT,
  'null',
  '[]',
  "' OR 1=1 --",
  '1;DROP TABLE users',
  '<script>alert(1)</script>',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '\u200B1',
  '村'.repeat(500),
  'a'.repeat(5000),
]

/** Raw bodies no JSON parser should trip on into a 5xx. */
const RAW_BODIES: { type: string; text: string }[] = [
  { type: 'application/json', text: '{' },
  { type: 'application/json', text: '' },
  { type: 'application/json', text: 'null' },
  { type: 'application/json', text: '"just a string"' },
  { type: 'application/json', text: '[1,2,3]' },
  { type: 'application/json', text: '{"__proto__":{"isCommittee":true}}' },
  { type: 'application/json', text: '{"constructor":{"prototype":{"admin":true}}}' },
  { type: 'application/json', text: `${'['.repeat(20000)}${']'.repeat(20000)}` },
  { type: 'application/json', text: `{"a":"${'x'.repeat(1.1 * 1024 * 1024)}"}` },
  { type: 'application/json', text: '{"a":1,"a":2}' },
  { type: 'application/json; charset=utf-16', text: '{}' },
  { type: 'text/plain', text: "' OR 1=1 --" },
  { type: 'application/x-www-form-urlencoded', text: 'a=1&b=%3Cscript%3E' },
  {
    type: 'application/xml',
    text: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  },
  {
    type: 'multipart/form-data; boundary=x',
    text: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  },
  {
    type: 'multipart/form-data; boundary=x',
    text: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\u0003\u0004 cut off',
  },
  {
    type: 'multipart/form-data',
    text: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\u00ff\u00d8\u00ff\r\n--x--',
  },
]

/** Open311 names its inputs in the query and the form, outside our contracts: a schema for them here. */
const OPEN311_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    jurisdiction_id: { type: 'string', enum: ['zhangjia', 'heping'] },
    api_key: { type: 'string', minLength: 1, maxLength: 80 },
    service_code: { type: 'string', enum: ['环境卫生', '设施损坏'] },
    description: { type: 'string', minLength: 1, maxLength: 500 },
    lat: { type: 'number', minimum: 3, maximum: 54 },
    long: { type: 'number', minimum: 73, maximum: 136 },
    address_string: { type: 'string', maxLength: 300 },
    service_request_id: { type: 'string', pattern: '^[0-9]{1,3}(,[0-9]{1,3})*$' },
    status: { type: 'string', enum: ['open', 'closed', 'open,closed'] },
    start_date: { type: 'string', format: 'date-time' },
    end_date: { type: 'string', format: 'date-time' },
    page: { type: 'integer', minimum: 1, maximum: 10 },
    page_size: { type: 'integer', minimum: 1, maximum: 100 },
  },
}

/** Percent-encoding, lone surrogates included (as WTF-8 bytes: what no valid UTF-8 decoder accepts). */
function enc(s: string): string {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    out +=
      c >= 0xd800 && c <= 0xdfff
        ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('')
        : encodeURIComponent(ch)
  }
  return out
}

const text = asText

/** Routes that end their caller's account or sign-ins: called by throwaway users of their own. */
const ENDS_CALLER: Record<string, string[]> = {
  '/api/me/delete': ['throwaway0', 'throwaway1', 'throwaway2', 'throwaway3'],
  '/api/auth/sign-out': ['throwaway4', 'throwaway5', 'throwaway6', 'throwaway7'],
}

function caseArbitrary(
  op: Operation,
  pools: Record<string, unknown[]>,
  fields: Record<string, unknown[]>,
): fc.Arbitrary<Case> {
  const hints: Hints = (field) =>
    field === 'api_key' ? known.apiKey : [...(known[field] ?? []), ...(fields[field] ?? [])]
  const pathParams = (op.params ?? []).filter((p) => p.in === 'path')
  const queryParams = (op.params ?? []).filter((p) => p.in === 'query')
  const open311 = op.path.startsWith('/open311/')
  const isPublic = !op.security
  const who =
    ENDS_CALLER[op.path] ??
    (isPublic
      ? ['none', 'none', 'resident']
      : op.path.startsWith('/api/towns/')
        ? ['town', 'town', 'committee', 'resident', 'none']
        : [
            'committee',
            'committee',
            'committee',
            'resident',
            'resident',
            'grid',
            'none',
            'foreign',
            'refresh',
            'garbage',
            'badSubject',
            'badSession',
          ])

  const path = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const real = pools[p.name] ?? []
        const arbs = [
          { arbitrary: valid(p.schema).map(text), weight: 1 },
          { arbitrary: fc.constantFrom(...BAD_PARAMS), weight: 2 },
        ]
        if (real.length) arbs.push({ arbitrary: fc.constantFrom(...real.map(String)), weight: 8 })
        return [p.name, fc.oneof(...arbs)]
      }),
    ),
  ) as fc.Arbitrary<Record<string, string>>

  const querySchema: JsonSchema = open311
    ? OPEN311_INPUT
    : {
        type: 'object',
        properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
        required: queryParams.filter((p) => p.required).map((p) => p.name),
      }
  const queryEntries = (o: unknown): [string, string][] => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return [['q', text(o)]]
    return Object.entries(o).flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => [k, text(x)] as [string, string]) : [[k, text(v)] as [string, string]],
    )
  }
  const query = fc
    .oneof(
      { arbitrary: fc.constant({}), weight: 2 },
      { arbitrary: valid(querySchema, hints), weight: 3 },
      { arbitrary: invalid(querySchema, hints), weight: 3 },
    )
    .map(queryEntries)

  const schema = op.requestBody?.content['application/json']?.schema
  const raw = fc.constantFrom(...RAW_BODIES).map((r) => ({ kind: 'raw' as const, ...r }))
  const none = fc.constant({ kind: 'none' as const })
  const json = (a: fc.Arbitrary<unknown>) => a.map((value) => ({ kind: 'json' as const, value }))
  const body: fc.Arbitrary<Case['body']> = schema
    ? fc.oneof(
        { arbitrary: json(anyValue(schema, hints)), weight: 14 },
        { arbitrary: json(HUGE), weight: 1 },
        { arbitrary: raw, weight: 2 },
        { arbitrary: none, weight: 1 },
      )
    : open311 && op.method === 'post'
      ? fc.oneof(
          {
            arbitrary: valid(OPEN311_INPUT, hints).map((o) => ({
              kind: 'raw' as const,
              type: 'application/x-www-form-urlencoded',
              text: new URLSearchParams(queryEntries(o)).toString(),
            })),
            weight: 4,
          },
          {
            arbitrary: invalid(OPEN311_INPUT, hints).map((o) => ({
              kind: 'raw' as const,
              type: 'application/x-www-form-urlencoded',
              text: new URLSearchParams(queryEntries(o)).toString(),
            })),
            weight: 4,
          },
          { arbitrary: json(anyValue(OPEN311_INPUT, hints)), weight: 3 },
          { arbitrary: raw, weight: 1 },
        )
      : fc.oneof(
          { arbitrary: none, weight: 3 },
          { arbitrary: json(fc.jsonValue({ maxDepth: 2 })), weight: 1 },
          { arbitrary: raw, weight: 1 },
        )

  const hostile = fc.record({ who: fc.constantFrom(...who), path, query, body })
  // Well-formed: a member with the right role, real ids, a body the contract accepts (odd as it may be), so cases get past the first check.
  const realPath = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        pools[p.name]?.length ? fc.constantFrom(...pools[p.name]!.map(String)) : valid(p.schema).map(text),
      ]),
    ),
  ) as fc.Arbitrary<Record<string, string>>
  const wellFormed = fc.record({
    who: fc.constantFrom(
      ...(isPublic
        ? ['none']
        : ENDS_CALLER[op.path]
          ? [ENDS_CALLER[op.path]![0]!]
          : op.path.startsWith('/api/towns/')
            ? ['town']
            : ['committee', 'committee', 'resident', 'grid']),
    ),
    path: realPath,
    query: fc.oneof(fc.constant({}), valid(querySchema, hints)).map(queryEntries),
    body: schema
      ? json(valid(schema, hints))
      : open311 && op.method === 'post'
        ? valid(OPEN311_INPUT, hints).map((o) => ({
            kind: 'raw' as const,
            type: 'application/x-www-form-urlencoded',
            text: new URLSearchParams(queryEntries(o)).toString(),
          }))
        : none,
  })
  return fc.oneof({ arbitrary: wellFormed, weight: 2 }, { arbitrary: hostile, weight: 3 })
}

const CJK = /[\u3400-\u9fff]/
/** What a leaked stack, SQL error or server path looks like. */
const LEAKS =
  /\bat [^\n]*\(?[^\s()]+:\d+:\d+\)?|node_modules|\/work\/|\.ts:\d+|\bER_[A-Z_]{4,}|sqlMessage|SQL syntax|You have an error in your SQL|mysql2|drizzle|TypeError|ReferenceError/

function problemOf(op: Operation, status: number, contentType: string, bodyText: string): string | null {
  if (status >= 500) return `status ${status}`
  if (LEAKS.test(bodyText)) return `the answer leaks internals: ${bodyText.match(LEAKS)![0]}`
  if (status < 400) return null
  if (op.path.startsWith('/open311/') && (contentType.includes('xml') || bodyText.startsWith('['))) {
    // Open311's own error shape: the spec's list of {code, description}, JSON or XML. (A URL that
    // reaches no Open311 route gets the API's one shape, checked below.)
    if (contentType.includes('xml'))
      return bodyText.includes('<errors>') ? null : 'an Open311 error that is not <errors>'
    const list = JSON.parse(bodyText) as { code: unknown; description: unknown }[]
    return Array.isArray(list) && list.every((e) => typeof e.code === 'number' && typeof e.description === 'string')
      ? null
      : 'an Open311 error not in the spec shape'
  }
  if (!contentType.includes('application/json')) return `a ${status} that is not JSON (${contentType})`
  let body: { code?: unknown; message?: unknown; details?: unknown }
  try {
    body = JSON.parse(bodyText)
  } catch {
    return `a ${status} whose JSON does not parse`
  }
  if (typeof body.code !== 'string' || !/^[A-Z_]+$/.test(body.code)) return 'no error code'
  if (typeof body.message !== 'string' || !CJK.test(body.message)) return 'no Chinese message'
  const extra = Object.keys(body).filter((k) => !['code', 'message', 'details'].includes(k))
  if (extra.length) return `extra keys in the error: ${extra.join(', ')}`
  if (body.details !== undefined) {
    if (!Array.isArray(body.details)) return 'details is not a list'
    for (const d of body.details as { field?: unknown; message?: unknown }[]) {
      if (typeof d.field !== 'string' || typeof d.message !== 'string')
        return 'a detail without a string field and message'
    }
  }
  return null
}

/** Routes that create come first (so pages show what they made), pages next, then what removes a caller's own powers or account. */
const LAST = [
  '/api/villages/{villageId}/committee',
  '/api/villages/{villageId}/roster/people/{personId}/retire',
  '/api/me/current-village',
  '/api/auth/sign-out',
  '/api/me/delete',
]
const order = (op: Operation) => (LAST.includes(op.path) ? 10 + LAST.indexOf(op.path) : op.method === 'get' ? 1 : 0)
/** Files and codes cost tens of milliseconds each: fewer cases. */
const slow = (path: string) => /\.(pdf|xlsx|csv)$|\/code$|\/export|\/import/.test(path)

const shown = (c: Case) =>
  JSON.stringify(c, (_k, v) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 80)}…(${v.length} chars)` : v))

describe('what the contracts do not allow never reaches the database', () => {
  it('drops fields a contract does not name: no rule made for another village, no person moved to one', async () => {
    const res = await call('POST', `/api/villages/${zhangjia}/points/rules`, tokens.committee, {
      code: 'extra',
      name: '多给的字段',
      kind: 'earn',
      points: 5,
      villageId: heping,
      version: 99,
      createdBy: 1,
      id: 1,
    })
    expect(res.statusCode, res.body).toBe(201)
    const [rule] = (
      await t.rows<{ code: string; village_id: number; version: number; active: number }>('point_rules')
    ).filter((r) => r.code === 'extra')
    expect(rule).toMatchObject({ village_id: zhangjia, version: 1, created_by: committeeId })
    const person = (await t.rows<{ id: number; village_id: number; name: string }>('persons')).find(
      (p) => p.village_id === zhangjia && p.name === '孙福来',
    )!
    const moved = await call('PATCH', `/api/villages/${zhangjia}/roster/people/${person.id}`, tokens.committee, {
      relation: '其他',
      villageId: heping,
      created_at: '2000-01-01',
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(
      (await t.rows<{ id: number; village_id: number }>('persons')).find((p) => p.id === person.id)!.village_id,
    ).toBe(zhangjia)
    // Nothing the contract names: changes nothing (it was an empty UPDATE, a 500).
    const nothing = await call('PATCH', `/api/villages/${zhangjia}/roster/people/${person.id}`, tokens.committee, {
      villageId: heping,
      '&(': '',
    })
    expect(nothing.statusCode).toBe(200)
    expect(
      (await t.rows<{ id: number; village_id: number }>('persons')).find((p) => p.id === person.id)!.village_id,
    ).toBe(zhangjia)
  })

  it('refuses text of only spaces or zero-width characters as it refuses empty text, and trims what it keeps', async () => {
    for (const blank of ['\u3000\u3000 ', '\u200B\u200B\u200B', ' \t\n ']) {
      const topic = await call('POST', `/api/villages/${zhangjia}/topics`, tokens.resident, {
        title: blank,
        description: blank,
      })
      expect(topic.statusCode).toBe(400)
      expect(topic.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'title' }, { field: 'description' }],
      })
      const key = await call('POST', `/api/villages/${zhangjia}/open311/keys`, tokens.committee, { label: blank })
      expect(key.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'label' }] })
    }
    const kept = await call('POST', `/api/villages/${zhangjia}/matters`, tokens.committee, {
      title: '\u3000修路\u200B ',
      description: ' 村东头的路 ',
    })
    expect(kept.json()).toMatchObject({ title: '修路', description: '村东头的路' })
  })

  it('refuses lone surrogates and control characters, naming the field (MariaDB’s JSON columns refuse a lone surrogate)', async () => {
    for (const broken of ['\uD800', 'a\uDFFFb', 'a\u0000b', '\u001B[31m红']) {
      const res = await call(
        'POST',
        `/api/villages/${zhangjia}/topics/${known.intoTopicId![0]}/decline`,
        tokens.committee,
        { reason: `不采纳${broken}` },
      )
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'reason' }] })
      const nested = await call('PUT', `/api/villages/${zhangjia}/reports/settings`, tokens.committee, {
        categories: ['环境卫生', broken],
        deadlines: {
          blue: { acceptHours: 24, resolveHours: 72 },
          orange: { acceptHours: 8, resolveHours: 24 },
          red: { acceptHours: 2, resolveHours: 8 },
        },
      })
      expect(nested.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'categories.1' }] })
    }
    // Emoji (a surrogate pair), tabs and new lines are fine.
    const fine = await call('POST', `/api/villages/${zhangjia}/matters`, tokens.committee, {
      title: '修路👨‍👩‍👧‍👦',
      description: '第一行\n\t第二行',
    })
    expect(fine.statusCode).toBe(201)
  })
})

/** Every route and method the OpenAPI document lists. */
function operations(): Operation[] {
  const doc = t.app.swagger() as {
    paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'> & { parameters?: Param[] }>>
  }
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, o]) => ({
      method,
      path,
      params: o.parameters,
      requestBody: o.requestBody,
      security: o.security,
    })),
  )
}

const isNumeric = (s: JsonSchema) => (s.anyOf ?? [s]).some((b) => b.type === 'integer' || b.type === 'number')
/** For a field that takes fractions (a latitude), "5.0" is a fine way to write a number. */
const refusedBy = (s: JsonSchema) => (bad: unknown) =>
  (s.anyOf ?? [s]).every((b) => b.type !== 'number') || typeof bad !== 'string' || !/^-?\d+(\.\d+)?$/.test(bad)
/** The dotted path and schema of every number a body schema holds (`counts.0.count` for one inside a list). */
function numberPaths(s: JsonSchema, at = ''): [string, JsonSchema][] {
  if (isNumeric(s)) return [[at, s]]
  const join = (k: string) => (at ? `${at}.${k}` : k)
  return (s.anyOf ?? [s]).flatMap((b) => [
    ...Object.entries(b.properties ?? {}).flatMap(([k, sub]) => numberPaths(sub, join(k))),
    ...(b.items ? numberPaths(b.items, join('0')) : []),
  ])
}
/** `value` with `bad` put at the dotted `path`, building the objects and lists on the way. */
function withValue(value: unknown, path: string, bad: unknown): unknown {
  const keys = path.split('.')
  const root: Record<string, unknown> =
    value && typeof value === 'object' ? (structuredClone(value as object) as Record<string, unknown>) : {}
  let at = root
  for (const [i, key] of keys.entries()) {
    if (i === keys.length - 1) at[key] = bad
    else {
      const next = at[key]
      at[key] = next && typeof next === 'object' ? next : /^\d+$/.test(keys[i + 1]!) ? [] : {}
      at = at[key] as Record<string, unknown>
    }
  }
  return root
}

describe('numbers are numbers', () => {
  it(
    'every number of every route, in the path, the query and the body, refuses Infinity, NaN, overflowing and odd spellings with 400 naming the field',
    { timeout: 120_000 },
    async () => {
      const failures: string[] = []
      let cases = 0
      for (const op of operations()) {
        const who = op.path.startsWith('/api/towns/') ? tokens.town! : tokens.committee!
        const path = (target?: string, bad?: string) =>
          op.path.replace(/\{(\w+)\}/g, (_m, n: string) =>
            n === target ? encodeURIComponent(bad!) : n === 'villageId' ? String(zhangjia) : '1',
          )
        const tries: { field: string; url: string; payload?: string; tooLong?: boolean }[] = []
        for (const p of (op.params ?? []).filter((x) => isNumeric(x.schema))) {
          for (const bad of OVERFLOWING_TEXT.filter(refusedBy(p.schema))) {
            if (p.in === 'path')
              tries.push({ field: p.name, url: path(p.name, bad), tooLong: encodeURIComponent(bad).length > 100 })
            else tries.push({ field: p.name, url: `${path()}?${p.name}=${encodeURIComponent(bad)}` })
          }
        }
        const schema = op.requestBody?.content['application/json']?.schema
        if (schema) {
          const base = fc.sample(valid(schema), { seed: SEED, numRuns: 1 })[0]
          for (const [field, sub] of numberPaths(schema)) {
            for (const bad of [...OVERFLOWING_JSON, ...OVERFLOWING_TEXT, true].filter(refusedBy(sub)))
              tries.push({ field, url: path(), payload: toJson(withValue(base, field, bad)) })
          }
        }
        for (const c of tries) {
          cases++
          const res = await t.app.inject({
            method: op.method.toUpperCase() as 'GET',
            url: c.url,
            headers: { ...auth(who), ...(c.payload ? { 'content-type': 'application/json' } : {}) },
            ...(c.payload ? { payload: c.payload } : {}),
          })
          const body = res.json() as { code?: string; details?: { field: string }[] }
          const named = c.tooLong
            ? res.statusCode === 414
            : res.statusCode === 400 &&
              body.code === 'VALIDATION_FAILED' &&
              !!body.details?.some((d) => d.field === c.field)
          if (!named && failures.length < 20)
            failures.push(
              `${op.method.toUpperCase()} ${op.path} ${c.field}: ${c.url.slice(0, 120)} ${c.payload?.slice(0, 160) ?? ''}\n  answer: ${res.statusCode} ${res.body.slice(0, 200)}`,
            )
        }
      }
      console.log(`numbers: ${cases} cases`)
      expect(cases).toBeGreaterThan(3000)
      expect(failures, failures.join('\n')).toEqual([])
    },
  )

  it('Open311 reads page, page_size and ids as whole numbers in range, naming the field', async () => {
    for (const field of ['page', 'page_size', 'service_request_id']) {
      // service_request_id is a comma-separated list: spaces around its ids are fine ("1, 2").
      for (const bad of [...OVERFLOWING_TEXT, '0', '-1'].filter(
        (b) => field !== 'service_request_id' || !/^\s*\d+\s*$/.test(b),
      )) {
        const res = await call(
          'GET',
          `/open311/v2/requests.json?jurisdiction_id=zhangjia&${field}=${encodeURIComponent(bad)}`,
        )
        expect(res.statusCode, `${field}=${bad}: ${res.body}`).toBe(400)
        expect(res.json()[0].description).toContain(field)
      }
    }
    for (const bad of OVERFLOWING_TEXT.filter((b) => encodeURIComponent(b).length <= 100)) {
      const res = await call('GET', `/open311/v2/requests/${encodeURIComponent(bad)}.json?jurisdiction_id=zhangjia`)
      expect(res.statusCode, `${bad}: ${res.body}`).toBe(400)
      expect(res.json()[0].description).toContain('service_request_id')
    }
    // Pages are bounded: past the last page one may ask for, 400; the farthest page allowed is empty, not a scan or an error.
    expect((await call('GET', '/open311/v2/requests.json?jurisdiction_id=zhangjia&page_size=1001')).statusCode).toBe(
      400,
    )
    expect((await call('GET', '/open311/v2/requests.json?jurisdiction_id=zhangjia&page=10001')).statusCode).toBe(400)
    const far = await call('GET', '/open311/v2/requests.json?jurisdiction_id=zhangjia&page=10000&page_size=1000')
    expect(far.statusCode).toBe(200)
    expect(far.json()).toEqual([])
  })

  it('pages of the roster and the feed are bounded: the farthest allowed page is empty, one past it is refused', async () => {
    for (const list of ['roster/people', 'roster/households']) {
      const far = await call('GET', `/api/villages/${zhangjia}/${list}?offset=1000000&limit=200`, tokens.committee)
      expect(far.statusCode).toBe(200)
      expect(far.json()).toMatchObject({ total: expect.any(Number) })
      expect(Object.values(far.json()).find(Array.isArray)).toEqual([])
      for (const query of ['offset=1000001', 'limit=201']) {
        const res = await call('GET', `/api/villages/${zhangjia}/${list}?${query}`, tokens.committee)
        expect(res.statusCode).toBe(400)
        expect(res.json().details[0].field).toBe(query.split('=')[0])
      }
    }
    const feed = await call('GET', `/api/villages/${zhangjia}/reports?cursor=${'9'.repeat(16)}`, tokens.resident)
    expect(feed.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'cursor' }] })
    expect((await call('GET', `/api/villages/${zhangjia}/reports?limit=51`, tokens.resident)).statusCode).toBe(400)
  })
})

describe('hostile input, from the contracts', () => {
  it(
    'every route answers every generated input below 500, refusals in the error shape with a Chinese message, no stack traces',
    { timeout: 240_000 },
    async () => {
      const ops = operations().sort((a, b) => order(a) - order(b))
      expect(ops.length).toBeGreaterThan(140)
      console.log(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${RUNS} cases per route, ${ops.length} routes`)
      const garbage = `' OR 1=1 --<script>alert(1)</script>${'x'.repeat(3000)}`
      const failures: string[] = []
      const statuses: Record<string, number> = {}
      const answered = new Set<string>()
      let cases = 0
      const started = Date.now()
      for (const [i, op] of ops.entries()) {
        const pools: Record<string, unknown[]> = {}
        for (const p of (op.params ?? []).filter((x) => x.in === 'path'))
          pools[p.name] = await realValues(op.path, p.name)
        const runs = slow(op.path) ? Math.ceil(RUNS / 3) : RUNS
        const samples = fc.sample(caseArbitrary(op, pools, await bodyPools()), { seed: SEED + i, numRuns: runs })
        let failed = 0
        for (const c of samples) {
          const url =
            op.path.replace(/\{(\w+)\}/g, (_m, n: string) => enc(c.path[n] ?? '')) +
            (c.query.length ? `?${c.query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}` : '')
          const token =
            c.who === 'garbage'
              ? garbage
              : c.who.startsWith('throwaway')
                ? throwaway[Number(c.who.slice(9))]
                : tokens[c.who]
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
          let payload: string | undefined
          if (c.body.kind === 'json') [headers['content-type'], payload] = ['application/json', toJson(c.body.value)]
          if (c.body.kind === 'raw') [headers['content-type'], payload] = [c.body.type, c.body.text]
          const res = await t.app.inject({
            method: op.method.toUpperCase() as 'GET',
            url,
            headers,
            ...(payload !== undefined ? { payload } : {}),
          })
          cases++
          if (res.statusCode < 300) answered.add(`${op.method.toUpperCase()} ${op.path}`)
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
          const problem = problemOf(op, res.statusCode, String(res.headers['content-type'] ?? ''), res.body)
          if (problem && failed++ < 3)
            failures.push(
              `${op.method.toUpperCase()} ${op.path} (FUZZ_SEED=${SEED}, this route's seed ${SEED + i}): ${problem}\n  input: ${shown(c)}\n  answer: ${res.statusCode} ${res.body.slice(0, 300)}`,
            )
        }
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      console.log(`fuzz: ${cases} cases in ${seconds} s; statuses ${JSON.stringify(statuses)}`)
      console.log(`fuzz: ${answered.size} of ${ops.length} routes answered at least one case with 2xx`)
      expect(failures, failures.join('\n\n')).toEqual([])
      // The server still answers, and a member is still signed in.
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
      expect((await call('GET', '/api/me', tokens.resident)).statusCode).toBe(200)
    },
  )
})
