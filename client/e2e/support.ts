/**
 * What every browser test needs: the real server on a fresh database, Chromium as a phone, signing in
 * through the H5 identity picker, screenshots. The Taro-specific ways to tap and wait: steps.ts.
 *
 * useStack() boots the server (server.ts: a free port, a new database dropped after the file's tests,
 * unless E2E_BASE_URL names a server that is already up) and Chromium around a test file, and sets
 * baseUrl. The H5 build comes first, once for all files (global-setup.ts).
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { layoutProblems } from './layout'
import { startServer, stopServer } from './server'
import { current, tapButton, tapClass, toastGone } from './steps'

export const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/**
 * Large-text mode (适老化), for the whole run: every phone starts with it switched on, as a person who
 * chose it in 我的 would. `npm test` runs the browser tests twice, without and with it.
 */
export const largeText = process.env.E2E_LARGE_TEXT === '1'
export const screenshotDir = path.join(clientDir, 'e2e', 'screenshots', largeText ? 'large' : '')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let browser: Browser | null = null

/** The server's address, once useStack() has started it for this test file. */
export let baseUrl = ''

/** Starts the server and Chromium before this test file's tests, and stops them after. */
export function useStack(): void {
  beforeAll(async () => {
    baseUrl = await startStack()
  })
  afterAll(stopStack)
}

/** Boots the server (unless E2E_BASE_URL is set) and Chromium; resolves with the server's address. */
async function startStack(): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true })
  console.log(`screenshots: ${screenshotDir}`)
  const baseUrl = await startServer()
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

async function stopStack(): Promise<void> {
  await browser?.close()
  await stopServer()
}

/** A phone-sized, touch-enabled browser context of its own (its own storage, so its own sign-in). */
export async function newPhone(): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser) throw new Error('browser not started')
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    hasTouch: true,
    isMobile: true,
    locale: 'zh-CN',
    acceptDownloads: true,
  })
  // Taro's storage keeps { data } under the key; set before the app reads it, unless a test changed it.
  if (largeText)
    await context.addInitScript(() => {
      if (localStorage.getItem('liren.largeText') === null) localStorage.setItem('liren.largeText', '{"data":true}')
    })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => {
    console.error('[page error]', error.message)
    errors.push(error.message)
  })
  // A refusal a test provokes on purpose (403, 409 …) is the browser's 4xx line, not the page's error.
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return
    errors.push(message.text())
  })
  consoleErrors.set(page, errors)
  return { context, page }
}

/** The errors each phone's page has logged (a Content-Security-Policy refusal among them). */
const consoleErrors = new WeakMap<Page, string[]>()

/**
 * What every page a test looks at must be: no error in the console (nothing refused by the
 * Content-Security-Policy), drawn at its designed size (Taro's script sets the root font to 20 px on a
 * 375 px wide phone; refused, the browser's 16 px draws everything at 80 %), and no date written the
 * machine's way. Laid out for a finger and an eye is checked with the screenshot (layout.ts).
 */
async function expectDrawnAsDesigned(page: Page, name: string): Promise<void> {
  const errors = consoleErrors.get(page) ?? []
  if (errors.length) throw new Error(`${name}: the page logged errors: ${errors.join(' | ')}`)
  const width = page.viewportSize()?.width ?? 375
  const root = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
  if (root !== `${(width * 40) / 750}px`)
    throw new Error(`${name}: root font size ${root}, designed ${(width * 40) / 750}px`)
  // What a person wrote, quoted back to them (“1990-02-30” in an import's refusal), is theirs to read as written.
  const shown = (await page.evaluate(() => document.body.innerText)).replace(/“[^”]*”/g, '')
  const raw = RAW_DATES.map((pattern) => pattern.exec(shown)?.[0]).find(Boolean)
  if (raw) throw new Error(`${name}: the page shows “${raw}”; dates read 2026年12月9日 19:30 (lib/format.ts)`)
}

/** Dates and times as machines write them (2026-12-09, T19:30, 2026/12/9, 12-09 19:30), which no page shows. */
const RAW_DATES = [/\d{4}-\d{1,2}-\d{1,2}/, /T\d{2}:\d{2}/, /\d{4}\/\d{1,2}\/\d{1,2}/, /\b\d{2}-\d{2} \d{2}:\d{2}/]

