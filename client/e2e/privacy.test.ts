/**
 * Privacy by design in a real browser against the real server: a new user meets the privacy guide
 * before anything else, says no and is told why Liren needs it, then agrees and is not asked again;
 * they join 张家村 giving the test phone, which the committee sees on the application. The committee
 * registers a villager as moved out. A verified resident downloads 我的数据 (their own data only) and
 * deletes their account, landing on the login page. How the server, database and browser are set up:
 * support.ts.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { dateWords, PRIVACY_GUIDE } from '@liren/shared/rules'
import {
  chineseName,
  confirmDialog,
  current,
  downloadByClass,
  fill,
  fillJoinForm,
  tapButton,
  tapClass,
  toastGone,
} from './steps'
import { baseUrl, closePhones, newPhone, openRoute, phoneSignedInAs, screenshots, signInAs, useStack } from './support'

const TEST_PHONE = '13800138000'

const snap = screenshots('privacy-')

useStack()

/** The bearer token the app keeps (Taro's H5 storage wraps each value as { data }). */
async function tokenOf(page: Page): Promise<string> {
  const stored = await page.evaluate(() => localStorage.getItem('liren.token'))
  return stored ? (JSON.parse(stored) as { data: string }).data : ''
}

async function refreshTokenOf(page: Page): Promise<string> {
  const stored = await page.evaluate(() => localStorage.getItem('liren.refreshToken'))
  return stored ? (JSON.parse(stored) as { data: string }).data : ''
}

async function api(path: string, token: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } })
}

async function isDisabled(page: Page, selector: string): Promise<boolean> {
  return ((await current(page).locator(selector).getAttribute('class')) ?? '').includes('disabled')
}

/** Opens 我的, and one of its rows (a cell, not a button) if named. */
async function openMine(page: Page, row?: string): Promise<void> {
  await openRoute(page, baseUrl, '/pages/mine/index')
  await current(page).locator('.mine__my-data').waitFor()
  if (!row) return
  await toastGone(page)
  await current(page).locator(`.${row}`).tap()
  // 我的 stays behind, hidden once the next page has slid in.
  await page.locator('.mine__my-data').waitFor({ state: 'hidden' })
}

