import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { loggerOptions, safeUrl } from './log.js'

const file = join(tmpdir(), `liren-log-test-${process.pid}.log`)
afterAll(() => (process.env.KEEP ? undefined : rm(file, { force: true })))

describe('the server log', () => {
  it('keeps no query values, tokens or quoted values from errors (a duplicate key quotes the row)', async () => {
    const app = Fastify({ logger: loggerOptions('info', file) })
    app.get('/search', async () => {
      throw Object.assign(new Error("Duplicate entry 'demo-zhangjia-resident' for key 'users_openid_uq'"), { code: 'ER_DUP_ENTRY', errno: 1062, sql: "INSERT INTO users (openid) VALUES ('demo-zhangjia-resident')" })
    })
    const res = await app.inject({ method: 'GET', url: '/search?q=%E5%BC%A0%E7%A7%80%E5%85%B0&phone=13800138000', headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' } })
    expect(res.statusCode).toBe(500)
    await app.close()
    const log = await readFile(file, 'utf8')
    expect(log).toContain('"url":"/search?q=…&phone=…"')
    expect(log).toContain('ER_DUP_ENTRY')
    for (const secret of ['demo-zhangjia-resident', '张秀兰', '%E5%BC%A0', '13800138000', 'eyJhbGciOiJIUzI1NiJ9', 'INSERT INTO']) expect(log).not.toContain(secret)
  })

  it('names the query parameters a request had, without their values', () => {
    expect(safeUrl('/api/villages/1/roster/people?q=王&limit=50')).toBe('/api/villages/1/roster/people?q=…&limit=…')
    expect(safeUrl('/healthz')).toBe('/healthz')
  })
})
