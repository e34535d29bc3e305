/**
 * 四议两公开 major matters and 监督评议 in a real browser against the real server: the committee adds a
 * matter and records 提议, 商议 and 审议 (the form only ever offers the next stage; an empty outcome is
 * refused in place); for 决议 it has no closed 村民代表会议 yet, so it drafts one from the form, announces,
 * opens and closes it (no votes on its agenda), comes back and picks it; then 决议公开 and 实施结果公开.
 * 张秀兰 rates 不满意 (a second rating from a page left open is refused in place) and 赵小明 基本满意:
 * none of the two is 满意, so the committee's list flags the matter 需要整改.
 * How the server, database and browser are set up: support.ts.
 */
import { randomInt } from 'node:crypto'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { current, fill, fillMeetingHead, meetingStep, submitMeetingDraft, tapClass, toastGone } from './steps'
import { sqlOnServer } from './server'
import { baseUrl, openRoute, phoneSignedInAs, routeOf, screenshots, secondTab, useStack } from './support'

const snap = screenshots('matters-')

useStack()

/** The committee checks in a person at the venue, on the meeting page. */
async function checkIn(page: Page, name: string, present: number): Promise<void> {
  await fill(page, '.person-picker__input', name)
  await tapClass(page, 'person-picker__search-button')
  await current(page).locator('.person-picker__option', { hasText: name }).tap()
  await tapClass(page, 'meeting__check-in-submit')
  await current(page)
    .locator('.meeting__present', { hasText: String(present) })
    .waitFor()
}

/** The stage the committee's form offers: exactly one, the next. */
async function offered(page: Page): Promise<string> {
  const stage = current(page).locator('.matter__form-stage')
  await expect(stage.count()).resolves.toBe(1)
  await expect(current(page).locator('.matter__stage--next').count()).resolves.toBe(1)
  return (await stage.innerText()).trim()
}

/** Records the stage the form offers and waits for it on the path. */
async function record(page: Page, label: string, outcome: string, document?: string): Promise<void> {
  const done = await current(page).locator('.matter__stage--done').count()
  await expect(offered(page)).resolves.toBe(label)
  await expect(current(page).locator('.matter__stage--next .matter__stage-title').innerText()).resolves.toContain(label)
  await fill(page, '.matter__outcome', outcome)
  if (document) await fill(page, '.matter__document', document)
  await tapClass(page, 'matter__record')
  await current(page).locator('.matter__stage--done').nth(done).waitFor()
  await expect(current(page).locator('.matter__stage--done').nth(done).innerText()).resolves.toContain(outcome)
  await toastGone(page)
}

/** A resident rates the matter on the page already open. */
async function rate(page: Page, choice: string, comment?: string): Promise<void> {
  await current(page)
    .locator('.matter__rate-choice', { hasText: new RegExp(`^${choice}$`) })
    .tap()
  await current(page)
    .locator('.matter__rate-choice.lr-chip--on', { hasText: new RegExp(`^${choice}$`) })
    .waitFor()
  if (comment) await fill(page, '.matter__comment', comment)
  await tapClass(page, 'matter__rate-send')
}

