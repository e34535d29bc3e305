import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestContext, type TestContext } from '../../testing/harness.js'
import { purgeSessions, startSession } from './index.js'

/**
 * Sessions (issue 13, item 6): refresh tokens rotate and are spent once; a spent one that comes back
 * ends its whole sign-in; signing out and 注销 end every sign-in of the user; a token whose subject is
 * not a row id is a 401, never a 500.
 */
let t: TestContext
let zhangjia: number
beforeAll(async () => {
  // Many refreshes from one address (the tests' own): only the per-user limit stays as configured.
  t = await startTestContext({ env: { LOGIN_IP_LIMIT_PER_MINUTE: '100000' } })
  zhangjia = await t.villageId('zhangjia')
})
afterAll(() => t.close())

interface Pair {
  token: string
  refreshToken: string
  userId: number
}
let n = 0
/** Signs in as `openid` (a new user unless given): one phone's sign-in. */
async function signIn(openid = `sessions-${++n}`): Promise<Pair> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/wechat',
    payload: { code: t.wechat.issueCode(openid) },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const refresh = (refreshToken: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } })
const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: auth(token) })
const signOut = (token?: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: token ? auth(token) : {} })
const sessionsOf = async (userId: number) =>
  (await t.rows<{ id: number; user_id: number; end_reason: string | null }>('sessions')).filter(
    (s) => s.user_id === userId,
  )

/** The refresh was refused the way a client sends the person to sign in again. */
function expectRefused(res: Awaited<ReturnType<typeof refresh>>) {
  expect(res.statusCode, res.body).toBe(401)
  expect(res.json()).toMatchObject({
    code: 'UNAUTHENTICATED',
    message: '登录已失效，请重新登录',
    details: [{ field: 'refreshToken' }],
  })
}

describe('refresh tokens rotate', () => {
  it('each refresh returns a new refresh token; the one used refreshes no more; the database keeps only hashes', async () => {
    const first = await signIn()
    const second = await refresh(first.refreshToken)
    expect(second.statusCode, second.body).toBe(200)
    const pair = second.json()
    expect(pair).toMatchObject({ userId: first.userId, isNew: false, expiresIn: 900 })
    expect(pair.refreshToken).not.toBe(first.refreshToken)
    expect((await me(pair.token)).statusCode).toBe(200)

    const third = await refresh(pair.refreshToken)
    expect(third.statusCode, third.body).toBe(200)
    expectRefused(await refresh(first.refreshToken))

    // Three tokens of one session, two spent; stored as SHA-256 only.
    const [session] = await sessionsOf(first.userId)
    const stored = (
      await t.rows<{ session_id: number; token_hash: string; used_at: Date | null }>('refresh_tokens')
    ).filter((r) => r.session_id === session!.id)
    const sha = (s: string) => createHash('sha256').update(s).digest('hex')
    expect(stored.map((r) => r.token_hash).sort()).toEqual(
      [first.refreshToken, pair.refreshToken, third.json().refreshToken].map(sha).sort(),
    )
    expect(stored.filter((r) => r.used_at !== null)).toHaveLength(2)
    expect(JSON.stringify(stored)).not.toContain(first.refreshToken)
  })

  it('two parallel refreshes with one token: exactly one succeeds, and the sign-in ends (a repeat cannot be told from theft)', async () => {
    const first = await signIn()
    const answers = await Promise.all(Array.from({ length: 6 }, () => refresh(first.refreshToken)))
    const won = answers.filter((r) => r.statusCode === 200)
    expect(won).toHaveLength(1)
    for (const lost of answers.filter((r) => r.statusCode !== 200)) expectRefused(lost)
    // The winner's new pair belongs to the ended sign-in too: the person signs in again.
    expectRefused(await refresh(won[0]!.json().refreshToken))
    expect((await me(won[0]!.json().token)).statusCode).toBe(401)
    expect((await sessionsOf(first.userId)).map((s) => s.end_reason)).toEqual(['reused'])
    const again = await signIn(`sessions-${n}`)
    expect(again.userId).toBe(first.userId)
    expect((await me(again.token)).statusCode).toBe(200)
  })

  it('an expired refresh token is refused, whether its signature or the database says so', async () => {
    const first = await signIn()
    const claims = t.app.jwt.decode<{ sub: string; sid: string }>(first.refreshToken)!
    const now = Math.floor(Date.now() / 1000)
    const lapsed = t.app.jwt.sign({
      sub: claims.sub,
      sid: claims.sid,
      typ: 'refresh',
      jti: 'lapsed',
      iat: now - 40 * 86400,
      exp: now - 60,
    } as never)
    expectRefused(await refresh(lapsed))

    await t.database.db.execute(
      sql`UPDATE refresh_tokens SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE session_id = ${Number(claims.sid)}`,
    )
    expectRefused(await refresh(first.refreshToken))
    // Expiry is not theft: the sign-in's access token still works until it expires.
    expect((await me(first.token)).statusCode).toBe(200)
  })
})

