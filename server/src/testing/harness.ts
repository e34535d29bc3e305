import { randomBytes } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { startWechatMock, type WechatMock } from '@liren/mocks/wechat'
import { demoTown } from '@liren/mocks/seed'
import { sql } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { buildApp, type App } from '../app.js'
import { loadConfig } from '../config.js'
import { dropDatabase, ensureDatabase, migrateDatabase, openDatabase, type Database } from '../core/db.js'
import { seedDemo } from '../seed-demo.js'

/** Where the tests' server logs go (checked by src/testing/check-logs.ts after the run). */
export const TEST_LOG_DIR = process.env.TEST_LOG_DIR ?? join(tmpdir(), 'liren-test-logs')

export interface TestContext {
  app: App
  database: Database
  /** This context's database, for a server process or a command started against it. */
  databaseUrl: string
  wechat: WechatMock
  /** Signs in as `openid` the way the client does (code from the mock, exchanged by the server); returns the access token. */
  login(openid: string): Promise<string>
  /** Signs in as each of `openids` in turn, as `login` does: `{ name: openid }` → `{ name: token }`. */
  loginAll<K extends string>(openids: Record<K, string>): Promise<Record<K, string>>
  /** Access tokens for users made in SQL (no WeChat sign-in), in their order: a new session each, as a sign-in makes. */
  tokensFor(userIds: number[]): Promise<string[]>
  /** The id of a seeded village by its code (zhangjia, heping). */
  villageId(code: string): Promise<number>
  /** Rows of a table, for asserting what the database holds. */
  rows<T = Record<string, unknown>>(table: string): Promise<T[]>
  /** Every table of the schema (not the migrations' own), for tests that read them all. */
  tables(): Promise<string[]>
  /** Where this context's photos are stored. */
  storageDir: string
  close(): Promise<void>
}

/**
 * A fresh database (migrated, demo town seeded unless `seed: false`), a WeChat mock and the app,
 * for one test file. Everything is real but the WeChat platform.
 */
export async function startTestContext(
  opts: { seed?: boolean; env?: Record<string, string> } = {},
): Promise<TestContext> {
  const name = `liren_test_${randomBytes(6).toString('hex')}`
  const base = process.env.TEST_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306'
  const databaseUrl = `${base}/${name}`
  const storageDir = join(tmpdir(), name)
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'test-secret-test-secret',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    STORAGE_DIR: storageDir,
    ...opts.env,
  })
  const wechat = await startWechatMock({ appid: config.wechat.appid, secret: config.wechat.secret })
  await ensureDatabase(databaseUrl)
  const database = openDatabase(databaseUrl, 5)
  await migrateDatabase(database.db)
  if (opts.seed !== false) await seedDemo(database.db, demoTown)
  // Each test file's server log goes to its own file; `npm test` then checks every one for personal data.
  await mkdir(TEST_LOG_DIR, { recursive: true })
  const app = await buildApp(config, {
    database,
    wechatApiBase: wechat.url,
    logFile: join(TEST_LOG_DIR, `${name}.log`),
  })
  await app.ready()

  async function login(openid: string) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/wechat',
      payload: { code: wechat.issueCode(openid) },
    })
    if (res.statusCode !== 200) throw new Error(`login as ${openid} failed: ${res.statusCode} ${res.body}`)
    return res.json().token as string
  }

  return {
    app,
    database,
    databaseUrl,
    wechat,
    storageDir,
    login,
    async loginAll<K extends string>(openids: Record<K, string>) {
      const tokens = {} as Record<K, string>
      for (const name of Object.keys(openids) as K[]) tokens[name] = await login(openids[name])
      return tokens
    },
    async tokensFor(userIds) {
      if (userIds.length === 0) return []
      // One statement for hundreds of voters; each user's newest session is the one just made.
      await database.db.execute(
        sql`INSERT INTO sessions (user_id) VALUES ${sql.join(
          userIds.map((id) => sql`(${id})`),
          sql`, `,
        )}`,
      )
      const [rows] = (await database.db.execute(
        sql`SELECT user_id AS userId, MAX(id) AS id FROM sessions WHERE user_id IN ${userIds} GROUP BY user_id`,
      )) as unknown as [{ userId: number; id: number }[]]
      const sessionOf = new Map(rows.map((r) => [Number(r.userId), Number(r.id)]))
      return userIds.map((userId) => app.signTokens(userId, sessionOf.get(userId)!).token)
    },
    async villageId(code: string) {
      const [row] = (await database.db.execute(sql`SELECT id FROM villages WHERE code = ${code}`)) as unknown as [
        { id: number }[],
      ]
      if (!row[0]) throw new Error(`no village ${code}`)
      return Number(row[0].id)
    },
    async rows<T>(table: string) {
      const [rows] = (await database.db.execute(sql`SELECT * FROM ${sql.identifier(table)} ORDER BY 1`)) as unknown as [
        T[],
      ]
      return rows
    },
    async tables() {
      const [rows] = (await database.pool.query('SHOW TABLES')) as unknown as [Record<string, string>[]]
      return rows
        .map((r) => Object.values(r)[0]!)
        .filter((name) => name !== '__drizzle_migrations' && name !== 'liren_migration_lock')
    },
    async close() {
      await app.close()
      await database.close()
      await wechat.close()
      await dropDatabase(databaseUrl)
      await rm(storageDir, { recursive: true, force: true })
    },
  }
}

