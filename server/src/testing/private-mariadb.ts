import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { freePort } from './liren-process.js'

/**
 * A MariaDB server of a test's own, on a fresh data directory and a free port, for tests that kill the
 * database (the shared server at 3306 serves everyone else's tests and must never be touched). Root
 * over TCP with no password, as on the shared server. Needs the MariaDB server packages (Debian:
 * mariadb-server), not a running service; MARIADBD and MARIADB_INSTALL_DB name other binaries.
 */
export interface PrivateMariadb {
  /** The running server's process id (undefined while it is down). */
  readonly pid: number | undefined
  readonly port: number
  /** `mysql://root@127.0.0.1:<port>`: append `/<database>`. */
  readonly url: string
  readonly datadir: string
  /** Starts the server again (same data directory and port) and waits until it takes connections. */
  start(): Promise<void>
  /** SIGKILL, as a crash: no shutdown, InnoDB recovers at the next start. Waits until the process is gone. */
  kill(): Promise<void>
  /** Shuts the server down cleanly and removes its data directory. */
  stop(): Promise<void>
  /** The end of the server's error log, for failure messages. */
  log(lines?: number): Promise<string>
}

function binary(env: string | undefined, names: string[]): string {
  if (env) return env
  const dirs = [
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/local/mysql/bin',
    ...(process.env.PATH ?? '').split(':').filter(Boolean),
  ]
  for (const name of names) for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name)
  throw new Error(
    `private MariaDB: none of ${names.join(', ')} found (install mariadb-server, or set ${names[0] === 'mariadbd' ? 'MARIADBD' : 'MARIADB_INSTALL_DB'})`,
  )
}

/** Small and quick to start; durable as in production (a commit is on disk before it is acknowledged). */
const serverOptions = (datadir: string, dir: string) => [
  `--datadir=${datadir}`,
  `--tmpdir=${dir}`,
  '--innodb-buffer-pool-size=64M',
  '--innodb-log-file-size=16M',
  '--innodb-log-buffer-size=8M',
  '--innodb-flush-log-at-trx-commit=1',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_unicode_ci',
  '--skip-name-resolve',
  '--skip-log-bin',
  '--performance-schema=OFF',
  '--max-connections=300',
]

// Servers still running when the test process ends (a crash, an interrupted run) go with it.
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

export async function startPrivateMariadb(opts: { readyTimeoutMs?: number } = {}): Promise<PrivateMariadb> {
  const mariadbd = binary(process.env.MARIADBD, ['mariadbd', 'mysqld'])
  const installDb = binary(process.env.MARIADB_INSTALL_DB, ['mariadb-install-db', 'mysql_install_db'])
  const asRoot = process.getuid?.() === 0
  const dir = await mkdtemp(join(tmpdir(), 'liren-mariadb-'))
  const datadir = join(dir, 'data')
  const errorLog = join(dir, 'error.log')
  const port = await freePort()
  const url = `mysql://root@127.0.0.1:${port}`
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000

  const installed = spawnSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...(asRoot ? ['--user=root'] : []),
      '--innodb-log-file-size=16M',
      '--innodb-buffer-pool-size=64M',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  )
  if (installed.status !== 0) {
    await rm(dir, { recursive: true, force: true })
    throw new Error(
      `private MariaDB: ${installDb} failed (${installed.status ?? installed.signal ?? installed.error?.message}):\n${installed.stdout}\n${installed.stderr}`,
    )
  }

  let child: ChildProcess | undefined
  const exited = new WeakMap<ChildProcess, Promise<void>>()

  const log = async (lines = 30) =>
    (await readFile(errorLog, 'utf8').catch(() => ''))
      .split('\n')
      .slice(-lines - 1)
      .join('\n')

  async function start(): Promise<void> {
    if (child) throw new Error('private MariaDB: already running')
    const c = spawn(
      mariadbd,
      [
        '--no-defaults',
        ...serverOptions(datadir, dir),
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'sock')}`,
        `--pid-file=${join(dir, 'mariadbd.pid')}`,
        `--log-error=${errorLog}`,
        ...(asRoot ? ['--user=root'] : []),
      ],
      { stdio: 'ignore' },
    )
    child = c
    running.add(c)
    exited.set(
      c,
      new Promise((resolve) =>
        c.once('exit', () => {
          running.delete(c)
          if (child === c) child = undefined
          resolve()
        }),
      ),
    )
    let spawnError: Error | undefined
    c.once('error', (err) => (spawnError = err))
    for (const started = Date.now(); ;) {
      if (spawnError) throw new Error(`private MariaDB: cannot run ${mariadbd}: ${spawnError.message}`)
      if (c.exitCode !== null || c.signalCode !== null)
        throw new Error(`private MariaDB exited at start (${c.exitCode ?? c.signalCode}):\n${await log()}`)
      const conn = await mysql.createConnection({ uri: url, connectTimeout: 2000 }).catch(() => null)
      if (conn) {
        const ok = await conn.query('SELECT 1').then(
          () => true,
          () => false,
        )
        await conn.end().catch(() => undefined)
        if (ok) return
      }
      if (Date.now() - started > readyTimeoutMs) {
        c.kill('SIGKILL')
        throw new Error(
          `private MariaDB did not take connections on port ${port} within ${readyTimeoutMs} ms:\n${await log()}`,
        )
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async function halt(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const c = child
    if (!c) return
    const gone = exited.get(c)!
    c.kill(signal)
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => c.kill('SIGKILL'), graceMs)
    await gone
    clearTimeout(timer)
  }

  await start()
  return {
    get pid() {
      return child?.pid
    },
    port,
    url,
    datadir,
    start,
    kill: () => halt('SIGKILL', 0),
    async stop() {
      await halt('SIGTERM', 30_000)
      await rm(dir, { recursive: true, force: true })
    },
    log,
  }
}