describe('a spent refresh token that comes back ends its sign-in', () => {
  it('the thief and the owner are both out; the same person on another phone is not', async () => {
    const owner = 'sessions-two-phones'
    const phone = await signIn(owner)
    const otherPhone = await signIn(owner)
    const stolen = phone.refreshToken

    // The owner refreshes first; then the thief tries the copy.
    const owners = await refresh(stolen)
    expect(owners.statusCode).toBe(200)
    expectRefused(await refresh(stolen))
    expectRefused(await refresh(owners.json().refreshToken))
    expect((await me(owners.json().token)).statusCode).toBe(401)
    expect((await me(phone.token)).statusCode).toBe(401)

    // The other phone's sign-in goes on.
    expect((await me(otherPhone.token)).statusCode).toBe(200)
    const other = await refresh(otherPhone.refreshToken)
    expect(other.statusCode).toBe(200)
    expect((await sessionsOf(phone.userId)).map((s) => s.end_reason).sort()).toEqual(['reused', null].sort())

    // The other way round: the thief refreshes first, the owner's next refresh (with the spent token) ends it for both.
    const stolenAgain = other.json().refreshToken
    const thiefs = await refresh(stolenAgain)
    expect(thiefs.statusCode).toBe(200)
    expectRefused(await refresh(stolenAgain))
    expectRefused(await refresh(thiefs.json().refreshToken))
    expect((await me(thiefs.json().token)).statusCode).toBe(401)
  })
})

