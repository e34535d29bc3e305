import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { DEFAULT_RETRY_ATTEMPTS } from './core/db.js'
import { KEY_ID, keyBytes, type DataKey } from './core/secrets.js'

const NodeEnv = Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')])

/** Per minute, for one user and for one IP address (a village office may share one, so it is larger). */
const Limit = Type.Object({ perUser: Type.Integer({ minimum: 1 }), perIp: Type.Integer({ minimum: 1 }) })

const ConfigSchema = Type.Object({
  nodeEnv: NodeEnv,
  /** The database (the first of `databaseUrls`): where migrations run and what the commands use. */
  databaseUrl: Type.String({ pattern: '^mysql://' }),
  /** DATABASE_URL may list several, comma-separated: the nodes of a cluster, used in turn when one fails. */
  databaseUrls: Type.Array(Type.String({ pattern: '^mysql://' }), { minItems: 1 }),
  /** How often a transaction that met a conflict (deadlock, cluster certification) runs, in all. */
  dbRetryAttempts: Type.Integer({ minimum: 1, maximum: 50 }),
  /** Galera: reads wait until their node has applied every earlier write of the cluster (read your writes). */
  dbSyncWait: Type.Boolean(),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  jwtSecret: Type.String({ minLength: 16 }),
  /** Keys for personal data at rest (core/secrets.ts): the first encrypts, all decrypt. */
  dataKeys: Type.Array(
    Type.Object({ id: Type.String({ pattern: KEY_ID.source }), key: Type.String({ minLength: 1 }) }),
    { minItems: 1 },
  ),
  wechat: Type.Object({
    appid: Type.String({ minLength: 1 }),
    secret: Type.String({ minLength: 1 }),
    apiBase: Type.Union([Type.String({ pattern: '^https?://' }), Type.Null()]),
    /** The subscribe-message template for report news; none means no WeChat pushes (the inbox still works). */
    reportTemplateId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  }),
  corsOrigins: Type.Array(Type.String()),
  h5Root: Type.String(),
  seedDemo: Type.Boolean(),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  dbPoolSize: Type.Integer({ minimum: 1, maximum: 500 }),
  rateLimitPerMinute: Type.Integer({ minimum: 1 }),
  /** What is worth flooding, each limited per user and per IP: sign-in, reports, agenda comments, topic proposals, photo uploads. */
  limits: Type.Object({ login: Limit, report: Limit, comment: Limit, topic: Limit, upload: Limit }),
  /** Where every server counts its rate limits together (Redis); null: each process counts its own. */
  rateLimitRedisUrl: Type.Union([Type.String({ pattern: '^rediss?://' }), Type.Null()]),
  /** Where photos are kept (the local storage; an S3-compatible store can replace it). */
  storageDir: Type.String({ minLength: 1 }),
  /** How often the scheduled jobs run (escalations, expiries, queued points, purges, pushes). */
  schedulerIntervalMs: Type.Integer({ minimum: 50 }),
  /** How often the audit log's new rows are sealed into their chains (how far `verify-ledger` may lag). */
  auditSealIntervalMs: Type.Integer({ minimum: 50 }),
})
export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {}

const DEV_SECRET = 'liren-development-secret-not-for-production'
/** A production JWT secret is at least this long: 32 characters of `openssl rand -base64 32` are 192 bits. */
const MIN_PRODUCTION_SECRET = 32
/** Development and tests only: a fixed, public data key (id `dev`), refused in production. */
const DEV_DATA_KEY: DataKey = { id: 'dev', key: Buffer.from('liren-dev-data-key-NOT-A-SECRET!').toString('base64') }

function int(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n)) throw new ConfigError(`${name} must be an integer, got "${raw}"`)
  return n
}

