import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestContext, type TestContext } from './testing/harness.js'

/**
 * The H5 app's files are served beside the API but are not calls to it: loading the app fetches dozens of
 * scripts, and those must not spend the per-address request budget (here 3 a minute) the API's callers have.
 */
let t: TestContext
let root: string
/** Like Taro's inline script in the built page: it sets the root font size the pages are designed at. */
const ROOT_FONT = "document.documentElement.style.fontSize = '20px'"

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'liren-h5-'))
  await mkdir(join(root, 'js'))
  await writeFile(
    join(root, 'index.html'),
    `<!doctype html><title>里仁</title><script>${ROOT_FONT}</script><script src="/js/app.js"></script>`,
  )
  await writeFile(join(root, 'js', 'app.js'), 'console.log(1)')
  t = await startTestContext({ seed: false, env: { RATE_LIMIT_PER_MINUTE: '3', H5_ROOT: root } })
})
afterAll(async () => {
  await t?.close()
  await rm(root, { recursive: true, force: true })
})

it('serves the app as often as it is loaded, while the API keeps its limit', async () => {
  for (let i = 0; i < 10; i++) {
    expect((await t.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/js/app.js' })).statusCode).toBe(200)
  }
  const api = []
  for (let i = 0; i < 5; i++) api.push((await t.app.inject({ method: 'GET', url: '/api/privacy' })).statusCode)
  expect(api).toEqual([200, 200, 200, 429, 429])
})

it("allows the page's own inline script by its hash, and no other inline script", async () => {
  const csp = String((await t.app.inject({ method: 'GET', url: '/' })).headers['content-security-policy'])
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!
  const hash = createHash('sha256').update(ROOT_FONT).digest('base64')
  // Before, script-src was 'self' alone: the browser refused the script and drew every page at 80 %.
  expect(scriptSrc.trim()).toBe(`script-src 'self' 'sha256-${hash}'`)
})
