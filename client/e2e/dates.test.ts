/**
 * Dates, times and half-filled forms in a real browser: the committee picks a meeting's time on the wheels
 * (tomorrow 19:30 offered), leaves and reloads the half-filled form and finds it kept, saves it and reads the
 * time as every page writes it (2026年12月9日 20:00); a volunteer activity offers next Saturday 9:00 to 11:00;
 * a new user's join form survives a reload too. Every screenshot also checks that the page shows no
 * machine-written date (support.ts).
 */
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { current, fill, pickDateTime, shanghaiDay, tapClass } from './steps'
import { baseUrl, closePhones, newPhone, openRoute, phoneSignedInAs, screenshots, signInNew, useStack } from './support'

const snap = screenshots('dates-')

useStack()

/** How pages write a Shanghai day (YYYY-MM-DD): 2026年12月9日. */
const dayWords = (day: string) =>
  `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`

/** The Shanghai day of the week `days` from today: 星期六. */
const weekday = (days: number) => `星期${'日一二三四五六'[new Date(`${shanghaiDay(days)}T00:00:00Z`).getUTCDay()]}`

/** Reloads the H5 page, as a person pulling down or reopening the link would. */
async function reload(page: Page, landmark: string): Promise<void> {
  await page.reload()
  await current(page).locator(landmark).waitFor()
}

describe('dates are picked and read alike; long forms survive a reload', () => {
  test('a meeting: picked on the wheels, kept through a reload, saved, and shown as 2026年12月9日 20:00', async () => {
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    await tapClass(c, 'home__meeting-new')
    const when = current(c).locator('.lr-datetime.meeting-new__when')
    await when.waitFor()
    // Offered: tomorrow at 19:30.
    await expect(when.locator('.lr-datetime__value').innerText()).resolves.toBe(
      `${dayWords(shanghaiDay(1))} ${weekday(1)} 19:30`,
    )
    const title = `冬季防火会 ${randomBytes(2).toString('hex').toUpperCase()}`
    await fill(c, '.meeting-new__title', title)
    await fill(c, '.meeting-new__place', '村委会会议室')
    await fill(c, '.meeting-new__item-title', '防火值班安排')
    await fill(c, '.meeting-new__question', '同意冬季防火值班安排')

    // The wheels, then the day and time picked on them.
    await current(c).locator('.lr-datetime.meeting-new__when').tap()
    await current(c).locator('.lr-datetime-picker .nut-pickerview-list').first().waitFor()
    await snap(c, 'meeting-picker')
    await current(c).locator('.lr-datetime-picker .nut-picker-cancel-btn').tap()
    await pickDateTime(c, 'meeting-new__when', `${shanghaiDay(3)} 20:05`)
    await expect(when.locator('.lr-datetime__value').innerText()).resolves.toBe(
      `${dayWords(shanghaiDay(3))} ${weekday(3)} 20:05`,
    )
    await pickDateTime(c, 'meeting-new__comments-until', shanghaiDay(2))

    // Reloaded half-way: everything typed and picked is still there.
    await reload(c, '.meeting-new__restored')
    await expect(current(c).locator('.meeting-new__title input').inputValue()).resolves.toBe(title)
    await expect(current(c).locator('.meeting-new__question input').inputValue()).resolves.toBe('同意冬季防火值班安排')
    await expect(when.locator('.lr-datetime__value').innerText()).resolves.toContain('20:05')
    await snap(c, 'meeting-restored')

    await tapClass(c, 'meeting-new__submit')
    await current(c).locator('.meeting__facts').waitFor()
    await expect(
      current(c).locator('.lr-fact', { hasText: '时间' }).locator('.lr-fact__value').innerText(),
    ).resolves.toBe(`${dayWords(shanghaiDay(3))} 20:05`)
    await snap(c, 'meeting-saved')

    // Saved: the next new meeting starts empty again.
    await openRoute(
      c,
      baseUrl,
      `/packages/meetings/new/index?villageId=${new URL(c.url().replace('#', '')).searchParams.get('villageId')}`,
    )
    await current(c).locator('.meeting-new__title').waitFor()
    await expect(current(c).locator('.meeting-new__title input').inputValue()).resolves.toBe('')
    await expect(current(c).locator('.meeting-new__restored').count()).resolves.toBe(0)
    await closePhones(committee)
  })
})
