import { randomBytes } from 'node:crypto'
import fastifyJwt from '@fastify/jwt'
import { ErrorCode } from '@liren/shared/contracts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Actor } from './audit.js'
import { AppError } from './errors.js'

export const ACCESS_TTL_SECONDS = 15 * 60
export const REFRESH_TTL_SECONDS = 30 * 24 * 60 * 60

/** `sid`: the session (one sign-in) the token belongs to; `jti` makes every refresh token unique. */
interface TokenPayload {
  sub: string
  sid: string
  typ: 'access' | 'refresh'
  jti?: string
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload
    user: TokenPayload
  }
}

export interface TokenSet {
  token: string
  refreshToken: string
  expiresIn: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid access token of a live session is required; sets `request.actor`. */
    authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void>
    /** Signs an access and a refresh token for a session the caller has stored (identity/sessions.ts). */
    signTokens(userId: number, sessionId: number): TokenSet
    /** Verifies a refresh token's signature, kind and expiry, and returns whom and which session it names. */
    verifyRefreshToken(token: string): { userId: number; sessionId: number }
    /** Which action of the permission policy guards each route, by `METHOD url` (routes without one are absent). */
    routePermissions: Map<string, string>
  }
  interface FastifyRequest {
    actor: Actor
  }
}

const unauthenticated = () => new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')
const refreshRefused = (message: string) =>
  new AppError(401, ErrorCode.UNAUTHENTICATED, '登录已失效，请重新登录', [{ field: 'refreshToken', message }])

/**
 * A row id as a token names it: decimal digits of a positive integer JavaScript holds exactly. Anything
 * else ("abc", "-1", "1e400", twenty nines) names no row, and must never reach a query as NaN or Infinity.
 */
export function tokenId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,15}$/.test(value)) return null
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : null
}

/**
 * `isLive`: whether the token's session is still open and its user still has an account: an ended
 * sign-in's or a deleted account's access token, still valid for up to 15 minutes, is no sign-in at all.
 */
export const authPlugin = fp<{ secret: string; isLive: (userId: number, sessionId: number) => Promise<boolean> }>(
  async (app: FastifyInstance, opts) => {
    await app.register(fastifyJwt, { secret: opts.secret })

    app.decorateRequest('actor', null as unknown as Actor)

    // A route's guard (identity's requirePermission) carries the action it checks: recorded here, so the policy
    // can be compared with what each route really requires.
    const routePermissions = new Map<string, string>()
    app.decorate('routePermissions', routePermissions)
    app.addHook('onRoute', (route) => {
      const guards = [route.preHandler ?? []].flat() as { permission?: string }[]
      const action = guards.find((g) => typeof g?.permission === 'string')?.permission
      for (const method of [route.method].flat()) if (action) routePermissions.set(`${method} ${route.url}`, action)
    })

    app.decorate('signTokens', (userId: number, sessionId: number) => ({
      token: app.jwt.sign(
        { sub: String(userId), sid: String(sessionId), typ: 'access' },
        { expiresIn: ACCESS_TTL_SECONDS },
      ),
      refreshToken: app.jwt.sign(
        { sub: String(userId), sid: String(sessionId), typ: 'refresh', jti: randomBytes(16).toString('base64url') },
        { expiresIn: REFRESH_TTL_SECONDS },
      ),
      expiresIn: ACCESS_TTL_SECONDS,
    }))

    app.decorate('verifyRefreshToken', (token: string) => {
      let payload: TokenPayload
      try {
        payload = app.jwt.verify<TokenPayload>(token)
      } catch {
        throw refreshRefused('刷新凭证无效或已过期')
      }
      if (payload.typ !== 'refresh') throw refreshRefused('这不是刷新凭证')
      const userId = tokenId(payload.sub)
      const sessionId = tokenId(payload.sid)
      if (userId === null || sessionId === null) throw refreshRefused('刷新凭证无效或已过期')
      return { userId, sessionId }
    })

    app.decorate('authenticate', async (req: FastifyRequest) => {
      if (!req.headers.authorization) throw unauthenticated()
      try {
        await req.jwtVerify()
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') {
          throw new AppError(401, ErrorCode.TOKEN_EXPIRED, '登录已过期，请重新登录')
        }
        throw unauthenticated()
      }
      if (req.user.typ !== 'access') throw unauthenticated()
      const userId = tokenId(req.user.sub)
      const sessionId = tokenId(req.user.sid)
      if (userId === null || sessionId === null || !(await opts.isLive(userId, sessionId))) throw unauthenticated()
      req.actor = { userId, requestId: req.id }
    })
  },
)
