/**
 * 提议召集 (petitions) in a real browser against the real server: 赵小明 starts a petition for a 村民会议 from
 * the meetings list (an empty form is told in place; what he typed survives a reload) and is its first
 * signer; 李梅 signs it on her phone after a confirm, sees 您已签名 and the count go up, and is offered no
 * second signature; the committee records the signature of 孙福来, who has no phone, and sees who recorded
 * it; a resident of 和平社区 can neither open it nor find it in his list. 张秀兰, a 村民代表, signs and it
 * succeeds (a third of the representatives): the page says by when the committee must meet. Past that day
 * (moved in the database) it is 已超期 in the list and on the town admin's page; the committee answers it
 * with a noticed 村民会议 and the signers see the meeting.
 * How the server, database and browser are set up: support.ts.
 */
import { randomInt } from 'node:crypto'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { confirmDialog, current, fill, tapClass, toastGone } from './steps'
import { apiAs, baseUrl, openRoute, phoneSignedInAs, routeOf, screenshots, useStack } from './support'
import { sqlOnServer } from './server'

const snap = screenshots('petitions-')

useStack()

/** The number of signatures the petition's page says it has (已有 N 人签名…). */
async function signedCount(page: Page): Promise<number> {
  const text = await current(page).locator('.petition__count').innerText()
  return Number(/已有 (\d+) 人签名/.exec(text)?.[1])
}

