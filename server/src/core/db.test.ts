import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEADLOCK_ATTEMPTS,
  dropDatabase,
  ensureDatabase,
  isDatabaseUnavailable,
  openDatabase,
  transaction,
  type Database,
} from './db.js'

const base = process.env.TEST_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306'
const url = `${base}/liren_test_${randomBytes(6).toString('hex')}`
let database: Database
let other: mysql.Connection

beforeAll(async () => {
  await ensureDatabase(url)
  database = openDatabase(url, 2)
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
    const result = await transaction(database.db, async (tx) => {
      runs++
      if (runs < DEADLOCK_ATTEMPTS) await deadlockFrom(tx)
      await tx.execute(sql`UPDATE pair SET v = v + 100 WHERE id = 1`)
      return 'done'
    })
    expect(result).toBe('done')
    // Five deadlocks, then the sixth run went through: more than the three runs this used to allow.
    expect(runs).toBe(DEADLOCK_ATTEMPTS)
    expect(DEADLOCK_ATTEMPTS).toBeGreaterThan(3)
    const [rows] = await database.pool.query<mysql.RowDataPacket[]>('SELECT id, v FROM pair ORDER BY id')
    // The other side's changes (one per deadlock) and ours (once: the victims' changes were rolled back).
    expect(rows.map((r) => [r.id, r.v])).toEqual([
      [1, DEADLOCK_ATTEMPTS - 1 + 100],
      [2, DEADLOCK_ATTEMPTS - 1],
    ])
  }, 30_000)

  it('gives up after the last attempt with an error that answers 503 (try again later), never 500', async () => {
    let runs = 0
    const failure = await transaction(database.db, async (tx) => {
      runs++
      await deadlockFrom(tx)
    }).catch((err: unknown) => err)
    expect(runs).toBe(DEADLOCK_ATTEMPTS)
    expect(isDatabaseUnavailable(failure)).toBe(true)
  }, 30_000)
})
