import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { drizzle, type MySql2Database, type MySqlRawQueryResult } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql from 'mysql2/promise'

export type Db = MySql2Database
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
/** What a use case accepts when it may run alone or inside a caller's transaction. */
export type Executor = Db | Tx

/** How many rows an insert, update or delete (drizzle's or raw `execute`) changed. */
export const affectedRows = ([header]: MySqlRawQueryResult): number => header.affectedRows

/** What the app and the tests use of a pool: mysql2's own, or the failover pool over several nodes. */
export type SqlPool = Pick<mysql.Pool, 'query' | 'execute' | 'getConnection' | 'end'>

export interface Database {
  db: Db
  pool: SqlPool
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** How often a transaction that met a conflict runs, in all (DB_RETRY_ATTEMPTS). */
  retryAttempts?: number
  /** Reads wait until the node has applied every write the cluster committed before them (DB_SYNC_WAIT). */
  syncWait?: boolean
  /** Told of each retry and each give-up, with the error number and the attempt (for the log). */
  onRetry?: (event: RetryEvent) => void
}
export interface RetryEvent {
  /** The database's error number; for a lost connection, its code instead. */
  errno: number | null
  code?: string
  attempt: number
  gaveUp: boolean
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

function createPool(url: string, poolSize: number, opts: DatabaseOptions): mysql.Pool {
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
  // On a Galera cluster: a read waits until its node has applied what the cluster committed before it,
  // so a page read through one node shows the write just made through another.
  if (opts.syncWait) pool.on('connection', (conn) => void conn.query('SET SESSION wsrep_sync_wait = 1'))
  return pool
}

const retryOptions = new WeakMap<Db, DatabaseOptions & { failover?: FailoverPool }>()

/**
 * A pool per address in `urls` (several: the nodes of a cluster, the first preferred). With several,
 * the failover pool sends everything to one node and moves to the next when that one is away.
 */
export function openDatabase(urls: string | readonly string[], poolSize: number, opts: DatabaseOptions = {}): Database {
  const list = typeof urls === 'string' ? [urls] : urls
  const pools = list.map((url) => createPool(url, poolSize, opts))
  const failover = pools.length > 1 ? new FailoverPool(pools) : undefined
  const pool: SqlPool = failover ?? pools[0]!
  // drizzle takes mysql2's pool; the failover pool has the part of it drizzle calls (query, execute, getConnection).
  const db = drizzle({ client: pool as mysql.Pool })
  retryOptions.set(db, { ...opts, failover })
  return { db, pool, close: () => pool.end() }
}

/** How long a server waits for another to finish migrating before it gives up starting. */
const MIGRATION_WAIT_MS = 5 * 60_000

/**
 * Applies the committed migrations, under a lock that holds on a cluster too: a row in
 * `liren_migration_lock`, which only one server can insert (a duplicate key, or on Galera the loser of
 * the certification). Servers that start together take turns: the first migrates, the others wait and
 * then find nothing left to do. (MariaDB's GET_LOCK is per node on Galera.) A lock left by a server
 * that died while migrating expires after ten minutes.
 */
export async function migrateDatabase(db: Db): Promise<void> {
  await db.execute(
    sql`CREATE TABLE IF NOT EXISTS liren_migration_lock (id TINYINT UNSIGNED PRIMARY KEY, holder VARCHAR(100) NOT NULL, expires_at DATETIME(3) NOT NULL)`,
  )
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`
  const until = Date.now() + MIGRATION_WAIT_MS
  while (!(await takeMigrationLock(db, holder))) {
    if (Date.now() > until) throw new Error('another server has been migrating this database for too long')
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300))
  }
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS })
  } finally {
    await db.execute(sql`DELETE FROM liren_migration_lock WHERE id = 1 AND holder = ${holder}`)
  }
}

async function takeMigrationLock(db: Db, holder: string): Promise<boolean> {
  try {
    await db.execute(
      sql`INSERT INTO liren_migration_lock (id, holder, expires_at) VALUES (1, ${holder}, NOW(3) + INTERVAL 10 MINUTE)`,
    )
    return true
  } catch (err) {
    const errno = driverError(err)?.errno
    if (errno !== ER_DUP_ENTRY && (errno === undefined || !RETRIED.has(errno))) throw err
  }
  const stale = await db.execute(
    sql`UPDATE liren_migration_lock SET holder = ${holder}, expires_at = NOW(3) + INTERVAL 10 MINUTE WHERE id = 1 AND expires_at < NOW(3)`,
  )
  return affectedRows(stale) === 1
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
/** "Got error … during COMMIT": how Galera may report a transaction that lost certification at commit. */
const ER_ERROR_DURING_COMMIT = 1180
/** "WSREP has not yet prepared node for application use": a Galera node that is not synced (joining, cut off). */
const ER_UNKNOWN_COM_ERROR = 1047
/** Conflicts after which the transaction simply runs again (the other side went through). */
const RETRIED = new Set([ER_LOCK_DEADLOCK, ER_ERROR_DURING_COMMIT])

/**
 * The node itself is gone or not usable (no connection, the connection dropped, or a Galera node not
 * ready), as opposed to being busy (a lock wait timed out, a conflict): another node may serve.
 */
function nodeGone(err: unknown): boolean {
  let e: unknown = err
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const { code, fatal, errno } = e as { code?: unknown; fatal?: unknown; errno?: unknown }
    if ((typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || fatal === true || errno === ER_UNKNOWN_COM_ERROR)
      return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/** The database aborted the transaction in a conflict with another (a deadlock, or Galera's certification). */
export const isConflict = (err: unknown): boolean => RETRIED.has(driverError(err)?.errno ?? 0)

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
    // Still in conflict or waiting for a lock after retries, or a cluster node not ready: busy, try again shortly.
    const errno = (e as { errno?: unknown }).errno
    if (typeof errno === 'number' && (RETRIED.has(errno) || errno === ER_LOCK_WAIT_TIMEOUT)) return true
    if (errno === ER_UNKNOWN_COM_ERROR) return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/** How often a transaction that met a conflict runs, in all, unless DB_RETRY_ATTEMPTS says otherwise. */
export const DEFAULT_RETRY_ATTEMPTS = 10
/** The longest pause before a retry, in milliseconds. */
const MAX_RETRY_PAUSE = 1000

/**
 * Runs `fn` in a transaction, retrying from the start when the database aborted it in a conflict: a
 * deadlock victim (1213) or, on a Galera cluster, the loser of a cross-node conflict (1213, or 1180 at
 * commit). The other transaction went through; ours can simply run again. Each retry waits a random,
 * growing moment first (up to 20, 40, 80 … ms, at most a second), so that the transactions that met do
 * not meet again in step. After the last attempt the error stands (answered 503). Each retry and each
 * give-up is told to the database's `onRetry` (the server logs it), so the cost is visible.
 * `readCommitted`: for transactions that lock the rows they depend on first (e.g. many members'
 * capped awards at once): their locking reads then take no gap locks, which otherwise deadlock
 * inserts at the end of a shared index.
 */
export async function transaction<T>(
  db: Db,
  fn: (tx: Tx) => Promise<T>,
  opts: { readCommitted?: boolean } = {},
): Promise<T> {
  const { retryAttempts = DEFAULT_RETRY_ATTEMPTS, onRetry, failover } = retryOptions.get(db) ?? {}
  for (let attempt = 1; ; attempt++) {
    // Whether COMMIT may have been sent: until then, a transaction whose node went away never happened.
    let committing = false
    try {
      return await db.transaction(
        async (tx) => {
          const result = await fn(tx)
          committing = true
          return result
        },
        opts.readCommitted ? { isolationLevel: 'read committed' } : undefined,
      )
    } catch (err) {
      const errno = driverError(err)?.errno ?? null
      // With several nodes, a transaction cut off before its commit runs again on the next node.
      const nodeLost = failover !== undefined && !committing && nodeGone(err)
      if (nodeLost) failover.nodeFailed()
      else if (errno === null || !RETRIED.has(errno)) throw err
      const gaveUp = attempt >= retryAttempts
      const code = (err as { code?: unknown }).code
      onRetry?.({ errno, ...(nodeLost && typeof code === 'string' ? { code } : {}), attempt, gaveUp })
      if (gaveUp) throw err
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_RETRY_PAUSE, 10 * 2 ** attempt)))
    }
  }
}

/**
 * Whether a node will take requests: it answers, and if it is a Galera node (wsrep_on) it is a synced
 * member of the primary component (wsrep_ready: a joining or cut-off node answers `SELECT 1` and SHOW,
 * but refuses other statements with 1047).
 */
async function nodeReady(pool: SqlPool): Promise<boolean> {
  const value = async (statement: string) =>
    ((await pool.query<mysql.RowDataPacket[]>(statement))[0][0]?.Value as string | undefined) ?? 'OFF'
  if ((await value("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'")) !== 'ON') return true
  return (await value("SHOW GLOBAL STATUS LIKE 'wsrep_ready'")) === 'ON'
}

/** Whether the database will take requests (/readyz). With several nodes: whether one will, which is then used. */
export const databaseReady = (pool: SqlPool): Promise<boolean> =>
  pool instanceof FailoverPool ? pool.ready() : nodeReady(pool)

/** A pool that stops taking a node's connections for this long after the node failed. */
const NODE_REST_MS = 5000

/**
 * Several nodes of one cluster, used one at a time: everything goes to the current node (one node
 * takes the writes of a server: no conflicts between its own requests), and when it cannot be reached
 * or is not ready (1047) the pool moves to the next node. A connection that could not be had is asked
 * of the next node at once (nothing ran); a statement cut off mid-way fails (503: whether it ran is not
 * known) and the next one goes to the next node. A failed node is left alone for a few seconds.
 */
class FailoverPool implements SqlPool {
  private current = 0
  private readonly restUntil: number[]
  constructor(private readonly pools: mysql.Pool[]) {
    this.restUntil = pools.map(() => 0)
  }

  /** The node to use: the current one unless it rests, else the next that does not (else the current). */
  private pick(): number {
    const now = Date.now()
    for (let i = 0; i < this.pools.length; i++) {
      const n = (this.current + i) % this.pools.length
      if (this.restUntil[n]! <= now) return (this.current = n)
    }
    return this.current
  }

  /** Finds a node that is ready, from the current one on; the ones that are not rest. */
  async ready(): Promise<boolean> {
    for (let tries = 0; tries < this.pools.length; tries++) {
      const n = this.pick()
      if (await nodeReady(this.pools[n]!).catch(() => false)) return true
      this.restUntil[n] = Date.now() + NODE_REST_MS
      this.current = (n + 1) % this.pools.length
    }
    return false
  }

  /** The node in use failed (a transaction on it was cut off): the next request goes to the next node. */
  nodeFailed(): void {
    this.restUntil[this.current] = Date.now() + NODE_REST_MS
    this.current = (this.current + 1) % this.pools.length
  }

  private failed(n: number, err: unknown): boolean {
    if (!nodeGone(err)) return false
    this.restUntil[n] = Date.now() + NODE_REST_MS
    if (this.current === n) this.current = (n + 1) % this.pools.length
    return true
  }

  private async run<T>(call: (pool: mysql.Pool) => Promise<T>, again: (err: unknown) => boolean): Promise<T> {
    for (let tries = 0; ; tries++) {
      const n = this.pick()
      try {
        return await call(this.pools[n]!)
      } catch (err) {
        if (!this.failed(n, err) || !again(err) || tries + 1 >= this.pools.length) throw err
      }
    }
  }

  getConnection: mysql.Pool['getConnection'] = () =>
    this.run(
      (p) => p.getConnection(),
      () => true,
    )
  // A statement is sent again only when it cannot have run (no connection, a node not ready), or reads.
  query = ((...args: Parameters<mysql.Pool['query']>) =>
    this.run(
      (p) => p.query(...args),
      (err) => notRun(err) || isRead(args[0]),
    )) as mysql.Pool['query']
  execute = ((...args: Parameters<mysql.Pool['execute']>) =>
    this.run(
      (p) => p.execute(...args),
      (err) => notRun(err) || isRead(args[0]),
    )) as mysql.Pool['execute']
  end = async () => void (await Promise.all(this.pools.map((p) => p.end())))
}

/** A statement that only reads: safe to send again to another node whatever became of it. */
function isRead(statement: unknown): boolean {
  const text = typeof statement === 'string' ? statement : (statement as { sql?: unknown } | null)?.sql
  return typeof text === 'string' && /^\s*(select|show)\b/i.test(text)
}

/** The statement never reached a node that would run it. */
function notRun(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || driverError(err)?.errno === ER_UNKNOWN_COM_ERROR
}
