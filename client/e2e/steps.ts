/**
 * The steps of a browser test on the H5 app: Taro-specific ways to tap, type and wait on the visible page,
 * and the names and days a test makes up. Setting up and signing in: support.ts.
 */
import { randomBytes } from 'node:crypto'
import type { Download, Locator, Page } from 'playwright-core'
import sharp from 'sharp'
import { expect } from 'vitest'

/** Calls our API from inside the page, with the token the app stored when signing in. */
export async function api<T>(page: Page, path: string, body?: unknown): Promise<T> {
  const { status, json } = await page.evaluate(
    async ({ path, body }) => {
      const token = (JSON.parse(localStorage.getItem('liren.token') ?? '{}') as { data?: string }).data ?? ''
      const response = await fetch(path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: response.status, json: (await response.json()) as unknown }
    },
    { path, body },
  )
  if (status >= 300) throw new Error(`${path} answered ${status}: ${JSON.stringify(json)}`)
  return json as T
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

/** What tapping the Taro button carrying this class downloads. */
export async function downloadByClass(page: Page, className: string): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), tapClass(page, className)])
  return download
}

/**
 * Fills the head of the new-meeting form: the kind of meeting, its title, the place (the village office) and
 * the day, `inDays` days from today in Shanghai, at `time` (picked on the wheels).
 */
export async function fillMeetingHead(
  page: Page,
  kind: string,
  title: string,
  inDays: number,
  time = '19:30',
): Promise<void> {
  await current(page).locator('.meeting-new__title').waitFor()
  await current(page).locator('.meeting-new__kinds .lr-chip', { hasText: kind }).tap()
  await fill(page, '.meeting-new__title', title)
  await fill(page, '.meeting-new__place', '村委会会议室')
  await pickDateTime(page, 'meeting-new__when', `${shanghaiDay(inDays)} ${time}`)
}

/**
 * Picks `value` ('YYYY-MM-DD', 'HH:mm' or 'YYYY-MM-DD HH:mm') in the date field whose box has this class
 * (components/DateTimeField.tsx): opens its wheels, turns each, years first, with a finger's slow drag, and
 * confirms.
 */
export async function pickDateTime(page: Page, className: string, value: string): Promise<void> {
  await toastGone(page)
  await current(page).locator(`.lr-datetime.${className}`).tap()
  const picker = current(page).locator('.lr-datetime-picker')
  await picker.locator('.nut-pickerview-list').first().waitFor()
  const parts = (value.match(/\d+/g) ?? []).map(Number)
  for (const [column, part] of parts.entries())
    await turnWheel(picker.locator('.nut-pickerview-list').nth(column), part)
  await picker.locator('.nut-picker-confirm-btn').tap()
  await picker.waitFor({ state: 'detached' })
}

/** Drags one wheel of a NutUI picker until the row reading `target` (2026年, 09日, 30分) is in the middle. */
async function turnWheel(wheel: Locator, target: number): Promise<void> {
  const rows = wheel.locator('.nut-pickerview-roller-item-tiled')
  const labels = (await rows.allInnerTexts()).map((label) => parseInt(label, 10))
  const to = labels.indexOf(target)
  if (to < 0) throw new Error(`the wheel has no ${target}: ${labels.join(' ')}`)
  await wheel.evaluate(async (el, to) => {
    const items = Array.from(el.querySelectorAll<HTMLElement>('.nut-pickerview-roller-item-tiled'))
    const from = items.findIndex((item) => item.classList.contains('nut-pickerview-roller-item-active'))
    // Let go a third of a row off, as a finger does: the wheel then settles onto the row (an animation), and
    // only a wheel that settles takes the row.
    const dy = (from - to + 0.3) * items[0]!.offsetHeight
    const box = el.getBoundingClientRect()
    const x = box.left + box.width / 2
    const y = box.top + box.height / 2
    const at = (dy: number) => [
      new Touch({ identifier: 1, target: el, clientX: x, clientY: y + dy, pageX: x, pageY: y + dy }),
    ]
    const fire = (type: string, dy: number) =>
      el.dispatchEvent(
        new TouchEvent(type, {
          bubbles: true,
          cancelable: true,
          touches: type === 'touchend' ? [] : at(dy),
          changedTouches: at(dy),
        }),
      )
    // The wheel listens anew after each render: a pause between moves, and slow enough to stop where let go.
    const frame = () => new Promise((resolve) => setTimeout(resolve, 40))
    fire('touchstart', 0)
    for (let step = 1; step <= 5; step += 1) {
      await frame()
      fire('touchmove', (dy * step) / 5)
    }
    await new Promise((resolve) => setTimeout(resolve, 400))
    fire('touchend', dy)
  }, to)
  await wheel
    .locator('.nut-pickerview-roller-item-active')
    .filter({ hasText: new RegExp(`^0?${target}\\D`) })
    .waitFor()
  // The picker takes the row once the wheel has come to rest.
  await wheel.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)))
}

