import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestContext, type TestContext } from './testing/harness.js'
import { startLiren, type LirenProcess } from './testing/liren-process.js'
import { calledNow } from './testing/factories.js'

/**
 * Past one machine: two Liren server processes on one database, each running the scheduler every
 * 200 ms, under a load of ballots and reports sent to both, with 40 reports overdue. Every overdue
 * report escalates once, every queued point is paid once, every ballot counts once.
 */
let t: TestContext
let zhangjia: number
const servers: LirenProcess[] = []

beforeAll(async () => {
  t = await startTestContext({ env: { REPORT_LIMIT_PER_MINUTE: '10000' } })
  zhangjia = await t.villageId('zhangjia')
  const env = { JWT_SECRET: 'test-secret-test-secret', SEED_DEMO: 'false', SCHEDULER_INTERVAL_MS: '200' }
  servers.push(
    ...(await Promise.all([
      startLiren({ databaseUrl: t.databaseUrl, env }),
      startLiren({ databaseUrl: t.databaseUrl, env }),
    ])),
  )
}, 120_000)

afterAll(async () => {
  for (const s of servers) if (s.alive) s.child.kill('SIGTERM')
  await Promise.all(servers.map((s) => s.exited))
  await t?.close()
})

describe('two servers, one database', () => {
  it('escalate each overdue report once, pay each queued point once and count each ballot once, under load', async () => {
    const committee = await t.login('demo-zhangjia-committee')
    const post = async (server: number, path: string, token: string, body: object) => {
      const res = await fetch(`${servers[server % 2]!.url}/api/villages/${zhangjia}${path}`, {
        method: 'POST',
        headers: { ...auth(token), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    }
    // 40 reports, then made overdue for acceptance.
    const residents = await Promise.all(
      ['demo-zhangjia-resident', 'demo-zhangjia-volunteer', 'demo-zhangjia-grid'].map((o) => t.login(o)),
    )
    const filed = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(i, '/reports', residents[i % 3]!, {
          category: '环境卫生',
          description: `第 ${i} 处垃圾`,
          idempotencyKey: `two-servers-${i}`,
        }),
      ),
    )
    expect(
      filed.map((r) => r.status),
      JSON.stringify(filed.find((r) => r.status !== 201)?.body),
    ).toEqual(Array(40).fill(201))
    const ids = filed.map((r) => Number(r.body.id))
    await t.database.pool.query('UPDATE reports SET escalate_at = NOW(3) - INTERVAL 1 MINUTE WHERE id IN (?)', [ids])

    // Meanwhile, load on both: a vote every member casts (each ballot queues a point), sent to both servers twice.
    const meeting = (
      await post(0, '/meetings', committee, {
        kind: 'deliberation',
        title: '两台服务器',
        place: '村委会',
        ...calledNow(),
        online: true,
        agenda: [{ title: '试一试', vote: { question: '同意吗', secret: true } }],
      })
    ).body as { id: number; agenda: { vote: { id: number; options: { id: number }[] } }[] }
    expect(meeting.agenda, JSON.stringify(meeting)).toBeDefined()
    await post(1, `/meetings/${meeting.id}/announce`, committee, {})
    const vote = meeting.agenda[0]!.vote
    await post(0, `/votes/${vote.id}/open`, committee, {})
    const voters = [committee, ...residents]
    const ballots = await Promise.all(
      voters.flatMap((token, i) => [
        post(i, `/votes/${vote.id}/ballots`, token, { choices: [vote.options[0]!.id] }),
        post(i + 1, `/votes/${vote.id}/ballots`, token, { choices: [vote.options[0]!.id] }),
      ]),
    )
    expect(ballots.filter((b) => b.status === 201)).toHaveLength(voters.length)
    expect(ballots.filter((b) => b.status === 409).every((b) => b.body.code === 'ALREADY_VOTED')).toBe(true)
    // The close releases the ballots' queued points to the schedulers.
    expect((await post(1, `/votes/${vote.id}/close`, committee, {})).status).toBe(200)
    const more = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(i, '/reports', residents[i % 3]!, {
          category: '设施损坏',
          description: `第 ${i} 盏路灯`,
          idempotencyKey: `two-servers-load-${i}`,
        }),
      ),
    )
    expect(more.every((r) => r.status === 201)).toBe(true)

    // Both schedulers at work: wait until every overdue report has moved up and the queue is empty.
    const done = async () => {
      const [[row]] = (await t.database.pool.query(
        "SELECT (SELECT COUNT(*) FROM reports WHERE id IN (?) AND level = 'grid') AS waiting, (SELECT COUNT(*) FROM point_award_queue) AS queued",
        [ids],
      )) as unknown as [[{ waiting: number; queued: number }]]
      return Number(row.waiting) === 0 && Number(row.queued) === 0
    }
    for (const started = Date.now(); !(await done());) {
      if (Date.now() - started > 30_000) throw new Error('the schedulers did not finish in 30 s')
      await new Promise((r) => setTimeout(r, 200))
    }
    // Give both a few more rounds to do anything twice, if they would.
    await new Promise((r) => setTimeout(r, 1500))

    const events = (await t.rows<{ report_id: number; action: string }>('report_events')).filter(
      (e) => e.action === 'escalate' && ids.includes(e.report_id),
    )
    expect(events).toHaveLength(40)
    expect(new Set(events.map((e) => e.report_id)).size).toBe(40)
    const told = (await t.rows<{ user_id: number; report_id: number | null; title: string }>('notifications')).filter(
      (n) => n.report_id !== null && ids.includes(n.report_id) && n.title.startsWith('超时上报'),
    )
    expect(told.length).toBeGreaterThan(0)
    expect(new Set(told.map((n) => `${n.user_id}:${n.report_id}`)).size).toBe(told.length)
    const paid = (await t.rows<{ ref_type: string; ref_id: number }>('point_entries')).filter(
      (e) => e.ref_type === 'vote' && e.ref_id === vote.id,
    )
    expect(paid).toHaveLength(voters.length)
    const [[box]] = (await t.database.pool.query('SELECT COUNT(*) AS n FROM ballots WHERE vote_id = ?', [
      vote.id,
    ])) as unknown as [[{ n: number }]]
    expect(Number(box.n)).toBe(voters.length)
  })
})
