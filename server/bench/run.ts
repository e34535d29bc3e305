import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'

/**
 * `npm run bench`: measures the three ceilings on this machine, then each scenario, in one run,
 * and prints req/s, p50/p99 latency and the ratio to the ceiling of the scenario's kind.
 * The servers run in a child process so the load generator does not share their event loop.
 */
type Kind = 'hello' | 'read' | 'write'
interface Scenario {
  name: string
  kind: Kind
  url: string
  method?: 'GET' | 'POST' | 'PATCH'
  headers?: Record<string, string>
  body?: string
  /** A fresh body for every request (e.g. a new idempotency key). */
  makeBody?: () => string
  /** A fresh path and body for every request (e.g. another row each time). */
  makeRequest?: () => { path: string; body: string }
  /** Connections for this scenario, when the goal names its own. */
  connections?: number
  /** A different caller for every request (e.g. each voter once). */
  tokens?: string[]
  /** A fixed number of requests instead of the duration (e.g. one ballot per voter). */
  amount?: number
}

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20)

const child = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []),
    '--import',
    'tsx',
    new URL('./server.ts', import.meta.url).pathname,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
const { ceilingUrl, lirenUrl } = await new Promise<{ ceilingUrl: string; lirenUrl: string }>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)))
})

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<Record<string, string>>
}
const { code } = await post(`${lirenUrl}/api/dev/wechat-code`, { openid: 'demo-zhangjia-committee' })
const { token } = await post(`${lirenUrl}/api/auth/wechat`, { code })
const me = (await (await fetch(`${lirenUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
  currentVillageId: number
}
const village = `${lirenUrl}/api/villages/${me.currentVillageId}`
const authJson = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
async function call(path: string, body: unknown, at = village, headers = authJson) {
  const res = await fetch(`${at}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<Record<string, number>>
}
// Points for the scenarios: a rule without caps, a large balance for the committee member, a big stock.
const account = (await (await fetch(`${village}/points/me`, { headers: authJson })).json()) as { personId: number }
await call('/points/rules', { code: 'bench_earn', name: '压测加分', kind: 'earn', points: 1 })
for (let i = 0; i < 20; i++)
  await call('/points/awards', {
    personId: account.personId,
    ruleCode: 'bench_earn',
    points: 100000,
    reason: '压测',
    idempotencyKey: `bench-fund-${i}`,
  })
const item = await call('/shop/items', { name: '压测商品', cost: 1, stock: 1000000 })
let counter = 0
// The roster of the committee's village, for the audited-write scenario.
const rosterPeople = (
  (await (await fetch(`${village}/roster/people?limit=200`, { headers: authJson })).json()) as {
    people: { id: number }[]
  }
).people.map((p) => p.id)
if (rosterPeople.length < 20) throw new Error(`only ${rosterPeople.length} people on the roster`)
// 200,000 reports for the feed: the server process inserts them in bulk and says where a deep page starts.
const { deepCursor } = (await (
  await fetch(`${ceilingUrl}/seed-reports?villageId=${me.currentVillageId}&count=200000`, { method: 'POST' })
).json()) as { deepCursor: string }

// Meetings, in the other demo community (和平社区, so the roster scenario keeps its village's size): 100,000
// people on its roster, 11,000 of them with the app. One vote for 5,000 to cast at once; another with
// 100,000 ballots already in its box, to close (the tally) and then read (the result).
const heping = await (async () => {
  const { code } = await post(`${lirenUrl}/api/dev/wechat-code`, { openid: 'demo-heping-committee' })
  const { token } = await post(`${lirenUrl}/api/auth/wechat`, { code })
  const villages = (await (
    await fetch(`${lirenUrl}/api/villages`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { id: number; code: string }[]
  const id = villages.find((v) => v.code === 'heping')!.id
  return {
    id,
    url: `${lirenUrl}/api/villages/${id}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  }
})()
const voters = (await (
  await fetch(`${ceilingUrl}/seed-voters?villageId=${heping.id}&count=100000&users=11000`, { method: 'POST' })
).json()) as { tokens: string[] }
async function openVote(title: string) {
  const meeting = (await call(
    '/meetings',
    {
      kind: 'villager_meeting',
      title,
      place: '社区居委会',
      startsAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      online: true,
      agenda: [{ title, vote: { question: `${title}：同意吗`, secret: true } }],
    },
    heping.url,
    heping.headers,
  )) as unknown as { id: number; agenda: { vote: { id: number; options: { id: number }[] } }[] }
  await call(`/meetings/${meeting.id}/announce`, {}, heping.url, heping.headers)
  const vote = meeting.agenda[0]!.vote
  await call(`/votes/${vote.id}/open`, {}, heping.url, heping.headers)
  return { id: vote.id, agree: vote.options[0]!.id, meetingId: meeting.id }
}
const castVote = await openVote('压测表决')
const bigVote = await openVote('十万票计票')
await fetch(`${ceilingUrl}/seed-ballots?voteId=${bigVote.id}&optionId=${bigVote.agree}&count=100000`, {
  method: 'POST',
})

const ceilings: Scenario[] = [
  { name: 'ceiling: hello-world', kind: 'hello', url: `${ceilingUrl}/hello` },
  { name: 'ceiling: bare read (PK SELECT, mysql2)', kind: 'read', url: `${ceilingUrl}/read` },
  {
    name: 'ceiling: bare write (INSERT in a transaction, mysql2)',
    kind: 'write',
    url: `${ceilingUrl}/write`,
    method: 'POST',
  },
]
const scenarios: Scenario[] = [
  { name: 'GET /healthz (Liren plugins, no database)', kind: 'hello', url: `${lirenUrl}/healthz` },
  {
    name: 'GET /api/me (authenticated)',
    kind: 'read',
    url: `${lirenUrl}/api/me`,
    headers: { authorization: `Bearer ${token}` },
  },
  {
    name: 'POST shop order: redeem under contention (one member, one item)',
    kind: 'write',
    url: `${village}/shop/orders`,
    method: 'POST',
    headers: authJson,
    makeBody: () => JSON.stringify({ itemId: item.id, idempotencyKey: `bench-redeem-${++counter}` }),
  },
  {
    name: 'POST award by rule (committee)',
    kind: 'write',
    url: `${village}/points/awards`,
    method: 'POST',
    headers: authJson,
    makeBody: () =>
      JSON.stringify({
        personId: account.personId,
        ruleCode: 'bench_earn',
        points: 1,
        reason: '压测',
        idempotencyKey: `bench-award-${++counter}`,
      }),
  },
  { name: 'GET points/me: the account page', kind: 'read', url: `${village}/points/me`, headers: authJson },
  {
    name: 'GET reports feed, first page (200,000 reports)',
    kind: 'read',
    url: `${village}/reports`,
    headers: authJson,
    connections: 10,
  },
  {
    name: 'GET reports feed, a deep cursor page (200,000 reports)',
    kind: 'read',
    url: `${village}/reports?cursor=${deepCursor}`,
    headers: authJson,
    connections: 10,
  },
  {
    name: 'POST report submission (content check through the WeChat stand-in)',
    kind: 'write',
    url: `${village}/reports`,
    method: 'POST',
    headers: authJson,
    makeBody: () =>
      JSON.stringify({
        category: '环境卫生',
        description: '压测：村口有垃圾',
        idempotencyKey: `bench-report-${++counter}`,
      }),
  },
  {
    name: 'POST cast ballot: 5,000 voters at once (secret ballot)',
    kind: 'write',
    url: `${heping.url}/votes/${castVote.id}/ballots`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ choices: [castVote.agree] }),
    // autocannon may set a request up more than once: more members with the app than ballots, so no token repeats.
    tokens: voters.tokens,
    amount: 5000,
    connections: 50,
  },
  {
    name: 'GET vote result (100,000 ballots, closed; a member)',
    kind: 'read',
    url: `${heping.url}/votes/${bigVote.id}/result`,
    headers: heping.headers,
  },
  {
    name: 'GET 表决结果公示, the public result page (100,000 ballots; no sign-in)',
    kind: 'read',
    url: `${lirenUrl}/api/public/villages/${heping.id}/meetings/${bigVote.meetingId}/results`,
  },
  {
    // Audited writes of one village that share no row but the village's audit chain: before the sealer,
    // each locked the chain's head, so they went one at a time.
    name: 'PATCH roster person: audited writes, another person each time (committee)',
    kind: 'write',
    url: lirenUrl,
    method: 'PATCH',
    headers: authJson,
    makeRequest: () => {
      const n = ++counter
      const person = rosterPeople[n % rosterPeople.length]!
      const round = Math.floor(n / rosterPeople.length)
      return {
        path: `/api/villages/${me.currentVillageId}/roster/people/${person}`,
        body: JSON.stringify({ partyMember: round % 2 === 0 }),
      }
    },
  },
  {
    name: 'GET roster people, first page of 50 (committee)',
    kind: 'read',
    url: `${lirenUrl}/api/villages/${me.currentVillageId}/roster/people?limit=50`,
    headers: { authorization: `Bearer ${token}` },
  },
]

/** The bench server's resident memory (VmRSS, from /proc), sampled while each scenario runs. */
function rssMb(): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)
  } catch {
    return 0
  }
}
let peakRss = 0

/** The client builds' sizes, when they are built (npm start and npm test build them). */
function buildSizes() {
  const dist = new URL('../../client/dist/', import.meta.url).pathname
  const sizeOf = (target: string): number => {
    const stat = statSync(target)
    return stat.isDirectory()
      ? readdirSync(target).reduce((sum, name) => sum + sizeOf(join(target, name)), 0)
      : stat.size
  }
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10
  const out: { weappMainKb: number | null; weappTotalKb: number | null; h5Kb: number | null } = {
    weappMainKb: null,
    weappTotalKb: null,
    h5Kb: null,
  }
  if (existsSync(`${dist}weapp/app.json`)) {
    const app = JSON.parse(readFileSync(`${dist}weapp/app.json`, 'utf8')) as { subPackages?: { root: string }[] }
    const total = sizeOf(`${dist}weapp`)
    const sub = (app.subPackages ?? []).reduce((sum, p) => sum + sizeOf(join(`${dist}weapp`, p.root)), 0)
    out.weappMainKb = kb(total - sub)
    out.weappTotalKb = kb(total)
  }
  if (existsSync(`${dist}h5`)) out.h5Kb = kb(sizeOf(`${dist}h5`))
  return out
}

let next = 0
async function measure(s: Scenario) {
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb())), 250)
  const result = await autocannon({
    url: s.url,
    method: s.method ?? 'GET',
    headers: s.headers,
    body: s.body,
    connections: s.connections ?? connections,
    ...(s.amount ? { amount: s.amount } : { duration: seconds }),
    ...(s.makeBody
      ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: s.makeBody!() }) }] }
      : {}),
    ...(s.makeRequest
      ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...s.makeRequest!() }) }] }
      : {}),
    ...(s.tokens
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                headers: { ...req.headers, authorization: `Bearer ${s.tokens![next++]}` },
              }),
            },
          ],
        }
      : {}),
  })
  clearInterval(sampler)
  const failures = result.non2xx + result.errors + result.timeouts
  if (failures > 0)
    console.error(
      `${s.name}: ${failures} failures`,
      JSON.stringify((result as { statusCodeStats?: unknown }).statusCodeStats ?? {}),
      `errors ${result.errors}, timeouts ${result.timeouts}`,
    )
  return {
    name: s.name,
    kind: s.kind,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures,
  }
}

try {
  const ceilingResults = new Map<Kind, number>()
  const rows: (Awaited<ReturnType<typeof measure>> & { ratio: number | null })[] = []
  for (const s of ceilings) {
    const r = await measure(s)
    ceilingResults.set(s.kind, r.reqPerSec)
    rows.push({ ...r, ratio: null })
  }
  // The tally: closing the vote with 100,000 ballots counts them (once; goal < 100 ms).
  const started = performance.now()
  const closing = await fetch(`${heping.url}/votes/${bigVote.id}/close`, {
    method: 'POST',
    headers: heping.headers,
    body: '{}',
  })
  const tallyMs = Math.round(performance.now() - started)
  if (!closing.ok) throw new Error(`closing the 100,000-ballot vote: ${closing.status} ${await closing.text()}`)
  // 散会: its results are published.
  for (const step of ['start', 'close'])
    await call(`/meetings/${bigVote.meetingId}/${step}`, {}, heping.url, heping.headers)
  // BENCH_ONLY=redeem,account runs only the scenarios whose name contains one of the words.
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean)
  for (const s of scenarios.filter((s) => !only || only.some((w) => s.name.includes(w)))) {
    const r = await measure(s)
    rows.push({ ...r, ratio: Math.round((r.reqPerSec / ceilingResults.get(s.kind)!) * 100) / 100 })
  }
  const lines = [
    `| scenario | kind | req/s | p50 ms | p99 ms | failures | ratio to ceiling |`,
    `|---|---|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) => `| ${r.name} | ${r.kind} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.failures} | ${r.ratio ?? '—'} |`,
    ),
  ]
  const sizes = buildSizes()
  const show = (v: number | null, unit: string) => (v === null ? 'not built' : `${v} ${unit}`)
  lines.push(
    '',
    `Tally of 100,000 ballots (closing the vote, one HTTP request): ${tallyMs} ms`,
    `Server RSS under load (peak, the ceilings' and Liren's process): ${peakRss} MB`,
    `weapp main package: ${show(sizes.weappMainKb, 'KB')} (budget 1536 KB, WeChat's limit 2048 KB); weapp total: ${show(sizes.weappTotalKb, 'KB')}; H5 bundle: ${show(sizes.h5Kb, 'KB')}`,
  )
  console.log(`\n${seconds}s per scenario, ${connections} connections\n\n${lines.join('\n')}\n`)
  const dir = new URL('./results/', import.meta.url).pathname
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    `${dir}latest.json`,
    JSON.stringify(
      { at: new Date().toISOString(), seconds, connections, rows, tallyMs, peakRssMb: peakRss, sizes },
      null,
      2,
    ),
  )
  writeFileSync(`${dir}latest.md`, `${lines.join('\n')}\n`)
  if (rows.some((r) => r.failures > 0)) process.exitCode = 1
} finally {
  child.kill('SIGTERM')
}
