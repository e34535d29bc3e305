import { createHash, randomBytes } from 'node:crypto'
import type mysql from 'mysql2/promise'
import { openDatabase } from '../core/db.js'
import { verifyLedger } from '../verify-ledger.js'
import { signIn } from './liren-process.js'

/**
 * A load of mixed writes for the fault and shutdown tests, as the mini-program sends them: reports
 * filed by villagers and taken through accept → start → resolve by the committee, awards by rule,
 * redemptions at the shop counter, and ballots. Every write carries a fresh idempotency key (a
 * ballot's receipt code plays that part); `checkDatabase` then holds the database to every answer.
 */

export type OpKind = 'report' | 'accept' | 'start' | 'resolve' | 'award' | 'redeem' | 'ballot'
const NEXT_STEP = { submitted: 'accept', accept: 'start', start: 'resolve', resolve: null } as const

export interface Scenario {
  villageId: number
  committee: string
  /** The four demo members of 张家村 (the committee member among them), each of whom may vote. */
  voters: { token: string; personId: number }[]
  ruleCode: string
  item: { id: number; stock: number; cost: number }
  /** Roster people the committee awards points to and redeems for at the counter. */
  crowd: number[]
  votes: { id: number; secret: boolean; optionIds: number[] }[]
}

export interface PlannedRequest {
  kind: OpKind
  key: string
  method: 'POST'
  path: string
  token: string
  body: object
}

/** One try of a request: its HTTP status, or how the connection failed. */
export interface Attempt {
  kind: OpKind
  key: string
  startedAt: number
  ms: number
  status: number | 'connection' | 'timeout' | 'cut'
  code?: string
  message?: string
  error?: string
}

export interface Acked {
  kind: OpKind
  key: string
  body: Record<string, unknown>
  /** For transitions: the report. For ballots: the vote and voter. */
  reportId?: number
  voteId?: number
  personId?: number
}

