import type { FastifyReply, FastifySchema } from 'fastify'
import type { TSchema } from 'typebox'
import { errors, security } from './errors.js'
import { attachment } from './files.js'

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

/**
 * The responses of a signed-in route inside a village: its answer, and the errors every such route can give (400
 * bad input, 401 not signed in, 403 not allowed, 404 no such village or thing) with any more it names.
 */
export const ok = <T extends TSchema>(answer: T, ...more: number[]) => ({
  200: answer,
  ...errors(400, 401, 403, 404, ...more),
})

/** The same for a route that creates something: 201 with what it created. */
export const created = <T extends TSchema>(answer: T, ...more: number[]) => ({
  201: answer,
  ...errors(400, 401, 403, 404, ...more),
})

/** Answers with a file to save: its type, its name, and an ASCII name for clients that cannot read the first. */
export const download = (reply: FastifyReply, type: string, name: string, asciiName: string, body: unknown) =>
  reply.type(type).header('content-disposition', attachment(name, asciiName)).send(body)
