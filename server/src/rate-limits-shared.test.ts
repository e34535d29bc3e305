import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, type App } from './app.js'
import { loadConfig } from './config.js'
import { auth, startTestContext, type TestContext } from './testing/harness.js'

/**
 * Past one machine, the rate limits: two app instances (two servers) on one database count in one
 * Redis, so a member's topic limit is spent across both, and the actions keep their own counts.
 */
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
let t: TestContext
let second: App
let redis: Redis

beforeAll(async () => {
  redis = new Redis(REDIS)
  const stale = await redis.keys('liren-rate-limit:*')
  if (stale.length) await redis.del(...stale)
  const env = {
    RATE_LIMIT_REDIS_URL: REDIS,
    TOPIC_LIMIT_PER_MINUTE: '3',
    COMMENT_LIMIT_PER_MINUTE: '3',
    RATE_LIMIT_PER_MINUTE: '100000',
  }
  t = await startTestContext({ env })
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: t.databaseUrl,
    JWT_SECRET: 'test-secret-test-secret',
    LOG_LEVEL: 'silent',
    ...env,
  })
  second = await buildApp(config, { database: t.database, wechatApiBase: t.wechat.url })
  await second.ready()
})
afterAll(async () => {
  await second?.close()
  await t?.close()
  await redis?.quit()
})

describe('rate limits shared through Redis', () => {
  it('a member’s limit is one limit across both servers, and each action counts apart', async () => {
    const resident = await t.login('demo-zhangjia-resident')
    const zhangjia = await t.villageId('zhangjia')
    const propose = (app: App, i: number) =>
      app.inject({
        method: 'POST',
        url: `/api/villages/${zhangjia}/topics`,
        headers: auth(resident),
        payload: { title: `想议一议第 ${i} 件事`, description: '村里的事大家商量' },
      })
    const statuses = []
    for (const [i, app] of [t.app, second, t.app, second].entries()) statuses.push((await propose(app, i)).statusCode)
    expect(statuses).toEqual([201, 201, 201, 429])
    const refused = await propose(t.app, 9)
    expect(refused.json()).toEqual({ code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' })
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(await redis.keys('liren-rate-limit:*topic:user:*')).toHaveLength(1)
    // Another action of the same member is not spent by the topics.
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/topics`, headers: auth(resident) }))
        .statusCode,
    ).toBe(200)
  })
})
