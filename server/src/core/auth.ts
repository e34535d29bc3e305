import fastifyJwt from '@fastify/jwt'
import { ErrorCode } from '@liren/shared/contracts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Actor } from './audit.js'
import { AppError } from './errors.js'

export const ACCESS_TTL_SECONDS = 15 * 60
export const REFRESH_TTL_SECONDS = 30 * 24 * 60 * 60

interface TokenPayload {
  sub: string
  typ: 'access' | 'refresh'
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload
    user: TokenPayload
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid access token is required; sets `request.actor`. */
    authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void>
    signTokens(userId: number): { token: string; refreshToken: string; expiresIn: number }
    /** Verifies a refresh token and returns its user id. */
    verifyRefreshToken(token: string): number
  }
  interface FastifyRequest {
    actor: Actor
  }
}

const unauthenticated = () => new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')

/**
 * `isLive`: whether the token's user still has an account (one primary-key read per request): a deleted
 * account's access token, still valid for up to 15 minutes, is no sign-in at all.
 */
export const authPlugin = fp<{ secret: string; isLive: (userId: number) => Promise<boolean> }>(async (app: FastifyInstance, opts) => {
  await app.register(fastifyJwt, { secret: opts.secret })

  app.decorateRequest('actor', null as unknown as Actor)

  app.decorate('signTokens', (userId: number) => ({
    token: app.jwt.sign({ sub: String(userId), typ: 'access' }, { expiresIn: ACCESS_TTL_SECONDS }),
    refreshToken: app.jwt.sign({ sub: String(userId), typ: 'refresh' }, { expiresIn: REFRESH_TTL_SECONDS }),
    expiresIn: ACCESS_TTL_SECONDS,
  }))

  app.decorate('verifyRefreshToken', (token: string) => {
    let payload: TokenPayload
    try {
      payload = app.jwt.verify<TokenPayload>(token)
    } catch {
      throw new AppError(401, ErrorCode.UNAUTHENTICATED, '登录已失效，请重新登录', [{ field: 'refreshToken', message: '刷新凭证无效或已过期' }])
    }
    if (payload.typ !== 'refresh') {
      throw new AppError(401, ErrorCode.UNAUTHENTICATED, '登录已失效，请重新登录', [{ field: 'refreshToken', message: '这不是刷新凭证' }])
    }
    return Number(payload.sub)
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
    const userId = Number(req.user.sub)
    if (!(await opts.isLive(userId))) throw unauthenticated()
    req.actor = { userId, requestId: req.id }
  })
})
