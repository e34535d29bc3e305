import type { FastifySchema } from 'fastify'
import { security } from './errors.js'

/**
 * Options of a signed-in route in one module's OpenAPI section: its guards, and its schema with the module's tags,
 * a summary and the bearer security. Generic in the schema so the TypeBox type provider still types the handler.
 */
export const signedInRoute =
  (tags: string[]) =>
  <G, S extends FastifySchema>(preHandler: G, summary: string, schema: S) => ({
    preHandler,
    schema: { tags, summary, security, ...schema },
  })
