import type { FastifyRequest } from 'fastify'
import { ErrorCode, type FieldError } from '@liren/shared/contracts'
import { AppError, fieldError, invalid, type AjvError } from './errors.js'

/**
 * Half of a UTF-16 surrogate pair on its own (with the u flag the class matches no whole pair), or a
 * control character other than tab, line feed and carriage return (NUL, escape, bell).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BROKEN = /[\uD800-\uDFFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u
/** Blank at either end: white space (the full-width space included) and the zero-width characters. */
const EDGES = /^[\s\u200B-\u200D\u2060]+|[\s\u200B-\u200D\u2060]+$/gu

/**
 * The path of the first string under `holder[key]` holding broken text ('' for the value itself), or
 * null; each string trimmed in place when `trim`. Iterative: a body may nest deeper than the stack.
 */
function clean(holder: Record<string, unknown>, key: string, trim: boolean): string | null {
  const stack: [Record<string, unknown>, string, string][] = [[holder, key, '']]
  while (stack.length) {
    const [parent, k, path] = stack.pop()!
    const v = parent[k]
    if (typeof v === 'string') {
      if (BROKEN.test(v)) return path
      if (trim) parent[k] = v.replace(EDGES, '')
    } else if (v && typeof v === 'object') {
      for (const child of Object.keys(v))
        stack.push([v as Record<string, unknown>, child, path ? `${path}.${child}` : child])
    }
  }
  return null
}

/**
 * preValidation: trims the body's text, so a title of spaces or zero-width characters meets the
 * contract's minLength like an empty one; and refuses text no keyboard types, in the body or the query.
 * A lone surrogate, which JSON can spell (`"\ud800"`), is refused by MariaDB's JSON columns (the audit
 * log's among them: a 500) and stored as U+FFFD by its text columns; a control character has no place
 * in a village's text, and XML (Open311) cannot carry one.
 */
export async function cleanInput(req: FastifyRequest): Promise<void> {
  const at =
    clean(req as unknown as Record<string, unknown>, 'body', true) ??
    clean(req as unknown as Record<string, unknown>, 'query', false)
  if (at !== null) throw invalid(at || 'body', '有无法识别的字符，请删掉后重新输入')
}

/** The part of a route's JSON schema the number check reads. */
interface Schema {
  type?: string | string[]
  anyOf?: Schema[]
  properties?: Record<string, Schema>
  items?: Schema
  title?: string
  minimum?: number
  maximum?: number
}

/** How a number is written in a URL, a form or a JSON string: decimal digits, a minus, a decimal point. */
const INTEGER_TEXT = /^-?\d+$/
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/

/** 'integer' or 'number' when the schema takes that (and perhaps null) and nothing else. */
function numeric(s: Schema): 'integer' | 'number' | null {
  const types = (s.anyOf ?? [s]).flatMap((b) => (Array.isArray(b.type) ? b.type : [b.type])).filter((t) => t !== 'null')
  if (types.length === 0 || types.some((t) => t !== 'integer' && t !== 'number')) return null
  return types.includes('number') ? 'number' : 'integer'
}
const bound = (s: Schema, key: 'minimum' | 'maximum') => s[key] ?? s.anyOf?.find((b) => b[key] !== undefined)?.[key]

/** What is wrong with `value` as a number of kind `kind`, or null (a list or an object is the validator's to refuse). */
function badNumber(value: unknown, kind: 'integer' | 'number', s: Schema, name: string): string | null {
  const form = `${name}的格式不对（应为${kind === 'integer' ? '整数' : '数字'}）`
  // The validator would read true as 1.
  if (typeof value === 'boolean') return form
  if (typeof value === 'string' && !(kind === 'integer' ? INTEGER_TEXT : NUMBER_TEXT).test(value)) return form
  if (typeof value !== 'string' && typeof value !== 'number') return null
  const n = Number(value)
  if (!Number.isFinite(n)) return form
  if (n > Number.MAX_SAFE_INTEGER) return `${name}不能大于 ${bound(s, 'maximum') ?? Number.MAX_SAFE_INTEGER}`
  if (n < -Number.MAX_SAFE_INTEGER) return `${name}不能小于 ${bound(s, 'minimum') ?? -Number.MAX_SAFE_INTEGER}`
  return null
}

/** Every number under `value` that `schema` wants and that is not one, as a field and a message, into `out`. */
function badNumbers(schema: Schema | undefined, value: unknown, path: string, out: FieldError[]): void {
  if (!schema || value === undefined || value === null) return
  const kind = numeric(schema)
  if (kind) {
    const problem = badNumber(value, kind, schema, schema.title ?? (path || '请求内容'))
    if (problem) out.push({ field: path, message: problem })
    return
  }
  const join = (key: string) => (path ? `${path}.${key}` : key)
  for (const branch of schema.anyOf ?? [schema]) {
    if (branch.properties && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, sub] of Object.entries(branch.properties))
        badNumbers(sub, (value as Record<string, unknown>)[key], join(key), out)
    }
    if (branch.items && Array.isArray(value))
      for (const [i, item] of value.entries()) badNumbers(branch.items, item, join(String(i)), out)
  }
}

const PARTS = [
  ['params', 'params'],
  ['querystring', 'query'],
  ['body', 'body'],
] as const

/**
 * preValidation: every number the route's schema asks for, in the path, the query and the body, is a
 * number: written in decimal digits when it comes as text ("0x10", " 5", "1e3", "Infinity" are
 * refused), finite, and an integer within ±2^53 (ids are bigint columns; past 2^53 JavaScript no
 * longer holds the integer exactly). The validator alone lets "Infinity" and "1e400" through as
 * Infinity: it converts the text, then skips the range checks, which only look at finite numbers.
 */
export async function checkNumbers(req: FastifyRequest): Promise<void> {
  const schema = req.routeOptions.schema as Partial<Record<(typeof PARTS)[number][0], Schema>> | undefined
  if (!schema) return
  const details: FieldError[] = []
  for (const [part, key] of PARTS) badNumbers(schema[part], req[key], '', details)
  if (details.length === 0) return
  // What else the validator finds is reported with them, as when it alone refuses a request (the
  // request is refused either way, so its coercions into the request do not matter).
  for (const [part, key] of PARTS) {
    const validate = req.getValidationFunction(part)
    if (!validate || validate(req[key])) continue
    for (const e of (validate.errors ?? []) as AjvError[]) {
      const other = fieldError(e, part)
      if (!details.some((d) => d.field === other.field)) details.push(other)
    }
  }
  for (const d of details) d.field ||= 'body'
  throw new AppError(400, ErrorCode.VALIDATION_FAILED, details[0]!.message, details)
}