describe('petitions', () => {
  test('a villager starts a petition, another signs it on her phone, the committee records one for a villager without a phone; it succeeds, goes overdue, and is answered with a meeting', async () => {
    const tag = String(randomInt(1000, 10000))
    const title = `商量征地补偿款怎么分 ${tag}`
    const reason = '补偿款到账两个月了，还没有公布怎么分。大家想开村民会议，一起商量定下来。'

    // --- 赵小明 starts it from the meetings list ---
    const volunteer = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const v = volunteer.page
    const { villageId } = await apiAs('demo-zhangjia-volunteer', '张家村')
    await openRoute(v, baseUrl, `/packages/meetings/list/index?villageId=${villageId}`)
    await current(v).locator('.meetings__petitions').waitFor()
    await snap(v, 'volunteer-meetings')
    await tapClass(v, 'meetings__petitions-link')
    await current(v).locator('.petitions__intro').waitFor()
    await current(v).locator('.petitions__empty, .petitions__list').first().waitFor()
    await snap(v, 'volunteer-petitions')
    await tapClass(v, 'petitions__new')
    await current(v).locator('.petition-new__title').waitFor()
    // Nothing typed: told in place.
    await tapClass(v, 'petition-new__submit')
    await current(v).locator('.lr-field--error', { hasText: '请写一写开会商量什么事' }).waitFor()
    await current(v).locator('.lr-field--error', { hasText: '请说一说为什么要开会' }).waitFor()
    await snap(v, 'volunteer-new-empty')
    // What he typed is still there after the page is reloaded.
    await fill(v, '.petition-new__title', title)
    await fill(v, '.petition-new__reason', reason)
    await v.reload()
    await current(v).locator('.petition-new__restored').waitFor()
    await expect(current(v).locator('.petition-new__title input').inputValue()).resolves.toBe(title)
    await expect(current(v).locator('.petition-new__reason textarea').inputValue()).resolves.toBe(reason)
    await expect(current(v).locator('.lr-chip--on').innerText()).resolves.toBe('村民会议')
    await snap(v, 'volunteer-new-restored')
    await tapClass(v, 'petition-new__submit')
    await current(v).locator('.petition__signatures').waitFor()
    await expect(current(v).locator('.petition__title').innerText()).resolves.toBe(title)
    await expect(current(v).locator('.petition__state').innerText()).resolves.toBe('正在征集签名')
    const count = await current(v).locator('.petition__count').innerText()
    const needed = Number(/满 (\d+) 人/.exec(count)?.[1])
    expect(count).toBe(`已有 1 人签名，满 ${needed} 人就必须开会`)
    expect(needed).toBeGreaterThan(3)
    await expect(current(v).locator('.petition__law').innerText()).resolves.toContain('第二十一条')
    // He signed as he started it: no button for him.
    await current(v).locator('.petition__signed', { hasText: '您已签名' }).waitFor()
    await expect(current(v).locator('.petition__sign').count()).resolves.toBe(0)
    // Residents never see who signed.
    await expect(current(v).locator('.petition__signers').count()).resolves.toBe(0)
    const petitionRoute = routeOf(v)
    const petitionId = Number(new URLSearchParams(petitionRoute.slice(petitionRoute.indexOf('?'))).get('petitionId'))
    expect(petitionId).toBeGreaterThan(0)
    await toastGone(v)
    await snap(v, 'volunteer-petition-started')

    // --- 李梅 finds it in the list and signs it on her phone ---
    const grid = await phoneSignedInAs(/^\s*张家村 · .*李梅/)
    const g = grid.page
    await openRoute(g, baseUrl, `/packages/meetings/petitions/index?villageId=${villageId}`)
    const listed = current(g).locator('.petitions__item', { hasText: title })
    await listed.waitFor()
    await expect(listed.locator('.petitions__progress').innerText()).resolves.toBe(
      `已有 1 人签名，满 ${needed} 人就必须开会`,
    )
    await snap(g, 'grid-petitions')
    await listed.tap()
    await current(g).locator('.petition__sign').waitFor()
    await snap(g, 'grid-petition')
    // 我要签名 asks first; 再想想 signs nothing.
    await tapClass(g, 'petition__sign')
    await current(g).locator('.nut-dialog', { hasText: '签了名就不能撤回' }).waitFor()
    await snap(g, 'grid-sign-confirm')
    await confirmDialog(g, '再想想')
    expect(await signedCount(g)).toBe(1)
    await tapClass(g, 'petition__sign')
    await confirmDialog(g, '确认签名')
    await current(g).locator('.petition__signed', { hasText: '您已签名' }).waitFor()
    expect(await signedCount(g)).toBe(2)
    await expect(current(g).locator('.petition__sign').count()).resolves.toBe(0)
    await toastGone(g)
    await snap(g, 'grid-signed')
    // Opened again, she is still shown as signed and offered no second signature.
    await g.reload()
    await current(g).locator('.petition__signed').waitFor()
    await expect(current(g).locator('.petition__sign').count()).resolves.toBe(0)

    // --- the committee sees who signed and records 孙福来's paper signature ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    await openRoute(c, baseUrl, petitionRoute)
    await current(c).locator('.petition__signers').waitFor()
    const signers = current(c).locator('.petition__signer')
    await expect(signers.count()).resolves.toBe(2)
    await expect(signers.nth(0).innerText()).resolves.toContain('赵小明')
    await expect(signers.nth(1).innerText()).resolves.toContain('李梅')
    await expect(signers.nth(1).innerText()).resolves.toContain('在手机上签的')
    await snap(c, 'committee-petition')
    await tapClass(c, 'petition__record-open')
    await fill(c, '.petition__person', '孙福来')
    await tapClass(c, 'person-picker__search-button')
    await current(c).locator('.person-picker__option', { hasText: '孙福来' }).tap()
    await current(c).locator('.person-picker--chosen', { hasText: '孙福来' }).waitFor()
    await snap(c, 'committee-record-picked')
    await tapClass(c, 'petition__record-send')
    await current(c).locator('.nut-dialog', { hasText: '在纸上签了名' }).waitFor()
    await confirmDialog(c, '确认登记')
    await current(c).locator('.petition__signer', { hasText: '孙福来' }).waitFor()
    await expect(current(c).locator('.petition__signer', { hasText: '孙福来' }).innerText()).resolves.toContain(
      '王建国 代为登记',
    )
    expect(await signedCount(c)).toBe(3)
    await toastGone(c)
    await snap(c, 'committee-recorded')

    // --- a resident of 和平社区 can neither open it nor find it ---
    const stranger = await phoneSignedInAs(/^\s*和平社区 · .*刘洋/)
    const s = stranger.page
    await openRoute(s, baseUrl, petitionRoute)
    const refused = current(s).locator('.lr-card', { hasText: '没有加载成功' })
    await refused.waitFor()
    await expect(refused.innerText()).resolves.toContain('您没有这个村（社区）的相应权限')
    await expect(current(s).getByText(title).count()).resolves.toBe(0)
    await snap(s, 'stranger-refused')
    const { villageId: hepingId } = await apiAs('demo-heping-resident', '和平社区')
    await openRoute(s, baseUrl, `/packages/meetings/petitions/index?villageId=${hepingId}`)
    await current(s).locator('.petitions__empty, .petitions__list').first().waitFor()
    await expect(current(s).locator('.petitions__item', { hasText: title }).count()).resolves.toBe(0)
    await snap(s, 'stranger-petitions')

    // --- 张秀兰, a 村民代表, signs: a third of the representatives, it succeeds ---
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    await openRoute(r, baseUrl, petitionRoute)
    await current(r).locator('.petition__note', { hasText: '村民代表签名也够了' }).waitFor()
    await tapClass(r, 'petition__sign')
    await confirmDialog(r, '确认签名')
    await current(r).locator('.petition__due').waitFor()
    await expect(current(r).locator('.petition__state').innerText()).resolves.toBe('已达到法定人数，等待召开会议')
    await expect(current(r).locator('.petition__due-text').innerText()).resolves.toMatch(
      /^村委会要在 \d{4}年\d{1,2}月\d{1,2}日 以前开会答复。$/,
    )
    await toastGone(r)
    await snap(r, 'resident-succeeded')

    // --- past its day with no meeting: 已超期 in the list, and on the town admin's page ---
    await sqlOnServer('UPDATE petitions SET answer_due_at = ? WHERE id = ?', [
      new Date(Date.now() - 86_400_000),
      petitionId,
    ])
    await openRoute(g, baseUrl, `/packages/meetings/petitions/index?villageId=${villageId}`)
    await current(g).locator('.petitions__tabs .lr-chip', { hasText: '人数已够' }).tap()
    const overdue = current(g).locator('.petitions__item--overdue', { hasText: title })
    await overdue.waitFor()
    await expect(overdue.innerText()).resolves.toContain('已超期')
    await snap(g, 'grid-petitions-overdue')

    const town = await phoneSignedInAs(/镇（街道）管理员/)
    const t = town.page
    await openRoute(t, baseUrl, '/packages/town/villages/index')
    const late = current(t).locator('.villages__overdue-item', { hasText: title })
    await late.waitFor()
    await expect(late.innerText()).resolves.toContain('张家村')
    await snap(t, 'town-overdue')
    await late.tap()
    await current(t).locator('.petition__overdue', { hasText: '已超期' }).waitFor()
    await expect(current(t).locator('.petition__title').innerText()).resolves.toBe(title)
    await snap(t, 'town-petition')

    // --- the committee answers it with a noticed 村民会议 ---
    const meetingTitle = `村民会议：征地补偿款分配 ${tag}`
    const asCommittee = await apiAs('demo-zhangjia-committee', '张家村')
    const drafted = await asCommittee.call<{ id: number }>(`/api/villages/${villageId}/meetings`, {
      kind: 'villager_meeting',
      title: meetingTitle,
      place: '村委会大院',
      startsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      urgentReason: '提议召集的期限已经过了',
      online: false,
      agenda: [{ title: '征地补偿款怎么分' }],
    })
    await asCommittee.call(`/api/villages/${villageId}/meetings/${drafted.id}/announce`, {})
    await c.reload()
    await current(c).locator('.petition__due--overdue').waitFor()
    await tapClass(c, 'petition__answer-open')
    const choice = current(c).locator('.petition__meeting-choice', { hasText: meetingTitle })
    await choice.waitFor()
    // Nothing picked: told in place.
    await tapClass(c, 'petition__answer-send')
    await current(c).locator('.petition__answer-error', { hasText: '请选一个会议' }).waitFor()
    await choice.tap()
    await current(c).locator('.petition__meeting-choice.lr-chip--on').waitFor()
    await snap(c, 'committee-answer-pick')
    await tapClass(c, 'petition__answer-send')
    await confirmDialog(c, '确认答复')
    await current(c).locator('.petition__answered').waitFor()
    await expect(current(c).locator('.petition__state').innerText()).resolves.toBe('已召集会议')
    await expect(current(c).locator('.petition__committee').count()).resolves.toBe(0)
    await toastGone(c)
    await snap(c, 'committee-answered')

    // 李梅 sees the meeting that answers it, and opens it.
    await openRoute(g, baseUrl, petitionRoute)
    await current(g).locator('.petition__answered').waitFor()
    await expect(current(g).locator('.petition__meeting').innerText()).resolves.toContain(meetingTitle)
    await snap(g, 'grid-answered')
    await current(g).locator('.petition__meeting-link').tap()
    await current(g).locator('.meeting__facts').waitFor()
    await expect(current(g).locator('.meeting__title').innerText()).resolves.toBe(meetingTitle)
  })
})
