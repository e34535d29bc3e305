/**
 * The real Liren server for client tests (browser and weapp): `startServer()` boots it on a free port
 * with a new database, the demo town seeded (and WeChat's mock beside it, as in development);
 * `stopServer()` stops it, keeps its log for the personal-data scan of `npm test`, and drops the database.
 * With E2E_BASE_URL set, that server is used instead and nothing is started or dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server')
const mysqlBase = process.env.E2E_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'

let server: ChildProcess | null = null
let serverLog = ''
let database = ''

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server && server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${serverLog}`)
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${serverLog}`)
}

async function stopProcess(): Promise<void> {
  const child = server
  if (!child || child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // npx → tsx → node: signal the whole process group the child leads (which may be gone already).
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name)
      return true
    } catch {
      return false
    }
  }
  if (!signal('SIGTERM')) return
  const timer = setTimeout(() => signal('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Boots the server on a fresh database (unless E2E_BASE_URL is set); resolves with its address. */
export async function startServer(prefix = 'liren_e2e'): Promise<string> {
  if (process.env.E2E_BASE_URL) return process.env.E2E_BASE_URL
  database = `${prefix}_${randomBytes(4).toString('hex')}`
  serverLog = ''
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  server = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: serverDir,
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `${mysqlBase}/${database}`,
      JWT_SECRET: 'e2e-secret-for-liren-browser-tests',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'info',
      // The client tests sign the same demo people in again and again.
      LOGIN_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()))
  server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()))
  const started = Date.now()
  await waitForReady(baseUrl, 90_000)
  console.log(`server ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${baseUrl} (database ${database})`)
  return baseUrl
}

/**
 * Runs SQL on the started server's database, for what no request can do yet (a report past its deadline
 * without waiting for it). Not with E2E_BASE_URL: that server's database is not ours to change.
 */
export async function sqlOnServer(statement: string, values: unknown[] = []): Promise<void> {
  if (!database) throw new Error('sqlOnServer: no database of our own (E2E_BASE_URL is set)')
  const connection = await mysql.createConnection(`${mysqlBase}/${database}`)
  await connection.query(statement, values)
  await connection.end()
}

/** Stops the server startServer() booted, keeps its log and drops its database. */
export async function stopServer(): Promise<void> {
  await stopProcess()
  // The server's log joins the server tests' logs, which `npm test` checks for personal data at the end.
  if (database && serverLog) {
    const dir = process.env.TEST_LOG_DIR ?? path.join(tmpdir(), 'liren-test-logs')
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, `${database}.log`), serverLog)
  }
  if (database) {
    const connection = await mysql.createConnection(mysqlBase)
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``)
    await connection.end()
    database = ''
  }
  server = null
}
