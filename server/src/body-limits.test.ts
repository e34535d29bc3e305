import { Agent, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, multipartFile, startDemo, type TestContext } from './testing/harness.js'

/**
 * Bodies over the limit, sent over a real TCP connection the way a phone on a slow network sends
 * them (the whole body, a piece at a time, then it reads the answer): the client gets 413 in the one
 * error shape, not a reset connection, also at several megabytes, for JSON and multipart uploads,
 * and the same connection then serves the next request.
 */
let t: TestContext
let port: number
let zhangjia: number
let as: Record<'resident' | 'committee', string>

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['resident', 'committee'], {
    env: { UPLOAD_LIMIT_PER_MINUTE: '1000', UPLOAD_IP_LIMIT_PER_MINUTE: '1000' },
  }))
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  port = (t.app.server.address() as AddressInfo).port
})
afterAll(() => t?.close())

const MB = 1024 * 1024
/** One connection for every request of a test, as a phone keeps its connection. */
let agent: Agent

interface Answer {
  status?: number
  body?: unknown
  /** What went wrong on the connection (EPIPE, ECONNRESET), if anything. */
  error?: string
}

/** POSTs `body` in 256 KB pieces a few milliseconds apart (with its length, or chunked). */
function post(
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  opts: { chunked?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Answer = {}
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, ...(opts.chunked ? {} : { 'content-length': String(body.length) }) },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (text += d))
        res.on('end', () => {
          answer.status = res.statusCode
          answer.body = JSON.parse(text)
        })
      },
    )
    req.on('error', (err: NodeJS.ErrnoException) => (answer.error = err.code ?? err.message))
    req.on('close', () => setTimeout(() => resolve(answer), 50))
    let at = 0
    const next = () => {
      if (at >= body.length) return void req.end()
      req.write(body.subarray(at, at + 256 * 1024))
      at += 256 * 1024
      setTimeout(next, 2)
    }
    next()
  })
}
const health = () =>
  new Promise<number | undefined>((resolve) =>
    request({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => (res.resume(), resolve(res.statusCode)))
      .on('error', () => resolve(undefined))
      .end(),
  )
const topic = (bytes: number) => Buffer.from(JSON.stringify({ title: '修路', description: 'x'.repeat(bytes) }))
const json = { 'content-type': 'application/json' }

describe('a body over the limit gets 413 in the error shape, never a reset connection', () => {
  beforeAll(() => void (agent = new Agent({ keepAlive: true, maxSockets: 1 })))
  afterAll(() => agent.destroy())

  for (const size of [2, 5, 20]) {
    it(`JSON of ${size} MB`, async () => {
      const answer = await post(`/api/villages/${zhangjia}/topics`, { ...auth(as.resident), ...json }, topic(size * MB))
      expect(answer).toEqual({ status: 413, body: { code: 'VALIDATION_FAILED', message: '提交的内容太大' } })
      expect(await health()).toBe(200)
    })
  }
  it('JSON of 20 MB without a length (chunked)', async () => {
    const answer = await post(`/api/villages/${zhangjia}/topics`, { ...auth(as.resident), ...json }, topic(20 * MB), {
      chunked: true,
    })
    expect(answer).toEqual({ status: 413, body: { code: 'VALIDATION_FAILED', message: '提交的内容太大' } })
    expect(await health()).toBe(200)
  })
  it('JSON of 5 MB from someone not signed in (the size is checked before the token)', async () => {
    const answer = await post(`/api/villages/${zhangjia}/topics`, json, topic(5 * MB))
    expect(answer).toMatchObject({ status: 413, body: { code: 'VALIDATION_FAILED' } })
    expect(answer.error).toBeUndefined()
  })
  it('an Open311 form of 5 MB (Open311 answers in its own error list)', async () => {
    const form = Buffer.from(
      `jurisdiction_id=zhangjia&service_code=%E7%8E%AF%E5%A2%83%E5%8D%AB%E7%94%9F&description=${'x'.repeat(5 * MB)}`,
    )
    const answer = await post(
      '/open311/v2/requests.json',
      { 'content-type': 'application/x-www-form-urlencoded' },
      form,
    )
    expect(answer.error).toBeUndefined()
    expect(answer).toMatchObject({ status: 400, body: [{ code: 400 }] })
  })
  for (const size of [12, 30]) {
    it(`a photo of ${size} MB`, async () => {
      const { payload, headers } = multipartFile('file', 'a.jpg', Buffer.alloc(size * MB, 0xff))
      const answer = await post(`/api/villages/${zhangjia}/photos`, { ...auth(as.resident), ...headers }, payload)
      expect(answer).toMatchObject({ status: 413, body: { code: 'FILE_TOO_LARGE', details: [{ field: 'file' }] } })
      expect(answer.error).toBeUndefined()
      expect(await health()).toBe(200)
    })
  }
  for (const size of [6, 20]) {
    it(`a roster file of ${size} MB`, async () => {
      const { payload, headers } = multipartFile('file', 'a.csv', Buffer.alloc(size * MB, 0x41))
      const answer = await post(
        `/api/villages/${zhangjia}/roster/import`,
        { ...auth(as.committee), ...headers },
        payload,
      )
      expect(answer).toMatchObject({ status: 413, body: { code: 'FILE_TOO_LARGE', details: [{ field: 'file' }] } })
      expect(answer.error).toBeUndefined()
    })
  }
  it('past 64 MB the server stops reading and cuts the connection (an endless body costs it nothing more)', async () => {
    const answer = await post(
      `/api/villages/${zhangjia}/topics`,
      { ...auth(as.resident), ...json },
      Buffer.alloc(80 * MB, 0x20),
      { chunked: true },
    )
    expect(answer.error).toMatch(/EPIPE|ECONNRESET/)
    expect(await health()).toBe(200)
  })
  it('nothing was stored', async () => {
    expect(await t.rows('photos')).toEqual([])
    expect((await t.rows<{ title: string }>('topics')).filter((r) => r.title === '修路')).toEqual([])
  })
})
