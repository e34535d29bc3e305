import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import mysql from 'mysql2/promise'
import { readFileSync } from 'node:fs'
import { demoTown } from '@liren/mocks/seed'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../seed-demo.js'
import {
  DEFAULT_RETRY_ATTEMPTS,
  dropDatabase,
  ensureDatabase,
  isDatabaseUnavailable,
  migrateDatabase,
  openDatabase,
  transaction,
  type Database,
  type RetryEvent,
} from './db.js'

/** Attempts set for this file (DB_RETRY_ATTEMPTS): fewer than the default, so the give-up comes sooner. */
const ATTEMPTS = 6
const retries: RetryEvent[] = []
const JOURNAL = JSON.parse(readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as {
  entries: unknown[]
}

const base = process.env.TEST_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306'
const url = `${base}/liren_test_${randomBytes(6).toString('hex')}`
let database: Database
let other: mysql.Connection

beforeAll(async () => {
  await ensureDatabase(url)
  database = openDatabase(url, 2, { retryAttempts: ATTEMPTS, onRetry: (e) => retries.push(e) })
  await database.pool.query('CREATE TABLE pair (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB')
  await database.pool.query('INSERT INTO pair VALUES (1, 0), (2, 0)')
  other = await mysql.createConnection(url)
})
afterAll(async () => {
  await other.end()
  await database.close()
  await dropDatabase(url)
})

/**
 * A real deadlock with our transaction as its victim: it holds row 1 and waits for row 2, which another
 * connection has changed (so that one weighs more) and which then asks for row 1.
 */
async function deadlockFrom(tx: Parameters<Parameters<typeof transaction>[1]>[0]) {
  await other.query('BEGIN')
  await other.query('UPDATE pair SET v = v + 1 WHERE id = 2')
  await tx.execute(sql`SELECT v FROM pair WHERE id = 1 FOR UPDATE`)
  const waiting = tx.execute(sql`SELECT v FROM pair WHERE id = 2 FOR UPDATE`)
  waiting.catch(() => {}) // its rejection is awaited below, after the other side has moved
  await new Promise((resolve) => setTimeout(resolve, 150))
  const otherSide = other.query('UPDATE pair SET v = v + 1 WHERE id = 1')
  try {
    await waiting
  } finally {
    await otherSide
    await other.query('COMMIT')
  }
}

describe('a transaction the database picks as a deadlock victim', () => {
  it('runs again until it goes through, even after several deadlocks in a row', async () => {
    let runs = 0
    retries.length = 0
    const result = await transaction(database.db, async (tx) => {
      runs++
      if (runs < ATTEMPTS) await deadlockFrom(tx)
      await tx.execute(sql`UPDATE pair SET v = v + 100 WHERE id = 1`)
      return 'done'
    })
    expect(result).toBe('done')
    // Five deadlocks, then the sixth run went through: more than the three runs this used to allow.
    expect(runs).toBe(ATTEMPTS)
    expect(DEFAULT_RETRY_ATTEMPTS).toBeGreaterThanOrEqual(ATTEMPTS)
    // Each retry was told, with its error and attempt: the cost is counted.
    expect(retries).toEqual([1, 2, 3, 4, 5].map((attempt) => ({ errno: 1213, attempt, gaveUp: false })))
    const [rows] = await database.pool.query<mysql.RowDataPacket[]>('SELECT id, v FROM pair ORDER BY id')
    // The other side's changes (one per deadlock) and ours (once: the victims' changes were rolled back).
    expect(rows.map((r) => [r.id, r.v])).toEqual([
      [1, ATTEMPTS - 1 + 100],
      [2, ATTEMPTS - 1],
    ])
  }, 30_000)

  it('gives up after the last attempt with an error that answers 503 (try again later), never 500', async () => {
    let runs = 0
    retries.length = 0
    const failure = await transaction(database.db, async (tx) => {
      runs++
      await deadlockFrom(tx)
    }).catch((err: unknown) => err)
    expect(runs).toBe(ATTEMPTS)
    expect(retries.at(-1)).toEqual({ errno: 1213, attempt: ATTEMPTS, gaveUp: true })
    expect(isDatabaseUnavailable(failure)).toBe(true)
  }, 30_000)
})

describe('errors of a Galera node that is not ready', () => {
  it('1047 (node not prepared for use) and 1180 (certification failed at commit) answer 503', () => {
    const fromNode = (errno: number) => new Error('wrapped', { cause: Object.assign(new Error('node'), { errno }) })
    expect(isDatabaseUnavailable(fromNode(1047))).toBe(true)
    expect(isDatabaseUnavailable(fromNode(1180))).toBe(true)
    expect(isDatabaseUnavailable(fromNode(1062))).toBe(false)
  })
})

describe('several database addresses', () => {
  // A port nothing listens on: a node that is down.
  const down = url.replace(/:\d+\//, ':1/')

  it('moves to the next address when the first cannot be reached, for queries and transactions', async () => {
    const several = openDatabase([down, url], 2)
    try {
      const [rows] = await several.pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM pair')
      expect(rows[0]!.n).toBe(2)
      const v = async () =>
        (await database.pool.query<mysql.RowDataPacket[]>('SELECT v FROM pair WHERE id = 2'))[0][0]!.v as number
      const before = await v()
      await transaction(several.db, (tx) => tx.execute(sql`UPDATE pair SET v = v + 1 WHERE id = 2`))
      expect(await v()).toBe(before + 1)
    } finally {
      await several.close()
    }
  })

  it('with every address down, a request gets the error that answers 503', async () => {
    const none = openDatabase([down, down.replace(':1/', ':2/')], 1)
    try {
      const failure = await none.pool.query('SELECT 1').catch((err: unknown) => err)
      expect(isDatabaseUnavailable(failure)).toBe(true)
    } finally {
      await none.close()
    }
  })
})

describe('read your writes on a cluster (DB_SYNC_WAIT)', () => {
  it('every connection of the pool waits for the cluster before it reads; without it, none does', async () => {
    const waiting = openDatabase(url, 2, { syncWait: true })
    const plain = openDatabase(url, 2)
    try {
      const level = async (d: Database) =>
        (await d.pool.query<mysql.RowDataPacket[]>('SELECT @@SESSION.wsrep_sync_wait AS w'))[0][0]!.w as number
      // Two connections at once: both new ones were set up.
      expect(await Promise.all([level(waiting), level(waiting)])).toEqual([1, 1])
      expect(await level(plain)).toBe(0)
    } finally {
      await waiting.close()
      await plain.close()
    }
  })
})

describe('migrations', () => {
  it('servers starting together on an empty database take turns: each migration applied once, none fails', async () => {
    const fresh = `${base}/liren_test_${randomBytes(6).toString('hex')}`
    await ensureDatabase(fresh)
    const servers = [1, 2, 3].map(() => openDatabase(fresh, 1))
    try {
      // Before the lock, two of these raced to create the same tables and one crashed (1050).
      await Promise.all(servers.map((s) => migrateDatabase(s.db)))
      const [applied] = await servers[0]!.pool.query<mysql.RowDataPacket[]>(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT hash) AS distinct_n FROM __drizzle_migrations',
      )
      expect(applied[0]!.n).toBe(JOURNAL.entries.length)
      expect(applied[0]!.distinct_n).toBe(JOURNAL.entries.length)
      const [lock] = await servers[0]!.pool.query<mysql.RowDataPacket[]>('SELECT * FROM liren_migration_lock')
      expect(lock).toEqual([])
      // And the demo town, as development servers seed it at start: one seeds, the others find it there.
      const seeded = await Promise.all(servers.map((s) => seedDemo(s.db, demoTown)))
      expect(seeded.filter(Boolean)).toHaveLength(1)
      const [towns] = await servers[0]!.pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM towns')
      expect(towns[0]!.n).toBe(1)
    } finally {
      for (const s of servers) await s.close()
      await dropDatabase(fresh)
    }
  }, 120_000)
})
