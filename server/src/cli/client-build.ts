import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const inputs = ['client/src', 'client/config', 'client/package.json', 'client/babel.config.js', 'shared/src'].map((p) =>
  join(root, p),
)

function newest(path: string): number {
  if (!existsSync(path)) return 0
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))))
}

/** Builds the H5 and weapp clients when their output is missing or older than their sources. */
export function buildClientIfStale(): void {
  const sources = Math.max(...inputs.map(newest))
  for (const [target, marker] of [
    ['h5', 'client/dist/h5/index.html'],
    ['weapp', 'client/dist/weapp/app.json'],
  ] as const) {
    const built = existsSync(join(root, marker)) ? statSync(join(root, marker)).mtimeMs : 0
    if (built >= sources) continue
    console.log(`building the ${target} client…`)
    const run = spawnSync('npm', ['run', `build:${target}`, '-w', '@liren/client'], { cwd: root, stdio: 'inherit' })
    if (run.status !== 0) throw new Error(`the ${target} build failed`)
  }
}
