/**
 * What every browser test needs: the real server on a fresh database, Chromium as a phone, signing in
 * through the H5 identity picker, screenshots, and the Taro-specific ways to tap and wait.
 *
 * startStack() boots the server on a free port with a new database (dropped by stopStack()), unless
 * E2E_BASE_URL names a server that is already up (nothing is started or dropped then). The H5 build
 * comes first, once for all files (global-setup.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'

export const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const serverDir = path.resolve(clientDir, '../server')
export const screenshotDir = path.join(clientDir, 'e2e', 'screenshots')
const mysqlBase = process.env.E2E_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let server: ChildProcess | null = null
let serverLog = ''
let database = ''
let browser: Browser | null = null

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server && server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${serverLog}`)
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${serverLog}`)
}

async function stopServer(): Promise<void> {
  const child = server
  if (!child || child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // npx → tsx → node: signal the whole process group the child leads (which may be gone already).
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name)
      return true
    } catch {
      return false
    }
  }
  if (!signal('SIGTERM')) return
  const timer = setTimeout(() => signal('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Boots the server (unless E2E_BASE_URL is set) and Chromium; resolves with the server's address. */
export async function startStack(): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true })
  console.log(`screenshots: ${screenshotDir}`)
  let baseUrl = process.env.E2E_BASE_URL ?? ''
  if (!baseUrl) {
    database = `liren_e2e_${randomBytes(4).toString('hex')}`
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    server = spawn('npx', ['tsx', 'src/main.ts'], {
      cwd: serverDir,
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `${mysqlBase}/${database}`,
        JWT_SECRET: 'e2e-secret-for-liren-browser-tests',
        SEED_DEMO: 'true',
        LOG_LEVEL: 'info',
        // The browser tests sign the same demo people in again and again.
        LOGIN_LIMIT_PER_MINUTE: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()))
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()))
    const started = Date.now()
    await waitForReady(baseUrl, 90_000)
    console.log(`server ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${baseUrl} (database ${database})`)
  }
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return baseUrl
}

export async function stopStack(): Promise<void> {
  await browser?.close()
  await stopServer()
  // The server's log joins the server tests' logs, which `npm test` checks for personal data at the end.
  if (database && serverLog) {
    const dir = process.env.TEST_LOG_DIR ?? path.join(tmpdir(), 'liren-test-logs')
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, `${database}.log`), serverLog)
  }
  if (database) {
    const connection = await mysql.createConnection(mysqlBase)
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``)
    await connection.end()
  }
}

/** A phone-sized, touch-enabled browser context of its own (its own storage, so its own sign-in). */
export async function newPhone(): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser) throw new Error('browser not started')
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    hasTouch: true,
    isMobile: true,
    locale: 'zh-CN',
    acceptDownloads: true,
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('[page error]', error.message))
  return { context, page }
}

/**
 * A numbered screenshot taker: files `<prefix>NN-<name>.png` in e2e/screenshots, numbered in the order
 * taken, so the folder reads like the story of the test.
 */
export function screenshots(prefix = ''): (page: Page, name: string) => Promise<void> {
  let shot = 0
  return async (page, name) => {
    // Let page transitions and dialog fades finish, so the picture shows what a person sees.
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))))
    shot += 1
    // A Taro page scrolls inside its own element, so fullPage alone would stop at the window's edge:
    // grow the window to the page's height for the picture.
    const viewport = page.viewportSize()
    const visible = page.locator('.taro_page:visible').last()
    const extra = (await visible.count()) ? await visible.evaluate((el) => el.scrollHeight - el.clientHeight) : 0
    if (viewport && extra > 0) await page.setViewportSize({ width: viewport.width, height: viewport.height + extra })
    await page.screenshot({ path: path.join(screenshotDir, `${prefix}${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true })
    if (viewport && extra > 0) await page.setViewportSize(viewport)
  }
}

/** Taro's H5 toast and loading overlay share one element; wait until it is hidden. */
export async function toastGone(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every((el) => el.style.display === 'none'),
  )
}

/** Taps a Taro button by its text (the text inside has pointer-events: none; tap the host). */
export async function tapButton(page: Page, text: string | RegExp, within?: Locator): Promise<void> {
  await toastGone(page)
  const scope = within ?? page.locator('.taro_page:visible, body').first()
  await scope.locator('taro-button-core', { hasText: text }).first().tap()
}

/** The visible page: Taro keeps earlier pages of the stack in the DOM, hidden. */
export function current(page: Page): Locator {
  return page.locator('.taro_page:visible').last()
}

/**
 * Right after signing in: the privacy guide when this account has not accepted it yet (agreed to here),
 * else the home page. Resolves with whether the guide was asked.
 */
export async function passPrivacyGuide(page: Page): Promise<boolean> {
  await current(page).locator('.home__village, .home__join, .privacy__agree').first().waitFor()
  if (!(await current(page).locator('.privacy__agree').count())) return false
  await tapClass(page, 'privacy__agree')
  await current(page).locator('.home__village, .home__join').first().waitFor()
  return true
}

/**
 * Signs in through the H5 identity picker as the demo person whose label matches, e.g. /^张家村 · 村委会/,
 * agreeing to the privacy guide if asked. Resolves with whether it was asked.
 */
export async function signInAs(page: Page, baseUrl: string, label: RegExp): Promise<boolean> {
  await page.goto(`${baseUrl}/`)
  const identity = current(page).locator('taro-button-core', { hasText: label }).first()
  await identity.waitFor()
  await toastGone(page)
  await identity.tap()
  return passPrivacyGuide(page)
}

/** Signs in as a brand-new WeChat user (no village yet), agreeing to the privacy guide. */
export async function signInNew(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`)
  await current(page).getByText('我是新用户').waitFor()
  await tapButton(page, '我是新用户', current(page))
  await passPrivacyGuide(page)
  await current(page).getByText('您还没有加入村（社区）').waitFor()
}

/** Opens a page of the app by its route and waits for it to render. */
export async function openRoute(page: Page, baseUrl: string, route: string): Promise<void> {
  await page.goto(`${baseUrl}/#${route}`)
  await page.reload()
}

/** A name made of Chinese characters only (the contract allows letters), different on every run. */
export function chineseName(surname = '李', given = '秀英桂兰春梅玉珍凤霞淑芬丽华金花'): string {
  const pick = () => given[randomBytes(1)[0]! % given.length]
  return `${surname}${pick()}${pick()}`
}

/** Types into the input or textarea inside the element matching `selector` on the current page. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await current(page).locator(`${selector} input, ${selector} textarea`).first().fill(value)
}

/** Taps the Taro button carrying this class. */
export async function tapClass(page: Page, className: string): Promise<void> {
  await toastGone(page)
  await current(page).locator(`taro-button-core.${className}`).first().tap()
}

/** Answers the page's confirm dialog with its confirm button, and waits for it to close. */
export async function confirmDialog(page: Page, text: string | RegExp): Promise<void> {
  const dialog = current(page).locator('.nut-dialog')
  await dialog.waitFor()
  await tapButton(page, text, dialog)
  await dialog.waitFor({ state: 'hidden' })
}

/** The Shanghai calendar day `days` from today (YYYY-MM-DD). */
export function shanghaiDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10)
}
