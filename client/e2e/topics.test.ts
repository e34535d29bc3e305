/**
 * Village topics (说事 / 议题征集) in a real browser against the real server: 张秀兰 proposes a matter
 * with a photo (an empty title and words the content check refuses are told in place); 赵小明 and 李梅
 * back it (附议), a second 附议 by 赵小明 from a page left open is refused in place; the committee drafts
 * a meeting and puts the topic on its agenda from the topic page; the meeting shows it as an agenda
 * item and 张秀兰 sees 已列入会议议程. A second topic, from 赵小明, is declined with a reason he then sees.
 * How the server, database and browser are set up: support.ts.
 */
import { randomInt } from 'node:crypto'
import sharp from 'sharp'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { current, fill, fillMeetingHead, submitMeetingDraft, tapButton, tapClass, toastGone } from './steps'
import { baseUrl, openRoute, phoneSignedInAs, routeOf, screenshots, secondTab, useStack } from './support'

const snap = screenshots('topics-')

useStack()

/** A photo of "dark street lamps at the village gate", as a phone would send. */
function photo(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="#2b3340"/><rect y="380" width="640" height="100" fill="#5a5a4a"/>
    <rect x="150" y="120" width="16" height="260" fill="#888"/><rect x="470" y="120" width="16" height="260" fill="#888"/></svg>`
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer()
}

/** Proposes a topic from the 说事 list (already open) and lands on its page. */
async function propose(page: Page, title: string, description: string): Promise<void> {
  await tapButton(page, '我要说事', current(page))
  await current(page).locator('.topic-new__title').waitFor()
  await fill(page, '.topic-new__title', title)
  await fill(page, '.topic-new__description', description)
  await tapClass(page, 'topic-new__submit')
  await current(page).locator('.topic__support').waitFor()
}

describe('topics', () => {
  test('a resident proposes a topic, neighbours back it, the committee puts it on a meeting agenda; another is declined with a reason', async () => {
    const tag = String(randomInt(1000, 10000))
    const title = `修好村口的路灯 ${tag}`
    const description = '村口三盏路灯坏了半年，晚上老人孩子走路看不清。想请大家商量用集体收入修好。'
    const meetingTitle = `冬季村务议事会 ${tag}`

    // --- 张秀兰 opens 说事 from the home page ---
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    await current(r).locator('.home__topics').waitFor()
    await snap(r, 'resident-home')
    await tapClass(r, 'home__topics')
    await current(r).locator('.topics__intro').waitFor()
    await current(r).locator('.topics__empty, .topics__list').first().waitFor()
    await snap(r, 'resident-topics-empty')
    const villageId = Number(new URL(r.url().replace('#', '')).searchParams.get('villageId'))
    expect(villageId).toBeGreaterThan(0)

    // An empty title is refused in place; so are words the content check refuses.
    await tapButton(r, '我要说事', current(r))
    await current(r).locator('.topic-new__title').waitFor()
    await fill(r, '.topic-new__description', description)
    await tapClass(r, 'topic-new__submit')
    await current(r).locator('.lr-field--error', { hasText: '请写一写想议什么事' }).waitFor()
    await snap(r, 'resident-new-empty-title')
    await fill(r, '.topic-new__title', title)
    await fill(r, '.topic-new__description', '村口晚上有人聚众赌博')
    await tapClass(r, 'topic-new__submit')
    await current(r).locator('.lr-field--error', { hasText: '内容里有不合适的话' }).waitFor()
    await toastGone(r)
    await snap(r, 'resident-new-content-rejected')
    await fill(r, '.topic-new__description', description)

    // A photo, shrunk and uploaded as soon as it is picked.
    const [chooser] = await Promise.all([r.waitForEvent('filechooser'), current(r).locator('.photo-picker__add').tap()])
    await chooser.setFiles({ name: 'lamps.jpg', mimeType: 'image/jpeg', buffer: await photo() })
    await current(r).locator('.topic-new__photos .photo-picker__thumb').waitFor()
    await toastGone(r)
    await snap(r, 'resident-new-filled')
    await tapClass(r, 'topic-new__submit')
    await current(r).locator('.topic__support').waitFor()
    await expect(current(r).locator('.topic__title').innerText()).resolves.toBe(title)
    await expect(current(r).locator('.topic__state').innerText()).resolves.toBe('正在征集附议')
    await current(r).locator('.topic__photos .photo-picker__thumb').waitFor()
    const count = await current(r).locator('.topic__count').innerText()
    const threshold = Number(/满 (\d+) 人/.exec(count)?.[1])
    expect(count).toBe(`已有 1 人附议，满 ${threshold} 人就应当提交会议`)
    expect(threshold).toBeGreaterThan(3)
    // Her own topic counts her already: no 附议 button for her.
    await expect(current(r).locator('.topic__support-button').count()).resolves.toBe(0)
    await current(r).locator('.topic__mine').waitFor()
    const topicRoute = routeOf(r)
    await toastGone(r)
    await snap(r, 'resident-topic-proposed')

    // --- 赵小明 finds it through the meetings list and backs it ---
    const volunteer = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const v = volunteer.page
    await openRoute(v, baseUrl, `/packages/meetings/list/index?villageId=${villageId}`)
    await tapClass(v, 'meetings__topics-link')
    const listed = current(v).locator('.topics__item', { hasText: title })
    await listed.waitFor()
    // Other villagers see the proposer masked.
    await expect(listed.innerText()).resolves.toContain('张*兰 提出')
    await expect(listed.innerText()).resolves.not.toContain('张秀兰')
    await snap(v, 'volunteer-topics')
    await listed.tap()
    await current(v).locator('.topic__support-button').waitFor()
    // The same topic left open in a second tab, to tap 附议 again later.
    const stale = await secondTab(volunteer.context, topicRoute, '.topic__support-button')
    await snap(v, 'volunteer-topic')
    await tapClass(v, 'topic__support-button')
    await current(v).locator('.topic__supported', { hasText: '您已附议' }).waitFor()
    await expect(current(v).locator('.topic__count').innerText()).resolves.toBe(
      `已有 2 人附议，满 ${threshold} 人就应当提交会议`,
    )
    await expect(current(v).locator('.topic__support-button').count()).resolves.toBe(0)
    await toastGone(v)
    await snap(v, 'volunteer-supported')
    // A second 附议 by the same person is refused in place.
    await tapClass(stale, 'topic__support-button')
    await current(stale).locator('.topic__support-error', { hasText: '您已经附议过了' }).waitFor()
    await current(stale).locator('.topic__supported', { hasText: '您已附议' }).waitFor()
    await expect(current(stale).locator('.topic__count').innerText()).resolves.toContain('已有 2 人附议')
    await toastGone(stale)
    await snap(stale, 'volunteer-supported-twice')
    await stale.close()

    // --- 李梅 backs it too ---
    const grid = await phoneSignedInAs(/^\s*张家村 · .*李梅/)
    const g = grid.page
    await openRoute(g, baseUrl, topicRoute)
    await tapClass(g, 'topic__support-button')
    await current(g).locator('.topic__supported').waitFor()
    await expect(current(g).locator('.topic__count').innerText()).resolves.toContain('已有 3 人附议')
    await toastGone(g)
    await snap(g, 'grid-supported')

    // --- the committee drafts a meeting, then puts the topic on its agenda from the topic page ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    await openRoute(c, baseUrl, `/packages/meetings/topics/index?villageId=${villageId}`)
    await current(c).locator('.topics__item', { hasText: title }).tap()
    await current(c).locator('.topic__committee').waitFor()
    await snap(c, 'committee-topic')
    await tapClass(c, 'topic__accept')
    // No draft meeting yet: the page says so and offers to draft one.
    await current(c).locator('.topic__no-drafts').waitFor()
    await snap(c, 'committee-accept-no-drafts')
    await tapClass(c, 'topic__new-meeting')
    await fillMeetingHead(c, '议事协商会', meetingTitle, 5)
    await fill(c, '.meeting-new__item-title', '冬季防火安排')
    await fill(c, '.meeting-new__question', '同意冬季防火安排')
    await submitMeetingDraft(c)
    const meetingRoute = routeOf(c)

    await snap(c, 'committee-meeting-drafted')
    // Back on the topic page, the picker now offers the new draft.
    await c.goBack()
    await current(c).locator('.topic__committee').waitFor()
    const choice = current(c).locator('.topic__meeting-choice', { hasText: meetingTitle })
    await choice.waitFor()
    // Nothing picked: told in place.
    await tapClass(c, 'topic__send')
    await current(c).locator('.topic__form-error', { hasText: '请选一个会议' }).waitFor()
    await choice.tap()
    await current(c).locator('.topic__meeting-choice.lr-chip--on').waitFor()
    await snap(c, 'committee-accept-pick')
    await tapClass(c, 'topic__send')
    await current(c).locator('.topic__decision--accepted').waitFor()
    await expect(current(c).locator('.topic__state').innerText()).resolves.toBe('已列入会议议程')
    await expect(current(c).locator('.topic__committee').count()).resolves.toBe(0)
    await toastGone(c)
    await snap(c, 'committee-accepted')

    // The meeting shows it as a new agenda item, after the one it had.
    await current(c).locator('.topic__meeting-link').tap()
    await current(c).locator('.meeting__facts').waitFor()
    await expect(current(c).locator('.meeting__title').innerText()).resolves.toBe(meetingTitle)
    const items = current(c).locator('.meeting__item-title')
    await expect(items.count()).resolves.toBe(2)
    await expect(items.nth(1).innerText()).resolves.toBe(`2. ${title}`)
    expect(routeOf(c)).toContain(new URLSearchParams(meetingRoute.slice(meetingRoute.indexOf('?'))).get('meetingId')!)
    await snap(c, 'committee-meeting-agenda')

    // --- 张秀兰 sees what became of her topic ---
    await r.reload()
    await current(r).locator('.topic__decision--accepted').waitFor()
    await expect(current(r).locator('.topic__decision').innerText()).resolves.toContain('已列入会议议程')
    await current(r).locator('.topic__meeting-link').waitFor()
    await snap(r, 'resident-topic-accepted')
    await openRoute(r, baseUrl, `/packages/meetings/topics/index?villageId=${villageId}`)
    await current(r).locator('.topics__tabs .lr-chip', { hasText: '已列入议程' }).tap()
    await current(r).locator('.topics__item', { hasText: title }).waitFor()
    await snap(r, 'resident-topics-accepted')

    // --- a second topic, from 赵小明, is declined with a reason ---
    const second = `在村委会门口装快递柜 ${tag}`
    const reason = '村委会门口是消防通道，不能放快递柜。镇上快递站每天有车来村里送件。'
    await openRoute(v, baseUrl, `/packages/meetings/topics/index?villageId=${villageId}`)
    await propose(v, second, '快递总是放在小卖部，常常拿错，想在村委会门口装一个快递柜。')
    const secondRoute = routeOf(v)
    await toastGone(v)

    await openRoute(c, baseUrl, secondRoute)
    await tapClass(c, 'topic__decline')
    await current(c).locator('.topic__reason-input').waitFor()
    // No reason: told in place.
    await tapClass(c, 'topic__send')
    await current(c).locator('.topic__form-error', { hasText: '请写明不予采纳的原因' }).waitFor()
    await fill(c, '.topic__reason-input', reason)
    await snap(c, 'committee-decline-reason')
    await tapClass(c, 'topic__send')
    await current(c).locator('.topic__decision--declined').waitFor()
    await toastGone(c)
    await snap(c, 'committee-declined')

    await v.reload()
    await current(v).locator('.topic__decision--declined').waitFor()
    await expect(current(v).locator('.topic__state').innerText()).resolves.toBe('不予采纳')
    await expect(current(v).locator('.topic__reason').innerText()).resolves.toContain(reason)
    await expect(current(v).locator('.topic__support-button').count()).resolves.toBe(0)
    await snap(v, 'volunteer-topic-declined')
    await openRoute(v, baseUrl, `/packages/meetings/topics/index?villageId=${villageId}`)
    await current(v).locator('.topics__empty, .topics__list').first().waitFor()
    await expect(current(v).locator('.topics__item', { hasText: second }).count()).resolves.toBe(0)
    await current(v).locator('.topics__tabs .lr-chip', { hasText: '不予采纳' }).tap()
    await current(v).locator('.topics__item', { hasText: second }).waitFor()
    await snap(v, 'volunteer-topics-declined')
  })
})
