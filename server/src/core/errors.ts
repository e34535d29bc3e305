import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  ApiErrorBody as ApiErrorBodySchema,
  ErrorCode,
  type ApiErrorBody,
  type FieldError,
} from '@liren/shared/contracts'
import { isDatabaseUnavailable } from './db.js'

/** An expected failure of a use case: becomes `{code, message, details}` with its HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message)
  }
}

export const notFound = (code: ErrorCode, message: string, field?: string) =>
  new AppError(404, code, message, field ? [{ field, message }] : undefined)
export const conflict = (code: ErrorCode, message: string) => new AppError(409, code, message)
export const forbidden = (message = '您没有权限做这件事') => new AppError(403, ErrorCode.FORBIDDEN, message)
export const invalid = (field: string, message: string) =>
  new AppError(400, ErrorCode.VALIDATION_FAILED, message, [{ field, message }])

export interface AjvError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
  parentSchema?: { title?: string; properties?: Record<string, { title?: string }> }
}

const location: Record<string, string> = { body: '', querystring: '', params: '', headers: 'header ' }

/** Turns one AJV error into a field path and a Chinese message naming the field. */
export function fieldError(e: AjvError, context: string | undefined): FieldError {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
  let field = path
  let label = e.parentSchema?.title
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
    field = path ? `${path}.${e.params.missingProperty}` : e.params.missingProperty
    label = e.parentSchema?.properties?.[e.params.missingProperty]?.title
  }
  const name = label ?? (field || '请求内容')
  const p = e.params
  const msg = (() => {
    switch (e.keyword) {
      case 'required':
        return `请填写${name}`
      case 'type':
        return `${name}的格式不对（应为${typeName(String(p.type))}）`
      case 'minLength':
        return `${name}至少要 ${p.limit} 个字`
      case 'maxLength':
        return `${name}最多 ${p.limit} 个字`
      case 'minimum':
      case 'exclusiveMinimum':
        return `${name}不能小于 ${p.limit}`
      case 'maximum':
      case 'exclusiveMaximum':
        return `${name}不能大于 ${p.limit}`
      case 'pattern':
        return `${name}含有不允许的字符`
      case 'format':
        return `${name}的格式不对`
      case 'enum':
      case 'const':
      case 'anyOf':
        return `${name}不是可选的值`
      case 'additionalProperties':
        return `不认识的字段 ${String(p.additionalProperty)}`
      default:
        return `${name}不正确`
    }
  })()
  return { field: `${location[context ?? ''] ?? ''}${field}`.trim() || (context ?? ''), message: msg }
}

function typeName(t: string): string {
  return (
    (
      { string: '文字', integer: '整数', number: '数字', boolean: '是或否', object: '对象', array: '列表' } as Record<
        string,
        string
      >
    )[t] ?? t
  )
}

/** How much of a refused body the server reads and drops before it cuts the connection instead. */
const DRAIN_LIMIT = 64 * 1024 * 1024

/**
 * A body refused before it was read (too large for the limit): Fastify asks for the connection to
 * close, and Node then resets it while the client is still sending, so a client that sends its whole
 * body before reading (a phone on a slow network) sees EPIPE or ECONNRESET, never the 413. Instead the
 * connection stays open and the rest of the body is read and dropped (the parser knows where it ends),
 * up to DRAIN_LIMIT bytes; past that the connection is cut after all.
 */
function drainUnread(req: FastifyRequest, reply: FastifyReply): void {
  const raw = req.raw
  if (raw.complete) return
  reply.removeHeader('connection')
  let dropped = 0
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > DRAIN_LIMIT) raw.socket.destroy()
  })
  raw.resume()
}

export function registerErrorHandling(app: FastifyInstance): void {
  // Before any error handler answers (Open311 has its own).
  app.addHook('onError', async (req, reply, err) => {
    if (err.statusCode === 413) drainUnread(req, reply)
  })
  app.setErrorHandler((err: FastifyError & { validation?: AjvError[]; validationContext?: string }, req, reply) => {
    let status: number
    let body: ApiErrorBody
    if (err instanceof AppError) {
      status = err.status
      body = { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) }
    } else if (err.validation) {
      const details = err.validation.map((v) => fieldError(v, err.validationContext))
      status = 400
      body = { code: ErrorCode.VALIDATION_FAILED, message: details[0]?.message ?? '填写的内容不正确', details }
    } else if (
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (err.statusCode === 400 && err instanceof SyntaxError)
    ) {
      status = 400
      body = {
        code: ErrorCode.VALIDATION_FAILED,
        message: '请求内容不是有效的 JSON',
        details: [{ field: 'body', message: '请求内容不是有效的 JSON' }],
      }
    } else if (err.statusCode === 429) {
      status = 429
      body = { code: ErrorCode.RATE_LIMITED, message: '操作太频繁，请稍后再试' }
    } else if (isDatabaseUnavailable(err)) {
      req.log.error({ err }, 'database unavailable')
      status = 503
      body = { code: ErrorCode.SERVICE_UNAVAILABLE, message: '系统暂时无法使用，请稍后再试' }
      reply.header('retry-after', '5')
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode
      // A plugin's refusal (a body too large, a path the static files cannot serve): its own code by status.
      if (status === 404) body = { code: ErrorCode.NOT_FOUND, message: '找不到这个页面或接口' }
      else if (status === 413) body = { code: ErrorCode.VALIDATION_FAILED, message: '提交的内容太大' }
      else if (status === 415) body = { code: ErrorCode.VALIDATION_FAILED, message: '不支持的请求格式' }
      else body = { code: ErrorCode.VALIDATION_FAILED, message: '请求不正确' }
    } else {
      req.log.error({ err }, 'unhandled error')
      status = 500
      body = { code: ErrorCode.INTERNAL, message: '系统出了点问题，请稍后再试' }
    }
    return reply.status(status).send(body)
  })

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ code: ErrorCode.NOT_FOUND, message: '找不到这个页面或接口' } satisfies ApiErrorBody)
  })
}

/** The `response` entries of a route schema for the error statuses it can answer, all in the one error shape. */
export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ApiErrorBodySchema]))

/** OpenAPI security requirement of a route that needs a signed-in user. */
export const security = [{ bearerAuth: [] }]
