/**
 * Points (积分) in a real browser against the real server: the committee publishes a volunteer
 * activity, the volunteer signs up, the committee checks him in and out and confirms his hours, the
 * volunteer sees the points; the committee puts an item in the shop, the volunteer redeems it and
 * gets a pickup code, the committee fulfils it by the code, the volunteer sees it collected and
 * the balance lowered. How the server, database and browser are set up: support.ts.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import {
  addPhoto,
  chineseName,
  current,
  expectNoRawCodes,
  fill,
  fillJoinForm,
  openPointsTab,
  pickDateTime,
  tapButton,
  tapClass,
  toastGone,
  verifyNotOnRoster,
} from './steps'
import {
  baseUrl,
  closePhones,
  largeTextOn,
  newPhone,
  openRoute,
  phoneSignedInAs,
  routeOf,
  screenshots,
  signInNew,
  useStack,
} from './support'

const snap = screenshots('points-')

useStack()

/** Shanghai wall-clock time `minutes` from now: its day (YYYY-MM-DD) and time (HH:mm). */
/** At least `minutes` from now in Shanghai, on the picker's five-minute steps. */
function shanghaiIn(minutes: number): { date: string; time: string } {
  const step = 5 * 60_000
  const at = new Date(Math.ceil((Date.now() + minutes * 60_000) / step) * step + 8 * 3600_000).toISOString()
  return { date: at.slice(0, 10), time: at.slice(11, 16) }
}

async function balanceOf(page: Page): Promise<number> {
  const balance = current(page).locator('.points__balance')
  await balance.waitFor()
  return Number((await balance.innerText()).trim())
}

