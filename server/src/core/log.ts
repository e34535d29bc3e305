import type { FastifyServerOptions } from 'fastify'

/**
 * What the server's log may say. Logs carry no names, phone numbers, openids or tokens: a request is
 * logged by method, path and the names (not values) of its query parameters; an error by its type,
 * code and message with every quoted value taken out (a duplicate-key message quotes the row's
 * value); a failed query by the statement's name ("INSERT INTO users") and the database's errno and
 * SQLSTATE, never its text or parameters (drizzle puts both in its error's message and stack).
 * Authorization headers are never logged at all.
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

/**
 * A statement by its verb and first table ("SELECT villages", "INSERT INTO users"): enough to find
 * the query in the code, nothing of what it carried.
 */
export function statementName(text: string): string {
  const write = /^\s*(insert(?:\s+ignore)?\s+into|replace\s+into|update|delete\s+from)\s+`?(\w+)/i.exec(text)
  if (write) return `${write[1]!.replace(/\s+/g, ' ').toUpperCase()} ${write[2]}`
  const verb = /^\s*\(?\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY'
  // The statement's own FROM, not a subquery's in its select list (drizzle writes those inline).
  let depth = 0
  let outer = ''
  for (const ch of text) {
    if (ch === '(') depth++
    else if (ch === ')') depth--
    outer += depth === 0 ? ch : ' '
  }
  const from = /\bfrom\s+`?(\w+)/i
  const table = (from.exec(outer) ?? from.exec(text))?.[1]
  return table ? `${verb} ${table}` : verb
}

const FAILED_QUERY = 'Failed query: '
const scrubMessage = (text: string) => {
  const at = text.indexOf(FAILED_QUERY)
  return at < 0
    ? scrub(text)
    : `${scrub(text.slice(0, at))}query failed: ${statementName(text.slice(at + FAILED_QUERY.length))}`
}

type LoggedError = Error & {
  code?: string
  errno?: number
  sqlState?: string
  statusCode?: number
  query?: string
  sql?: string
}

/** The frames of a stack without its first line, which repeats the message (a failed query's SQL and parameters). */
const frames = (stack: string | undefined) =>
  (stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')

function serializeError(
  err: LoggedError,
  depth: number,
): { type: string; message: string; stack: string; [key: string]: unknown } {
  // drizzle's DrizzleQueryError carries the statement in `query` and its message is "Failed query:
  // <sql>\nparams: <values>"; mysql2's error carries the statement with the values inlined in `sql`
  // and the database's message (values quoted) as its own.
  const drizzle = typeof err.query === 'string' || err.message?.startsWith(FAILED_QUERY)
  const statement =
    typeof err.query === 'string'
      ? err.query
      : typeof err.sql === 'string'
        ? err.sql
        : drizzle
          ? err.message.slice(FAILED_QUERY.length)
          : undefined
  const message = drizzle ? `query failed: ${statementName(statement!)}` : scrub(err.message)
  // What the database said is in the cause (drizzle wraps the driver's error).
  const cause =
    err.cause && typeof err.cause === 'object' && depth < 3
      ? serializeError(err.cause as LoggedError, depth + 1)
      : undefined
  return {
    type: err.name,
    code: err.code,
    errno: err.errno,
    sqlState: err.sqlState,
    statusCode: err.statusCode,
    ...(statement !== undefined ? { statement: statementName(statement) } : {}),
    message,
    stack: `${err.name}: ${message}\n${frames(err.stack)}`,
    ...(cause ? { cause } : {}),
  }
}

export const logSerializers = {
  req: (req: LoggedRequest) => ({
    id: req.id,
    method: req.method,
    url: safeUrl(req.url),
    route: req.routeOptions?.url,
  }),
  err: (err: LoggedError) => serializeError(err, 0),
}

/** The server's logger options: the level, the serializers above, and optionally a file to write to. */
export function loggerOptions(level: string, file?: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    serializers: logSerializers,
    // A message may be an error's own (Fastify logs a 500's message when an error handler fails): quoted
    // values go from it too, and a failed query's message becomes its statement's name.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubMessage(a) : a)) as Parameters<typeof method>)
      },
    },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    ...(file ? { file } : {}),
  }
}
