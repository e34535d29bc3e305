/**
 * Builds the H5 app once for every browser test file (each file then boots its own server on a fresh
 * database). Skipped with E2E_SKIP_BUILD=1 (reuse client/dist/h5) or E2E_BASE_URL (a server already up).
 */
import { execFileSync } from 'node:child_process'
import { clientDir } from './support'

export default function setup(): void {
  if (process.env.E2E_BASE_URL || process.env.E2E_SKIP_BUILD === '1') return
  const started = Date.now()
  // Built as `npm start` builds it, under the documented default NODE_ENV (development): the script
  // itself must make the production build (a development one draws a blank page).
  execFileSync('npm', ['run', 'build:h5'], {
    cwd: clientDir,
    env: { ...process.env, NODE_ENV: 'development' },
    stdio: 'ignore',
  })
  console.log(`H5 build: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
