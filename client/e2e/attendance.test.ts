/**
 * 到会名单 in a real browser: the committee (王建国) opens a live 村民会议's list from the meeting page, sees
 * 应到 / 实到, ticks off a villager without a phone with 登记到会, and sees 实到 go up and the villager move to
 * 已到 with how and by whom; the 签到表 downloads as a PDF. How the server, database and browser are set up:
 * support.ts.
 */
import { randomInt } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { describe, expect, test } from 'vitest'
import { current, downloadByClass, tapClass, toastGone } from './steps'
import { apiAs, baseUrl, closePhones, openRoute, phoneSignedInAs, screenshots, useStack } from './support'

const snap = screenshots('attendance-')

useStack()

describe('attendance', () => {
  test('the committee ticks off an absent villager from the 到会名单 and 实到 goes up', async () => {
    const committee = await apiAs('demo-zhangjia-committee', '张家村')
    const { villageId } = committee
    const title = `村民会议：定保洁费 ${randomInt(1000, 10000)}`
    // Called today (紧急), starting in ten minutes, and announced: the roll is frozen, people may sign in.
    const meeting = await committee.call<{ id: number }>(`/api/villages/${villageId}/meetings`, {
      kind: 'villager_meeting',
      title,
      place: '村委会大院',
      startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      urgentReason: '保洁公司下周换人，要先定下来',
      online: true,
      agenda: [{ title: '保洁费标准' }],
    })
    await committee.call(`/api/villages/${villageId}/meetings/${meeting.id}/announce`, {})

    const phone = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = phone.page
    await openRoute(c, baseUrl, `/packages/meetings/detail/index?villageId=${villageId}&meetingId=${meeting.id}`)
    await current(c).locator('.meeting__attendance-list').waitFor()
    await tapClass(c, 'meeting__attendance-list')
    await current(c).locator('.attendance__on-roll').waitFor()
    await toastGone(c)
    const number = async (cls: string) => Number(await current(c).locator(`.${cls}`).innerText())
    const onRoll = await number('attendance__on-roll')
    expect(onRoll).toBeGreaterThan(5)
    expect(await number('attendance__present')).toBe(0)
    expect(await current(c).locator('.attendance__person').count()).toBe(onRoll)
    await expect(current(c).locator('.attendance__filter').innerText()).resolves.toContain(`未到 ${onRoll}`)
    await snap(c, 'list')

    // 登记到会 for the first villager on the list.
    const first = current(c).locator('.attendance__person').first()
    const name = (await first.locator('.attendance__name').innerText()).trim()
    await toastGone(c)
    await first.locator('taro-button-core.attendance__check-in').tap()
    await current(c).locator('.attendance__present', { hasText: /^1$/ }).waitFor()
    expect(await number('attendance__on-roll')).toBe(onRoll)
    const ticked = current(c).locator('.attendance__person', { hasText: name })
    await expect(ticked.locator('.attendance__arrived').count()).resolves.toBe(1)
    await expect(ticked.locator('.attendance__how').innerText()).resolves.toMatch(/^村委会登记（王建国） \d{2}:\d{2}$/)
    await expect(ticked.locator('.attendance__check-in').count()).resolves.toBe(0)
    await toastGone(c)
    await snap(c, 'ticked')

    // 已到: only the villager just ticked; 未到: everyone else.
    await current(c).locator('.attendance__filter .lr-chip', { hasText: '已到 1' }).tap()
    await expect.poll(() => current(c).locator('.attendance__person').count()).toBe(1)
    await expect(current(c).locator('.attendance__name').innerText()).resolves.toBe(name)
    await toastGone(c)
    await snap(c, 'arrived')
    await current(c).locator('.attendance__filter .lr-chip', { hasText: '未到' }).tap()
    await expect.poll(() => current(c).locator('.attendance__person').count()).toBe(onRoll - 1)
    await expect(current(c).locator('.attendance__person', { hasText: name }).count()).resolves.toBe(0)

    // 打印签到表: the A4 sheet as a PDF, named for the meeting.
    const sheet = await downloadByClass(c, 'attendance__print')
    expect(sheet.suggestedFilename()).toBe(`${title}-签到表.pdf`)
    const bytes = await readFile((await sheet.path())!)
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    await closePhones(phone)
  })
})
