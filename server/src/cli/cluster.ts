import {
  CLUSTER_DIR,
  clusterDown,
  clusterStatus,
  clusterUp,
  killNode,
  lastCatchUp,
  nodeUrl,
  startNode,
  type NodeNo,
} from '../testing/galera.js'

/**
 * `npm run cluster -- up | down | status | kill N | start N`: a three-node MariaDB Galera cluster on
 * loopback (SQL ports 4306–4308), for running Liren past one database server on this machine.
 */
const [command, arg] = process.argv.slice(2)
const node = (): NodeNo => {
  const n = Number(arg)
  if (n !== 1 && n !== 2 && n !== 3) throw new Error('name a node: 1, 2 or 3')
  return n
}

switch (command) {
  case 'up':
    await clusterUp()
    console.log(`cluster up in ${CLUSTER_DIR}; DATABASE_URL=${nodeUrl(1)} (or ${nodeUrl(2)}, ${nodeUrl(3)})`)
    break
  case 'down':
    await clusterDown()
    console.log('cluster down, data removed')
    break
  case 'kill':
    await killNode(node())
    console.log(`node ${arg} killed`)
    break
  case 'start':
    await startNode(node())
    console.log(`node ${arg} synced (caught up by ${lastCatchUp(node()) ?? 'nothing to copy'})`)
    break
  case 'status':
  case undefined:
    console.table(await clusterStatus())
    break
  default:
    console.error('usage: npm run cluster -- up | down | status | kill N | start N')
    process.exitCode = 2
}
