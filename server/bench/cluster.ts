import { randomBytes } from 'node:crypto'
import { demoTown } from '@liren/mocks/seed'
import autocannon from 'autocannon'
import { ensureDatabase, openDatabase } from '../src/core/db.js'
import { seedDemo } from '../src/seed-demo.js'
import { clusterUp, nodeUrl } from '../src/testing/galera.js'
import { signIn, startLiren, type LirenProcess } from '../src/testing/liren-process.js'

/**
 * `npm run bench:cluster`: on the three-node Galera cluster (brought up if it is not), what reading
 * your own writes across nodes costs. One server writes through node 1; two servers read through
 * node 2, one with DB_SYNC_WAIT (reads wait until node 2 has applied the cluster's earlier writes), one
 * without. Measured: how often a read right after a write misses it, and the reads' speed.
 */
const database = `liren_bench_cluster_${randomBytes(3).toString('hex')}`
await clusterUp()
await ensureDatabase(nodeUrl(1, database))
const env = { SEED_DEMO: 'false', LOG_LEVEL: 'error', SCHEDULER_INTERVAL_MS: '60000' }
const writer = await startLiren({ databaseUrl: nodeUrl(1, database), env })
const seeding = openDatabase(nodeUrl(1, database), 2)
await seedDemo(seeding.db, demoTown)
await seeding.close()
const [plain, waiting] = await Promise.all([
  startLiren({ databaseUrl: nodeUrl(2, database), env }),
  startLiren({ databaseUrl: nodeUrl(2, database), env: { ...env, DB_SYNC_WAIT: 'true' } }),
])
const servers: LirenProcess[] = [writer, plain, waiting]

try {
  const token = await signIn(writer.url, 'demo-zhangjia-resident')
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const me = (await (await fetch(`${writer.url}/api/me`, { headers })).json()) as { currentVillageId: number }
  const reports = `/api/villages/${me.currentVillageId}/reports`

  /** Files a report through node 1, then at once reads it through `reader` (node 2): did the read see it? */
  async function readAfterWrite(reader: LirenProcess, n: number): Promise<number> {
    let missed = 0
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${writer.url}${reports}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          category: '环境卫生',
          description: '压测：读自己刚写的',
          idempotencyKey: randomBytes(8).toString('hex'),
        }),
      })
      const { id } = (await res.json()) as { id: number }
      const read = await fetch(`${reader.url}${reports}/${id}`, { headers })
      if (read.status !== 200) missed++
    }
    return missed
  }

  /** Reads through `reader` for 10 s while writes go on through node 1 (so node 2 has something to apply). */
  const reads = async (reader: LirenProcess) => {
    let writing = true
    const writes = (async () => {
      while (writing) await readAfterWrite(writer, 1)
    })()
    const r = await autocannon({ url: `${reader.url}/api/me`, headers, connections: 10, duration: 10 })
    writing = false
    await writes
    return { reqPerSec: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 }
  }

  /** The same at the SQL level, without the HTTP between: INSERT through node 1, SELECT through node 2. */
  async function sqlReadAfterWrite(syncWait: boolean, n: number): Promise<number> {
    const one = openDatabase(nodeUrl(1, database), 1)
    const two = openDatabase(nodeUrl(2, database), 1, { syncWait })
    try {
      await one.pool.query('CREATE TABLE IF NOT EXISTS bench_raw (id INT PRIMARY KEY)')
      let missed = 0
      for (let i = 0; i < n; i++) {
        const id = (syncWait ? 1_000_000 : 0) + i
        await one.pool.query('INSERT INTO bench_raw VALUES (?)', [id])
        const [rows] = (await two.pool.query('SELECT id FROM bench_raw WHERE id = ?', [id])) as [unknown[], unknown]
        if (rows.length === 0) missed++
      }
      return missed
    } finally {
      await one.close()
      await two.close()
    }
  }
  console.log(
    `SQL, INSERT through node 1 then SELECT through node 2, 2,000 times: missed ${await sqlReadAfterWrite(false, 2000)} without wsrep_sync_wait, ${await sqlReadAfterWrite(true, 2000)} with`,
  )

  const rows = []
  for (const [name, reader] of [
    ['node 2, no DB_SYNC_WAIT', plain],
    ['node 2, DB_SYNC_WAIT=true', waiting],
  ] as const) {
    const missed = await readAfterWrite(reader, 500)
    rows.push({ name, missed, ...(await reads(reader)) })
  }
  console.log(
    [
      '',
      '| reader | read right after a write through node 1: missed of 500 | GET /api/me while writes go on: req/s | p50 ms | p99 ms |',
      '|---|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.name} | ${r.missed} | ${r.reqPerSec} | ${r.p50} | ${r.p99} |`),
      '',
    ].join('\n'),
  )
} finally {
  for (const s of servers) s.child.kill('SIGTERM')
  await Promise.all(servers.map((s) => s.exited))
  const drop = openDatabase(nodeUrl(1, ''), 1)
  await drop.pool.query(`DROP DATABASE IF EXISTS \`${database}\``)
  await drop.close()
}