describe('signing out and 注销', () => {
  it('signing out ends every sign-in of the user, on every phone: refresh and access tokens; others are untouched', async () => {
    const phone = await signIn('sessions-sign-out')
    const otherPhone = await signIn('sessions-sign-out')
    const someoneElse = await signIn()

    expect((await signOut()).statusCode).toBe(401)
    const out = await signOut(phone.token)
    expect(out.statusCode, out.body).toBe(200)
    expect(out.json()).toEqual({ signedOut: true })

    for (const p of [phone, otherPhone]) {
      expect((await me(p.token)).json()).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' })
      expectRefused(await refresh(p.refreshToken))
    }
    expect((await sessionsOf(phone.userId)).map((s) => s.end_reason)).toEqual(['signed_out', 'signed_out'])
    expect((await signOut(phone.token)).statusCode).toBe(401)

    expect((await me(someoneElse.token)).statusCode).toBe(200)
    expect((await refresh(someoneElse.refreshToken)).statusCode).toBe(200)
    // Signing in again is a new sign-in.
    const back = await signIn('sessions-sign-out')
    expect((await me(back.token)).statusCode).toBe(200)
    expect((await refresh(back.refreshToken)).statusCode).toBe(200)
  })

  it('注销 ends every sign-in of the user', async () => {
    const openid = 'sessions-delete'
    const phone = await signIn(openid)
    const otherPhone = await signIn(openid)
    const joined = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/applications`,
      headers: auth(phone.token),
      payload: { realName: '钱要走', householdAddress: '村西头', birthYear: 1980 },
    })
    expect(joined.statusCode).toBe(201)
    const deleted = await t.app.inject({
      method: 'POST',
      url: '/api/me/delete',
      headers: auth(otherPhone.token),
      payload: { confirm: '注销' },
    })
    expect(deleted.statusCode, deleted.body).toBe(200)
    for (const p of [phone, otherPhone]) {
      expect((await me(p.token)).statusCode).toBe(401)
      expectRefused(await refresh(p.refreshToken))
    }
    expect((await sessionsOf(phone.userId)).map((s) => s.end_reason)).toEqual(['deleted', 'deleted'])
    // A sign-in that found the account just before 注销 makes no session after it.
    await expect(startSession(t.database.db, t.app.signTokens, phone.userId)).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    })
    expect(await sessionsOf(phone.userId)).toHaveLength(2)
  })
})

describe('the scheduler forgets spent sign-ins', () => {
  it('removes expired tokens and ended or token-less sessions; keeps what can still sign in, and spent tokens until they expire', async () => {
    const sessionOf = (p: Pair) => Number(t.app.jwt.decode<{ sid: string }>(p.token)!.sid)
    const live = await signIn()
    const refreshed = await signIn()
    const next = (await refresh(refreshed.refreshToken)).json()
    const signedOut = await signIn()
    expect((await signOut(signedOut.token)).statusCode).toBe(200)
    const lapsed = await signIn()
    await t.database.db.execute(
      sql`UPDATE refresh_tokens SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE session_id = ${sessionOf(lapsed)}`,
    )
    await t.database.db.execute(
      sql`UPDATE sessions SET created_at = NOW(3) - INTERVAL 31 DAY WHERE id = ${sessionOf(lapsed)}`,
    )

    await purgeSessions(t.database.db)
    const sessions = (await t.rows<{ id: number }>('sessions')).map((s) => s.id)
    const tokens = await t.rows<{ session_id: number }>('refresh_tokens')
    const tokensOf = (p: Pair) => tokens.filter((r) => r.session_id === sessionOf(p)).length
    expect(sessions).toEqual(expect.arrayContaining([sessionOf(live), sessionOf(refreshed)]))
    expect(sessions).not.toContain(sessionOf(signedOut))
    expect(sessions).not.toContain(sessionOf(lapsed))
    expect([tokensOf(live), tokensOf(refreshed), tokensOf(signedOut), tokensOf(lapsed)]).toEqual([1, 2, 0, 0])
    // What is left still works, and a spent token still ends its sign-in.
    expect((await me(live.token)).statusCode).toBe(200)
    expectRefused(await refresh(refreshed.refreshToken))
    expectRefused(await refresh(next.refreshToken))
  })
})

describe('a token whose subject is not a row id', () => {
  const BAD_IDS: unknown[] = [
    'abc',
    '-1',
    '0',
    '1.5',
    '1e3',
    '1e400',
    'Infinity',
    'NaN',
    '0x10',
    ' 1',
    '１',
    '',
    '99999999999999999999',
    '9007199254740993',
    1,
    null,
    ['1'],
  ]

  /** Claims made from a real sign-in's `sub` and `sid` that name no sign-in. */
  const forgedFrom = (sub: string, sid: string) => [
    ...BAD_IDS.map((bad) => ({ sub: bad, sid })),
    ...BAD_IDS.map((bad) => ({ sub, sid: bad })),
    // Before sessions existed: no session at all; and another user's session.
    { sub },
    { sub: String(Number(sub) + 1), sid },
  ]

  it('is a 401 with the sign-in message on every authenticated route, never a 500', async () => {
    const real = await signIn('demo-zhangjia-committee')
    const { sub, sid } = t.app.jwt.decode<{ sub: string; sid: string }>(real.token)!
    const forged = forgedFrom(sub, sid)
    const routes = [
      ['GET', '/api/me'],
      ['GET', `/api/villages/${zhangjia}/reports`],
      ['GET', `/api/villages/${zhangjia}/applications`],
      ['POST', '/api/auth/sign-out'],
    ] as const
    for (const claims of forged) {
      const token = t.app.jwt.sign({ ...claims, typ: 'access' } as never)
      for (const [method, url] of routes) {
        const res = await t.app.inject({ method, url, headers: auth(token) })
        expect(res.statusCode, `${method} ${url} with ${JSON.stringify(claims)}: ${res.body}`).toBe(401)
        expect(res.json()).toEqual({ code: 'UNAUTHENTICATED', message: '请先登录' })
      }
    }
    // The real sign-in was not ended by any of it.
    expect((await me(real.token)).statusCode).toBe(200)
  })

  it('is a 401 for a refresh token too, and ends nobody’s sign-in', async () => {
    const real = await signIn('demo-zhangjia-resident')
    const { sub, sid } = t.app.jwt.decode<{ sub: string; sid: string }>(real.refreshToken)!
    // And the real claims under a token id (jti) the server never issued.
    const forged = [...forgedFrom(sub, sid), { sub, sid }]
    for (const claims of forged) {
      const res = await refresh(t.app.jwt.sign({ ...claims, typ: 'refresh', jti: 'forged' } as never))
      expect(res.statusCode, `${JSON.stringify(claims)}: ${res.body}`).toBe(401)
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED', details: [{ field: 'refreshToken' }] })
    }
    expect((await refresh(real.refreshToken)).statusCode).toBe(200)
  })
})
