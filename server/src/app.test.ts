import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import { loadConfig } from './config.js'
import { openDatabase } from './core/db.js'
import { startTestContext, type TestContext } from './testing/harness.js'

describe('operations', () => {
  let t: TestContext
  beforeAll(async () => {
    t = await startTestContext({ seed: false })
  })
  afterAll(() => t.close())

  it('answers /healthz and /readyz, and echoes a request id', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' })
    expect(health.json()).toEqual({ status: 'ok' })
    const ready = await t.app.inject({ method: 'GET', url: '/readyz', headers: { 'x-request-id': 'trace-123' } })
    expect(ready.statusCode).toBe(200)
    expect(ready.headers['x-request-id']).toBe('trace-123')
    const generated = await t.app.inject({ method: 'GET', url: '/healthz' })
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('serves the OpenAPI document built from the route schemas', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/docs/json' })
    expect(doc.statusCode).toBe(200)
    const spec = doc.json()
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/auth/wechat', '/api/me', '/api/villages/{villageId}/applications']),
    )
    expect(spec.paths['/api/villages/{villageId}/applications'].post.responses).toHaveProperty('409')
    expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400)
  })

  it('answers unknown routes in the error shape, with security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ code: 'NOT_FOUND', message: '找不到这个页面或接口' })
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data: blob:")
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
  })
})

describe('database away', () => {
  it('answers 503 in Chinese, not 500, and does not hang', async () => {
    // Nothing listens on port 1: every query fails to connect, as when MariaDB is down.
    const database = openDatabase('mysql://root@127.0.0.1:1/liren_nowhere', 2)
    const app = await buildApp(
      loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret', LOG_LEVEL: 'silent' }),
      { database, wechatApiBase: 'http://127.0.0.1:1' },
    )
    try {
      const ready = await app.inject({ method: 'GET', url: '/readyz' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json().code).toBe('SERVICE_UNAVAILABLE')
      const identities = await app.inject({ method: 'GET', url: '/api/dev/identities' })
      expect(identities.statusCode).toBe(503)
      expect(identities.json()).toEqual({ code: 'SERVICE_UNAVAILABLE', message: '系统暂时无法使用，请稍后再试' })
      expect(identities.headers['retry-after']).toBe('5')
      // WeChat unreachable as well: a clear 503, not a 500.
      const login = await app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code: 'abc' } })
      expect(login.statusCode).toBe(503)
      expect(login.json().code).toBe('WECHAT_UNAVAILABLE')
    } finally {
      await app.close()
      await database.close()
    }
  })
})

describe('production mode', () => {
  let t: TestContext
  beforeAll(async () => {
    t = await startTestContext({
      env: {
        NODE_ENV: 'production',
        JWT_SECRET: 'production-secret-of-32-characters!',
        WECHAT_APPID: 'wx-prod',
        WECHAT_SECRET: 'prod-secret',
        DATA_KEYS: `prod:${Buffer.alloc(32, 7).toString('base64')}`,
      },
    })
  })
  afterAll(() => t.close())

  it('keeps the development sign-in door closed', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/dev/identities' })).statusCode).toBe(404)
    const code = await t.app.inject({
      method: 'POST',
      url: '/api/dev/wechat-code',
      payload: { openid: 'demo-zhangjia-committee' },
    })
    expect(code.statusCode).toBe(404)
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/dev/phone-code', payload: { phone: '13800138000' } }))
        .statusCode,
    ).toBe(404)
  })

  it('still serves every route that is not the development door (the inbox, the privacy guide)', async () => {
    const routes = Object.entries((t.app.swagger() as { paths: Record<string, object> }).paths)
    expect(routes.filter(([path]) => path.startsWith('/api/dev/'))).toEqual([])
    for (const path of [
      '/api/notifications',
      '/api/notifications/read',
      '/api/privacy',
      '/api/me/export',
      '/api/villages/{villageId}/meetings',
    ])
      expect(routes.map(([p]) => p)).toContain(path)
    // Signed out, the inbox asks for a sign-in (it exists): not 404.
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401)
  })
})

describe('rate limits', () => {
  let t: TestContext
  beforeAll(async () => {
    t = await startTestContext({ seed: false, env: { RATE_LIMIT_PER_MINUTE: '5' } })
  })
  afterAll(() => t.close())

  it('answers 429 in the error shape once an address has used its sign-ins for the minute', async () => {
    const attempts = []
    for (let i = 0; i < 7; i++)
      attempts.push(await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code: 'nope' } }))
    expect(attempts.slice(0, 5).map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400])
    const limited = attempts[6]!
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toEqual({ code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' })
    expect(limited.headers['retry-after']).toBeDefined()
  })
})
