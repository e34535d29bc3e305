/**
 * Meetings and votes (议事与表决) in a real browser against the real server: the committee drafts a
 * 议事协商会 with one yes/no vote, announces it and opens the vote; three residents vote in their own
 * phones and keep their receipt codes; a villager without a phone is checked in by the committee and
 * counted at the venue, the two tellers each confirming the venue counts in their own phone; the
 * committee closes the vote and the meeting and publishes; a resident finds their ballot counted and
 * sees the result. A 议事协商会 needs no quorum, so four ballots out of the whole village decide it
 * (a 村民会议 of the demo village would be invalid: too few of its adults take part).
 * How the server, database and browser are set up: support.ts.
 */
import { randomInt } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import {
  confirmDialog,
  current,
  downloadByClass,
  fill,
  fillMeetingHead,
  meetingStep,
  pickDateTime,
  shanghaiDay,
  submitMeetingDraft,
  tapButton,
  tapClass,
  toastGone,
} from './steps'
import { sqlOnServer } from './server'
import {
  baseUrl,
  closePhones,
  largeTextOn,
  newPhone,
  openRoute,
  phoneSignedInAs,
  routeOf,
  screenshots,
  useStack,
} from './support'

const snap = screenshots('meetings-')

useStack()

/** A resident opens the meeting, picks an option, confirms, and gets a receipt code. */
async function voteAs(page: Page, route: string, choice: string, shotName: string): Promise<string> {
  await openRoute(page, baseUrl, route)
  await current(page).locator('.vote__option').first().waitFor()
  await toastGone(page)
  await current(page).locator('.vote__option', { hasText: choice }).tap()
  await tapClass(page, 'vote__cast')
  const dialog = current(page).locator('.nut-dialog')
  await dialog.getByText('投了不能改').waitFor()
  await expect(dialog.locator('.vote__confirm-choice').innerText()).resolves.toBe(choice)
  // The question again, as the page asks it: what the yes or no is to.
  const question = (await current(page).locator('.vote__question').first().innerText()).trim()
  await expect(dialog.locator('.vote__confirm-question').innerText()).resolves.toBe(question)
  await snap(page, `${shotName}-confirm`)
  await tapButton(page, '确定投票', dialog)
  const code = current(page).locator('.vote__receipt-code')
  await code.waitFor()
  await toastGone(page)
  await snap(page, `${shotName}-receipt`)
  const receipt = (await code.innerText()).trim()
  expect(receipt).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
  return receipt
}