describe('matters', () => {
  test('a matter goes through the six stages of 四议两公开, residents rate it and too few 满意 flags it for rework', async () => {
    const tag = String(randomInt(1000, 10000))
    const title = `村东道路硬化工程 ${tag}`
    const description = '村东 800 米土路，雨天泥泞，老人孩子走路难。想用村集体收入硬化，预算约 12 万元。'
    const meetingTitle = `村东道路硬化村民代表会议 ${tag}`
    const resolution = '应到代表 3 人，实到 3 人，举手表决 3 人同意，通过。'

    // --- the committee opens 四议两公开 from the home page and adds the matter ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    await current(c).locator('.home__matters').waitFor()
    await snap(c, 'committee-home')
    await tapClass(c, 'home__matters')
    await current(c).locator('.matters__empty, .matters__list').first().waitFor()
    await snap(c, 'committee-matters-empty')
    const villageId = Number(new URL(c.url().replace('#', '')).searchParams.get('villageId'))
    expect(villageId).toBeGreaterThan(0)

    await tapClass(c, 'matters__new')
    await current(c).locator('.matter-new__title').waitFor()
    // Nothing written: told in place.
    await tapClass(c, 'matter-new__submit')
    await current(c).locator('.lr-field--error', { hasText: '请写是什么事' }).waitFor()
    await snap(c, 'committee-new-empty')
    await fill(c, '.matter-new__title', title)
    await fill(c, '.matter-new__description', description)
    await snap(c, 'committee-new-filled')
    await tapClass(c, 'matter-new__submit')
    await current(c).locator('.matter__path').waitFor()
    await expect(current(c).locator('.matter__title').innerText()).resolves.toBe(title)
    await expect(current(c).locator('.matter__progress').innerText()).resolves.toBe('还没开始，第一步：党支部提议')
    await expect(current(c).locator('.matter__stage').count()).resolves.toBe(6)
    await expect(current(c).locator('.matter__stage--later').count()).resolves.toBe(5)
    // Rating comes only after 实施结果公开.
    await expect(current(c).locator('.matter__rating').count()).resolves.toBe(0)
    await current(c).locator('.matter__rate-later').waitFor()
    const matterRoute = routeOf(c)
    await toastGone(c)
    await snap(c, 'committee-matter-new')

    // --- 提议: an empty outcome is refused in place; the date comes from a picker (today by default) ---
    await expect(offered(c)).resolves.toBe('党支部提议')
    await tapClass(c, 'matter__record')
    await current(c).locator('.lr-field--error', { hasText: '请写一写这一步的结果' }).waitFor()
    await current(c).locator('.matter__date').tap()
    const picker = current(c).locator('.lr-datetime-picker')
    await picker.locator('.nut-pickerview-list').first().waitFor()
    await snap(c, 'committee-date-picker')
    await picker.locator('.nut-picker-confirm-btn').tap()
    await picker.waitFor({ state: 'detached' })
    await snap(c, 'committee-proposal-empty')
    await record(
      c,
      '党支部提议',
      '党支部会议提议硬化村东 800 米道路，用村集体收入，预算约 12 万元。',
      '党支部会议记录第 5 号',
    )
    await expect(current(c).locator('.matter__stage--done .matter__stage-document').innerText()).resolves.toBe(
      '文件：党支部会议记录第 5 号',
    )
    await expect(current(c).locator('.matter__progress').innerText()).resolves.toBe('已完成 1 步，下一步：两委商议')
    await snap(c, 'committee-proposal-recorded')

    // --- 商议, 审议: each time only the next stage is offered ---
    await record(c, '两委商议', '两委会议商定：请三家施工队报价，选价低质好的一家。')
    await record(c, '党员大会审议', '到会党员 23 人，一致同意这个方案。', '党员大会记录')
    await expect(offered(c)).resolves.toBe('村民代表会议或村民会议决议')
    await snap(c, 'committee-review-recorded')

    // --- 决议: no closed 村民代表会议 yet; without a meeting it is refused in place ---
    await current(c).locator('.matter__no-meetings').waitFor()
    await fill(c, '.matter__outcome', resolution)
    await tapClass(c, 'matter__record')
    await current(c).locator('.lr-field--error', { hasText: '请选作出决议的那次会议' }).waitFor()
    await snap(c, 'committee-resolution-no-meeting')

    // The committee drafts a 村民代表会议 from the form (nothing to vote on in the app), announces, opens and closes it.
    await tapClass(c, 'matter__new-meeting')
    // Three days ahead: the 代表会议's notice the village asks (3 days by default) holds.
    await fillMeetingHead(c, '村民代表会议', meetingTitle, 3, '09:00')
    await fill(c, '.meeting-new__item-title', '村东道路硬化方案')
    await current(c).locator('.meeting-new__has-vote .nut-switch').tap()
    await expect(current(c).locator('.meeting-new__question').count()).resolves.toBe(0)
    await snap(c, 'committee-meeting-new')
    await submitMeetingDraft(c)
    await meetingStep(c, 'announce', '发出通知', '已通知')
    // The three days pass: the meeting's time comes (no meeting starts before it).
    const meetingId = Number(/meetingId=(\d+)/.exec(routeOf(c))![1])
    await sqlOnServer('UPDATE meetings SET starts_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [meetingId])
    await meetingStep(c, 'start', '开会', '正在开会')
    // The village's three representatives come to the venue; the committee checks them in.
    await checkIn(c, '张秀兰', 1)
    await checkIn(c, '赵德胜', 2)
    await checkIn(c, '陈玉兰', 3)
    await toastGone(c)
    await snap(c, 'committee-meeting-checked-in')
    await meetingStep(c, 'close', '散会', '已散会')
    await toastGone(c)
    await snap(c, 'committee-meeting-closed')

    // Back on the matter: the picker offers the closed meeting.
    await c.goBack()
    await current(c).locator('.matter__path').waitFor()
    const choice = current(c).locator('.matter__meeting-choice', { hasText: meetingTitle })
    await choice.waitFor()
    await expect(choice.innerText()).resolves.toContain('应到 3 人，实到 3 人')
    await expect(current(c).locator('.matter__no-meetings').count()).resolves.toBe(0)
    await choice.tap()
    await current(c).locator('.matter__meeting-choice.lr-chip--on').waitFor()
    // What was typed before leaving is still there.
    await expect(current(c).locator('.matter__outcome textarea').inputValue()).resolves.toBe(resolution)
    await snap(c, 'committee-resolution-pick')
    await record(c, '村民代表会议或村民会议决议', resolution, '村民代表会议决议第 1 号')
    await expect(current(c).locator('.matter__stage-meeting').innerText()).resolves.toBe(`看会议“${meetingTitle}” ›`)
    await snap(c, 'committee-resolution-recorded')

    // --- the two 公开 ---
    await record(c, '决议公开', '决议在村务公开栏张贴 7 天，没有人提出异议。')
    await record(c, '实施结果公开', '道路已经完工，实际花费 11.6 万元，明细张贴在村务公开栏。', '工程决算表')
    await expect(current(c).locator('.matter__progress').innerText()).resolves.toBe('六步都已完成')
    await expect(current(c).locator('.matter__stage--done').count()).resolves.toBe(6)
    await expect(current(c).locator('.matter__form').count()).resolves.toBe(0)
    await current(c).locator('.matter__rating').waitFor()
    await expect(current(c).locator('.matter__raters').innerText()).resolves.toBe('还没有人评议。')
    await snap(c, 'committee-all-stages')

    // The meeting link on the path opens the meeting.
    await current(c).locator('.matter__stage-meeting').tap()
    await current(c).locator('.meeting__facts').waitFor()
    await expect(current(c).locator('.meeting__title').innerText()).resolves.toBe(meetingTitle)
    await c.goBack()
    await current(c).locator('.matter__path').waitFor()

    // --- 张秀兰 finds it from the home page and rates 不满意 ---
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    await tapClass(r, 'home__matters')
    const listed = current(r).locator('.matters__item', { hasText: title })
    await listed.waitFor()
    await listed.locator('.matters__to-rate', { hasText: '请您评议' }).waitFor()
    await expect(current(r).locator('.matters__new').count()).resolves.toBe(0)
    await snap(r, 'resident-matters')
    await listed.tap()
    await current(r).locator('.matter__rating').waitFor()
    // Residents see the whole path, and no committee form.
    await expect(current(r).locator('.matter__stage--done').count()).resolves.toBe(6)
    await expect(current(r).locator('.matter__form').count()).resolves.toBe(0)
    await current(r).locator('.matter__stage-meeting', { hasText: meetingTitle }).waitFor()
    // The same matter left open in a second tab, to rate again later.
    const stale = await secondTab(resident.context, matterRoute, '.matter__rate-send')
    await snap(r, 'resident-matter')
    // Nothing chosen: told in place.
    await tapClass(r, 'matter__rate-send')
    await current(r).locator('.matter__rate-error', { hasText: '请先选一个' }).waitFor()
    await rate(r, '不满意', '路面已经有裂缝了，希望返工。')
    await current(r).locator('.matter__my-rating', { hasText: '不满意' }).waitFor()
    await expect(current(r).locator('.matter__rate-send').count()).resolves.toBe(0)
    await expect(current(r).locator('.matter__rate-choice').count()).resolves.toBe(0)
    await expect(current(r).locator('.matter__count--unsatisfied .matter__count-number').innerText()).resolves.toBe('1')
    await toastGone(r)
    await snap(r, 'resident-rated')
    // A second rating from the page left open is refused in place.
    await rate(stale, '满意')
    await current(stale).locator('.matter__rate-error', { hasText: '您已经评议过了' }).waitFor()
    await current(stale).locator('.matter__my-rating', { hasText: '不满意' }).waitFor()
    await expect(current(stale).locator('.matter__rate-send').count()).resolves.toBe(0)
    await expect(current(stale).locator('.matter__count--satisfied .matter__count-number').innerText()).resolves.toBe(
      '0',
    )
    await toastGone(stale)
    await snap(stale, 'resident-rated-twice')
    await stale.close()

    // --- 赵小明 finds it through the meetings list and rates 基本满意 ---
    const volunteer = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const v = volunteer.page
    await openRoute(v, baseUrl, `/packages/meetings/list/index?villageId=${villageId}`)
    await current(v).locator('.meetings__matters').waitFor()
    await snap(v, 'volunteer-meetings')
    await tapClass(v, 'meetings__matters-link')
    await current(v).locator('.matters__item', { hasText: title }).tap()
    await current(v).locator('.matter__rate-send').waitFor()
    await rate(v, '基本满意')
    await current(v).locator('.matter__my-rating', { hasText: '基本满意' }).waitFor()
    await expect(current(v).locator('.matter__raters').innerText()).resolves.toBe('一共 2 人评议。')
    await toastGone(v)
    await snap(v, 'volunteer-rated')

    // --- the committee's list flags it 需要整改: 0 of 2 满意 ---
    await openRoute(c, baseUrl, `/packages/meetings/matters/index?villageId=${villageId}`)
    const flagged = current(c).locator('.matters__item', { hasText: title })
    await flagged.waitFor()
    await flagged.locator('.matters__rework', { hasText: '需要整改' }).waitFor()
    await expect(flagged.locator('.matters__ratings').innerText()).resolves.toBe('2 人评议，0 人满意')
    await snap(c, 'committee-matters-rework')
    await flagged.tap()
    await current(c).locator('.matter__rework-note').waitFor()
    await expect(current(c).locator('.matter__rework').innerText()).resolves.toBe('需要整改')
    const counts = await current(c).locator('.matter__count-number').allInnerTexts()
    expect(counts).toEqual(['0', '1', '1'])
    await snap(c, 'committee-matter-rework')
  })
})
