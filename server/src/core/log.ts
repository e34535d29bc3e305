import type { FastifyServerOptions } from 'fastify'

/**
 * What the server's log may say. Logs carry no names, phone numbers, openids or tokens: a request is
 * logged by method, path and the names (not values) of its query parameters; an error by its type,
 * code and message with every quoted value taken out (a duplicate-key message quotes the row's
 * value) and never with the SQL or its parameters. Authorization headers are never logged at all.
 */
const QUOTED = /'[^']*'|"[^"]*"/g
const scrub = (text: string | undefined) => (text ?? '').replace(QUOTED, "'…'")

export function safeUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const keys = [...new URLSearchParams(url.slice(q + 1)).keys()]
  return `${url.slice(0, q)}?${keys.map((k) => `${encodeURIComponent(k)}=…`).join('&')}`
}

interface LoggedRequest {
  method: string
  url: string
  id: string
  routeOptions?: { url?: string }
}

export const logSerializers = {
  req: (req: LoggedRequest) => ({ id: req.id, method: req.method, url: safeUrl(req.url), route: req.routeOptions?.url }),
  err: (err: Error & { code?: string; errno?: number; statusCode?: number }) => {
    // drizzle wraps the driver's error: what the database said is in the cause.
    const cause = err.cause as { code?: string; errno?: number; message?: string } | undefined
    return {
      type: err.name,
      code: err.code,
      errno: err.errno,
      statusCode: err.statusCode,
      message: scrub(err.message),
      stack: scrub(err.stack),
      ...(cause ? { cause: { code: cause.code, errno: cause.errno, message: scrub(cause.message) } } : {}),
    }
  },
}

/** The server's logger options: the level, the serializers above, and optionally a file to write to. */
export function loggerOptions(level: string, file?: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    serializers: logSerializers,
    // A message may be an error's own (Fastify logs a 500's message): quoted values go from it too.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>)
      },
    },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...(file ? { file } : {}),
  }
}
