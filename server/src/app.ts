import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { join } from 'node:path'
import fastifyCors from '@fastify/cors'
import fastifyMultipart from '@fastify/multipart'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyReply } from 'fastify'
import { ErrorCode, type ApiErrorBody } from '@liren/shared/contracts'
import helmet from 'helmet'
import { Redis } from 'ioredis'
import type { Config } from './config.js'
import { authPlugin } from './core/auth.js'
import type { Database } from './core/db.js'
import { registerErrorHandling } from './core/errors.js'
import { healthRoutes } from './core/health.js'
import { checkNumbers, cleanInput } from './core/input.js'
import { loggerOptions } from './core/log.js'
import { Secrets } from './core/secrets.js'
import { LocalStorage, type Storage } from './core/storage.js'
import { WechatClient } from './core/wechat.js'
import { identityRoutes, liveSessions } from './modules/identity/index.js'
import { meetingRoutes } from './modules/meetings/index.js'
import { activityRoutes, pointsRoutes, serviceRoutes, shopRoutes } from './modules/points/index.js'
import { open311Routes } from './modules/open311/index.js'
import { privacyRoutes } from './modules/privacy/index.js'
import { reportRoutes } from './modules/reports/index.js'
import { rosterRoutes } from './modules/roster/index.js'
import { setupRoutes } from './modules/setup/index.js'
import { todoRoutes } from './modules/todo/index.js'

export interface AppDeps {
  database: Database
  /** Where WeChat's server API lives: the real host, or the mock in development and tests. */
  wechatApiBase: string
  /** Where photos go; the local directory of the config by default. */
  storage?: Storage
  /** Write the log to this file instead of standard output (the tests keep theirs). */
  logFile?: string
}