describe('meetings', () => {
  test('a 议事协商会 votes online and at the venue, the tellers confirm, the result is published and a receipt is found counted', async () => {
    const tag = String(randomInt(1000, 10000))
    const title = `村东道路硬化议事会 ${tag}`
    const question = '同意用村集体收入硬化村东道路'

    // --- the committee drafts the meeting from the home page ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    await current(c).locator('.home__meeting-new').waitFor()
    await tapClass(c, 'home__meeting-new')
    // A vote without a question is refused in place.
    await fillMeetingHead(c, '议事协商会', title, 4)
    // 征求意见 must close before the meeting: the wheels offer no later day, but a meeting moved earlier than
    // the day picked is refused in place; then the day before is taken.
    await pickDateTime(c, 'meeting-new__comments-until', shanghaiDay(4))
    await pickDateTime(c, 'meeting-new__when', `${shanghaiDay(3)} 19:30`)
    await fill(c, '.meeting-new__item-title', '村东道路硬化')
    await tapClass(c, 'meeting-new__submit')
    await current(c).getByText('请写要大家表决什么', { exact: false }).waitFor()
    await current(c).getByText('征求意见要在开会以前截止').waitFor()
    await pickDateTime(c, 'meeting-new__comments-until', shanghaiDay(2))
    await fill(c, '.meeting-new__item-description', '村东 800 米土路，雨天难走。预算 12 万元，用村集体收入。')
    await fill(c, '.meeting-new__question', question)
    await snap(c, 'committee-new')
    await submitMeetingDraft(c)
    await expect(current(c).locator('.meeting__title').innerText()).resolves.toBe(title)
    const route = routeOf(c)
    await toastGone(c)
    await snap(c, 'committee-draft')

    // --- announced (the roll is frozen), then the vote opens ---
    await tapClass(c, 'meeting__step--announce')
    await current(c).locator('.nut-dialog').getByText('应到名单', { exact: false }).waitFor()
    await snap(c, 'committee-announce-confirm')
    await confirmDialog(c, '发出通知')
    await current(c).locator('.meeting__state', { hasText: '已通知' }).waitFor()
    await expect(current(c).locator('.meeting__facts').innerText()).resolves.toContain('提前 3 天')
    const onRoll = Number(await current(c).locator('.meeting__on-roll').innerText())
    expect(onRoll).toBeGreaterThan(10)
    // Not before its time: three days ahead, the vote cannot open yet, and the page says why.
    await tapClass(c, 'vote__open')
    await confirmDialog(c, '开始表决')
    await current(c).locator('.vote__error', { hasText: '还没到开会时间' }).waitFor()
    await toastGone(c)
    await snap(c, 'committee-vote-too-early')
    // --- the three days pass: the meeting's time comes, and the vote opens ---
    const meetingId = Number(/meetingId=(\d+)/.exec(route)![1])
    await sqlOnServer('UPDATE meetings SET starts_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [meetingId])
    await openRoute(c, baseUrl, route)
    await tapClass(c, 'vote__open')
    await confirmDialog(c, '开始表决')
    await current(c).locator('.vote__state', { hasText: '正在投票' }).waitFor()
    await toastGone(c)
    await snap(c, 'committee-vote-open')

    // --- three residents vote in their own phones; the first finds the meeting from the home page ---
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    await tapClass(r, 'home__meetings-list')
    const listed = current(r).locator('.meetings__item', { hasText: title })
    await listed.waitFor()
    await snap(r, 'resident-list')
    await listed.tap()
    await current(r).locator('.vote__option').first().waitFor()
    await snap(r, 'resident-meeting')
    // 征求意见: before the meeting she says what she thinks of the item.
    await fill(r, '.comments__input', '路要修宽一点，农用车能过')
    await tapClass(r, 'comments__send')
    await current(r).locator('.comments__item', { hasText: '路要修宽一点' }).waitFor()
    await expect(current(r).locator('.comments__deadline').first().innerText()).resolves.toMatch(
      /^征求意见到 .*23:59 截止$/,
    )
    await expect(current(r).locator('.comments__item .comments__author').first().innerText()).resolves.toBe('张*兰')
    await toastGone(r)
    await snap(r, 'resident-comment')
    const receipt = await voteAs(r, route, '同意', 'resident')

    const volunteer = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const v = volunteer.page
    await voteAs(v, route, '同意', 'volunteer')

    const grid = await phoneSignedInAs(/^\s*张家村 · .*李梅/)
    const g = grid.page
    await voteAs(g, route, '反对', 'grid')

    // A ballot is final: the page says so and offers no choices again.
    await g.reload()
    await current(g).locator('.vote__voted').waitFor()
    expect(await current(g).locator('.vote__option').count()).toBe(0)

    // --- the meeting starts; 孙福来, who has no phone, is checked in by the committee ---
    await openRoute(c, baseUrl, route)
    // How many have voted is published with the result, not before: the committee's page does not count them either.
    await current(c).locator('.vote__progress', { hasText: '表决结束后和结果一起公布' }).waitFor()
    await expect(current(c).locator('.vote__progress').innerText()).resolves.not.toMatch(/已投票|\d+ 人投了/)
    await meetingStep(c, 'start', '开会', '正在开会')
    // The sign-in code for the venue door; 张秀兰 scans it (WeChat's scanner opens the page with it as `scene`).
    // The code is drawn, not written out: what it holds is what the committee's phone was sent.
    const [sent] = await Promise.all([
      c.waitForResponse((response) => /\/meetings\/\d+\/code/.test(response.url())),
      tapClass(c, 'meeting__show-code'),
    ])
    const token = ((await sent.json()) as { token: string }).token
    expect(token).toMatch(/^\d+\.\d+\.[A-Za-z0-9_-]{16}$/)
    const image = current(c).locator('.meeting__code-image')
    await image.waitFor()
    await expect(current(c).locator('.meeting__code').innerText()).resolves.not.toContain(token)
    // Full width at 375 px: the page's and the card's margins aside (16 px each side).
    const box = await image.boundingBox()
    expect(box?.width).toBeGreaterThanOrEqual(375 - 4 * 16 - 1)
    expect(box?.height).toBeCloseTo(box?.width ?? 0, 0)
    // The whole picture shows: the drawn code fills the box, not cut off below.
    const drawn = await image.locator('img').evaluate((img: HTMLImageElement) => img.getBoundingClientRect().height)
    expect(drawn).toBeCloseTo(box?.height ?? 0, 0)
    expect(Math.abs((box?.x ?? 0) + (box?.width ?? 0) / 2 - 375 / 2)).toBeLessThan(2)
    await snap(c, 'committee-venue-code')
    // In a browser the page cannot scan: it says how to do it in WeChat.
    await openRoute(r, baseUrl, route)
    await expect(current(r).locator('.meeting__scan-help').innerText()).resolves.toContain(
      '请在微信里打开里仁小程序，再点“扫码签到”',
    )
    await openRoute(r, baseUrl, `/packages/meetings/detail/index?scene=${encodeURIComponent(token)}`)
    await current(r).locator('.lr-badge', { hasText: '我已到会' }).waitFor()
    await current(r).locator('.meeting__present', { hasText: '1' }).waitFor()
    await toastGone(r)
    await snap(r, 'resident-signed-in-by-code')
    await openRoute(c, baseUrl, route)
    await fill(c, '.person-picker__input', '孙福来')
    await tapClass(c, 'person-picker__search-button')
    await current(c).locator('.person-picker__option', { hasText: '孙福来' }).tap()
    await tapClass(c, 'meeting__check-in-submit')
    await current(c).locator('.meeting__present', { hasText: '2' }).waitFor()
    // Twice is refused in place.
    await fill(c, '.person-picker__input', '孙福来')
    await tapClass(c, 'person-picker__search-button')
    await current(c).locator('.person-picker__option', { hasText: '孙福来' }).tap()
    await tapClass(c, 'meeting__check-in-submit')
    await current(c).locator('.meeting__check-in-error', { hasText: '已经登记过了' }).waitFor()
    await toastGone(c)
    await snap(c, 'committee-checked-in')

    // --- the venue counts, with the two tellers; more than the venue voters is refused in place ---
    await tapClass(c, 'vote__offline-open')
    await current(c).locator('.vote__offline-form').waitFor()
    await fill(c, '.vote__offline-count--agree', '2')
    await current(c).locator('.vote__counter .lr-chip', { hasText: '王建国' }).tap()
    await current(c).locator('.vote__scrutineer .lr-chip', { hasText: '李梅' }).tap()
    await tapClass(c, 'vote__offline-submit')
    await current(c).locator('.vote__offline-error', { hasText: '主会场能投票的只有 1 人' }).waitFor()
    await snap(c, 'committee-offline-too-many')
    await fill(c, '.vote__offline-count--agree', '1')
    await tapClass(c, 'vote__offline-submit')
    const offline = current(c).locator('.vote__offline')
    await offline.waitFor()
    await expect(offline.innerText()).resolves.toContain('会场投票 1 人')
    await expect(offline.innerText()).resolves.toContain('同意 1 票，反对 0 票，弃权 0 票')
    // 张秀兰 neither entered them nor counts them: until the close, her page has no venue counts.
    await openRoute(r, baseUrl, route)
    await current(r).locator('.vote__voted').waitFor()
    expect(await current(r).locator('.vote__offline').count()).toBe(0)

    // Not closed before both tellers confirm.
    await tapClass(c, 'vote__close')
    await confirmDialog(c, '结束表决')
    await current(c).locator('.vote__error', { hasText: '还没有经计票人和监票人都确认' }).waitFor()
    await snap(c, 'committee-offline-unconfirmed')

    // --- each teller confirms in their own phone ---
    await tapClass(c, 'vote__confirm-tally')
    await confirmDialog(c, '确认无误')
    await offline.locator('.vote__teller', { hasText: '王建国' }).getByText('已确认').waitFor()
    await toastGone(c)

    await g.reload()
    await current(g).locator('.vote__confirm-tally').waitFor()
    await snap(g, 'grid-teller')
    await tapClass(g, 'vote__confirm-tally')
    await current(g).locator('.nut-dialog').getByText('您核对过会场的票数吗', { exact: false }).waitFor()
    await snap(g, 'grid-teller-confirm')
    await confirmDialog(g, '确认无误')
    await current(g).locator('.vote__teller', { hasText: '李梅' }).getByText('已确认').waitFor()
    await toastGone(g)
    await snap(g, 'grid-teller-confirmed')

    // --- the committee closes the vote: 3 同意 of 4 ballots passes ---
    await c.reload()
    await tapClass(c, 'vote__close')
    await confirmDialog(c, '结束表决')
    const result = current(c).locator('.vote__result')
    await result.waitFor()
    await expect(result.locator('.vote__outcome').innerText()).resolves.toBe('通过')
    await expect(result.locator('.vote__count--agree').innerText()).resolves.toContain('3 票')
    await expect(result.locator('.vote__count--oppose').innerText()).resolves.toContain('1 票')
    await expect(result.locator('.vote__count--abstain').innerText()).resolves.toContain('0 票')
    await expect(result.locator('.vote__participants').innerText()).resolves.toContain(
      `参加表决 4 人，应参加 ${onRoll} 人`,
    )
    await toastGone(c)
    await snap(c, 'committee-vote-closed')

    // --- 散会, 公布 ---
    await meetingStep(c, 'close', '散会', '已散会')
    // Publishing needs the minutes: refused in place until they are written.
    await tapClass(c, 'meeting__step--publish')
    await confirmDialog(c, '公布')
    await current(c).locator('.meeting__step-error', { hasText: '会议纪要' }).waitFor()
    const minutes = '12月4日晚在村委会会议室召开议事协商会，商量村东道路硬化。表决：同意 3 票，反对 1 票，通过。'
    await fill(c, '.meeting__minutes-input', minutes)
    await tapClass(c, 'meeting__minutes-save')
    await current(c).locator('.meeting__minutes-saved').waitFor()
    await toastGone(c)
    await snap(c, 'committee-minutes')
    await meetingStep(c, 'publish', '公布', '已公布纪要')
    await toastGone(c)
    await snap(c, 'committee-published')
    // The printable result notice for the village board.
    const pdf = await downloadByClass(c, 'meeting__notice-download')
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    expect((await readFile((await pdf.path())!)).subarray(0, 5).toString()).toBe('%PDF-')

    // --- anyone, not signed in, opens the 公示 page the notice's QR code leads to ---
    const ids = new URLSearchParams(route.slice(route.indexOf('?')))
    const villageId = ids.get('villageId')
    const stranger = await newPhone()
    await openRoute(
      stranger.page,
      baseUrl,
      `/packages/meetings/results/index?villageId=${villageId}&meetingId=${ids.get('meetingId')}`,
    )
    const board = current(stranger.page).locator('.results__vote')
    await board.first().waitFor()
    await expect(current(stranger.page).locator('.lr-heading').innerText()).resolves.toContain('表决结果公示')
    await expect(board.first().locator('.vote__outcome').innerText()).resolves.toBe('通过')
    await expect(board.first().innerText()).resolves.toContain(question)
    await expect(current(stranger.page).locator('.lr-card__title, .lr-page').first().innerText()).resolves.toContain(
      title,
    )
    await snap(stranger.page, 'public-results')
    await stranger.context.close()

    // --- the resident sees the result and finds their ballot counted ---
    await r.reload()
    const seen = current(r).locator('.vote__result')
    await seen.waitFor()
    await expect(seen.locator('.vote__outcome').innerText()).resolves.toBe('通过')
    await expect(seen.innerText()).resolves.toContain(receipt)
    await tapClass(r, 'vote__check-receipt')
    await current(r).locator('.vote__receipt-answer--counted', { hasText: '已计入' }).waitFor()
    await expect(current(r).locator('.meeting__minutes-text').innerText()).resolves.toBe(minutes)
    await snap(r, 'resident-result')
    await openRoute(r, baseUrl, `/packages/meetings/list/index?villageId=${villageId}`)
    await current(r).locator('.meetings__item', { hasText: title }).getByText('已公布纪要').waitFor()
    await snap(r, 'resident-list-published')

    // --- 适老化: the result in large text ---
    await largeTextOn(r)
    await openRoute(r, baseUrl, route)
    await current(r).locator('.lr-page.lr-large .vote__result').waitFor()
    await snap(r, 'resident-result-large-text')

    await closePhones(committee, resident, volunteer, grid)
  })
})
