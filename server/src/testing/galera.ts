import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'

/**
 * A three-node MariaDB Galera cluster on this machine, for the cluster test and for trying Liren past
 * one database server (`npm run cluster:up`). Loopback only, its own ports and data directories under
 * `LIREN_CLUSTER_DIR` (default: the temp folder's `liren-galera`); never the MariaDB on 3306.
 * Facts behind the settings: ../shared/notes/galera.md.
 */

export const CLUSTER_DIR = process.env.LIREN_CLUSTER_DIR ?? join(tmpdir(), 'liren-galera')
const PROVIDER = '/usr/lib/galera/libgalera_smm.so'
const NODES = [1, 2, 3] as const
export type NodeNo = (typeof NODES)[number]

/** SQL port of node n (4306, 4307, 4308). */
export const sqlPort = (n: NodeNo) => 4305 + n
const gcommPort = (n: NodeNo) => 4566 + n
const istPort = (n: NodeNo) => 4569 + n
const sstPort = (n: NodeNo) => 4572 + n

/** The database URL of node n, for `DATABASE_URL`. */
export const nodeUrl = (n: NodeNo, database = 'liren') => `mysql://root@127.0.0.1:${sqlPort(n)}/${database}`

const nodeDir = (n: NodeNo) => join(CLUSTER_DIR, `node${n}`)
const dataDir = (n: NodeNo) => join(nodeDir(n), 'data')
const cnfPath = (n: NodeNo) => join(nodeDir(n), 'my.cnf')
const pidPath = (n: NodeNo) => join(nodeDir(n), 'mariadbd.pid')
const logPath = (n: NodeNo) => join(nodeDir(n), 'error.log')

function config(n: NodeNo): string {
  const peers = NODES.map((p) => `127.0.0.1:${gcommPort(p)}`).join(',')
  return `[mysqld]
datadir=${dataDir(n)}
socket=${join(nodeDir(n), 'mariadbd.sock')}
pid-file=${pidPath(n)}
log-error=${logPath(n)}
port=${sqlPort(n)}
bind-address=127.0.0.1
user=mysql
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-storage-engine=InnoDB
binlog_format=ROW
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=128M
innodb_log_file_size=64M
innodb_flush_log_at_trx_commit=2
max_connections=300
wsrep_on=ON
wsrep_provider=${PROVIDER}
wsrep_cluster_name=liren
wsrep_cluster_address=gcomm://${peers}
wsrep_node_name=node${n}
wsrep_node_address=127.0.0.1:${gcommPort(n)}
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:${gcommPort(n)};ist.recv_addr=127.0.0.1:${istPort(n)};gcache.size=128M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S"
wsrep_sst_receive_address=127.0.0.1:${sstPort(n)}
wsrep_sst_method=rsync
wsrep_mode=REQUIRED_PRIMARY_KEY,STRICT_REPLICATION
`
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function pidOf(n: NodeNo): number | null {
  if (!existsSync(pidPath(n))) return null
  const pid = Number(readFileSync(pidPath(n), 'utf8').trim())
  if (!pid) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return null
  }
}

/** True while node n's server process runs (synced or not). */
export const isRunning = (n: NodeNo) => pidOf(n) !== null

async function wsrepStatus(n: NodeNo): Promise<Record<string, string> | null> {
  let conn: mysql.Connection | undefined
  try {
    conn = await mysql.createConnection({ host: '127.0.0.1', port: sqlPort(n), user: 'root', connectTimeout: 1000 })
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'wsrep_%'")
    return Object.fromEntries(rows.map((r) => [String(r.Variable_name).toLowerCase(), String(r.Value)]))
  } catch {
    return null
  } finally {
    await conn?.end().catch(() => undefined)
  }
}

/** Node n answers SQL and is a synced member of the primary component. */
export async function isSynced(n: NodeNo): Promise<boolean> {
  const s = await wsrepStatus(n)
  return s?.wsrep_ready === 'ON' && s.wsrep_local_state_comment === 'Synced'
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`galera: timed out waiting for ${what}`)
    await sleep(250)
  }
}

