import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { demoTown } from '@liren/mocks/seed'
import { PHONE_NUMBER, TEST_LOG_DIR } from './harness.js'

/**
 * After the server tests: no log line of the whole run holds a seeded villager's name or openid, a
 * phone number, an access token or a failed query's SQL and parameters. `--clear` empties the log folder before a run.
 */
if (process.argv.includes('--clear')) {
  await rm(TEST_LOG_DIR, { recursive: true, force: true })
  process.exit(0)
}

const villages = demoTown.villages
const words = new Set<string>([
  ...villages.flatMap((v) => v.members.flatMap((m) => [m.openid, m.realName])),
  ...villages.flatMap((v) => v.households.flatMap((h) => h.people.map((p) => p.name))),
])
const patterns: [string, RegExp][] = [
  ['phone number', PHONE_NUMBER],
  ['access token', /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./],
  // A failed query's text and parameters, as drizzle's error message spells them.
  ['SQL statement with its parameters', /Failed query: |\\nparams: /],
]

const files = (await readdir(TEST_LOG_DIR).catch(() => [] as string[])).filter((f) => f.endsWith('.log'))
if (files.length === 0) {
  console.error(`check-logs: no test logs in ${TEST_LOG_DIR}: the tests wrote none`)
  process.exit(1)
}
let lines = 0
const found: string[] = []
for (const file of files) {
  for (const [i, line] of (await readFile(join(TEST_LOG_DIR, file), 'utf8')).split('\n').entries()) {
    if (!line) continue
    lines++
    for (const w of words) if (line.includes(w)) found.push(`${file}:${i + 1}: "${w}" in ${line.slice(0, 300)}`)
    for (const [what, re] of patterns)
      if (re.test(line)) found.push(`${file}:${i + 1}: a ${what} in ${line.slice(0, 300)}`)
  }
}
if (found.length) {
  console.error(`check-logs: ${found.length} log lines carry personal data:\n${found.slice(0, 30).join('\n')}`)
  process.exit(1)
}
console.log(
  `check-logs: ${lines} log lines in ${files.length} files, no names, openids, phone numbers, tokens or SQL parameters`,
)
