// Builds the production mini-program and checks WeChat's package budget: the main package
// (everything outside the subpackage roots) must stay under 1.5 MB, well below WeChat's 2 MB cap.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const LIMIT = 1.5 * 1024 * 1024
const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const distDir = path.join(clientDir, 'dist', 'weapp')

function sizeOf(target) {
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.size
  return readdirSync(target).reduce((sum, name) => sum + sizeOf(path.join(target, name)), 0)
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

const started = Date.now()
try {
  execFileSync('npx', ['taro', 'build', '--type', 'weapp', '--no-check'], {
    cwd: clientDir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'pipe',
    maxBuffer: 64 * 1024 * 1024,
  })
} catch (error) {
  // Taro's progress output is noise when the build works; show it only when it does not.
  process.stdout.write(error.stdout ?? '')
  process.stderr.write(error.stderr ?? '')
  console.error('weapp build failed')
  process.exit(1)
}
console.log(`weapp production build: ${((Date.now() - started) / 1000).toFixed(1)} s`)

const app = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8'))
const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''))

const total = sizeOf(distDir)
let subTotal = 0
for (const root of roots) {
  const size = sizeOf(path.join(distDir, root))
  subTotal += size
  console.log(`subpackage ${root}: ${kb(size)}`)
}
const main = total - subTotal
console.log(`main package: ${kb(main)} (limit ${kb(LIMIT)})`)
console.log(`total: ${kb(total)}`)

if (main > LIMIT) {
  console.error(`main package is ${kb(main - LIMIT)} over the limit`)
  process.exit(1)
}