/**
 * Every GET route the API documents (but the development sign-in door, which production has not), each
 * path parameter filled with every value given, plus each path's extra queries; Open311 paths name the
 * village by its code. A path parameter without values throws, so a walk built on this covers new routes too.
 */
export function everyGetUrl(
  app: App,
  params: Record<string, (string | number)[]>,
  opts: { queries?: Record<string, string[]>; jurisdiction?: string } = {},
): string[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> }
  const urls: string[] = []
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!('get' in ops) || path.startsWith('/api/dev/')) continue
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
    const unknown = names.filter((n) => !(n in params))
    if (unknown.length) throw new Error(`the walk does not know how to fill ${unknown.join(', ')} in ${path}`)
    let expanded = [path]
    for (const n of names) expanded = expanded.flatMap((u) => params[n]!.map((v) => u.replace(`{${n}}`, String(v))))
    const withQueries = expanded.flatMap((u) => [u, ...(opts.queries?.[path] ?? []).map((q) => `${u}?${q}`)])
    urls.push(
      ...withQueries.map((u) =>
        u.startsWith('/open311/')
          ? `${u}${u.includes('?') ? '&' : '?'}jurisdiction_id=${opts.jurisdiction ?? 'zhangjia'}`
          : u,
      ),
    )
  }
  return urls
}

/** The demo town's people the tests sign in as (their WeChat openids), by the names the tests give them. */
export const DEMO_PEOPLE = {
  committee: 'demo-zhangjia-committee', // 王建国
  grid: 'demo-zhangjia-grid', // 李梅
  resident: 'demo-zhangjia-resident', // 张秀兰
  volunteer: 'demo-zhangjia-volunteer', // 赵小明
  townAdmin: 'demo-town-admin', // 周涛
  hpCommittee: 'demo-heping-committee', // 陈静
  hpResident: 'demo-heping-resident', // 刘洋
} as const

/**
 * A fresh context on the demo town, `people` of it signed in (`as: { committee: token, ... }`, by their
 * `DEMO_PEOPLE` names) and the ids of its two villages, for a test file's `beforeAll`.
 */
export async function startDemo<const K extends keyof typeof DEMO_PEOPLE>(
  people: readonly K[],
  opts: { env?: Record<string, string> } = {},
) {
  const t = await startTestContext(opts)
  const openids = {} as Record<K, string>
  for (const k of people) openids[k] = DEMO_PEOPLE[k]
  const tokens = await t.loginAll(openids)
  return { t, as: tokens, zhangjia: await t.villageId('zhangjia'), heping: await t.villageId('heping') }
}

/** A row of the audit log, as `t.rows('audit_log')` reads it (`data` may come as JSON text: see `jsonValue`). */
export type AuditRow = {
  action: string
  entity: string
  entity_id: number
  village_id: number | null
  actor_user_id: number
  data: string | Record<string, unknown>
}

/** A JSON column's value as read by `t.rows` (the driver hands some JSON columns over as text). */
export const jsonValue = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)

/** A mainland mobile number standing alone (not inside a longer number, an id or a decimal). */
export const PHONE_NUMBER = /(?<![\d.A-Za-z])1[3-9]\d{9}(?![\d.A-Za-z])/

/** The answer is a refusal in the one error shape: `status` and `code`, naming `field` in its details. */
export function expectRefused(res: LightMyRequestResponse, status: number, code: string, field: string, what?: string) {
  expect(res.statusCode, what ?? res.body).toBe(status)
  expect(res.json().code).toBe(code)
  expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field)
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` })

/** A multipart/form-data body with one file field, for upload routes. */
export function multipartFile(field: string, filename: string, content: Buffer | string) {
  const boundary = `----liren${randomBytes(8).toString('hex')}`
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** The SVG markup inside a QR data URL (the server draws QR codes as SVG); fails on anything else. */
export function svgOf(dataUrl: string): string {
  const prefix = 'data:image/svg+xml;base64,'
  if (!dataUrl.startsWith(prefix)) throw new Error(`not an SVG data URL: ${dataUrl.slice(0, 40)}`)
  return Buffer.from(dataUrl.slice(prefix.length), 'base64').toString('utf8')
}

/** The text a PNG data URL's QR code reads as, as a phone's scanner would read it. */
export function qrTextOf(dataUrl: string): string {
  const prefix = 'data:image/png;base64,'
  if (!dataUrl.startsWith(prefix)) throw new Error(`not a PNG data URL: ${dataUrl.slice(0, 40)}`)
  const png = PNG.sync.read(Buffer.from(dataUrl.slice(prefix.length), 'base64'))
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
  if (!code) throw new Error('no QR code found in the image')
  return code.data
}
