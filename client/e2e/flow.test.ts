/**
 * The identity flow in a real browser against the real server:
 * a new resident applies to join, a committee member verifies them, the resident sees 已认证.
 * How the server, database and browser are set up: support.ts.
 */
import { describe, expect, test } from 'vitest'
import { chineseName, current, notOnRoster, tapButton, tapClass, toastGone } from './steps'
import {
  baseUrl,
  closePhones,
  largeText,
  newPhone,
  openRoute,
  passPrivacyGuide,
  phoneSignedInAs,
  screenshots,
  signInNew,
  useStack,
} from './support'

const snap = screenshots()

useStack()

describe('joining a village', () => {
  test('a new resident applies, the committee verifies, the resident is 已认证', async () => {
    const name = chineseName()

    // --- the new resident ---
    const resident = await newPhone()
    const r = resident.page
    await r.goto(`${baseUrl}/`)
    await current(r).getByText('我是新用户').waitFor()
    await snap(r, 'login-picker')

    await tapButton(r, '我是新用户', current(r))
    await passPrivacyGuide(r)
    await current(r).getByText('您还没有加入村（社区）').waitFor()
    await snap(r, 'resident-home-new')

    await tapButton(r, '申请加入', current(r))
    const firstVillage = current(r).locator('.join__village').first()
    await firstVillage.waitFor()
    const villageName = (await firstVillage.locator('.lr-pick__name').innerText()).trim()
    expect(villageName).not.toBe('')

    // The form checks before sending.
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('请填写真实姓名').waitFor()
    await snap(r, 'join-validation')

    await firstVillage.tap()
    await current(r).locator('.join__input--name input').fill(name)
    await current(r).locator('.join__input--address input').fill(`${villageName}3组12号`)
    await current(r).locator('.join__input--year input').fill('1956')
    await snap(r, 'join-filled')

    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()
    await expect(current(r).getByText('等待审核').first().isVisible()).resolves.toBe(true)
    await snap(r, 'join-submitted')

    await tapButton(r, '回到首页', current(r))
    await current(r)
      .getByText('正在等待村委会审核', { exact: false })
      .or(current(r).getByText('正在等待居委会审核', { exact: false }))
      .waitFor()
    await snap(r, 'resident-home-pending')

    // --- a committee member of that village, on another phone ---
    const committee = await phoneSignedInAs(new RegExp(`^\\s*${villageName} · (村|居)委会`))
    const c = committee.page
    await current(c).locator('.home__applications').waitFor()
    await snap(c, 'committee-home')

    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const card = current(c).locator('.applications__item', { hasText: name })
    await card.waitFor()
    await snap(c, 'committee-applications')

    await toastGone(c)
    await notOnRoster(card)
    await card.locator('taro-button-core.applications__verify').tap()
    const dialog = current(c).locator('.nut-dialog')
    await dialog.getByText(`确认 ${name}`, { exact: false }).waitFor()
    // Nobody on the roster chosen: the committee is told this person will have no points account yet.
    await dialog.locator('.applications__unlinked').getByText('暂时没有积分账户', { exact: false }).waitFor()
    await snap(c, 'committee-confirm')
    await tapButton(c, '确定通过', dialog)
    await card.waitFor({ state: 'detached' })
    await toastGone(c)
    await snap(c, 'committee-after-verify')

    // The roster names the members not yet found on it, and says what to do.
    await openRoute(c, baseUrl, '/pages/index/index')
    await tapClass(c, 'home__roster')
    await current(c).locator('.roster__unlinked').getByText(name, { exact: false }).waitFor()
    await snap(c, 'committee-roster-unlinked')

    // --- the resident looks again ---
    await r.goto(`${baseUrl}/#/pages/mine/index`)
    await r.reload()
    const membership = current(r).locator('.mine__membership', { hasText: villageName })
    await membership.getByText('已认证').waitFor()
    // The decision came as a message.
    await current(r).locator('.mine__inbox').getByText('1 条新消息').waitFor()
    await snap(r, 'resident-mine-verified')

    // 适老化: tapping the large-text row flips the mode (on, or off in the large-text run),
    // on every page.
    await toastGone(r)
    const flipped = largeText ? '.lr-page:not(.lr-large)' : '.lr-page.lr-large'
    await current(r)
      .locator('.mine__setting')
      .tap({ position: { x: 60, y: 30 } })
    await current(r).locator(flipped).waitFor()
    await snap(r, largeText ? 'resident-mine-normal-text' : 'resident-mine-large-text')
    await r.goto(`${baseUrl}/#/pages/index/index`)
    await r.reload()
    await current(r).locator(flipped).waitFor()
    await current(r).getByText(name, { exact: false }).waitFor()
    // Not on the roster yet: the membership card says what that means and what to do.
    await current(r)
      .locator('.home__unlinked')
      .getByText(/请找(村|居)委会在花名册里关联您/)
      .waitFor()
    await snap(r, largeText ? 'resident-home-verified-normal-text' : 'resident-home-verified-large-text')

    await closePhones(resident, committee)
  })

  test('the committee turns an application down with a reason, the resident sees it', async () => {
    const name = chineseName()
    const resident = await newPhone()
    const r = resident.page
    await signInNew(r, baseUrl)
    await tapButton(r, '申请加入', current(r))
    // The last village in the list, so both kinds of place get exercised when the seed has two.
    const village = current(r).locator('.join__village').last()
    await village.waitFor()
    const villageName = (await village.locator('.lr-pick__name').innerText()).trim()
    await village.tap()
    await current(r).locator('.join__input--name input').fill(name)
    await current(r).locator('.join__input--address input').fill('幸福路8号2栋301')
    await current(r).locator('.join__input--year input').fill('1962')
    await tapButton(r, '提交申请', current(r))
    await current(r).getByText('申请已提交').waitFor()

    const committee = await phoneSignedInAs(new RegExp(`^\\s*${villageName} · (村|居)委会`))
    const c = committee.page
    await tapButton(c, /审核入(村|社区)申请/, current(c))
    const card = current(c).locator('.applications__item', { hasText: name })
    await card.waitFor()
    await toastGone(c)
    await card.locator('taro-button-core.applications__reject').tap()
    const dialog = current(c).locator('.nut-dialog')
    await dialog.locator('textarea').waitFor()
    // Too short a reason is refused in the dialog itself.
    await dialog.locator('textarea').fill('不')
    await tapButton(c, '确定不通过', dialog)
    await dialog.getByText('请写明原因', { exact: false }).waitFor()
    await dialog.locator('textarea').fill('住址与花名册不一致，请到居委会核对')
    await snap(c, 'committee-reject-reason')
    await tapButton(c, '确定不通过', dialog)
    await card.waitFor({ state: 'detached' })

    await r.goto(`${baseUrl}/#/pages/mine/index`)
    await r.reload()
    const membership = current(r).locator('.mine__membership', { hasText: villageName })
    await membership.getByText('未通过').waitFor()
    await membership.getByText('住址与花名册不一致', { exact: false }).waitFor()
    await snap(r, 'resident-mine-rejected')

    await closePhones(resident, committee)
  })
})
