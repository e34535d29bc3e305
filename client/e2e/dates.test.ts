/**
 * Dates, times and half-filled forms in a real browser: the committee picks a meeting's time on the wheels
 * (ten days ahead at 19:30 offered, the notice a 村民会议 needs), leaves and reloads the half-filled form and finds it kept, saves it and reads the
 * time as every page writes it (2026年12月9日 20:00); a volunteer activity offers next Saturday 9:00 to 11:00;
 * a new user's join form survives a reload too; a report filed in the browser takes the phone's position.
 * Every screenshot also checks that the page shows no machine-written date (support.ts).
 */
import { randomInt } from 'node:crypto'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import {
  chineseName,
  current,
  fill,
  fillJoinForm,
  pickDateTime,
  shanghaiDay,
  tapButton,
  tapClass,
  toastGone,
} from './steps'
import { baseUrl, closePhones, newPhone, openRoute, phoneSignedInAs, screenshots, signInNew, useStack } from './support'

const snap = screenshots('dates-')

useStack()

/** How pages write a Shanghai day (YYYY-MM-DD): 2026年12月9日. */
const dayWords = (day: string) =>
  `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`

/** The Shanghai day of the week `days` from today: 星期六. */
const weekday = (days: number) => `星期${'日一二三四五六'[new Date(`${shanghaiDay(days)}T00:00:00Z`).getUTCDay()]}`

/** The village the page is about (its villageId parameter). */
const villageOf = (page: Page) => Number(new URL(page.url().replace('#', '')).searchParams.get('villageId'))

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
    // Offered: the first evening a 村民会议's ten days of notice allow (第二十一条), at 19:30.
    await expect(when.locator('.lr-datetime__value').innerText()).resolves.toBe(
      `${dayWords(shanghaiDay(10))} ${weekday(10)} 19:30`,
    )
    const title = `冬季防火会 ${String(randomInt(1000, 10000))}`
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
    const villageId = villageOf(c)
    await openRoute(c, baseUrl, `/packages/meetings/new/index?villageId=${villageId}`)
    await current(c).locator('.meeting-new__title').waitFor()
    await expect(current(c).locator('.meeting-new__title input').inputValue()).resolves.toBe('')
    await expect(current(c).locator('.meeting-new__restored').count()).resolves.toBe(0)

    // A volunteer activity: next Saturday, 9:00 to 11:00.
    await openRoute(c, baseUrl, `/packages/committee/activity-new/index?villageId=${villageId}`)
    const saturday = [1, 2, 3, 4, 5, 6, 7].find((days) => weekday(days) === '星期六')!
    await expect(current(c).locator('.activity-new__date').innerText()).resolves.toContain(
      `${dayWords(shanghaiDay(saturday))} 星期六`,
    )
    await expect(current(c).locator('.activity-new__start .lr-datetime__value').innerText()).resolves.toBe('09:00')
    await expect(current(c).locator('.activity-new__end .lr-datetime__value').innerText()).resolves.toBe('11:00')
    await snap(c, 'activity-new')
    await closePhones(committee)
  })

  test('the join form is kept through a reload, and cleared once sent', async () => {
    const phone = await newPhone()
    const p = phone.page
    await signInNew(p, baseUrl)
    const name = chineseName('吴')
    await fillJoinForm(p, '张家村', { name, address: '张家村2组7号', year: '1957' })
    await reload(p, '.join__restored')
    await expect(current(p).locator('.join__input--name input').inputValue()).resolves.toBe(name)
    await expect(current(p).locator('.join__input--address input').inputValue()).resolves.toBe('张家村2组7号')
    await expect(current(p).locator('.join__input--year input').inputValue()).resolves.toBe('1957')
    await current(p).locator('.join__village.lr-pick--chosen', { hasText: '张家村' }).waitFor()
    await snap(p, 'join-restored')
    await tapClass(p, 'join__submit')
    await current(p).getByText('申请已提交').waitFor()
    await reload(p, '.join__input--name')
    await expect(current(p).locator('.join__input--name input').inputValue()).resolves.toBe('')
    await expect(current(p).locator('.join__restored').count()).resolves.toBe(0)
    await closePhones(phone)
  })

  test('a report in the browser uses where the phone is, shown as a map link and in words; refused, it says so', async () => {
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    await resident.context.grantPermissions(['geolocation'], { origin: baseUrl })
    await resident.context.setGeolocation({ latitude: 30.274085, longitude: 120.15507 })
    await tapButton(r, /^\s*随手拍\s*$/, current(r).locator('.home__reports'))
    await current(r).locator('.report-new__categories').waitFor()
    const villageId = villageOf(r)
    await tapClass(r, 'report-new__locate')
    await expect(current(r).locator('.report-new__point-words').innerText()).resolves.toBe(
      '北纬 30.2741°，东经 120.1551°',
    )
    await expect(current(r).locator('.report-new__map-link').getAttribute('href')).resolves.toBe(
      'https://uri.amap.com/marker?position=120.15507,30.274085&coordinate=wgs84&callnative=0',
    )
    const tag = String(randomInt(1000, 10000))
    await current(r).locator('.lr-chip', { hasText: '设施损坏' }).tap()
    await fill(r, '.report-new__description', `村口水管漏水 ${tag}`)
    await toastGone(r)
    await snap(r, 'report-located')
    await tapButton(r, '提交上报', current(r))
    await current(r).locator('.report__facts').waitFor()
    // The point went with it: the report is among those with a place on the map.
    await openRoute(r, baseUrl, `/packages/reports/feed/index?villageId=${villageId}`)
    await current(r).locator('.lr-chip', { hasText: '地图' }).tap()
    await current(r).locator('.report-card', { hasText: tag }).waitFor()

    // A browser that is not allowed to tell: a plain message, and the address can still be written.
    const other = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const o = other.page
    await openRoute(o, baseUrl, `/packages/reports/new/index?villageId=${villageId}`)
    await tapClass(o, 'report-new__locate')
    await expect(current(o).locator('.report-new__locate-error').innerText()).resolves.toContain('没有得到用位置的允许')
    await expect(current(o).locator('.report-new__point').count()).resolves.toBe(0)
    await snap(o, 'report-location-refused')
    await closePhones(resident, other)
  })
})
