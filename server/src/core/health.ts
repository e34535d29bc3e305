import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiErrorBody, ErrorCode, Health } from '@liren/shared/contracts'
import { databaseReady, type SqlPool } from './db.js'

/** /healthz: the process answers. /readyz: the database answers too, and is ready (a cluster node: synced). */
export const healthRoutes: FastifyPluginAsyncTypebox<{ pool: SqlPool }> = async (app, { pool }) => {
  app.get(
    '/healthz',
    { config: { rateLimit: false }, schema: { tags: ['ops'], response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  )
  app.get(
    '/readyz',
    { config: { rateLimit: false }, schema: { tags: ['ops'], response: { 200: Health, 503: ApiErrorBody } } },
    async (req, reply) => {
      try {
        if (await databaseReady(pool)) return { status: 'ok' as const }
        req.log.warn('database node not synced with its cluster')
        return reply.status(503).send({ code: ErrorCode.SERVICE_UNAVAILABLE, message: '数据库节点还没有准备好' })
      } catch (err) {
        req.log.warn({ err }, 'database not ready')
        return reply.status(503).send({ code: ErrorCode.SERVICE_UNAVAILABLE, message: '数据库暂时不可用' })
      }
    },
  )
}
