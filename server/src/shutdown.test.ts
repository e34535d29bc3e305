import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropDatabase } from './core/db.js'
import { type LirenProcess } from './testing/liren-process.js'
import { killLiren, startLirenWithScenario } from './testing/liren-scenario.js'
import {
  attempt,
  checkDatabase,
  hasChinese,
  Planner,
  sleep,
  type PlannedRequest,
  type Scenario,
} from './testing/write-load.js'

/**
 * Graceful shutdown under load: a burst of writes is on the wire, then SIGTERM. Every request sent
 * before the signal gets a whole HTTP answer — done (2xx) or a clean error in the one error shape —
 * never a reset connection or a body cut off; each 2xx is in the database, nothing is half-written, and
 * the process exits 0 within its 10 s.
 */
const databaseUrl = `${process.env.TEST_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306'}/liren_test_shutdown_${randomBytes(4).toString('hex')}`
let liren: LirenProcess
let scenario: Scenario

beforeAll(async () => {
  ;({ liren, scenario } = await startLirenWithScenario(databaseUrl, { meetings: 1 }))
}, 180_000)

afterAll(async () => {
  await killLiren(liren)
  await dropDatabase(databaseUrl)
})

interface Outcome {
  req: PlannedRequest
  /** When the request was wholly handed to the operating system. */
  writtenAt?: number
  status?: number
  body?: Record<string, unknown>
  error?: string
}

/** One request on a connection of its own (no keep-alive socket to race with the server closing it). */
function send(url: URL, req: PlannedRequest): { outcome: Outcome; written: Promise<void>; done: Promise<Outcome> } {
  const outcome: Outcome = { req }
  const payload = JSON.stringify(req.body)
  let written!: () => void
  const writtenP = new Promise<void>((r) => (written = r))
  const done = new Promise<Outcome>((resolve) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: req.path,
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${req.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('error', (err) => {
          outcome.error = `body cut off: ${err.message}`
          resolve(outcome)
        })
        res.on('end', () => {
          outcome.status = res.statusCode
          try {
            outcome.body = JSON.parse(text) as Record<string, unknown>
          } catch {
            outcome.error = `not a whole JSON body: ${text.slice(0, 80)}`
          }
          resolve(outcome)
        })
      },
    )
    r.on('finish', () => {
      outcome.writtenAt = Date.now()
      written()
    })
    r.on('error', (err) => {
      outcome.error = (err as NodeJS.ErrnoException).code ?? err.message
      written()
      resolve(outcome)
    })
    r.setTimeout(30_000, () => r.destroy(new Error('no answer within 30 s')))
    r.end(payload)
  })
  return { outcome, written: writtenP, done }
}

describe('graceful shutdown under load', () => {
  it('answers every request sent before SIGTERM, keeps every 2xx and exits 0', async () => {
    const planner = new Planner(scenario)
    const url = new URL(liren.url)
    // A few writes first, so that the burst takes filed reports further too.
    for (let i = 0; i < 40; i++) {
      const req = planner.next()
      const { attempt: a, body } = await attempt(liren.url, req, 20_000)
      planner.settle(req, typeof a.status === 'number' ? a.status : null, body)
    }
    const warmedUp = planner.acked.length
    const BURST = 200
    const started = Date.now()
    const sent = Array.from({ length: BURST }, () => send(url, planner.next()))
    await Promise.all(sent.map((s) => s.written))
    // Some answered already, most still being worked on.
    for (
      const t0 = Date.now();
      sent.filter((s) => s.outcome.status !== undefined).length < 10 && Date.now() - t0 < 30_000;
    )
      await sleep(5)
    const signalAt = Date.now()
    const answeredBefore = sent.filter((s) => s.outcome.status !== undefined).length
    liren.child.kill('SIGTERM')
    const outcomes = await Promise.all(sent.map((s) => s.done))
    const exit = await liren.exited
    for (const o of outcomes) planner.settle(o.req as ReturnType<Planner['next']>, o.status ?? null, o.body ?? null)

    const byStatus: Record<string, number> = {}
    for (const o of outcomes) byStatus[o.error ?? String(o.status)] = (byStatus[o.error ?? String(o.status)] ?? 0) + 1
    const check = await checkDatabase(databaseUrl, scenario, planner.acked)
    const kinds: Record<string, number> = {}
    for (const a of planner.acked.slice(warmedUp)) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1
    console.log(
      `shutdown: ${BURST} writes on the wire in ${signalAt - started} ms, SIGTERM with ${answeredBefore} answered; answers ${JSON.stringify(byStatus)}; ` +
        `exit ${exit.code ?? exit.signal} ${exit.at - signalAt} ms after the signal; acknowledged ${planner.acked.length - warmedUp} ${JSON.stringify(kinds)} (and ${warmedUp} before), lost ${check.lost.length}, broken ${check.broken.length}`,
    )

    // Every request was written before the signal, and every one got a whole answer.
    expect(outcomes.every((o) => o.writtenAt !== undefined && o.writtenAt <= signalAt)).toBe(true)
    expect(outcomes.filter((o) => o.error).map((o) => `${o.req.kind} ${o.req.key}: ${o.error}`)).toEqual([])
    for (const o of outcomes) {
      const s = o.status!
      if (s >= 200 && s < 300) continue
      // A clean error: the one error shape, in Chinese; a 503 asks to come back.
      expect([409, 503], `${o.req.kind} ${o.req.key}: ${s} ${JSON.stringify(o.body)}`).toContain(s)
      expect(typeof o.body?.code, JSON.stringify(o.body)).toBe('string')
      expect(hasChinese(o.body?.message), JSON.stringify(o.body)).toBe(true)
    }
    expect(planner.acked.length - warmedUp).toBeGreaterThan(answeredBefore)
    expect(check.lost, check.lost.slice(0, 10).join('\n')).toEqual([])
    expect(check.broken, check.broken.slice(0, 10).join('\n')).toEqual([])
    // Exit 0: the server closed by itself, not by its 10 s limit (which exits 1).
    expect(exit.code, liren.output().slice(-20).join('\n')).toBe(0)
  }, 120_000)
})
