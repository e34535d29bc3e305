import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestContext, type TestContext } from '../../testing/harness.js'

let t: TestContext
beforeAll(async () => {
  t = await startTestContext()
})
afterAll(() => t.close())

const login = (code: unknown) => t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code } })

describe('POST /api/auth/wechat', () => {
  it('creates the user on first sign-in and finds the same user afterwards', async () => {
    const first = await login(t.wechat.issueCode('wx-new-user-1'))
    expect(first.statusCode).toBe(200)
    const body = first.json()
    expect(body).toMatchObject({ isNew: true, expiresIn: 900 })
    expect(typeof body.token).toBe('string')

    const again = await login(t.wechat.issueCode('wx-new-user-1'))
    expect(again.json()).toMatchObject({ isNew: false, userId: body.userId })

    const users = await t.rows<{ id: number; openid: string }>('users')
    expect(users.filter((u) => u.openid === 'wx-new-user-1')).toHaveLength(1)
    const audit = await t.rows<{ action: string; entity_id: number }>('audit_log')
    expect(audit.filter((a) => a.action === 'user.created' && a.entity_id === body.userId)).toHaveLength(1)
  })

  it('refuses a code that was already used or never issued, naming the field', async () => {
    const code = t.wechat.issueCode('wx-new-user-2')
    expect((await login(code)).statusCode).toBe(200)
    const reused = await login(code)
    expect(reused.statusCode).toBe(400)
    expect(reused.json()).toMatchObject({ code: 'WECHAT_CODE_INVALID', details: [{ field: 'code' }] })
    const unknown = await login('not-a-real-code')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().code).toBe('WECHAT_CODE_INVALID')
  })

  it('answers bad bodies with 400 in the error shape', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: {} })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'code' }] })
    expect(missing.json().message).toContain('微信登录凭证')

    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/auth/wechat',
      headers: { 'content-type': 'application/json' },
      payload: '{"code":',
    })
    expect(notJson.statusCode).toBe(400)
    expect(notJson.json().code).toBe('VALIDATION_FAILED')

    const empty = await login('')
    expect(empty.statusCode).toBe(400)
    expect(empty.json().details[0].field).toBe('code')
  })
})

describe('tokens', () => {
  it('requires a token, tells an expired one apart, and refreshes', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/me' })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' })

    const garbage = await t.app.inject({ method: 'GET', url: '/api/me', headers: auth('abc.def.ghi') })
    expect(garbage.statusCode).toBe(401)

    const now = Math.floor(Date.now() / 1000)
    const expired = t.app.jwt.sign({ sub: '1', typ: 'access', iat: now - 3600, exp: now - 60 } as never)
    const exp = await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(expired) })
    expect(exp.statusCode).toBe(401)
    expect(exp.json().code).toBe('TOKEN_EXPIRED')

    const signIn = (await login(t.wechat.issueCode('demo-zhangjia-resident'))).json()
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: signIn.refreshToken },
    })
    expect(refreshed.statusCode).toBe(200)
    expect(refreshed.json().userId).toBe(signIn.userId)
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(refreshed.json().token) })
    expect(me.statusCode).toBe(200)
    expect(me.json().memberships[0].realName).toBe('张秀兰')

    // An access token is not a refresh token, and a refresh token does not open the API.
    const wrongKind = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: signIn.token },
    })
    expect(wrongKind.statusCode).toBe(401)
    expect(wrongKind.json().details[0].field).toBe('refreshToken')
    const refreshAsAccess = await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(signIn.refreshToken) })
    expect(refreshAsAccess.statusCode).toBe(401)
  })
})
