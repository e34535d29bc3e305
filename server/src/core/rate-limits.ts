import { ErrorCode } from '@liren/shared/contracts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from './errors.js'

/** How many times a minute one action may be taken by one user, and from one IP address (a village office may share one). */
export interface Limit {
  perUser: number
  perIp: number
}

export interface Limiter {
  /** onRequest hook: counts the request against its address, before its body is read. */
  perIp(req: FastifyRequest, reply: FastifyReply): Promise<void>
  /** preHandler after `app.authenticate`: counts it against the signed-in user (verified, so a forged token spends nobody's). */
  perUser(req: FastifyRequest, reply: FastifyReply): Promise<void>
  /** The same, for a user known only inside the handler (who just signed in). */
  user(req: FastifyRequest, reply: FastifyReply, userId: number): Promise<void>
}

type Counter = ReturnType<FastifyInstance['createRateLimit']>

/** Refuses the request over the limit: 429 in the one error shape, with retry-after. */
async function spend(count: Counter, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const result = await count(req)
  if (result.isAllowed || !result.isExceeded) return
  reply.header('retry-after', result.ttlInSeconds)
  throw new AppError(429, ErrorCode.RATE_LIMITED, '操作太频繁，请稍后再试')
}

const userKey = Symbol('rate-limited user')

/**
 * One action's limits, each its own window of one minute in @fastify/rate-limit's store. `action`
 * names the counters: in a shared store (Redis) they are told apart by it, across every server.
 */
export function limiter(app: FastifyInstance, action: string, limit: Limit): Limiter {
  const byIp = app.createRateLimit({
    max: limit.perIp,
    timeWindow: 60_000,
    keyGenerator: (req) => `${action}:ip:${req.ip}`,
  })
  const byUser = app.createRateLimit({
    max: limit.perUser,
    timeWindow: 60_000,
    keyGenerator: (req) => `${action}:user:${(req as unknown as Record<symbol, number>)[userKey]}`,
  })
  const user = (req: FastifyRequest, reply: FastifyReply, userId: number) => {
    ;(req as unknown as Record<symbol, number>)[userKey] = userId
    return spend(byUser, req, reply)
  }
  return {
    perIp: (req, reply) => spend(byIp, req, reply),
    perUser: (req, reply) => user(req, reply, req.actor.userId),
    user,
  }
}
