import { fileURLToPath } from 'node:url'
import { drizzle, type MySql2Database, type MySqlRawQueryResult } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql from 'mysql2/promise'

export type Db = MySql2Database
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** What a use case accepts when it may run alone or inside a caller's transaction. */
export type Executor = Db | Tx

/** How many rows an insert, update or delete (drizzle's or raw `execute`) changed. */
export const affectedRows = ([header]: MySqlRawQueryResult): number => header.affectedRows

export interface Database {
  db: Db
  pool: mysql.Pool
  close(): Promise<void>
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url))

function databaseName(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '')
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new Error(`DATABASE_URL must name a database of letters, digits and _; got "${name}"`)
  return name
}

/** Runs one statement on the server of `url` without selecting its database. */
async function onServer(url: string, statement: string): Promise<void> {
  const server = new URL(url)
  server.pathname = '/'
  const conn = await mysql.createConnection(server.toString())
  try {
    await conn.query(statement)
  } finally {
    await conn.end()
  }
}

/** Creates the database named in the URL if it does not exist yet. */
export const ensureDatabase = (url: string) =>
  onServer(
    url,
    `CREATE DATABASE IF NOT EXISTS \`${databaseName(url)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  )

export const dropDatabase = (url: string) => onServer(url, `DROP DATABASE IF EXISTS \`${databaseName(url)}\``)

export function openDatabase(url: string, poolSize: number): Database {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: poolSize,
    timezone: 'Z',
    dateStrings: false,
    charset: 'utf8mb4_unicode_ci',
    // Fail fast when the database is away instead of queueing forever.
    connectTimeout: 5000,
    queueLimit: 1000,
    // No stack trace captured before every query (≈ 5 % of a read route's CPU); errors still say what failed.
    trace: false,
  })
  const db = drizzle({ client: pool })
  return { db, pool, close: () => pool.end() }
}

export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS })
}

/** The mysql2 error behind a drizzle error, if any. */
export function driverError(err: unknown): { errno?: number; code?: string; sqlMessage?: string } | undefined {
  let e: unknown = err
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const anyE = e as { errno?: unknown; cause?: unknown }
    if (typeof anyE.errno === 'number') return e as { errno: number }
    e = anyE.cause
  }
  return undefined
}

export const ER_DUP_ENTRY = 1062
export const ER_NO_REFERENCED_ROW = 1452
export const ER_CHECK_CONSTRAINT = 4025
const ER_LOCK_DEADLOCK = 1213
const ER_LOCK_WAIT_TIMEOUT = 1205

export function isDuplicateKey(err: unknown, key?: string): boolean {
  const d = driverError(err)
  return d?.errno === ER_DUP_ENTRY && (key === undefined || (d.sqlMessage ?? '').includes(key))
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'PROTOCOL_CONNECTION_LOST',
  'ETIMEDOUT',
  'EPIPE',
  'ER_CON_COUNT_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
])

/** True when the error means the database cannot be reached (answer 503, not 500). */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true
    if ((e as { message?: unknown }).message === 'Queue limit reached.') return true
    // mysql2 marks errors that end the connection `fatal`; some carry no code, e.g. the ROLLBACK that
    // drizzle sends on a connection the database dropped ("Can't add new command when connection is
    // in closed state"), whose error replaces the original one.
    if ((e as { fatal?: unknown }).fatal === true) return true
    // Still deadlocked or waiting for a lock after retries: busy, try again shortly.
    const errno = (e as { errno?: unknown }).errno
    if (errno === ER_LOCK_DEADLOCK || errno === ER_LOCK_WAIT_TIMEOUT) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/** How often a deadlocked transaction runs again before the caller is told to try later (503). */
export const DEADLOCK_ATTEMPTS = 6

/**
 * Runs `fn` in a transaction, retrying from the start when the database picked it as a
 * deadlock victim (the other transaction went through; ours can simply run again). Each retry
 * waits a random, growing moment first, so that the transactions that met do not meet again in
 * step (on a busy machine, three immediate retries in a row could all deadlock once more).
 * `readCommitted`: for transactions that lock the rows they depend on first (e.g. many members'
 * capped awards at once): their locking reads then take no gap locks, which otherwise deadlock
 * inserts at the end of a shared index.
 */
export async function transaction<T>(
  db: Db,
  fn: (tx: Tx) => Promise<T>,
  opts: { readCommitted?: boolean } = {},
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(fn, opts.readCommitted ? { isolationLevel: 'read committed' } : undefined)
    } catch (err) {
      if (i >= DEADLOCK_ATTEMPTS || driverError(err)?.errno !== ER_LOCK_DEADLOCK) throw err
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** i))
    }
  }
}
