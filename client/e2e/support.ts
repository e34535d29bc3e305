/**
 * What every browser test needs: the real server on a fresh database, Chromium as a phone, signing in
 * through the H5 identity picker, screenshots, and the Taro-specific ways to tap and wait.
 *
 * startStack() boots the server (server.ts: a free port, a new database dropped by stopStack(), unless
 * E2E_BASE_URL names a server that is already up) and Chromium. The H5 build
 * comes first, once for all files (global-setup.ts).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { startServer, stopServer } from './server'

export const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const screenshotDir = path.join(clientDir, 'e2e', 'screenshots')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let browser: Browser | null = null

/** Boots the server (unless E2E_BASE_URL is set) and Chromium; resolves with the server's address. */
export async function startStack(): Promise<string> {
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

export async function stopStack(): Promise<void> {
  await browser?.close()
  await stopServer()
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
    await page.screenshot({
      path: path.join(screenshotDir, `${prefix}${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    })
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
