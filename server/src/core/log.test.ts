import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { identityTables } from '../modules/identity/index.js'
import { startTestContext } from '../testing/harness.js'
import { registerErrorHandling } from './errors.js'
import { loggerOptions, safeUrl, statementName } from './log.js'

const file = join(tmpdir(), `liren-log-test-${process.pid}.log`)
afterAll(() => (process.env.KEEP ? undefined : rm(file, { force: true })))

/** The log file at `path` keeps each of `kept`, and none of `secrets` in any letter case. */
async function expectLogged(path: string, kept: string[], secrets: string[]) {
  const log = await readFile(path, 'utf8')
  for (const text of kept) expect(log).toContain(text)
  for (const secret of secrets) expect(log.toLowerCase()).not.toContain(secret.toLowerCase())
}

describe('the server log', () => {
  it('keeps no query values, tokens or quoted values from errors (a duplicate key quotes the row)', async () => {
    const app = Fastify({ logger: loggerOptions('info', file) })
    app.get('/search', async () => {
      throw Object.assign(new Error("Duplicate entry 'demo-zhangjia-resident' for key 'users_openid_uq'"), {
        code: 'ER_DUP_ENTRY',
        errno: 1062,
        sql: "INSERT INTO users (openid) VALUES ('demo-zhangjia-resident')",
      })
    })
    const res = await app.inject({
      method: 'GET',
      url: '/search?q=%E5%BC%A0%E7%A7%80%E5%85%B0&phone=13800138000',
      headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' },
    })
    expect(res.statusCode).toBe(500)
    await app.close()
    await expectLogged(
      file,
      ['"url":"/search?q=…&phone=…"', 'ER_DUP_ENTRY'],
      ['demo-zhangjia-resident', '张秀兰', '%E5%BC%A0', '13800138000', 'eyJhbGciOiJIUzI1NiJ9', "VALUES ('"],
    )
  })

  it('logs a failed query by its statement and the database’s codes, never its SQL or parameters', async () => {
    const t = await startTestContext()
    const queryLog = join(tmpdir(), `liren-log-query-${process.pid}.log`)
    try {
      const app = Fastify({ logger: loggerOptions('info', queryLog) })
      registerErrorHandling(app)
      // A duplicate of a villager's openid (the database quotes it back), and a value too long for its column.
      app.post('/duplicate', async () =>
        t.database.db.insert(identityTables.users).values({ openid: 'demo-zhangjia-resident' }),
      )
      app.post('/too-long', async () =>
        t.database.db.insert(identityTables.users).values({ openid: `13912345678${'张秀兰'.repeat(30)}` }),
      )
      // A scheduled job's failure is logged the same way (main.ts: app.log.error({ err }, '… failed')).
      app.post('/job', async () => {
        await t.database.db
          .insert(identityTables.users)
          .values({ openid: 'demo-zhangjia-committee' })
          .catch((err: Error) => {
            app.log.error({ err }, 'paying queued points failed')
            // As Fastify logs an error its error handler could not answer: by its message alone.
            app.log.error(err.message)
          })
        return {}
      })
      for (const url of ['/duplicate', '/too-long', '/job'])
        expect((await app.inject({ method: 'POST', url })).statusCode).toBe(url === '/job' ? 200 : 500)
      await app.close()
      await expectLogged(
        queryLog,
        [
          '"statement":"INSERT INTO users"',
          '"message":"query failed: INSERT INTO users"',
          '"errno":1062',
          '"sqlState":"23000"',
          '"errno":1406',
        ],
        [
          'demo-zhangjia-resident',
          'demo-zhangjia-committee',
          '13912345678',
          '张秀兰',
          'params',
          'failed query',
          'values (',
        ],
      )
    } finally {
      await t.close()
      if (!process.env.KEEP) await rm(queryLog, { force: true })
    }
  })

  it('names a statement by its verb and first table', () => {
    expect(statementName('insert ignore into `photos` (`key`) values (?)')).toBe('INSERT IGNORE INTO photos')
    expect(statementName('update `point_accounts` set `balance` = `balance` - ? where `id` = ?')).toBe(
      'UPDATE point_accounts',
    )
    expect(statementName('delete from `reports` where id = ?')).toBe('DELETE FROM reports')
    expect(statementName('select `id`, (select 1 from x) from `villages` where `code` = ?')).toBe('SELECT villages')
    expect(statementName('(select `id` from `reports`) union (select `id` from `topics`)')).toBe('SELECT reports')
    expect(statementName('rollback')).toBe('ROLLBACK')
  })

  it('names the query parameters a request had, without their values', () => {
    expect(safeUrl('/api/villages/1/roster/people?q=王&limit=50')).toBe('/api/villages/1/roster/people?q=…&limit=…')
    expect(safeUrl('/healthz')).toBe('/healthz')
  })
})
