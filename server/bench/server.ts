import { demoTown } from '@liren/mocks/seed'
import { startWechatMock } from '@liren/mocks/wechat'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
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
