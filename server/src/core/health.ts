import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiErrorBody, ErrorCode, Health } from '@liren/shared/contracts'
import type mysql from 'mysql2/promise'

/** /healthz: the process answers. /readyz: the database answers too. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ pool: mysql.Pool }> = async (app, { pool }) => {
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
        await pool.query('SELECT 1')
        return { status: 'ok' as const }
      } catch (err) {
        req.log.warn({ err }, 'database not ready')
        return reply.status(503).send({ code: ErrorCode.SERVICE_UNAVAILABLE, message: '数据库暂时不可用' })
      }
    },
  )
}
