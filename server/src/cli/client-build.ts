import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
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

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : 0)

/**
 * Builds the H5 and weapp clients when their output is missing, older than their sources, or not the
 * production build this made (a `npm run dev` watch build writes the same folder: a development H5
 * draws a blank page when served). A build this made leaves `.liren-production` beside its output.
 */
export function buildClientIfStale(): void {
  const sources = Math.max(...inputs.map(newest))
  for (const [target, output] of [
    ['h5', 'client/dist/h5/index.html'],
    ['weapp', 'client/dist/weapp/app.json'],
  ] as const) {
    const stamp = join(root, `client/dist/${target}/.liren-production`)
    const built = mtime(stamp)
    if (built >= sources && built >= mtime(join(root, output))) continue
    console.log(`building the ${target} client…`)
    const run = spawnSync('npm', ['run', `build:${target}`, '-w', '@liren/client'], { cwd: root, stdio: 'inherit' })
    if (run.status !== 0) throw new Error(`the ${target} build failed`)
    writeFileSync(stamp, new Date().toISOString())
  }
}
