import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * A Liren server as production runs it: its own process (`node --import tsx src/main.ts`, so the pid
 * is the server's own and signals reach it directly), configured by the environment, with the WeChat
 * mock beside it. For tests that kill or stop the server.
 */
export interface LirenProcess {
  readonly url: string
  readonly port: number
  readonly pid: number
  readonly child: ChildProcess
  /** Resolves when the process has ended, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  readonly alive: boolean
  /** The last lines the server wrote (its log), for failure messages and for counting what it logged. */
  output(): string[]
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url))
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url))

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

export async function startLiren(opts: {
  databaseUrl: string
  port?: number
  env?: Record<string, string>
  readyTimeoutMs?: number
}): Promise<LirenProcess> {
  const port = opts.port ?? (await freePort())
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: opts.databaseUrl,
      JWT_SECRET: 'liren-process-test-secret',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      H5_ROOT: '/nonexistent',
      STORAGE_DIR: join(tmpdir(), `liren-process-files-${port}`),
      SCHEDULER_INTERVAL_MS: '500',
      RATE_LIMIT_PER_MINUTE: '10000000',
      REPORT_LIMIT_PER_MINUTE: '10000000',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line)
    if (lines.length > 2000) lines.splice(0, lines.length - 2000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal, at: Date.now() })
    }),
  )
  const proc: LirenProcess = {
    url,
    port,
    pid: child.pid!,
    child,
    exited,
    get alive() {
      return child.exitCode === null && child.signalCode === null
    },
    output: () => lines.slice(),
  }
  const timeout = opts.readyTimeoutMs ?? 90_000
  for (const started = Date.now(); ;) {
    if (!proc.alive)
      throw new Error(`Liren exited at start (${child.exitCode ?? child.signalCode}):\n${lines.slice(-30).join('\n')}`)
    if (
      await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      return proc
    if (Date.now() - started > timeout) {
      child.kill('SIGKILL')
      throw new Error(`Liren on port ${port} was not ready within ${timeout} ms:\n${lines.slice(-30).join('\n')}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** Signs in as a demo identity the way the client does in development: a code from the mock, exchanged for a token. */
export async function signIn(url: string, openid: string): Promise<string> {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as Record<string, unknown>
    if (!res.ok) throw new Error(`${path} as ${openid}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const { code } = await post('/api/dev/wechat-code', { openid })
  const { token } = await post('/api/auth/wechat', { code })
  return String(token)
}
