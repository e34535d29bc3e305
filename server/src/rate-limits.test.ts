import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'
import { auth, multipartFile, startTestContext, type TestContext } from './testing/harness.js'
import { calledSoon } from './testing/factories.js'

/**
 * Sign-in, report submission, agenda comments, topic proposals and photo uploads are each limited per
 * user and per IP address. Here every limit is 2 per user and 5 per IP, and each action is sent from its
 * own addresses, so the counts of one do not touch another's.
 */
const PER_USER = 2
const PER_IP = 5
const NAMES = ['LOGIN', 'REPORT', 'COMMENT', 'TOPIC', 'UPLOAD']
const env = Object.fromEntries(
  NAMES.flatMap((n) => [
    [`${n}_LIMIT_PER_MINUTE`, String(PER_USER)],
    [`${n}_IP_LIMIT_PER_MINUTE`, String(PER_IP)],
  ]),
)

let t: TestContext
let zhangjia: number
let tokens: Record<'committee' | 'resident' | 'volunteer' | 'grid', string>
let item: { meetingId: number; itemId: number }
let n = 0

beforeAll(async () => {
  t = await startTestContext({ env: { ...env, RATE_LIMIT_PER_MINUTE: '100000' } })
  zhangjia = await t.villageId('zhangjia')
  const [committee, resident, volunteer, grid] = await Promise.all(
    ['demo-zhangjia-committee', 'demo-zhangjia-resident', 'demo-zhangjia-volunteer', 'demo-zhangjia-grid'].map((o) =>
      t.login(o),
    ),
  )
  tokens = { committee: committee!, resident: resident!, volunteer: volunteer!, grid: grid! }
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}/meetings`,
    headers: auth(tokens.committee),
    payload: {
      kind: 'villager_meeting',
      title: '修路议事',
      place: '村委会',
      ...calledSoon(),
      online: true,
      agenda: [{ title: '修村东头的路' }],
    },
  })
  const meeting = created.json()
  await t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}/meetings/${meeting.id}/announce`,
    headers: auth(tokens.committee),
    payload: {},
  })
  item = { meetingId: meeting.id, itemId: meeting.agenda[0].id }
})
afterAll(() => t?.close())

type Who = 'a' | 'b' | 'c'
type Send = (who: Who, ip: string) => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>

/** A resident, a volunteer and a grid worker: three users. */
const member = (who: Who) => ({ a: tokens.resident, b: tokens.volunteer, c: tokens.grid })[who]
/** A member's POST to 张家村's `path`, from address `ip`. */
const villagePost = (who: Who, ip: string, path: string, payload: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}${path}`,
    remoteAddress: ip,
    headers: auth(member(who)),
    payload,
  })
const png = () =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 10 + (n++ % 200), g: 80, b: 160 } } })
    .png()
    .toBuffer()

const actions: [string, Send][] = [
  [
    'sign-in',
    (who, ip) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/wechat',
        remoteAddress: ip,
        payload: { code: t.wechat.issueCode(`rate-limit-${who}`) },
      }),
  ],
  [
    'report submission',
    (who, ip) =>
      villagePost(who, ip, '/reports', {
        category: '环境卫生',
        description: '村口垃圾没人清',
        idempotencyKey: `rate-limit-report-${++n}`,
      }),
  ],
  [
    'agenda comment',
    (who, ip) =>
      villagePost(who, ip, `/meetings/${item.meetingId}/agenda/${item.itemId}/comments`, {
        body: `路要修得宽一点 ${++n}`,
      }),
  ],
  [
    'topic proposal',
    (who, ip) => villagePost(who, ip, '/topics', { title: `村里装路灯 ${++n}`, description: '晚上太黑了' }),
  ],
  [
    'photo upload',
    async (who, ip) => {
      const { payload, headers } = multipartFile('file', 'a.png', await png())
      return t.app.inject({
        method: 'POST',
        url: `/api/villages/${zhangjia}/photos`,
        remoteAddress: ip,
        headers: { ...auth(member(who)), ...headers },
        payload,
      })
    },
  ],
]

function expectLimited(res: Awaited<ReturnType<Send>>, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(429)
  expect(JSON.parse(res.body)).toEqual({ code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' })
  const retry = Number(res.headers['retry-after'])
  expect(retry, what).toBeGreaterThanOrEqual(1)
  expect(retry, what).toBeLessThanOrEqual(60)
}
function expectServed(res: Awaited<ReturnType<Send>>, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300)
}

describe('rate limits', () => {
  for (const [i, [action, send]] of actions.entries()) {
    it(`${action}: ${PER_USER} a minute per user, ${PER_IP} per IP; another user from the same IP is not held back by the first's limit`, async () => {
      const [office, home] = [`10.0.${i}.1`, `10.0.${i}.2`]
      for (let k = 0; k < PER_USER; k++) expectServed(await send('a', office), `a #${k + 1}`) // office 2, a 2
      expectLimited(await send('a', office), 'a over the user limit') // office 3, a 3
      expectServed(await send('b', office), 'b from the same office') // office 4, b 1
      expectLimited(await send('a', home), 'a from another address: the user limit follows the user') // home 1
      expectServed(await send('b', office), 'b again') // office 5, b 2
      expectLimited(await send('c', office), 'c, new, from the office over its IP limit') // office 6
      expectServed(await send('c', home), 'c from another address') // home 2, c 1
    })
  }

  it('sends a refused request no further: an upload over the limit stores nothing', async () => {
    const before = (await t.rows('photos')).length
    const { payload, headers } = multipartFile('file', 'a.png', await png())
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/photos`,
      remoteAddress: '10.0.4.1',
      headers: { ...auth(tokens.volunteer), ...headers },
      payload,
    })
    expectLimited(res, 'upload')
    expect((await t.rows('photos')).length).toBe(before)
  })
})

describe('rate limit settings', () => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret' }
  it('default to 20 comments, 30 uploads, 20 reports, 10 topics and 10 sign-ins a minute per user, ten times that per IP', () => {
    expect(loadConfig(base).limits).toEqual({
      login: { perUser: 10, perIp: 100 },
      report: { perUser: 20, perIp: 200 },
      comment: { perUser: 20, perIp: 200 },
      topic: { perUser: 10, perIp: 100 },
      upload: { perUser: 30, perIp: 300 },
    })
    expect(
      loadConfig({ ...base, UPLOAD_LIMIT_PER_MINUTE: '5', UPLOAD_IP_LIMIT_PER_MINUTE: '12' }).limits.upload,
    ).toEqual({ perUser: 5, perIp: 12 })
    expect(loadConfig({ ...base, COMMENT_LIMIT_PER_MINUTE: '7' }).limits.comment).toEqual({ perUser: 7, perIp: 70 })
  })

  it('refuse what is not a whole number of at least 1, naming the variable', () => {
    for (const [key, value] of [
      ['COMMENT_LIMIT_PER_MINUTE', '0'],
      ['UPLOAD_IP_LIMIT_PER_MINUTE', '-3'],
      ['TOPIC_LIMIT_PER_MINUTE', 'many'],
      ['LOGIN_IP_LIMIT_PER_MINUTE', '1.5'],
    ] as const) {
      expect(() => loadConfig({ ...base, [key]: value }), key).toThrow(ConfigError)
      expect(() => loadConfig({ ...base, [key]: value }), key).toThrow(key)
    }
  })
})
