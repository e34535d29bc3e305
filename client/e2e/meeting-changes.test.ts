/**
 * An announced 村民会议 moved and called off on the committee's phone (issue 18): 延期 with a reason to a
 * time that leaves the law's ten days of notice (a shorter one is refused naming 第二十一条), the resident's
 * phone showing the new time, the old one and why; then 取消会议 with a reason.
 */
import { randomInt } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { current, fill, pickDateTime, shanghaiDay, tapClass, toastGone } from './steps'
import { apiAs, baseUrl, closePhones, openRoute, phoneSignedInAs, screenshots, useStack } from './support'

const snap = screenshots('meeting-changes-')

useStack()

describe('a meeting moved and called off', () => {
  test('the committee postpones with a reason (too short a notice refused), the resident sees it; then it is cancelled', async () => {
    const tag = String(randomInt(1000, 10000))
    const title = `冬季防火村民会议 ${tag}`
    const committee = await apiAs('demo-zhangjia-committee', '张家村')
    const v = (path: string) => `/api/villages/${committee.villageId}${path}`
    // Called 紧急 three days ahead (防火季 is near); a postponement is a new notice, and needs its ten days again.
    const startsAt = new Date(`${shanghaiDay(3)}T19:30:00+08:00`).toISOString()
    const meeting = await committee.call<{ id: number }>(v('/meetings'), {
      kind: 'villager_meeting',
      title,
      place: '村委会大院',
      startsAt,
      urgentReason: '防火季马上到了',
      online: true,
      agenda: [{ title: '冬季防火值班', vote: { question: '同意按户轮流值班', secret: false } }],
    })
    await committee.call(v(`/meetings/${meeting.id}/announce`), {})
    const route = `/packages/meetings/detail/index?villageId=${committee.villageId}&meetingId=${meeting.id}`

    const committeePhone = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committeePhone.page
    await openRoute(c, baseUrl, route)
    await current(c).locator('.meeting__state', { hasText: '已通知' }).waitFor()
    await tapClass(c, 'meeting__postpone')
    await current(c).locator('.meeting__move-form').waitFor()
    // Five days from now is short of the ten days a 村民会议 needs: refused, naming the law.
    await pickDateTime(c, 'meeting__postpone-when', `${shanghaiDay(5)} 19:30`)
    await fill(c, '.meeting__move-reason', '那天要收玉米，人来不齐')
    await tapClass(c, 'meeting__move-send')
    await expect(current(c).locator('.meeting__move-error').innerText()).resolves.toContain('第二十一条')
    await toastGone(c)
    await snap(c, 'committee-too-short', [tag])
    // Twelve days from now: the notice period holds.
    await pickDateTime(c, 'meeting__postpone-when', `${shanghaiDay(12)} 19:30`)
    await tapClass(c, 'meeting__move-send')
    await current(c).locator('.meeting__state', { hasText: '已延期' }).waitFor()
    const facts = await current(c).locator('.meeting__facts').innerText()
    expect(facts).toContain('原定时间')
    expect(facts).toContain('那天要收玉米，人来不齐')
    await toastGone(c)
    await snap(c, 'committee-postponed', [tag])

    // The resident was told, and her page shows the new time, the old one and why.
    const residentPhone = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = residentPhone.page
    await openRoute(r, baseUrl, route)
    await current(r).locator('.meeting__state', { hasText: '已延期' }).waitFor()
    const seen = await current(r).locator('.meeting__facts').innerText()
    expect(seen).toContain('延期原因')
    expect(seen).toMatch(/原定时间\s*\S*\d+月\d+日/)
    expect(await current(r).locator('taro-button-core.meeting__postpone').count()).toBe(0)
    await toastGone(r)
    await snap(r, 'resident-postponed', [tag])
    const inbox = await (
      await apiAs('demo-zhangjia-resident', '张家村')
    ).call<{
      items: { title: string; body: string }[]
    }>('/api/notifications')
    expect(inbox.items.find((n) => n.title === `会议延期：${title}`)?.body).toContain('那天要收玉米')

    // --- called off ---
    await openRoute(c, baseUrl, route)
    await tapClass(c, 'meeting__cancel')
    await fill(c, '.meeting__move-reason', '防火值班已经排好了，不用再开会')
    await tapClass(c, 'meeting__move-send')
    await current(c).locator('.meeting__state', { hasText: '已取消' }).waitFor()
    expect(await current(c).locator('taro-button-core.meeting__postpone').count()).toBe(0)
    expect(await current(c).locator('taro-button-core.meeting__step--start').count()).toBe(0)
    await toastGone(c)
    await snap(c, 'committee-cancelled', [tag])
    await openRoute(r, baseUrl, route)
    await expect(current(r).locator('.meeting__facts').innerText()).resolves.toContain('防火值班已经排好了')
    await snap(r, 'resident-cancelled', [tag])
    await closePhones(committeePhone, residentPhone)
  })
})
