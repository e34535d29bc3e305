import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { dropDatabase } from './core/db.js'

const databaseUrl = `mysql://root@127.0.0.1:3306/liren_test_main_${randomBytes(4).toString('hex')}`
afterAll(() => dropDatabase(databaseUrl))

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1')
  await once(srv, 'listening')
  const { port } = srv.address() as { port: number }
  srv.close()
  return port
}

describe('the server process', () => {
  it('boots on an empty database (creates, migrates, seeds) and lets in-flight requests finish on SIGTERM', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url))], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        JWT_SECRET: 'main-test-secret-123',
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
        H5_ROOT: '/nonexistent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout!.on('data', (d) => (output += d))
    child.stderr!.on('data', (d) => (output += d))
    const base = `http://127.0.0.1:${port}`
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      await new Promise((r) => setTimeout(r, 200))
    }
    const identities = (await fetch(`${base}/api/dev/identities`).then((r) => r.json())) as unknown[]
    expect(identities.length).toBeGreaterThan(5)

    // Fire a burst, then SIGTERM while it is in flight: every request already accepted gets its answer.
    const burst = Array.from({ length: 30 }, () =>
      fetch(`${base}/api/dev/identities`).then(
        (r) =>
          r.json().then(
            () => r.status,
            () => 'body cut off',
          ),
        () => 'no response',
      ),
    )
    await new Promise((r) => setTimeout(r, 5))
    child.kill('SIGTERM')
    const statuses = await Promise.all(burst)
    const [code] = (await once(child, 'exit')) as [number]
    expect(code, output).toBe(0)
    const answered = statuses.filter((s) => s === 200)
    const refused = statuses.filter((s) => s !== 200)
    // Requests the server had begun finished with 200 and a whole body; any it had not begun when it
    // closed were answered 503 or got no response at all (never processed) — none was cut off mid-response.
    expect(answered.length).toBeGreaterThan(0)
    for (const s of refused) expect(String(s)).toMatch(/^(503|no response)$/)
  })
})
