import { demoTown } from '@liren/mocks/seed'
import { startWechatMock } from '@liren/mocks/wechat'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { sealAuditChains } from '../src/core/audit.js'
import { dropDatabase, ensureDatabase, migrateDatabase, openDatabase } from '../src/core/db.js'
import { seedDemo } from '../src/seed-demo.js'
import { buildCeilingServer } from './ceilings.js'

/** The benchmark's server process: the ceilings and Liren, each on its own port, over a fresh seeded database. */
const databaseUrl = `${process.env.BENCH_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306'}/liren_bench`
const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl,
  JWT_SECRET: 'bench-secret-bench-secret',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  RATE_LIMIT_PER_MINUTE: '100000000',
  REPORT_LIMIT_PER_MINUTE: '100000000',
})
await dropDatabase(databaseUrl)
await ensureDatabase(databaseUrl)
const database = openDatabase(databaseUrl, config.dbPoolSize)
await migrateDatabase(database.db)
await seedDemo(database.db, demoTown)
const wechat = await startWechatMock({ appid: config.wechat.appid, secret: config.wechat.secret })

const ceilings = await buildCeilingServer(database.pool)
const liren = await buildApp(config, { database, wechatApiBase: wechat.url })
// Bench setup only: `count` villagers on the roster in households of three; the first `users` of them
// verified members with the app, whose access tokens are returned.
ceilings.post('/seed-voters', async (req) => {
  const { villageId, count, users } = req.query as { villageId: string; count: string; users: string }
  const pool = database.pool
  await pool.query(
    `INSERT INTO households (village_id, number, address) SELECT ?, CONCAT('B-', seq), '压测路' FROM seq_1_to_${Math.ceil(Number(count) / 3)}`,
    [villageId],
  )
  await pool.query(
    `INSERT INTO persons (village_id, household_id, name, gender, birth_date, relation)
     SELECT ?, h.id, CONCAT('压测', p.seq), 'female', '1970-01-01', '其他' FROM seq_1_to_${Number(count)} p JOIN households h ON h.village_id = ? AND h.number = CONCAT('B-', CEIL(p.seq / 3))`,
    [villageId, villageId],
  )
  await pool.query(`INSERT INTO users (openid) SELECT CONCAT('bench-voter-', seq) FROM seq_1_to_${Number(users)}`)
  await pool.query(
    `INSERT INTO memberships (user_id, village_id, real_name, household_address, person_id, birth_year, status, decided_at)
     SELECT u.id, ?, p.name, '压测路', p.id, 1970, 'verified', NOW(3) FROM users u JOIN persons p ON p.village_id = ? AND p.name = CONCAT('压测', SUBSTRING(u.openid, 13))
     WHERE u.openid LIKE 'bench-voter-%'`,
    [villageId, villageId],
  )
  await pool.query(
    "INSERT INTO membership_roles (membership_id, role) SELECT m.id, 'resident' FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.openid LIKE 'bench-voter-%'",
  )
  // One session each, as a sign-in makes: access tokens name theirs.
  await pool.query("INSERT INTO sessions (user_id) SELECT id FROM users WHERE openid LIKE 'bench-voter-%' ORDER BY id")
  const [rows] = (await pool.query(
    "SELECT s.id, s.user_id AS userId FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.openid LIKE 'bench-voter-%' ORDER BY s.user_id",
  )) as unknown as [{ id: number; userId: number }[]]
  return { tokens: rows.map((s) => liren.signTokens(s.userId, s.id).token) }
})
// Bench setup only: `count` secret ballots in an open vote, cast by the first adults on its roll.
ceilings.post('/seed-ballots', async (req) => {
  const { voteId, optionId, count } = req.query as { voteId: string; optionId: string; count: string }
  const pool = database.pool
  await pool.query(
    `INSERT INTO vote_voters (vote_id, unit_id, person_id, household_id, channel)
     SELECT v.id, r.person_id, r.person_id, r.household_id, 'online' FROM votes v JOIN meeting_roll r ON r.meeting_id = v.meeting_id AND r.adult = 1 WHERE v.id = ? ORDER BY r.person_id LIMIT ${Number(count)}`,
    [voteId],
  )
  await pool.query(
    `INSERT INTO ballots (receipt_hash, vote_id) SELECT SHA2(CONCAT('bench-', ?, '-', seq), 256), ? FROM seq_1_to_${Number(count)}`,
    [voteId, voteId],
  )
  // Two thirds 同意, one third 反对.
  await pool.query(
    `INSERT INTO ballot_choices (vote_id, option_id, receipt_hash) SELECT ?, ? + IF(seq % 3 = 0, 1, 0), SHA2(CONCAT('bench-', ?, '-', seq), 256) FROM seq_1_to_${Number(count)}`,
    [voteId, optionId, voteId],
  )
  return { ok: true }
})
// The audit sealer runs as in production (every second), so its work is in the measurements.
setInterval(() => void sealAuditChains(database.db).catch((err) => console.error('sealing failed', err)), 1000).unref()
const ceilingUrl = await ceilings.listen({ host: '127.0.0.1', port: 0 })
const lirenUrl = await liren.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`${JSON.stringify({ ceilingUrl, lirenUrl })}\n`)

const stop = async () => {
  await ceilings.close()
  await liren.close()
  await database.close()
  await wechat.close()
  await dropDatabase(databaseUrl)
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