describe('privacy', () => {
  test('a new user reads the guide first, says no, then agrees once; joins with the test phone; the committee sees it', async () => {
    const name = chineseName('孙')

    // --- a new user signs in: the guide comes before anything else ---
    const newcomer = await newPhone()
    const r = newcomer.page
    await r.goto(`${baseUrl}/`)
    await current(r).getByText('我是新用户').waitFor()
    await tapButton(r, '我是新用户', current(r))
    const guide = current(r).locator('.privacy__title')
    await guide.waitFor()
    await expect(guide.innerText()).resolves.toBe(PRIVACY_GUIDE.title)
    await expect(current(r).locator('.privacy__version').innerText()).resolves.toContain(
      dateWords(PRIVACY_GUIDE.version),
    )
    const sections = current(r).locator('.privacy__section')
    expect(await sections.count()).toBe(PRIVACY_GUIDE.sections.length)
    for (const [i, section] of PRIVACY_GUIDE.sections.entries()) {
      await expect(sections.nth(i).locator('.lr-card__title').innerText()).resolves.toBe(section.heading)
      await expect(sections.nth(i).locator('.privacy__body').innerText()).resolves.toBe(section.body)
    }
    // Nothing of the app behind it yet.
    expect(await r.locator('.home__join, .home__village').count()).toBe(0)
    const token = await tokenOf(r)
    await expect((await api('/api/me', token)).json()).resolves.toMatchObject({ needsPrivacyConsent: true })
    await snap(r, 'guide-first-sign-in')

    // 不同意: told plainly that Liren cannot be used without it, with the way back.
    await tapClass(r, 'privacy__disagree')
    await current(r).getByText('不同意，就用不了里仁').waitFor()
    await expect(current(r).locator('.privacy__declined').innerText()).resolves.toContain('同意后就能用')
    await expect((await api('/api/me', token)).json()).resolves.toMatchObject({ needsPrivacyConsent: true })
    await snap(r, 'guide-declined')
    await tapClass(r, 'privacy__again')
    await current(r).locator('.privacy__agree').waitFor()

    // 同意并继续: on to the home page, and the server has the consent.
    await tapClass(r, 'privacy__agree')
    await current(r).getByText('您还没有加入村（社区）').waitFor()
    await expect((await api('/api/me', token)).json()).resolves.toMatchObject({ needsPrivacyConsent: false })
    await snap(r, 'home-after-agreeing')

    // Reloading does not ask again.
    await r.reload()
    await current(r).getByText('您还没有加入村（社区）').waitFor()
    await r.waitForLoadState('networkidle')
    expect(await r.locator('.privacy__agree').count()).toBe(0)

    // --- joining 张家村 with the test phone ---
    await fillJoinForm(r, '张家村', { name, address: '张家村二组 6 号', year: '1960' })
    await expect(current(r).locator('.join__phone').innerText()).resolves.toContain(
      '村（居）委会审核时可能打电话跟您核实，不填也可以',
    )
    await snap(r, 'join-before-phone')
    await tapClass(r, 'join__phone-test')
    await current(r).locator('.join__phone-done').getByText('已授权手机号').waitFor()
    await snap(r, 'join-phone-given')
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()

    // Their own phone on 我的数据.
    await openMine(r)
    await snap(r, 'mine')
    await openMine(r, 'mine__my-data')
    await current(r).locator('.my-data__phone').getByText(TEST_PHONE).waitFor()
    await expect(current(r).locator('.my-data__phone').innerText()).resolves.toContain('张家村')
    await snap(r, 'newcomer-my-data')

    // The guide stays within reach from 我的, to read without being asked.
    await openMine(r, 'mine__privacy')
    await current(r).locator('.privacy__read-note').waitFor()
    expect(await current(r).locator('.privacy__agree').count()).toBe(0)
    expect(await current(r).locator('.privacy__section').count()).toBe(PRIVACY_GUIDE.sections.length)
    await snap(r, 'guide-from-mine')

    // --- the committee sees the phone on the application ---
    const committee = await phoneSignedInAs(/^\s*张家村 · 村委会/)
    const c = committee.page
    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const application = current(c).locator('.applications__item', { hasText: name })
    await application.waitFor()
    await expect(application.locator('.applications__phone').innerText()).resolves.toBe(TEST_PHONE)
    await snap(c, 'committee-application-phone')

    // --- the committee registers 李梅 as moved out: the roster keeps her, her account details go ---
    await openRoute(c, baseUrl, '/pages/index/index')
    await tapClass(c, 'home__roster')
    await fill(c, '.roster__search', '李梅')
    await tapClass(c, 'roster__search-button')
    const row = current(c).locator('.person-row', { hasText: '李梅' }).first()
    await row.waitFor()
    await toastGone(c)
    await row.tap()
    await current(c).locator('.person__retire--moved_out').waitFor()
    await snap(c, 'person-before-retire')
    await tapClass(c, 'person__retire--moved_out')
    const dialog = current(c).locator('.nut-dialog')
    await dialog.getByText('确定 李梅 已经迁出了吗？').waitFor()
    await expect(dialog.innerText()).resolves.toContain('账号信息也会抹去')
    await snap(c, 'person-retire-confirm')
    await confirmDialog(c, '确定')
    await current(c).locator('.person__status-now').getByText('已登记迁出').waitFor()
    await expect(current(c).locator('.person__facts').innerText()).resolves.toMatch(/状态\s*迁出/)
    await expect(current(c).locator('.person__account').innerText()).resolves.toContain('已登记迁出，不关联里仁账号')
    expect(await current(c).locator('.person__link').count()).toBe(0)
    await toastGone(c)
    await snap(c, 'person-retired')

    await closePhones(newcomer, committee)
  })

  test('the guide asked for on the way to a page leads on to that page', async () => {
    const newcomer = await newPhone()
    const r = newcomer.page
    await r.goto(`${baseUrl}/`)
    await current(r).getByText('我是新用户').waitFor()
    await tapButton(r, '我是新用户', current(r))
    await current(r).locator('.privacy__agree').waitFor()
    const villages = (await (await api('/api/villages', await tokenOf(r))).json()) as { id: number; name: string }[]
    const zhangjia = villages.find((v) => v.name === '张家村')!

    // Straight to the join form of 张家村 (as from a shared link): the guide comes first.
    await openRoute(r, baseUrl, `/packages/member/join/index?villageId=${zhangjia.id}`)
    await current(r).locator('.privacy__agree').waitFor()
    expect(decodeURIComponent(r.url())).toContain(`next=/packages/member/join/index?villageId=${zhangjia.id}`)
    await snap(r, 'guide-before-join-link')
    await tapClass(r, 'privacy__agree')
    await current(r).locator('.join__village.lr-pick--chosen', { hasText: '张家村' }).waitFor()
    expect(await r.locator('.privacy__agree:visible').count()).toBe(0)
    await newcomer.context.close()
  })

  test('退出登录 on one phone ends the sign-in on her other phone too; signing in again works', async () => {
    const [one, two] = [await newPhone(), await newPhone()]
    await signInAs(one.page, baseUrl, /^\s*张家村 · .*张秀兰/)
    await signInAs(two.page, baseUrl, /^\s*张家村 · .*张秀兰/)
    const otherToken = await tokenOf(two.page)
    const otherRefresh = await refreshTokenOf(two.page)
    expect((await api('/api/me', otherToken)).status).toBe(200)

    await openMine(one.page)
    await tapButton(one.page, '退出登录', current(one.page))
    await confirmDialog(one.page, /^\s*退出\s*$/)
    await current(one.page).getByText('我是新用户').waitFor()
    expect(await tokenOf(one.page)).toBe('')
    await snap(one.page, 'signed-out')

    // The other phone's tokens open nothing now, and its next page asks her to sign in.
    expect((await api('/api/me', otherToken)).status).toBe(401)
    const refreshed = await fetch(`${baseUrl}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: otherRefresh }),
    })
    expect(refreshed.status).toBe(401)
    await openRoute(two.page, baseUrl, '/pages/mine/index')
    await current(two.page).getByText('我是新用户').waitFor()
    expect(await tokenOf(two.page)).toBe('')
    await snap(two.page, 'other-phone-signed-out')

    expect(await signInAs(one.page, baseUrl, /^\s*张家村 · .*张秀兰/)).toBe(false)
    expect((await api('/api/me', await tokenOf(one.page))).status).toBe(200)
    await closePhones(one, two)
  })

  test('a resident downloads 我的数据 (theirs only), then deletes the account and is signed out for good', async () => {
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page

    // Signing in again with the same guide version does not ask again.
    await openMine(r)
    await tapButton(r, '退出登录', current(r))
    await confirmDialog(r, /^\s*退出\s*$/)
    expect(await signInAs(r, baseUrl, /^\s*张家村 · .*张秀兰/)).toBe(false)

    // 随手拍 says why it asks for the place, next to where it is asked.
    await tapButton(r, /^\s*随手拍\s*$/, current(r).locator('.home__reports'))
    await expect(current(r).locator('.report-new__location').innerText()).resolves.toContain('处理的人好找到地方')

    await openMine(r, 'mine__my-data')
    await current(r).locator('.my-data__kept').waitFor()
    await expect(current(r).locator('.my-data__kept').innerText()).resolves.toContain(PRIVACY_GUIDE.sections[0].body)
    await current(r).locator('.my-data__phones').getByText('您没有留手机号').waitFor()
    await snap(r, 'resident-my-data')

    // The download: a JSON file of what Liren holds about her, and nobody else.
    const download = await downloadByClass(r, 'my-data__download')
    expect(download.suggestedFilename()).toBe('里仁-我的数据.json')
    const text = await readFile(await download.path(), 'utf8')
    const data = JSON.parse(text) as { memberships: { realName: string }[] }
    expect(data.memberships.map((m) => m.realName)).toEqual(['张秀兰'])
    expect(text).toContain('张秀兰')
    for (const other of ['赵小明', '王建国', '李梅']) expect(text).not.toContain(other)

    // 注销账号: told what happens, and only once 注销 is typed.
    const token = await tokenOf(r)
    await tapClass(r, 'my-data__start-delete')
    await current(r).locator('.my-data__consequences').waitFor()
    const consequences = await current(r).locator('.my-data__delete').innerText()
    for (const words of ['会被删掉', '变成匿名', '积分', '不能恢复']) expect(consequences).toContain(words)
    expect(await isDisabled(r, 'taro-button-core.my-data__confirm')).toBe(true)
    await fill(r, '.my-data__confirm-input', '注')
    expect(await isDisabled(r, 'taro-button-core.my-data__confirm')).toBe(true)
    await fill(r, '.my-data__confirm-input', '注销')
    expect(await isDisabled(r, 'taro-button-core.my-data__confirm')).toBe(false)
    await snap(r, 'resident-delete-confirm')
    await tapClass(r, 'my-data__confirm')

    // The login page, saying so; the old sign-in is no sign-in any more.
    await current(r).getByText('我是新用户').waitFor()
    // The toast's own box is its inner text (the outer element has no size of its own).
    await r.locator('.taro__toast').getByText('账号已注销').waitFor()
    await expect(current(r).locator('.login__deleted').innerText()).resolves.toContain('个人信息已经删除')
    await snap(r, 'deleted-login')
    expect(await tokenOf(r)).toBe('')
    expect((await api('/api/me', token)).status).toBe(401)

    // Her name is gone from the demo sign-in list (the same WeChat account would start a new, empty account).
    await current(r)
      .locator('taro-button-core', { hasText: /王建国/ })
      .first()
      .waitFor()
    expect(
      await current(r)
        .locator('taro-button-core', { hasText: /张秀兰/ })
        .count(),
    ).toBe(0)

    await resident.context.close()
  })
})
