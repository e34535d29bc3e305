/**
 * The identity flow in a real browser against the real server:
 * a new resident applies to join, a committee member verifies them, the resident sees 已认证.
 *
 * Builds the H5 app (set E2E_SKIP_BUILD=1 to reuse client/dist/h5), boots the server on a free port
 * with a fresh database, drives Chromium with playwright-core. Set E2E_BASE_URL to run against a
 * server that is already up instead (nothing is started or dropped then).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const serverDir = path.resolve(clientDir, '../server')
const screenshotDir = path.join(clientDir, 'e2e', 'screenshots')
const mysqlBase = process.env.E2E_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let server: ChildProcess | null = null
let serverLog = ''
let database = ''
let baseUrl = process.env.E2E_BASE_URL ?? ''
let browser: Browser | null = null
let shot = 0

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
  // npx → tsx → node: signal the whole process group the child leads.
  process.kill(-child.pid, 'SIGTERM')
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

async function snap(page: Page, name: string): Promise<void> {
  // Let page transitions and dialog fades finish, so the picture shows what a person sees.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))))
  shot += 1
  await page.screenshot({ path: path.join(screenshotDir, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true })
}

/** Taro's H5 toast and loading overlay share one element; wait until it is hidden. */
async function toastGone(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.taro__toast')).every((el) => el.style.display === 'none'),
  )
}

/** Taps a Taro button by its text (the text inside has pointer-events: none; tap the host). */
async function tapButton(page: Page, text: string | RegExp, within?: ReturnType<Page['locator']>): Promise<void> {
  await toastGone(page)
  const scope = within ?? page.locator('.taro_page:visible, body').first()
  await scope.locator('taro-button-core', { hasText: text }).first().tap()
}

async function newPhone(): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser) throw new Error('browser not started')
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    hasTouch: true,
    isMobile: true,
    locale: 'zh-CN',
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('[page error]', error.message))
  return { context, page }
}

/** The visible page: Taro keeps earlier pages of the stack in the DOM, hidden. */
function current(page: Page) {
  return page.locator('.taro_page:visible').last()
}

