import mysql from 'mysql2/promise'
import { startLiren, type LirenProcess } from './liren-process.js'
import { prepareScenario, type Scenario } from './write-load.js'

/** A Liren server process on `databaseUrl`, and the write scenario prepared on it (through a pool of its own). */
export async function startLirenWithScenario(
  databaseUrl: string,
  opts: Parameters<typeof prepareScenario>[2] = {},
): Promise<{ liren: LirenProcess; scenario: Scenario }> {
  const liren = await startLiren({ databaseUrl })
  const pool = mysql.createPool({ uri: databaseUrl, connectionLimit: 2 })
  try {
    return { liren, scenario: await prepareScenario(liren.url, pool, opts) }
  } finally {
    await pool.end()
  }
}

/** Kills the Liren process, if it was started and still runs, and waits until it is gone. */
export async function killLiren(liren: LirenProcess | undefined): Promise<void> {
  if (!liren?.alive) return
  liren.child.kill('SIGKILL')
  await liren.exited
}