/** Sends the filled new-meeting form and lands on the meeting it made, a 草稿. */
export async function submitMeetingDraft(page: Page): Promise<void> {
  await tapClass(page, 'meeting-new__submit')
  await current(page).locator('.meeting__facts').waitFor()
  await expect(current(page).locator('.meeting__state').innerText()).resolves.toBe('草稿')
}

/** Takes the meeting's next step by its button and confirm dialog, and waits for the state it leads to. */
export async function meetingStep(page: Page, step: string, confirm: string, state: string): Promise<void> {
  await tapClass(page, `meeting__step--${step}`)
  await confirmDialog(page, confirm)
  await current(page).locator('.meeting__state', { hasText: state }).waitFor()
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

/** The points tab, through the tab bar. */
export async function openPointsTab(page: Page): Promise<void> {
  await toastGone(page)
  await page.locator('.weui-tabbar__item', { hasText: '积分' }).tap()
  await current(page).locator('.points__tiles').waitFor()
}

/** From the home page of someone without a village: 申请加入, picks the village and fills in the form. */
export async function fillJoinForm(
  page: Page,
  village: string,
  person: { name: string; address: string; year: string },
): Promise<void> {
  await tapButton(page, '申请加入', current(page))
  const choice = current(page).locator('.join__village', { hasText: village })
  await choice.waitFor()
  await choice.tap()
  await fill(page, '.join__input--name', person.name)
  await fill(page, '.join__input--address', person.address)
  await fill(page, '.join__input--year', person.year)
}

/** The roster may suggest people for an applicant; these test people are not on it. */
export async function notOnRoster(card: Locator): Promise<void> {
  const none = card.locator('.applications__match--none')
  if (await none.count()) await none.tap()
}

/** The committee verifies the application on this card, as no one on the roster, and sees it go. */
export async function verifyNotOnRoster(page: Page, card: Locator): Promise<void> {
  await notOnRoster(card)
  await card.locator('taro-button-core.applications__verify').tap()
  await tapButton(page, '确定通过', current(page).locator('.nut-dialog'))
  await card.waitFor({ state: 'detached' })
}

/**
 * Internal codes a person must never read: snake_case words (rule codes like courtyard_tidy) and the states,
 * kinds and roles the server speaks in.
 */
const RAW_CODE =
  /\b[a-z]+(?:_[a-z0-9]+)+\b|\b(?:pending|verified|rejected|submitted|accepted|resolved|closed|merged|fulfilled|cancelled|expired|earn|penalty|redeem|committee|resident|volunteer|rural|urban)\b/

/** The visible page shows no internal code. */
export async function expectNoRawCodes(page: Page): Promise<void> {
  const text = await current(page).innerText()
  expect(text.match(RAW_CODE)?.[0], text).toBeUndefined()
}

/** Adds a plain picture of one colour through the photo picker inside `within`, and waits for its thumbnail. */
export async function addPhoto(
  page: Page,
  within: string,
  name: string,
  background: { r: number; g: number; b: number },
): Promise<void> {
  const picture = await sharp({ create: { width: 800, height: 600, channels: 3, background } })
    .jpeg()
    .toBuffer()
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    current(page).locator(`${within} .photo-picker__add`).tap(),
  ])
  await chooser.setFiles({ name, mimeType: 'image/jpeg', buffer: picture })
  await current(page).locator(`${within} .photo-picker__thumb`).waitFor()
}