/**
 * A numbered screenshot taker: files `<prefix>NN-<name>.png` in e2e/screenshots, numbered in the order
 * taken, so the folder reads like the story of the test. Each picture is of a page laid out as
 * layout.ts says; `ownWords` are Latin words the test itself typed into what the page shows.
 */
export function screenshots(prefix = ''): (page: Page, name: string, ownWords?: string[]) => Promise<void> {
  let shot = 0
  return async (page, name, ownWords) => {
    // Let page transitions and dialog fades finish, so the picture shows what a person sees.
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))))
    await expectDrawnAsDesigned(page, name)
    shot += 1
    // A Taro page scrolls inside its own element, so fullPage alone would stop at the window's edge:
    // grow the window to the page's height for the picture (and for the layout check: nothing is then
    // scrolled under the tab bar).
    const viewport = page.viewportSize()
    // A page scrolled down (a tap on a row near its end scrolls it) goes back to its top first: the grown
    // window shows all of it from there.
    const visible = page.locator('.taro_page:visible').last()
    const extra = (await visible.count())
      ? await visible.evaluate((el) => (el.scrollTo(0, 0), el.scrollHeight - el.clientHeight))
      : 0
    if (viewport && extra > 0) await page.setViewportSize({ width: viewport.width, height: viewport.height + extra })
    await page.screenshot({
      path: path.join(screenshotDir, `${prefix}${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    })
    const problems = await layoutProblems(page, ownWords)
    if (viewport && extra > 0) await page.setViewportSize(viewport)
    if (problems.length) throw new Error(`${name}: ${problems.length} layout problem(s):\n  ${problems.join('\n  ')}`)
  }
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

/** Closes these phones (their browser contexts), at the end of a test. */
export async function closePhones(...phones: { context: BrowserContext }[]): Promise<void> {
  for (const phone of phones) await phone.context.close()
}

/** A phone of its own, signed in as the demo person whose label matches (see signInAs). */
export async function phoneSignedInAs(label: RegExp): Promise<{ context: BrowserContext; page: Page }> {
  const phone = await newPhone()
  await signInAs(phone.page, baseUrl, label)
  return phone
}

/** Signs in as a brand-new WeChat user (no village yet), agreeing to the privacy guide. */
export async function signInNew(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`)
  await current(page).getByText('我是新用户').waitFor()
  await tapButton(page, '我是新用户', current(page))
  await passPrivacyGuide(page)
  await current(page).getByText('您还没有加入村（社区）').waitFor()
}

/** Large-text mode on, as a person sets it in 我的 (on already in the large-text run). */
export async function largeTextOn(page: Page): Promise<void> {
  await openRoute(page, baseUrl, '/pages/mine/index')
  await toastGone(page)
  await current(page).locator('.mine__large-switch').waitFor()
  if (!(await current(page).locator('.lr-page.lr-large').count()))
    await current(page).locator('.mine__large-switch').tap()
  await current(page).locator('.lr-page.lr-large').waitFor()
}

/** Opens a page of the app by its route and waits for it to render. */
export async function openRoute(page: Page, baseUrl: string, route: string): Promise<void> {
  await page.goto(`${baseUrl}/#${route}`)
  await page.reload()
}

/** The app route the page is on (what follows the # of its address), to open it again later. */
export const routeOf = (page: Page): string => page.url().slice(page.url().indexOf('#') + 1)

/** The page at `route` opened in a second tab of this phone once `landmark` shows: left open, to act on later from a stale page. */
export async function secondTab(context: BrowserContext, route: string, landmark: string): Promise<Page> {
  const tab = await context.newPage()
  await openRoute(tab, baseUrl, route)
  await current(tab).locator(landmark).waitFor()
  return tab
}

/** Calls our API as a caller holding `token` (none: signed out): GET without a body, POST with one. */
async function callApi<T>(path: string, body?: object, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/**
 * Our API as a demo person (by WeChat openid), signed in through the development door, and the id of
 * their village named `villageName`: for setting up what a test then looks at in the browser.
 */
export async function apiAs(openid: string, villageName: string) {
  const { code } = await callApi<{ code: string }>('/api/dev/wechat-code', { openid })
  const { token } = await callApi<{ token: string }>('/api/auth/wechat', { code })
  const me = await callApi<{ memberships: { villageId: number; villageName: string }[] }>('/api/me', undefined, token)
  const villageId = me.memberships.find((m) => m.villageName === villageName)!.villageId
  return {
    villageId,
    call: <T>(path: string, body?: object) => callApi<T>(path, body, token),
  }
}