function bool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes'].includes(raw)) return true
  if (['0', 'false', 'no'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${raw}"`)
}

/** `<NAME>_LIMIT_PER_MINUTE` per user, `<NAME>_IP_LIMIT_PER_MINUTE` per IP (ten times the user's unless set). */
function limit(env: NodeJS.ProcessEnv, name: string, perUser: number): Static<typeof Limit> {
  const at = (key: string, fallback: number) => {
    const n = int(key, env[key], fallback)
    if (n < 1) throw new ConfigError(`${key} must be at least 1, got "${env[key]}"`)
    return n
  }
  const user = at(`${name}_LIMIT_PER_MINUTE`, perUser)
  return { perUser: user, perIp: at(`${name}_IP_LIMIT_PER_MINUTE`, user * 10) }
}

/** DATA_KEYS: comma-separated `keyId:base64-of-32-bytes`, the current key first. */
function dataKeys(raw: string | undefined, nodeEnv: Config['nodeEnv']): DataKey[] {
  if (raw === undefined || raw.trim() === '') {
    if (nodeEnv === 'production')
      throw new ConfigError(
        'DATA_KEYS is required in production (keyId:base64 of 32 bytes, e.g. k1:$(openssl rand -base64 32))',
      )
    return [DEV_DATA_KEY]
  }
  const keys = raw.split(',').map((entry) => {
    const colon = entry.indexOf(':')
    const key = { id: entry.slice(0, colon).trim(), key: entry.slice(colon + 1).trim() }
    if (colon < 0 || !KEY_ID.test(key.id))
      throw new ConfigError(
        'DATA_KEYS must be comma-separated keyId:base64 entries, each key id letters, digits, _ or - (at most 16)',
      )
    try {
      keyBytes(key)
    } catch (err) {
      throw new ConfigError(`DATA_KEYS: ${(err as Error).message}`)
    }
    return key
  })
  const ids = keys.map((k) => k.id)
  const twice = ids.find((id, i) => ids.indexOf(id) !== i)
  if (twice) throw new ConfigError(`DATA_KEYS names the key "${twice}" twice`)
  // By its bytes: the same key written another way (base64url, no padding) is still the public one.
  const devBytes = keyBytes(DEV_DATA_KEY)
  if (nodeEnv === 'production' && keys.some((k) => k.id === DEV_DATA_KEY.id || keyBytes(k).equals(devBytes))) {
    throw new ConfigError('DATA_KEYS must not use the development key in production')
  }
  return keys
}

/**
 * Reads the environment once at boot. NODE_ENV only selects development defaults;
 * secrets have no production defaults. `apiBase: null` outside production means
 * "start the WeChat mock in-process" (see main.ts).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = (env.NODE_ENV ?? 'development') as Config['nodeEnv']
  if (!Value.Check(NodeEnv, nodeEnv))
    throw new ConfigError(`NODE_ENV must be development, test or production, got "${nodeEnv}"`)
  const dev = nodeEnv !== 'production'

  const jwtSecret = env.JWT_SECRET ?? (nodeEnv === 'development' ? DEV_SECRET : undefined)
  if (!jwtSecret) throw new ConfigError('JWT_SECRET is required when NODE_ENV is not development')
  if (nodeEnv === 'production' && jwtSecret.trim() === DEV_SECRET)
    throw new ConfigError(
      'JWT_SECRET must not be the development secret in production (e.g. $(openssl rand -base64 32))',
    )
  if (nodeEnv === 'production' && jwtSecret.length < MIN_PRODUCTION_SECRET) {
    throw new ConfigError(
      `JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET} characters in production, got ${jwtSecret.length} (e.g. $(openssl rand -base64 32))`,
    )
  }
  if (nodeEnv === 'production' && !env.WECHAT_APPID) throw new ConfigError('WECHAT_APPID is required in production')
  if (nodeEnv === 'production' && !env.WECHAT_SECRET) throw new ConfigError('WECHAT_SECRET is required in production')

  const databaseUrls = (env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/liren')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
  const config = {
    nodeEnv,
    databaseUrl: databaseUrls[0]!,
    databaseUrls,
    dbRetryAttempts: int('DB_RETRY_ATTEMPTS', env.DB_RETRY_ATTEMPTS, DEFAULT_RETRY_ATTEMPTS),
    dbSyncWait: bool('DB_SYNC_WAIT', env.DB_SYNC_WAIT, false),
    host: env.HOST ?? '0.0.0.0',
    port: int('PORT', env.PORT, 3000),
    jwtSecret,
    dataKeys: dataKeys(env.DATA_KEYS, nodeEnv),
    wechat: {
      appid: env.WECHAT_APPID ?? 'wx-liren-dev',
      secret: env.WECHAT_SECRET ?? 'liren-dev-wechat-secret',
      apiBase: env.WECHAT_API_BASE ?? (dev ? null : 'https://api.weixin.qq.com'),
      reportTemplateId: env.WECHAT_REPORT_TEMPLATE_ID || (dev ? 'liren-dev-report-status' : null),
    },
    corsOrigins: (env.CORS_ORIGINS ?? (dev ? 'http://localhost:10086,http://127.0.0.1:10086' : ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    h5Root: env.H5_ROOT ?? new URL('../../client/dist/h5', import.meta.url).pathname,
    seedDemo: bool('SEED_DEMO', env.SEED_DEMO, nodeEnv === 'development'),
    logLevel: (env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info')) as Config['logLevel'],
    dbPoolSize: int('DB_POOL_SIZE', env.DB_POOL_SIZE, 20),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 600),
    rateLimitRedisUrl: env.RATE_LIMIT_REDIS_URL || null,
    limits: {
      login: limit(env, 'LOGIN', 10),
      report: limit(env, 'REPORT', 20),
      comment: limit(env, 'COMMENT', 20),
      topic: limit(env, 'TOPIC', 10),
      upload: limit(env, 'UPLOAD', 30),
    },
    storageDir: env.STORAGE_DIR ?? new URL('../data/files', import.meta.url).pathname,
    schedulerIntervalMs: int('SCHEDULER_INTERVAL_MS', env.SCHEDULER_INTERVAL_MS, 15_000),
    auditSealIntervalMs: int('AUDIT_SEAL_INTERVAL_MS', env.AUDIT_SEAL_INTERVAL_MS, 1000),
  }
  const firstError = Value.Errors(ConfigSchema, config)[0]
  if (firstError)
    throw new ConfigError(`invalid configuration at ${firstError.instancePath || '/'}: ${firstError.message}`)
  return config
}
