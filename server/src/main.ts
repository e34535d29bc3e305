import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { ensureDatabase, migrateDatabase, openDatabase } from './core/db.js'
import { sealAuditChains } from './core/audit.js'
import { logSerializers } from './core/log.js'
import { expireOrders, payQueuedAwards } from './modules/points/index.js'
import { remindMeetings } from './modules/meetings/index.js'
import { removeUnusedPhotos } from './core/photos.js'
import { purgeSessions, pushNotifications } from './modules/identity/index.js'
import { closeUnrated, escalateOverdue, purgeExpiredReports } from './modules/reports/index.js'
import { WechatClient } from './core/wechat.js'
import { LocalStorage } from './core/storage.js'
import { seedDemo } from './seed-demo.js'

/** Process entry: config → WeChat (real or mock) → database → app → listen; closes gracefully on signals. */
async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Liren cannot start: ${err.message}`)
      process.exit(1)
    }
    throw err
  }

  const closers: (() => Promise<void>)[] = []
  let wechatApiBase = config.wechat.apiBase
  if (wechatApiBase === null) {
    // Development and tests without WECHAT_API_BASE: the WeChat mock runs beside the server.
    const { startWechatMock } = await import('@liren/mocks/wechat')
    const mock = await startWechatMock(
      { appid: config.wechat.appid, secret: config.wechat.secret },
      Number(process.env.MOCK_WECHAT_PORT ?? 0),
    )
    closers.push(mock.close)
    wechatApiBase = mock.url
  }

  await ensureDatabase(config.databaseUrl)
  // The app's logger, once there is an app (the migrations below run before it).
  const logTo: { log?: Awaited<ReturnType<typeof buildApp>>['log'] } = {}
  const database = openDatabase(config.databaseUrls, config.dbPoolSize, {
    retryAttempts: config.dbRetryAttempts,
    syncWait: config.dbSyncWait,
    // Each conflict retried is a log line (dbRetry), so what a cluster's conflicts cost can be counted.
    onRetry: (dbRetry) =>
      logTo.log?.[dbRetry.gaveUp ? 'error' : 'warn'](
        { dbRetry },
        dbRetry.gaveUp ? 'database conflict: gave up (503)' : 'database conflict: transaction run again',
      ),
  })
  await migrateDatabase(database.db)

  const app = await buildApp(config, { database, wechatApiBase })
  logTo.log = app.log
  if (config.seedDemo) {
    const { demoTown } = await import('@liren/mocks/seed')
    if (await seedDemo(database.db, demoTown)) app.log.info('seeded the demo town')
  }
  // Every SCHEDULER_INTERVAL_MS (15 s by default): shop orders not picked up in time are refunded, overdue reports escalate, unrated
  // resolved reports close, private reports past their retention are purged, unused photos go, queued points (for ballots) are paid, meetings due tomorrow or within the hour are reminded, spent sign-ins are forgotten, new inbox entries are pushed to WeChat. Each claims its
  // rows by a conditional update, so several servers can run them at once and nothing is done twice.
  const storage = new LocalStorage(config.storageDir)
  const wechat = new WechatClient({ appid: config.wechat.appid, secret: config.wechat.secret, apiBase: wechatApiBase })
  const templateId = config.wechat.reportTemplateId
  const jobs: [string, () => Promise<unknown>][] = [
    ...(templateId
      ? [
          ['pushing notifications', () => pushNotifications(database.db, wechat, templateId)] as [
            string,
            () => Promise<unknown>,
          ],
        ]
      : []),
    ['expiring shop orders', () => expireOrders(database.db)],
    ['escalating overdue reports', () => escalateOverdue(database.db)],
    ['closing unrated reports', () => closeUnrated(database.db)],
    ['purging private reports past their retention', () => purgeExpiredReports(database.db)],
    ['removing unused photos', () => removeUnusedPhotos(database.db, storage)],
    ['paying queued points', () => payQueuedAwards(database.db)],
    ['reminding those called to a meeting', () => remindMeetings(database.db)],
    ['forgetting ended sign-ins', () => purgeSessions(database.db)],
  ]
  const expiry = setInterval(() => {
    for (const [what, job] of jobs) job().catch((err) => app.log.error({ err }, `${what} failed`))
  }, config.schedulerIntervalMs)
  expiry.unref()
  // Every AUDIT_SEAL_INTERVAL_MS (1 s): the audit rows written since are linked into their chains, one
  // round at a time (a round that runs long is not overlapped by the next).
  let sealing = false
  const sealer = setInterval(() => {
    if (sealing) return
    sealing = true
    sealAuditChains(database.db)
      .catch((err) => app.log.error({ err }, 'sealing the audit log failed'))
      .finally(() => (sealing = false))
  }, config.auditSealIntervalMs)
  sealer.unref()
  app.addHook('onClose', async () => {
    clearInterval(expiry)
    clearInterval(sealer)
    await sealAuditChains(database.db).catch((err) => app.log.error({ err }, 'sealing the audit log failed'))
    await database.close()
    for (const close of closers) await close()
  })

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'closing: finishing in-flight requests')
    const force = setTimeout(() => {
      app.log.error('in-flight requests did not finish in 10 s; exiting')
      process.exit(1)
    }, 10_000)
    force.unref()
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error while closing')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  await app.listen({ host: config.host, port: config.port })
  app.log.info(`Liren: http://127.0.0.1:${config.port}/ (API docs at /docs)`)
}

main().catch((err) => {
  // Through the log's serializer: a failed query (a migration, the demo seed) names its statement, not its values.
  console.error('Liren stopped:', JSON.stringify(logSerializers.err(err)))
  process.exit(1)
})