function initialise(n: NodeNo): void {
  mkdirSync(nodeDir(n), { recursive: true })
  writeFileSync(cnfPath(n), config(n))
  spawnSync('chown', ['-R', 'mysql:mysql', nodeDir(n)])
  if (existsSync(join(dataDir(n), 'mysql'))) return
  const r = spawnSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      '--user=mysql',
      `--datadir=${dataDir(n)}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`galera: mariadb-install-db failed for node ${n}: ${r.stderr || r.stdout}`)
}

function launch(n: NodeNo, extra: string[] = []): void {
  const child = spawn('mariadbd', [`--defaults-file=${cnfPath(n)}`, ...extra], { detached: true, stdio: 'ignore' })
  child.unref()
}

/**
 * The position node n's data is at (`uuid:seqno`), read by `--wsrep-recover`, so that a node that was
 * killed starts from there and catches up by IST (the writes it missed) instead of a full copy.
 */
function recoverPosition(n: NodeNo): string | null {
  const r = spawnSync(
    'mariadbd',
    [`--defaults-file=${cnfPath(n)}`, '--wsrep-recover', `--log-error=${logPath(n)}.recover`],
    {
      encoding: 'utf8',
    },
  )
  const log = existsSync(`${logPath(n)}.recover`) ? readFileSync(`${logPath(n)}.recover`, 'utf8') : ''
  rmSync(`${logPath(n)}.recover`, { force: true })
  const m = /Recovered position: ([0-9a-f-]+:-?\d+)/.exec(log + (r.stderr ?? ''))
  return m?.[1] ?? null
}

/** Starts node n and waits until it is synced. `bootstrap`: it forms a new cluster (the first node). */
export async function startNode(n: NodeNo, opts: { bootstrap?: boolean; timeoutMs?: number } = {}): Promise<void> {
  if (await isSynced(n)) return
  if (!isRunning(n)) {
    initialise(n)
    const extra: string[] = []
    const position = existsSync(join(dataDir(n), 'grastate.dat')) ? recoverPosition(n) : null
    if (position && !position.endsWith(':-1')) extra.push(`--wsrep_start_position=${position}`)
    if (opts.bootstrap) {
      // The node that forms the cluster must be marked safe to: after a kill or a stop of all nodes
      // Galera refuses, to protect against bootstrapping from a node that is behind.
      const grastate = join(dataDir(n), 'grastate.dat')
      if (existsSync(grastate))
        writeFileSync(grastate, readFileSync(grastate, 'utf8').replace(/safe_to_bootstrap: 0/, 'safe_to_bootstrap: 1'))
      extra.push('--wsrep-new-cluster')
    }
    launch(n, extra)
  }
  await waitFor(`node ${n} to be synced (log: ${logPath(n)})`, () => isSynced(n), opts.timeoutMs ?? 120_000)
}

/** Kills node n at once (SIGKILL), as a crash or a pulled plug would. */
export async function killNode(n: NodeNo): Promise<void> {
  const pid = pidOf(n)
  if (pid === null) return
  process.kill(pid, 'SIGKILL')
  await waitFor(`node ${n} to stop`, async () => !isRunning(n), 10_000)
}

async function stopNode(n: NodeNo): Promise<void> {
  const pid = pidOf(n)
  if (pid === null) return
  process.kill(pid, 'SIGTERM')
  await waitFor(`node ${n} to stop`, async () => !isRunning(n), 60_000)
}

/** Brings the three nodes up (idempotent: running, synced nodes are left alone). */
export async function clusterUp(): Promise<void> {
  if (!existsSync(PROVIDER)) throw new Error('galera: the Galera library is missing: apt-get install -y galera-4 rsync')
  const synced = await Promise.all(NODES.map((n) => isSynced(n)))
  if (!synced.includes(true)) {
    // No node is in a cluster: node 1 forms it; a half-started node is stopped first.
    await Promise.all(NODES.map((n) => stopNode(n)))
    await startNode(1, { bootstrap: true })
  }
  // One at a time: each joiner receives its copy from a donor, which blocks that donor meanwhile.
  for (const n of NODES) await startNode(n)
}

/** Stops the nodes and removes their data (idempotent). */
export async function clusterDown(): Promise<void> {
  // The last node stopped holds the newest state; all go, so the order does not matter here.
  await Promise.all(NODES.map((n) => stopNode(n)))
  rmSync(CLUSTER_DIR, { recursive: true, force: true })
}

/** What each node says of itself: running, ready, state, cluster size. */
export async function clusterStatus(): Promise<
  { node: NodeNo; port: number; running: boolean; ready: string; state: string; size: string }[]
> {
  return Promise.all(
    NODES.map(async (n) => {
      const s = await wsrepStatus(n)
      return {
        node: n,
        port: sqlPort(n),
        running: isRunning(n),
        ready: s?.wsrep_ready ?? '-',
        state: s?.wsrep_local_state_comment ?? '-',
        size: s?.wsrep_cluster_size ?? '-',
      }
    }),
  )
}

/** How node n last caught up: 'IST' (only the missed writes) or 'SST' (a full copy), from its log. */
export function lastCatchUp(n: NodeNo): 'IST' | 'SST' | null {
  if (!existsSync(logPath(n))) return null
  const log = readFileSync(logPath(n), 'utf8')
  const ist = log.lastIndexOf('IST received')
  const sst = Math.max(log.lastIndexOf('SST received'), log.lastIndexOf('SST succeeded'))
  if (ist < 0 && sst < 0) return null
  return ist > sst ? 'IST' : 'SST'
}