describe('points', () => {
  test('volunteer hours earn points, which buy an item from the shop, collected by its pickup code', async () => {
    const tag = randomBytes(2).toString('hex').toUpperCase()
    const activityTitle = `清理河道垃圾 ${tag}`
    const itemName = `洗衣液 ${tag}`

    // --- the committee publishes an activity starting in a few minutes (sign-up closes at the start) ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    await current(c).locator('.home__points-admin').waitFor()
    await snap(c, 'committee-home')

    await tapButton(c, '积分管理', current(c))
    await current(c).locator('.points-admin__entry--activities').waitFor()
    const villageId = Number(new URL(c.url().replace('#', '')).searchParams.get('villageId'))
    expect(villageId).toBeGreaterThan(0)
    await snap(c, 'committee-points-admin')
    const hub = `/packages/committee/points/index?villageId=${villageId}`

    await current(c).locator('.points-admin__entry--activities').tap()
    await tapButton(c, '发布志愿活动', current(c))
    await current(c).locator('.activity-new__title').waitFor()
    const start = shanghaiIn(3)
    const end = shanghaiIn(63)
    await fill(c, '.activity-new__title', activityTitle)
    await fill(c, '.activity-new__description', '带上手套，沿河清理塑料袋和瓶子。')
    await fill(c, '.activity-new__place', '村委会门口')
    await pickDateTime(c, 'activity-new__date', start.date)
    await pickDateTime(c, 'activity-new__start', start.time)
    await pickDateTime(c, 'activity-new__end', end.date === start.date ? end.time : '23:55')
    await snap(c, 'committee-activity-new')
    await tapClass(c, 'activity-new__submit')
    await current(c).locator('.activity-admin__facts').waitFor()
    await expect(current(c).locator('.lr-heading').innerText()).resolves.toBe(activityTitle)
    const activityRoute = routeOf(c)

    // --- the volunteer sees no points from it yet, and signs up ---
    const volunteer = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const v = volunteer.page
    await openPointsTab(v)
    const before = await balanceOf(v)
    await snap(v, 'volunteer-points-before')

    await current(v).locator('.points__tile--activities').tap()
    const listed = current(v).locator('.activities__item', { hasText: activityTitle })
    await listed.waitFor()
    await snap(v, 'volunteer-activities')
    await listed.tap()
    await current(v).locator('.activity__facts').waitFor()
    await tapButton(v, '我要报名', current(v))
    await current(v).locator('.activity__my-status', { hasText: '已报名' }).waitFor()
    await toastGone(v)
    await snap(v, 'volunteer-signed-up')

    // --- the committee shows the code, checks him in and out, and confirms 60 minutes ---
    await openRoute(c, baseUrl, activityRoute)
    const row = current(c).locator('.activity-admin__signup', { hasText: '赵小明' })
    await row.waitFor()
    await tapButton(c, '出示签到码', current(c))
    await current(c).locator('.activity-admin__token-text, .activity-admin__qr-image').first().waitFor()
    await snap(c, 'committee-activity-code')

    await tapButton(c, '替他签到', row)
    await row.getByText('已签到').waitFor()
    await tapButton(c, '替他签退', row)
    await row.getByText('已签退').waitFor()
    await toastGone(c)
    await snap(c, 'committee-checked-out')

    await tapButton(c, '确认时长', row)
    const dialog = current(c).locator('.nut-dialog')
    await dialog.locator('.activity-admin__minutes-input input').fill('60')
    await dialog.locator('.activity-admin__preview', { hasText: '将得 10 分' }).waitFor()
    await snap(c, 'committee-confirm-hours')
    await tapButton(c, '确认并记分', dialog)
    await row.locator('.activity-admin__confirmed', { hasText: '服务 60 分钟，得 10 分' }).waitFor()
    await toastGone(c)
    await snap(c, 'committee-confirmed')

    // --- the volunteer has the points ---
    await openRoute(v, baseUrl, '/pages/index/index')
    await openPointsTab(v)
    await expect.poll(() => balanceOf(v)).toBe(before + 10)
    const earned = current(v).locator('.points__entry').first()
    await expect(earned.innerText()).resolves.toContain('+10')
    await expect(earned.innerText()).resolves.toContain(activityTitle)
    await snap(v, 'volunteer-points-earned')

    // --- the committee puts an item in the shop that he can afford ---
    const cost = 8
    await openRoute(c, baseUrl, hub)
    await current(c).locator('.points-admin__entry--items').tap()
    await tapButton(c, '上架新商品', current(c))
    await current(c).locator('.item__name').waitFor()
    await fill(c, '.item__name', itemName)
    await fill(c, '.item__cost', String(cost))
    await fill(c, '.item__stock', '3')
    await fill(c, '.item__limit', '1')
    await snap(c, 'committee-item-new')
    await tapClass(c, 'item__save')
    const stocked = current(c).locator('.items__item', { hasText: itemName })
    await stocked.waitFor()
    await toastGone(c)
    await snap(c, 'committee-items')

    // --- the volunteer redeems it and gets a pickup code ---
    await current(v).locator('.points__tile--shop').tap()
    const card = current(v).locator('.shop__item', { hasText: itemName })
    await card.waitFor()
    await snap(v, 'volunteer-shop')
    await tapButton(v, '兑换', card)
    const confirmRedeem = current(v).locator('.nut-dialog')
    await confirmRedeem.getByText(`兑换后还剩 ${before + 10 - cost} 积分`, { exact: false }).waitFor()
    await snap(v, 'volunteer-redeem-confirm')
    await tapButton(v, '确定兑换', confirmRedeem)
    const order = current(v).locator('.orders__order', { hasText: itemName })
    await order.locator('.orders__done').waitFor()
    // Shown in two groups of three (594 182), as it is read out at the counter.
    const shownCode = (await order.locator('.orders__code').innerText()).trim()
    expect(shownCode).toMatch(/^\d{3} \d{3}$/)
    const pickupCode = shownCode.replace(/\s+/g, '')
    await toastGone(v)
    await snap(v, 'volunteer-pickup-code')

    // --- the committee fulfils it by the code ---
    await openRoute(c, baseUrl, hub)
    await current(c).locator('.points-admin__entry--fulfil').tap()
    await current(c).locator('.fulfil__pending').getByText(itemName, { exact: false }).waitFor()
    // A wrong code is refused in place.
    await fill(c, '.fulfil__code', pickupCode === '000000' ? '000001' : '000000')
    await tapClass(c, 'fulfil__submit')
    await current(c).locator('.fulfil__error').waitFor()
    // Typed as it is shown, the space included.
    await fill(c, '.fulfil__code', shownCode)
    await snap(c, 'committee-fulfil-code')
    await tapClass(c, 'fulfil__submit')
    await current(c).locator('.fulfil__done', { hasText: itemName }).waitFor()
    await expect(current(c).locator('.fulfil__done').innerText()).resolves.toContain('赵小明')
    await snap(c, 'committee-fulfilled')

    // --- the volunteer sees it collected and the balance lowered ---
    await v.reload()
    const collected = current(v).locator('.orders__order', { hasText: itemName })
    await collected.locator('.orders__status', { hasText: '已领取' }).waitFor()
    await snap(v, 'volunteer-order-collected')
    await openRoute(v, baseUrl, '/pages/index/index')
    await openPointsTab(v)
    await expect.poll(() => balanceOf(v)).toBe(before + 10 - cost)
    await expect(current(v).locator('.points__entry').first().innerText()).resolves.toContain(`-${cost}`)
    await snap(v, 'volunteer-points-after')

    // --- the monthly notice (积分公示): this month so far, then the A4 file to print for the board ---
    await openRoute(c, baseUrl, '/pages/index/index')
    await openPointsTab(c)
    await current(c).locator('.points__tile--notice').tap()
    await current(c).locator('.notice__title').waitFor()
    // It opens on this month.
    await expect(current(c).locator('.notice__months .lr-chip--on').innerText()).resolves.toContain('本月')
    const noticeRow = current(c).locator('.notice__row', { hasText: '赵*明' })
    await noticeRow.waitFor()
    await expect(noticeRow.innerText()).resolves.toContain('志愿服务')
    await expect(current(c).locator('.notice__totals').innerText()).resolves.toMatch(/超市兑换\s*1 件，用去 \d+ 分/)
    await snap(c, 'committee-monthly-notice')
    const [file] = await Promise.all([c.waitForEvent('download'), tapButton(c, '下载打印版', current(c))])
    expect(file.suggestedFilename()).toMatch(/^张家村\d{4}年\d{1,2}月积分公示\.pdf$/)
    const pdf = await readFile((await file.path())!)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')

    await closePhones(volunteer, committee)
  })

  test('rulebook versions, an award and one waiting for a second member, neighbour help, rankings with the name opt-in', async () => {
    const tag = randomBytes(2).toString('hex').toUpperCase()

    // --- the committee edits a rule: a new version ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    await tapButton(c, '积分管理', current(c))
    await current(c).locator('.points-admin__entry--rules').tap()
    const rule = current(c).locator('.rules__rule', { hasText: '庭院整洁' })
    await rule.waitFor()
    await snap(c, 'committee-rules')
    await rule.tap()
    await current(c).locator('.rule__version-note').waitFor()
    // A day's cap below one award is refused in the form.
    await fill(c, '.rule__points', '6')
    await tapClass(c, 'rule__save')
    await current(c).getByText('每天上限不能少于分值', { exact: false }).waitFor()
    await fill(c, '.rule__points', '4')
    await snap(c, 'committee-rule-edit')
    await tapClass(c, 'rule__save')
    await current(c).locator('.rules__rule', { hasText: '庭院整洁' }).getByText('第 2 版', { exact: false }).waitFor()
    await expect(current(c).locator('.rules__rule', { hasText: '庭院整洁' }).innerText()).resolves.toContain('+4')

    // --- an award under the rule's threshold is done at once; one above it waits for a second member ---
    await c.goBack()
    await current(c).locator('.points-admin__entry--award').tap()
    await fill(c, '.person-picker__input', '赵小明')
    await tapClass(c, 'person-picker__search-button')
    await current(c).locator('.person-picker__option', { hasText: '赵小明' }).tap()
    await current(c).locator('.award__rule', { hasText: '庭院整洁' }).tap()
    await fill(c, '.award__reason', '院子收拾得干净整齐')
    await snap(c, 'committee-award-filled')
    await tapClass(c, 'award__submit')
    await current(c).locator('.award__done', { hasText: '已给 赵小明 加 4 分' }).waitFor()
    await toastGone(c)
    await snap(c, 'committee-award-done')

    await fill(c, '.person-picker__input', '赵小明')
    await tapClass(c, 'person-picker__search-button')
    await current(c).locator('.person-picker__option', { hasText: '赵小明' }).tap()
    await current(c).locator('.award__rule', { hasText: '好人好事' }).tap()
    await fill(c, '.award__points', '40')
    await current(c).locator('.award__needs-approval').waitFor()
    await fill(c, '.award__reason', `帮邻居抢收晒场的稻谷 ${tag}`)
    // A photo of the good deed, for the member who approves it.
    await addPhoto(c, '.award__evidence', 'rice.jpg', { r: 214, g: 170, b: 60 })
    await toastGone(c)
    await snap(c, 'committee-award-evidence')
    await tapClass(c, 'award__submit')
    await current(c).locator('.award__done--pending_approval').waitFor()
    await snap(c, 'committee-award-pending')
    await tapButton(c, '看待复核', current(c))
    const waiting = current(c).locator('.approvals__item', { hasText: tag })
    await waiting.locator('.approvals__own').waitFor()
    const evidence = waiting.locator('.approvals__evidence .photo-picker__thumb img')
    await evidence.waitFor()
    expect(await evidence.count()).toBe(1)
    // The thumbnail really loads from the server.
    await expect.poll(() => evidence.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
    await snap(c, 'committee-approvals-own')

    // --- neighbour help: the volunteer asks, a neighbour takes it, the volunteer confirms and pays ---
    const volunteer = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const v = volunteer.page
    await openPointsTab(v)
    const start = await balanceOf(v)
    expect(start).toBeGreaterThanOrEqual(5)
    await current(v).locator('.points__tile--services').tap()
    await tapButton(v, '发布', current(v).locator('.services__intro'))
    await current(v).locator('.service-new__title').waitFor()
    await fill(v, '.service-new__title', `帮忙搬两袋米 ${tag}`)
    await fill(v, '.service-new__description', '周六上午，从村口小卖部搬到家里，大约半小时。')
    await fill(v, '.service-new__points', '5')
    await snap(v, 'volunteer-service-new')
    await tapClass(v, 'service-new__submit')
    await current(v).locator('.services__filters').waitFor()
    await current(v).locator('.lr-chip', { hasText: '与我有关' }).tap()
    await current(v).locator('.services__item', { hasText: tag }).waitFor()
    await snap(v, 'volunteer-services-mine')

    const neighbour = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const n = neighbour.page
    await openPointsTab(n)
    await current(n).locator('.points__tile--services').tap()
    const offer = current(n).locator('.services__item', { hasText: tag })
    await offer.waitFor()
    await snap(n, 'neighbour-services-open')
    await tapButton(n, '我来接', offer)
    await tapButton(n, '确定', current(n).locator('.nut-dialog'))
    await current(n).locator('.lr-chip', { hasText: '与我有关' }).tap()
    await offer.getByText('已有人接').waitFor()
    await toastGone(n)
    await snap(n, 'neighbour-service-taken')

    await v.reload()
    await current(v).locator('.lr-chip', { hasText: '与我有关' }).tap()
    const mine = current(v).locator('.services__item', { hasText: tag })
    await tapButton(v, '确认完成', mine)
    const confirmDone = current(v).locator('.nut-dialog')
    await confirmDone.getByText('5 积分会从您这里转给', { exact: false }).waitFor()
    await snap(v, 'volunteer-service-confirm')
    await tapButton(v, '确定', confirmDone)
    await mine.getByText('已完成').waitFor()
    await openRoute(v, baseUrl, '/pages/index/index')
    await openPointsTab(v)
    await expect.poll(() => balanceOf(v)).toBe(start - 5)
    await expect(current(v).locator('.points__entry').first().innerText()).resolves.toContain('-5')
    await snap(v, 'volunteer-points-after-service')

    // --- rankings: names masked until the member opts in ---
    await current(v).locator('.points__tile--rankings').tap()
    const me = current(v).locator('.rankings__row--me')
    await me.getByText('赵*明').waitFor()
    await snap(v, 'volunteer-rankings-masked')
    await toastGone(v)
    await current(v).locator('.rankings__full-name').tap()
    await me.getByText('赵小明').waitFor()
    await toastGone(v)
    await snap(v, 'volunteer-rankings-full-name')
    await current(v).locator('.lr-chip', { hasText: '按户' }).tap()
    await current(v).locator('.rankings__row--me').getByText('我家').waitFor()
    await snap(v, 'volunteer-rankings-households')

    // --- checking in by the activity's code (H5 has no camera scan: the code is pasted) ---
    await openRoute(c, baseUrl, '/pages/index/index')
    await tapButton(c, '积分管理', current(c))
    await current(c).locator('.points-admin__entry--activities').tap()
    await tapButton(c, '发布志愿活动', current(c))
    const visitStart = shanghaiIn(3)
    await fill(c, '.activity-new__title', `陪伴独居老人 ${tag}`)
    await fill(c, '.activity-new__description', '陪老人聊天、读报。')
    await fill(c, '.activity-new__place', '村卫生室')
    await pickDateTime(c, 'activity-new__date', visitStart.date)
    await pickDateTime(c, 'activity-new__start', visitStart.time)
    await pickDateTime(c, 'activity-new__end', shanghaiIn(63).date === visitStart.date ? shanghaiIn(63).time : '23:55')
    await tapClass(c, 'activity-new__submit')
    await current(c).locator('.activity-admin__facts').waitFor()
    const visitRoute = routeOf(c)

    await openRoute(v, baseUrl, visitRoute.replace('/packages/committee/activity/', '/packages/points/activity/'))
    await tapButton(v, '我要报名', current(v))
    await current(v).locator('.activity__my-status', { hasText: '已报名' }).waitFor()

    await openRoute(c, baseUrl, visitRoute)
    await tapButton(c, '出示签到码', current(c))
    const token = (await current(c).locator('.activity-admin__token-text').innerText()).trim()
    expect(token).toMatch(/^\d+\.\d+\.[A-Za-z0-9_-]{16}$/)

    // A browser cannot scan: the page says how to do it in WeChat, and asks for no pasted code.
    await openRoute(v, baseUrl, visitRoute.replace('/packages/committee/activity/', '/packages/points/activity/'))
    const help = current(v).locator('.activity__scan-help')
    await help.waitFor()
    await expect(help.innerText()).resolves.toContain('请在微信里打开里仁小程序，再点“扫码签到”')
    await expect(current(v).locator('.activity__check-in, input').count()).resolves.toBe(0)
    await toastGone(v)
    await snap(v, 'volunteer-scan-in-wechat')
    // WeChat's scanner opens the page with the code as `scene`: a forged code is refused, the real one signs in.
    const forged = `${token.slice(0, -16)}${'A'.repeat(16)}`
    await openRoute(v, baseUrl, `/packages/points/activity/index?scene=${encodeURIComponent(forged)}`)
    await current(v).locator('.activity__my-status', { hasText: '已报名' }).waitFor()
    await openRoute(v, baseUrl, `/packages/points/activity/index?scene=${encodeURIComponent(token)}`)
    await current(v).locator('.activity__my-status', { hasText: '已签到' }).waitFor()
    await expect(current(v).locator('.activity__scan-help').innerText()).resolves.toContain('扫码签退')
    // Signing out the same way.
    await openRoute(v, baseUrl, `/packages/points/activity/index?scene=${encodeURIComponent(token)}`)
    await current(v).locator('.activity__my-status', { hasText: '已签退' }).waitFor()
    await toastGone(v)
    await snap(v, 'volunteer-checked-out-by-code')

    // --- 适老化: the points page in large text ---
    await largeTextOn(v)
    await openPointsTab(v)
    await current(v).locator('.lr-page.lr-large .points__balance').waitFor()
    await snap(v, 'volunteer-points-large-text')

    // --- someone not in a village yet has no account; verified but not on the roster, they are told what to do ---
    const newcomer = await newPhone()
    const r = newcomer.page
    const name = chineseName('钱')
    await signInNew(r, baseUrl)
    await toastGone(r)
    await r.locator('.weui-tabbar__item', { hasText: '积分' }).tap()
    await current(r).getByText('还没有积分账户').waitFor()
    await snap(r, 'newcomer-points')
    await fillJoinForm(r, '张家村', { name, address: '张家村四组 9 号', year: '1971' })
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()

    await openRoute(c, baseUrl, '/pages/index/index')
    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const application = current(c).locator('.applications__item', { hasText: name })
    await application.waitFor()
    await toastGone(c)
    await verifyNotOnRoster(c, application)

    await openRoute(r, baseUrl, '/pages/points/index')
    await current(r).locator('.points__not-on-roster').waitFor()
    await snap(r, 'newcomer-not-on-roster')

    await closePhones(committee, volunteer, neighbour, newcomer)
  })

  test('怎么挣积分 in plain words, the shop with photos and descriptions, and the committee’s phone on 首页', async () => {
    const tag = randomBytes(2).toString('hex').toUpperCase()
    const itemName = `搪瓷脸盆 ${tag}`

    // --- the committee sets its phone and hours from the contact card on 首页 (a wrong number is refused) ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    const card = current(c).locator('.committee-contact')
    await card.locator('.committee-contact__phone', { hasText: '0571-63581234' }).waitFor()
    await tapButton(c, '修改电话和办公时间', card)
    await current(c).locator('.contact-form__phone').waitFor()
    await fill(c, '.contact-form__phone', '6358')
    await tapClass(c, 'contact-form__save')
    await current(c).getByText('请填手机号（11 位），或带区号的座机', { exact: false }).waitFor()
    await fill(c, '.contact-form__phone', '0571-63589999')
    await fill(c, '.contact-form__hours', '周一至周六 8:00-17:30')
    await snap(c, 'committee-contact-edit')
    await tapClass(c, 'contact-form__save')
    await current(c).locator('.committee-contact__phone', { hasText: '0571-63589999' }).waitFor()
    await toastGone(c)
    await snap(c, 'committee-home-contact')

    // --- the rulebook the committee keeps shows no internal code ---
    await tapButton(c, '积分管理', current(c))
    await current(c).locator('.points-admin__entry--rules').tap()
    await current(c).locator('.rules__rule', { hasText: '随手拍有效上报' }).waitFor()
    await expectNoRawCodes(c)

    // --- an item with a description and a photo ---
    await c.goBack()
    await current(c).locator('.points-admin__entry--items').tap()
    await tapButton(c, '上架新商品', current(c))
    await fill(c, '.item__name', itemName)
    await fill(c, '.item__description', '白色搪瓷，直径 36 厘米，洗脸洗脚都行。')
    await fill(c, '.item__cost', '12')
    await fill(c, '.item__stock', '5')
    await addPhoto(c, '.item__photo', 'basin.jpg', { r: 60, g: 140, b: 190 })
    // One photo: no room for another.
    expect(await current(c).locator('.item__photo .photo-picker__add').count()).toBe(0)
    await toastGone(c)
    await snap(c, 'committee-item-with-photo')
    await tapClass(c, 'item__save')
    await current(c).locator('.items__item', { hasText: itemName }).waitFor()

    // --- a resident sees the phone on 首页, then learns how to earn points ---
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    const contact = current(r).locator('.committee-contact')
    await contact.locator('.committee-contact__phone', { hasText: '0571-63589999' }).waitFor()
    await expect(contact.innerText()).resolves.toContain('办公时间：周一至周六 8:00-17:30')
    await contact.locator('taro-button-core.committee-contact__call').waitFor()
    expect(await contact.locator('.committee-contact__edit').count()).toBe(0)
    await snap(r, 'resident-home-contact')

    await openPointsTab(r)
    await snap(r, 'resident-points-tiles')
    await current(r).locator('.points__tile--earn').tap()
    const report = current(r).locator('.earn__earning .earn__rule', { hasText: '随手拍有效上报' })
    await report.waitFor()
    await expect(report.innerText()).resolves.toMatch(/自动记分[\s\S]*每天最多算 10 分，每年最多算 300 分[\s\S]*\+2 分/)
    const deed = current(r).locator('.earn__earning .earn__rule', { hasText: '好人好事' })
    await expect(deed.innerText()).resolves.toContain('由村委会核实后记分；一次超过 30 分，要另一位村委会成员复核')
    await current(r).locator('.earn__penalties .earn__rule', { hasText: '乱扔垃圾' }).getByText('-5 分').waitFor()
    await expectNoRawCodes(r)
    await snap(r, 'resident-earn')

    // --- the shop: the new item with its photo and description; the demo items with theirs and a placeholder ---
    await tapClass(r, 'earn__shop')
    const basin = current(r).locator('.shop__item', { hasText: itemName })
    await basin.waitFor()
    await expect(basin.innerText()).resolves.toContain('白色搪瓷，直径 36 厘米')
    const photo = basin.locator('.shop__photo img')
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
    const rice = current(r).locator('.shop__item', { hasText: '大米 5 斤' })
    await expect(rice.innerText()).resolves.toContain('本地新米')
    await rice.locator('.shop__photo--none', { hasText: '暂无照片' }).waitFor()
    await expectNoRawCodes(r)
    await snap(r, 'resident-shop')

    await closePhones(committee, resident)
  })
})