/** Builds the app: external plugins → core → modules. Listening and shutdown are main.ts's job. */
export async function buildApp(config: Config, deps: AppDeps) {
  const app = Fastify({
    logger: loggerOptions(config.logLevel, deps.logFile),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(given) ? given : randomUUID()
    },
    bodyLimit: 1024 * 1024,
    // Requests that reach the router while the server closes are served, not refused with Fastify's
    // own 503 (not the one error shape): they were sent before the server stopped taking connections.
    return503OnClosing: false,
    // WeChat's wx.request has no PATCH: the mini-program sends POST with X-HTTP-Method-Override.
    rewriteUrl(req) {
      if (req.method === 'POST' && String(req.headers['x-http-method-override'] ?? '').toUpperCase() === 'PATCH')
        req.method = 'PATCH'
      return req.url ?? '/'
    },
    // A URL the router cannot read (bad percent-encoding, a path parameter over 100 characters) is
    // answered in the one error shape too, with the security headers, without echoing the URL back.
    frameworkErrors(err, req, reply) {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      const body: ApiErrorBody = { code: ErrorCode.VALIDATION_FAILED, message: tooLong ? '网址太长了' : '网址不正确' }
      secureHeaders(req.raw, reply.raw, () => void (reply as FastifyReply).status(tooLong ? 414 : 400).send(body))
    },
    // 'all': fields a contract does not name are dropped (`true` drops them only where a schema says
    // additionalProperties: false, which the contracts do not), so no use case sees them.
    ajv: {
      customOptions: { removeAdditional: 'all', coerceTypes: true, useDefaults: true, allErrors: true, verbose: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Security headers from helmet, its middleware built once: @fastify/helmet builds it again (and
  // parses the CSP again) for every request, a tenth of a cheap route's CPU.
  const secureHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The H5 page's own inline script (Taro's, which sets the root font size the pages are designed
        // at) by its hash, and no other inline script.
        scriptSrc: ["'self'", ...inlineScriptHashes(config.h5Root)],
        connectSrc: ["'self'"],
      },
    },
  })
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id)
    secureHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined))
  })
  // While shutting down, in-flight requests still get their answer, then their keep-alive
  // connection closes, so the server can stop without cutting anyone off. Stopping to listen resets
  // the connections the kernel has taken but the server not yet (the listen backlog), and Node resets
  // taken ones whose request it has not read yet: so a listening server first drains, taking and
  // answering connections until none has come for a moment.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
    if (app.server.listening) await quiet(app.server, 250, 3000)
  })
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })

  // external plugins
  await app.register(fastifyCors, { origin: config.corsOrigins, credentials: false })
  await app.register(fastifyMultipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 5, parts: 6 } })
  // With several servers, the counts live in Redis so that a limit is one limit whichever server answers.
  const redis = config.rateLimitRedisUrl
    ? new Redis(config.rateLimitRedisUrl, { connectTimeout: 1000, maxRetriesPerRequest: 1, lazyConnect: false })
    : null
  if (redis) app.addHook('onClose', async () => void (await redis.quit()))
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    ...(redis ? { redis, nameSpace: 'liren-rate-limit:', skipOnError: true } : {}),
    // Tell the error handler it is a rate limit (it answers in the one error shape).
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, message: 'rate limited', ttl: ctx.ttl }),
    // The H5 app's own files (its page and bundles) are not calls to the API: loading the app once fetches
    // dozens of them, and the phones of a village behind one address would spend the API's budget on them.
    allowList: (req) => req.method === 'GET' && isAppFile(req.url),
  })
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: '里仁 Liren API',
        version: '0.1.0',
        description: 'Resident participation for villages and neighbourhoods',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })

  // core
  registerErrorHandling(app)
  // Numbers first: a number sent as text is refused as it came (" 5"), before text is trimmed.
  app.addHook('preValidation', checkNumbers)
  app.addHook('preValidation', cleanInput)
  await app.register(authPlugin, { secret: config.jwtSecret, isLive: liveSessions(deps.database.db) })
  await app.register(healthRoutes, { pool: deps.database.pool })

  // modules
  const wechat = new WechatClient({
    appid: config.wechat.appid,
    secret: config.wechat.secret,
    apiBase: deps.wechatApiBase,
  })
  const secrets = new Secrets(config.dataKeys)
  await app.register(identityRoutes, {
    db: deps.database.db,
    wechat,
    secrets,
    devLogin: config.nodeEnv !== 'production',
    loginLimit: config.limits.login,
  })
  await app.register(setupRoutes, { db: deps.database.db })

  await app.register(rosterRoutes, { db: deps.database.db, secrets })
  await app.register(pointsRoutes, { db: deps.database.db })
  await app.register(activityRoutes, { db: deps.database.db, wechat, codeSecret: config.jwtSecret })
  await app.register(serviceRoutes, { db: deps.database.db })
  await app.register(shopRoutes, { db: deps.database.db })
  await app.register(reportRoutes, {
    db: deps.database.db,
    wechat,
    storage: deps.storage ?? new LocalStorage(config.storageDir),
    limits: { report: config.limits.report, upload: config.limits.upload },
    subscribeTemplateId: config.wechat.reportTemplateId,
  })
  await app.register(meetingRoutes, {
    db: deps.database.db,
    wechat,
    storage: deps.storage ?? new LocalStorage(config.storageDir),
    codeSecret: config.jwtSecret,
    limits: { comment: config.limits.comment, topic: config.limits.topic },
  })
  await app.register(open311Routes, { db: deps.database.db, wechat })
  await app.register(privacyRoutes, { db: deps.database.db, secrets })
  await app.register(todoRoutes, { db: deps.database.db })

  // the H5 build of the client, at /
  if (existsSync(config.h5Root)) {
    // One route per file of the build, not a wildcard: a wildcard would also catch what the API's router
    // refuses (an unknown /api/ path, a path parameter over 100 characters) and answer it as a missing file.
    await app.register(fastifyStatic, {
      root: config.h5Root,
      prefix: '/',
      index: 'index.html',
      maxAge: '1h',
      wildcard: false,
    })
  }
  return app
}

/** A path of the H5 build (served at /): its page, scripts, styles and images. */
/** CSP sources for the inline scripts of the H5 build's index.html, by their SHA-256 (none when it is not built). */
export function inlineScriptHashes(h5Root: string): string[] {
  const page = join(h5Root, 'index.html')
  if (!existsSync(page)) return []
  const html = readFileSync(page, 'utf8')
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body!).digest('base64')}'`,
  )
}

const isAppFile = (url: string) => /^\/(?:index\.html)?(?:\?|$)|^\/(?:js|css|assets)\//.test(url)

/** Resolves once `server` has taken no new connection for `quietMs`, or after `maxMs`. */
function quiet(server: Server, quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now()
    let last = started
    const taken = () => (last = Date.now())
    server.on('connection', taken)
    const check = setInterval(() => {
      const now = Date.now()
      if (now - last < quietMs && now - started < maxMs) return
      clearInterval(check)
      server.off('connection', taken)
      resolve()
    }, 50)
  })
}

export type App = Awaited<ReturnType<typeof buildApp>>
