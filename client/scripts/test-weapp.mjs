// Runs every weapp test (client/weapp-test: WeChat's compilers and project rules, the headless
// mini-program runtime on every page and the main journeys, the broken-build checks) on the production
// weapp output, which the tests' global setup builds first. The last line counts what passed and failed.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = mkdtempSync(path.join(tmpdir(), 'liren-weapp-results-'))
const results = path.join(out, 'results.json')
const started = Date.now()
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--config',
    'weapp-test/vitest.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}`,
    ...process.argv.slice(2),
  ],
  { cwd: clientDir, stdio: 'inherit' },
)
const seconds = ((Date.now() - started) / 1000).toFixed(0)
let summary
try {
  const report = JSON.parse(readFileSync(results, 'utf8'))
  summary = `weapp tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed (${report.numTotalTestSuites ? report.testResults.length : 0} files) in ${seconds} s`
} catch {
  summary = `weapp tests: no results (vitest exited with ${run.status}) after ${seconds} s`
}
rmSync(out, { recursive: true, force: true })
console.log(summary)
process.exit(run.status ?? 1)