/** A name made of Chinese characters only (the contract allows letters), different on every run. */
function residentName(): string {
  const given = '秀英桂兰春梅玉珍凤霞淑芬丽华金花'
  const pick = () => given[randomBytes(1)[0]! % given.length]
  return `李${pick()}${pick()}`
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true })
  console.log(`screenshots: ${screenshotDir}`)

  if (!baseUrl) {
    if (process.env.E2E_SKIP_BUILD !== '1') {
      const started = Date.now()
      execFileSync('npx', ['taro', 'build', '--type', 'h5', '--no-check'], {
        cwd: clientDir,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: 'ignore',
      })
      console.log(`H5 build: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
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
})

afterAll(async () => {
  await browser?.close()
  await stopServer()
  if (database) {
    const connection = await mysql.createConnection(mysqlBase)
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``)
    await connection.end()
  }
})

describe('joining a village', () => {
  test('a new resident applies, the committee verifies, the resident is 已认证', async () => {
    const name = residentName()

    // --- the new resident ---
    const resident = await newPhone()
    const r = resident.page
    await r.goto(`${baseUrl}/`)
    await current(r).getByText('我是新用户').waitFor()
    await snap(r, 'login-picker')

    await tapButton(r, '我是新用户', current(r))
    await current(r).getByText('您还没有加入村（社区）').waitFor()
    await snap(r, 'resident-home-new')

    await tapButton(r, '申请加入', current(r))
    const firstVillage = current(r).locator('.join__village').first()
    await firstVillage.waitFor()
    const villageName = (await firstVillage.locator('.join__village-name').innerText()).trim()
    expect(villageName).not.toBe('')

    // The form checks before sending.
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('请填写真实姓名').waitFor()
    await snap(r, 'join-validation')

    await firstVillage.tap()
    await current(r).locator('.join__input--name input').fill(name)
    await current(r).locator('.join__input--address input').fill(`${villageName}3组12号`)
    await current(r).locator('.join__input--year input').fill('1956')
    await snap(r, 'join-filled')

    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()
    await expect(current(r).getByText('等待审核').first().isVisible()).resolves.toBe(true)
    await snap(r, 'join-submitted')

    await tapButton(r, '回到首页', current(r))
    await current(r).getByText('正在等待村委会审核', { exact: false }).or(current(r).getByText('正在等待居委会审核', { exact: false })).waitFor()
    await snap(r, 'resident-home-pending')

    // --- a committee member of that village, on another phone ---
    const committee = await newPhone()
    const c = committee.page
    await c.goto(`${baseUrl}/`)
    const identity = current(c).locator('taro-button-core', { hasText: new RegExp(`^\\s*${villageName} · (村|居)委会`) }).first()
    await identity.waitFor()
    await toastGone(c)
    await identity.tap()
    await current(c).locator('.home__applications').waitFor()
    await snap(c, 'committee-home')

    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const card = current(c).locator('.applications__item', { hasText: name })
    await card.waitFor()
    await snap(c, 'committee-applications')

    await toastGone(c)
    await card.locator('taro-button-core.applications__verify').tap()
    const dialog = current(c).locator('.nut-dialog')
    await dialog.getByText(name, { exact: false }).waitFor()
    await snap(c, 'committee-confirm')
    await tapButton(c, '确定通过', dialog)
    await card.waitFor({ state: 'detached' })
    await toastGone(c)
    await snap(c, 'committee-after-verify')

    // --- the resident looks again ---
    await r.goto(`${baseUrl}/#/pages/mine/index`)
    await r.reload()
    const membership = current(r).locator('.mine__membership', { hasText: villageName })
    await membership.getByText('已认证').waitFor()
    await snap(r, 'resident-mine-verified')

    // 适老化: the large-text switch applies to every page.
    await toastGone(r)
    await current(r).locator('.mine__large-switch').tap()
    await current(r).locator('.lr-page.lr-large').waitFor()
    await snap(r, 'resident-mine-large-text')
    await r.goto(`${baseUrl}/#/pages/index/index`)
    await r.reload()
    await current(r).locator('.lr-page.lr-large').waitFor()
    await current(r).getByText(name, { exact: false }).waitFor()
    await snap(r, 'resident-home-verified-large-text')

    await resident.context.close()
    await committee.context.close()
  })

  test('the committee turns an application down with a reason, the resident sees it', async () => {
    const name = residentName()
    const resident = await newPhone()
    const r = resident.page
    await r.goto(`${baseUrl}/`)
    await current(r).getByText('我是新用户').waitFor()
    await tapButton(r, '我是新用户', current(r))
    await tapButton(r, '申请加入', current(r))
    // The last village in the list, so both kinds of place get exercised when the seed has two.
    const village = current(r).locator('.join__village').last()
    await village.waitFor()
    const villageName = (await village.locator('.join__village-name').innerText()).trim()
    await village.tap()
    await current(r).locator('.join__input--name input').fill(name)
    await current(r).locator('.join__input--address input').fill('幸福路8号2栋301')
    await current(r).locator('.join__input--year input').fill('1962')
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()

    const committee = await newPhone()
    const c = committee.page
    await c.goto(`${baseUrl}/`)
    const identity = current(c).locator('taro-button-core', { hasText: new RegExp(`^\\s*${villageName} · (村|居)委会`) }).first()
    await identity.waitFor()
    await toastGone(c)
    await identity.tap()
    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const card = current(c).locator('.applications__item', { hasText: name })
    await card.waitFor()
    await toastGone(c)
    await card.locator('taro-button-core.applications__reject').tap()
    const dialog = current(c).locator('.nut-dialog')
    await dialog.locator('textarea').waitFor()
    // Too short a reason is refused in the dialog itself.
    await dialog.locator('textarea').fill('不')
    await tapButton(c, '确定不通过', dialog)
    await dialog.getByText('请写明原因', { exact: false }).waitFor()
    await dialog.locator('textarea').fill('住址与花名册不一致，请到居委会核对')
    await snap(c, 'committee-reject-reason')
    await tapButton(c, '确定不通过', dialog)
    await card.waitFor({ state: 'detached' })

    await r.goto(`${baseUrl}/#/pages/mine/index`)
    await r.reload()
    const membership = current(r).locator('.mine__membership', { hasText: villageName })
    await membership.getByText('未通过').waitFor()
    await membership.getByText('住址与花名册不一致', { exact: false }).waitFor()
    await snap(r, 'resident-mine-rejected')

    await resident.context.close()
    await committee.context.close()
  })
})