const post = async (url: string, path: string, token: string, body: object) => {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = (await res.json()) as Record<string, unknown>
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

/**
 * Against a freshly seeded demo town: members signed in, a rule without caps, an item with plenty of
 * stock, points for the crowd to spend, and `meetings` × 30 open votes (every second one open, 记名,
 * so its ballots name their voters).
 */
export async function prepareScenario(
  url: string,
  pool: mysql.Pool,
  opts: { meetings?: number; stock?: number } = {},
): Promise<Scenario> {
  const [[village]] = (await pool.query("SELECT id FROM villages WHERE code = 'zhangjia'")) as unknown as [
    [{ id: number }],
  ]
  const villageId = Number(village.id)
  const v = (path: string) => `/api/villages/${villageId}${path}`
  const openids = ['demo-zhangjia-committee', 'demo-zhangjia-resident', 'demo-zhangjia-volunteer', 'demo-zhangjia-grid']
  const tokens = await Promise.all(openids.map((o) => signIn(url, o)))
  const committee = tokens[0]!
  const [members] = (await pool.query(
    `SELECT u.openid, m.person_id AS personId FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.village_id = ? AND m.status = 'verified' AND m.person_id IS NOT NULL`,
    [villageId],
  )) as unknown as [{ openid: string; personId: number }[]]
  const voters = openids.map((openid, i) => {
    const m = members.find((r) => r.openid === openid)
    if (!m) throw new Error(`no verified member ${openid} with a roster person`)
    return { token: tokens[i]!, personId: Number(m.personId) }
  })
  const [people] = (await pool.query(
    "SELECT id FROM persons WHERE village_id = ? AND status = 'resident' ORDER BY id",
    [villageId],
  )) as unknown as [{ id: number }[]]
  const crowd = people
    .map((p) => Number(p.id))
    .filter((id) => !voters.some((m) => m.personId === id))
    .slice(0, 12)
  if (crowd.length < 4) throw new Error(`only ${crowd.length} roster people to award points to`)

  const ruleCode = `load_${randomBytes(3).toString('hex')}`
  await post(url, v('/points/rules'), committee, { code: ruleCode, name: '故障演练', kind: 'earn', points: 5 })
  // Voting earns a point, capped at 10 a day by default: without the cap every ballot's point is due,
  // which the check below can count exactly.
  await fetch(`${url}${v('/points/rules/vote')}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${committee}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      code: 'vote',
      name: '参与表决',
      kind: 'earn',
      points: 1,
      capPerDay: null,
      capPerYear: null,
    }),
  }).then(async (r) => {
    if (!r.ok) throw new Error(`PUT vote rule: ${r.status} ${await r.text()}`)
  })
  const stock = opts.stock ?? 100_000
  const item = (await post(url, v('/shop/items'), committee, { name: '毛巾', cost: 1, stock })) as { id: number }
  for (const personId of crowd)
    await post(url, v('/points/awards'), committee, {
      personId,
      ruleCode,
      points: 5000,
      reason: '初始积分',
      idempotencyKey: `load-seed-${ruleCode}-${personId}`,
    })

  const votes: Scenario['votes'] = []
  for (let m = 0; m < (opts.meetings ?? 2); m++) {
    const agenda = Array.from({ length: 30 }, (_, i) => ({
      title: `议题 ${m}-${i}`,
      vote: { question: `同意第 ${m}-${i} 项吗`, secret: i % 2 === 0 },
    }))
    const meeting = (await post(url, v('/meetings'), committee, {
      kind: 'deliberation',
      title: `故障演练会议 ${m}`,
      place: '村委会',
      // Begun a second ago: its votes open and close at once (a 议事协商会 needs no notice).
      startsAt: new Date(Date.now() - 1000).toISOString(),
      online: true,
      agenda,
    })) as {
      id: number
      agenda: { vote: { id: number; options: { id: number }[] } }[]
    }
    await post(url, v(`/meetings/${meeting.id}/announce`), committee, {})
    for (const [i, a] of meeting.agenda.entries()) {
      await post(url, v(`/votes/${a.vote.id}/open`), committee, {})
      votes.push({ id: a.vote.id, secret: i % 2 === 0, optionIds: a.vote.options.map((o) => o.id) })
    }
  }
  return { villageId, committee, voters, ruleCode, item: { id: item.id, stock, cost: 1 }, crowd, votes }
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!

/**
 * Plans the writes: which request comes next, and what an answer means for later ones (an accepted
 * report can be started; a ballot cast is not cast again). Nothing here sends anything.
 */
export class Planner {
  private n = 0
  private readonly run = randomBytes(3).toString('hex')
  /** Reports on file, by id, with the step that comes next; a report being worked on is taken out. */
  private readonly reports = new Map<number, keyof typeof NEXT_STEP>()
  private readonly busy = new Set<number>()
  private readonly ballotsLeft: { voteId: number; voter: number; optionId: number }[]
  readonly acked: Acked[] = []

  constructor(readonly s: Scenario) {
    this.ballotsLeft = s.votes.flatMap((v) =>
      s.voters.map((_, voter) => ({ voteId: v.id, voter, optionId: pick(v.optionIds) })),
    )
    this.ballotsLeft.sort(() => Math.random() - 0.5)
  }

  private key(kind: string) {
    return `${kind}-${this.run}-${++this.n}`
  }

  next(): PlannedRequest & { reportId?: number; voteId?: number; personId?: number } {
    const v = (path: string) => `/api/villages/${this.s.villageId}${path}`
    const roll = Math.random()
    const ready = [...this.reports].filter(([id, step]) => !this.busy.has(id) && NEXT_STEP[step] !== null)
    if (roll < 0.15 && ready.length > 0) {
      const [reportId, step] = pick(ready)
      this.busy.add(reportId)
      const kind = NEXT_STEP[step]!
      return {
        kind,
        key: this.key(kind),
        method: 'POST',
        path: v(`/reports/${reportId}/${kind}`),
        token: this.s.committee,
        body: kind === 'resolve' ? { note: '已经处理好了' } : {},
        reportId,
      }
    }
    if (roll < 0.3 && this.ballotsLeft.length > 0) {
      const b = this.ballotsLeft.pop()!
      const voter = this.s.voters[b.voter]!
      return {
        kind: 'ballot',
        key: this.key('ballot'),
        method: 'POST',
        path: v(`/votes/${b.voteId}/ballots`),
        token: voter.token,
        body: { choices: [b.optionId] },
        voteId: b.voteId,
        personId: voter.personId,
      }
    }
    if (roll < 0.55)
      return this.withKey('award', v('/points/awards'), this.s.committee, () => ({
        personId: pick(this.s.crowd),
        ruleCode: this.s.ruleCode,
        reason: '打扫卫生',
      }))
    if (roll < 0.75)
      return this.withKey('redeem', v('/shop/orders'), this.s.committee, () => ({
        itemId: this.s.item.id,
        personId: pick(this.s.crowd),
      }))
    return this.withKey('report', v('/reports'), pick(this.s.voters).token, (key) => ({
      category: '环境卫生',
      description: `村口有垃圾（${key}）`,
    }))
  }

  /** A new write that carries its own idempotency key: the planner's key, sent as the body's idempotencyKey. */
  private withKey(kind: OpKind, path: string, token: string, body: (key: string) => object): PlannedRequest {
    const key = this.key(kind)
    return { kind, key, method: 'POST', path, token, body: { ...body(key), idempotencyKey: key } }
  }

  /** A request's final answer: a 2xx is recorded (and may open later steps); anything else ends it. */
  settle(req: ReturnType<Planner['next']>, status: number | null, body: Record<string, unknown> | null): void {
    if (req.reportId !== undefined) this.busy.delete(req.reportId)
    if (status === null || status < 200 || status >= 300) {
      // A transition refused (or never answered) takes its report out: its state is not known here.
      if (req.reportId !== undefined) this.reports.delete(req.reportId)
      return
    }
    this.acked.push({
      kind: req.kind,
      key: req.key,
      body: body ?? {},
      reportId: req.reportId,
      voteId: req.voteId,
      personId: req.personId,
    })
    if (req.kind === 'report') this.reports.set(Number(body!.id), 'submitted')
    else if (req.reportId !== undefined) this.reports.set(req.reportId, req.kind as 'accept' | 'start' | 'resolve')
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Sends one request with fetch and says how it went. */
export async function attempt(
  url: string,
  req: PlannedRequest,
  timeoutMs: number,
): Promise<{ attempt: Attempt; body: Record<string, unknown> | null }> {
  const startedAt = Date.now()
  const done = (
    a: Omit<Attempt, 'kind' | 'key' | 'startedAt' | 'ms'>,
    body: Record<string, unknown> | null = null,
  ) => ({ attempt: { kind: req.kind, key: req.key, startedAt, ms: Date.now() - startedAt, ...a }, body })
  let res: Response
  try {
    res = await fetch(`${url}${req.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${req.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(req.body),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } }
    if (e.name === 'TimeoutError') return done({ status: 'timeout' })
    return done({ status: 'connection', error: e.cause?.code ?? e.cause?.message ?? e.message })
  }
  let body: Record<string, unknown>
  try {
    body = (await res.json()) as Record<string, unknown>
  } catch (err) {
    return done({ status: 'cut', error: (err as Error).message })
  }
  return done(
    {
      status: res.status,
      code: typeof body.code === 'string' ? body.code : undefined,
      message: typeof body.message === 'string' ? body.message : undefined,
    },
    body,
  )
}

/**
 * Clients sending the planned writes one after another, as a phone would: a request that failed
 * without an answer from the application (503, no connection) is sent again with the same key after
 * a pause, until it is answered or the load is stopped and its grace has run out.
 */
export class WriteLoad {
  readonly attempts: Attempt[] = []
  /** Requests still without an answer when the load ended. */
  readonly unanswered: PlannedRequest[] = []
  private stopping = false
  private giveUpAt = Infinity
  private clients: Promise<void>[] = []

  constructor(
    readonly planner: Planner,
    /** Where to send: read at every try, so a test can move the server. */
    private readonly url: () => string,
    private readonly opts: { timeoutMs?: number; retryPauseMs?: number } = {},
  ) {}

  start(clients: number): void {
    this.clients = Array.from({ length: clients }, () => this.client())
  }

  /** Stops planning new writes; those under way may try again for `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true
    this.giveUpAt = Date.now() + graceMs
    await Promise.all(this.clients)
  }

  private async client(): Promise<void> {
    while (!this.stopping) {
      const req = this.planner.next()
      for (;;) {
        const { attempt: a, body } = await attempt(this.url(), req, this.opts.timeoutMs ?? 20_000)
        this.attempts.push(a)
        const answered = typeof a.status === 'number' && a.status !== 503 && a.status < 500
        if (answered) {
          this.planner.settle(req, a.status as number, body)
          break
        }
        if (this.stopping && Date.now() > this.giveUpAt) {
          this.planner.settle(req, null, null)
          this.unanswered.push(req)
          break
        }
        await sleep(this.opts.retryPauseMs ?? 200)
      }
    }
  }
}

export interface DatabaseCheck {
  /** Writes answered 2xx that the database does not hold. */
  lost: string[]
  /** Invariants that do not hold. */
  broken: string[]
}

/**
 * Holds the database to every 2xx answer, and checks that nothing is half-written: the audit and
 * ledger chains and balances (verifyLedger), stock and orders, ballots and voters, reports and events.
 */
export async function checkDatabase(databaseUrl: string, s: Scenario, acked: Acked[]): Promise<DatabaseCheck> {
  const database = openDatabase(databaseUrl, 2)
  const q = async <T>(statement: string, params: unknown[] = []) =>
    ((await database.pool.query(statement, params)) as unknown as [T[]])[0]
  const lost: string[] = []
  const broken: string[] = []
  try {
    const keysOf = (kind: OpKind) => acked.filter((a) => a.kind === kind)
    /** `keyOf`: the key the client sent, as the table stores it (the ledger stores it under its caller). */
    const byKey = async (table: string, kind: OpKind, idOf: (a: Acked) => unknown, keyOf = 'idempotency_key') => {
      const mine = keysOf(kind)
      if (mine.length === 0) return
      const rows = await q<{ id: number; k: string }>(
        `SELECT id, k FROM (SELECT id, ${keyOf} AS k FROM ${table}) t WHERE k IN (?)`,
        [mine.map((a) => a.key)],
      )
      const found = new Map(rows.map((r) => [r.k, Number(r.id)]))
      for (const a of mine)
        if (found.get(a.key) !== Number(idOf(a)))
          lost.push(
            `${kind} ${a.key}: answered ${JSON.stringify(idOf(a))}, in ${table}: ${found.get(a.key) ?? 'nothing'}`,
          )
    }
    await byKey('reports', 'report', (a) => a.body.id)
    await byKey(
      'point_entries',
      'award',
      (a) => a.body.entryId,
      "IF(idempotency_key LIKE 'award:%', SUBSTRING(idempotency_key, LENGTH(CONCAT('award:', created_by, ':')) + 1), NULL)",
    )
    await byKey('shop_orders', 'redeem', (a) => a.body.id)

    const steps = acked.filter((a) => a.reportId !== undefined)
    if (steps.length > 0) {
      const events = await q<{ report_id: number; action: string }>(
        'SELECT report_id, action FROM report_events WHERE report_id IN (?)',
        [[...new Set(steps.map((a) => a.reportId))]],
      )
      const have = new Set(events.map((e) => `${e.report_id}:${e.action}`))
      for (const a of steps)
        if (!have.has(`${a.reportId}:${a.kind}`))
          lost.push(`${a.kind} of report ${a.reportId}: answered 200, no ${a.kind} event`)
    }
    const cast = keysOf('ballot')
    if (cast.length > 0) {
      const hashes = cast.map((a) => createHash('sha256').update(String(a.body.receiptCode)).digest('hex'))
      const rows = await q<{ h: string; vote_id: number }>(
        'SELECT receipt_hash AS h, vote_id FROM ballots WHERE receipt_hash IN (?)',
        [hashes],
      )
      const found = new Map(rows.map((r) => [r.h, Number(r.vote_id)]))
      cast.forEach((a, i) => {
        if (found.get(hashes[i]!) !== a.voteId)
          lost.push(`ballot ${a.key} (vote ${a.voteId}): its receipt is not in the box`)
      })
    }

    // The chains of the audit log and the ledger, and every balance.
    const ledger = await verifyLedger(database.db)
    for (const b of ledger.broken) broken.push(`ledger: ${b.problem}`)

    // Stock and orders: what left the shelf is exactly the orders that hold it, and the points held
    // for pending orders are exactly in the pending account; every order's hold is in the ledger.
    const [item] = await q<{ stock: number }>('SELECT stock FROM shop_items WHERE id = ?', [s.item.id])
    const [held] = await q<{ n: number; cost: number }>(
      "SELECT COUNT(*) AS n, COALESCE(SUM(cost), 0) AS cost FROM shop_orders WHERE item_id = ? AND status IN ('pending', 'fulfilled')",
      [s.item.id],
    )
    if (Number(item!.stock) + Number(held!.n) !== s.item.stock)
      broken.push(`shop: stock ${item!.stock} + ${held!.n} orders ≠ ${s.item.stock} stocked`)
    const [pending] = await q<{ balance: number | null; owed: number }>(
      "SELECT (SELECT balance FROM point_accounts WHERE village_id = ? AND system_key = 'pending') AS balance, (SELECT COALESCE(SUM(cost), 0) FROM shop_orders WHERE village_id = ? AND status = 'pending') AS owed",
      [s.villageId, s.villageId],
    )
    if (Number(pending!.balance ?? 0) !== Number(pending!.owed))
      broken.push(`shop: the pending account holds ${pending!.balance}, pending orders cost ${pending!.owed}`)
    const orphans = await q<{ id: number }>(
      "SELECT o.id FROM shop_orders o LEFT JOIN point_entries e ON e.id = o.hold_entry_id AND e.idempotency_key = CONCAT('redeem:', o.created_by, ':', o.idempotency_key) WHERE o.item_id = ? AND e.id IS NULL",
      [s.item.id],
    )
    for (const o of orphans) broken.push(`shop: order ${o.id} has no hold entry in the ledger`)
    const unordered = await q<{ id: number }>(
      "SELECT e.id FROM point_entries e LEFT JOIN shop_orders o ON o.hold_entry_id = e.id WHERE e.kind = 'redeem' AND e.village_id = ? AND o.id IS NULL",
      [s.villageId],
    )
    for (const e of unordered) broken.push(`shop: redeem entry ${e.id} has no order`)

    // Ballots: as many in the box as voters on the list, every choice in a ballot, every named ballot's
    // voter on the list, and each voter's point for voting due exactly once (paid or still queued).
    const voteIds = s.votes.map((v) => v.id)
    const perVote = await q<{ id: number; box: number; listed: number; choices: number; strays: number }>(
      `SELECT v.id,
              (SELECT COUNT(*) FROM ballots b WHERE b.vote_id = v.id) AS box,
              (SELECT COUNT(*) FROM vote_voters w WHERE w.vote_id = v.id AND w.channel = 'online') AS listed,
              (SELECT COUNT(DISTINCT c.receipt_hash) FROM ballot_choices c WHERE c.vote_id = v.id) AS choices,
              (SELECT COUNT(*) FROM ballot_choices c LEFT JOIN ballots b ON b.receipt_hash = c.receipt_hash AND b.vote_id = c.vote_id WHERE c.vote_id = v.id AND b.receipt_hash IS NULL) AS strays
       FROM votes v WHERE v.id IN (?)`,
      [voteIds],
    )
    for (const r of perVote) {
      if (Number(r.box) !== Number(r.listed) || Number(r.choices) !== Number(r.box) || Number(r.strays) !== 0)
        broken.push(
          `vote ${r.id}: ${r.box} ballots, ${r.listed} voters listed, ${r.choices} ballots with choices, ${r.strays} choices outside the box`,
        )
    }
    const unlisted = await q<{ vote_id: number; person_id: number }>(
      'SELECT b.vote_id, b.person_id FROM ballots b LEFT JOIN vote_voters w ON w.vote_id = b.vote_id AND w.person_id = b.person_id WHERE b.vote_id IN (?) AND b.person_id IS NOT NULL AND w.person_id IS NULL',
      [voteIds],
    )
    for (const u of unlisted)
      broken.push(`vote ${u.vote_id}: a ballot of person ${u.person_id}, who is not on the voters' list`)
    const dues = await q<{ k: string; n: number }>(
      `SELECT k, COUNT(*) AS n FROM (
         SELECT CONCAT('vote:', vote_id, ':', person_id) AS k FROM vote_voters WHERE vote_id IN (?)
         UNION ALL SELECT idempotency_key FROM point_entries WHERE ref_type = 'vote' AND ref_id IN (?)
         UNION ALL SELECT idempotency_key FROM point_award_queue WHERE ref_type = 'vote' AND ref_id IN (?)) d
       GROUP BY k HAVING n <> 2`,
      [voteIds, voteIds, voteIds],
    )
    for (const d of dues.slice(0, 20))
      broken.push(
        `vote point ${d.k}: ${Number(d.n) === 1 ? 'a voter without the point due, or a point without a voter' : `${d.n} rows (a voter, and the point twice)`}`,
      )

    // Reports: each begins with its submit event, and its state is where its last event took it.
    const reports = await q<{ id: number; state: string; first: string | null; submits: number; last: string | null }>(
      `SELECT r.id, r.state,
              (SELECT e.action FROM report_events e WHERE e.report_id = r.id ORDER BY e.id LIMIT 1) AS first,
              (SELECT COUNT(*) FROM report_events e WHERE e.report_id = r.id AND e.action = 'submit') AS submits,
              (SELECT e.to_state FROM report_events e WHERE e.report_id = r.id ORDER BY e.id DESC LIMIT 1) AS last
       FROM reports r WHERE r.village_id = ?`,
      [s.villageId],
    )
    for (const r of reports) {
      if (r.first !== 'submit' || Number(r.submits) !== 1 || r.last !== r.state)
        broken.push(
          `report ${r.id}: state ${r.state}, first event ${r.first}, ${r.submits} submit events, last event to ${r.last}`,
        )
    }
  } finally {
    await database.close()
  }
  return { lost, broken }
}

export const hasChinese = (s: unknown) => typeof s === 'string' && /[\u4e00-\u9fff]/.test(s)
