/**
 * Reports (随手拍) in a real browser against the real server: a resident's words are refused by the
 * content check and her draft survives leaving the page; she files a report with a photo and finds it
 * under 我的上报; a neighbour adds 我也遇到; the grid worker finds it in her queue, accepts and resolves
 * it with a note; the resident rates it 满意 and sees the +2 points on the 积分 tab. How the server,
 * database and browser are set up: support.ts.
 */
import { randomInt } from 'node:crypto'
import sharp from 'sharp'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { current, fill, openPointsTab, tapButton, toastGone } from './steps'
import { baseUrl, closePhones, openRoute, phoneSignedInAs, routeOf, screenshots, useStack } from './support'

const snap = screenshots('reports-')

useStack()

/** A small photo of a "broken street light": a grey sky over a dark post, as a phone would send. */
function photo(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="#9fb3c8"/><rect y="360" width="640" height="120" fill="#6b7b4a"/>
    <rect x="300" y="80" width="24" height="300" fill="#333"/><circle cx="312" cy="80" r="30" fill="#555"/></svg>`
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer()
}

/** The report's state, as shown next to its title. */
async function stateOf(page: Page): Promise<string> {
  return (await current(page).locator('.report__state').innerText()).trim()
}

describe('reports', () => {
  test('a resident files a report with a photo; the grid worker accepts and resolves it; she rates it and earns points', async () => {
    const tag = String(randomInt(1000, 10000))
    const description = `村东头小桥边的路灯坏了，晚上一片黑 ${tag}`

    // --- the resident opens 随手拍 from the home page ---
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const r = resident.page
    await current(r).locator('.home__reports').waitFor()
    await snap(r, 'resident-home')
    await tapButton(r, /^\s*随手拍\s*$/, current(r).locator('.home__reports'))
    await current(r).locator('.report-new__categories').waitFor()
    const villageId = Number(new URL(r.url().replace('#', '')).searchParams.get('villageId'))
    expect(villageId).toBeGreaterThan(0)
    await snap(r, 'resident-new-empty')

    // Nothing chosen or written: told in place.
    await tapButton(r, '提交上报', current(r))
    await current(r).getByText('请选一个类别').waitFor()
    await current(r).getByText('请写一写看到了什么').waitFor()

    // 矛盾纠纷 is private unless she says otherwise; 环境卫生 is public.
    await current(r).locator('.lr-chip', { hasText: '矛盾纠纷' }).tap()
    await current(r).getByText('不公开：只有您和处理的干部能看到').waitFor()
    await current(r).locator('.lr-chip', { hasText: '设施损坏' }).tap()
    await current(r).getByText('公开后，大家能看到这件事', { exact: false }).waitFor()

    // Words the content check refuses come back under the description.
    await fill(r, '.report-new__description', '有人在桥下聚众赌博')
    await tapButton(r, '提交上报', current(r))
    await current(r).locator('.lr-field--error', { hasText: '内容里有不合适的话' }).waitFor()
    await toastGone(r)
    await snap(r, 'resident-new-content-rejected')

    // The draft is kept when she leaves and comes back.
    await fill(r, '.report-new__description', description)
    await current(r).locator('.lr-chip', { hasText: '橙色' }).tap()
    await current(r).getByText('比较急，要尽快处理', { exact: false }).waitFor()
    await openRoute(r, baseUrl, '/pages/index/index')
    await openRoute(r, baseUrl, `/packages/reports/new/index?villageId=${villageId}`)
    await current(r).getByText('上次没写完的内容已经帮您留着了').waitFor()
    await expect(current(r).locator('.report-new__description textarea').inputValue()).resolves.toBe(description)
    await current(r).locator('.lr-chip--on', { hasText: '设施损坏' }).waitFor()
    await current(r).locator('.lr-chip--on', { hasText: '橙色' }).waitFor()

    // A photo, shrunk and uploaded as soon as it is picked.
    const [chooser] = await Promise.all([r.waitForEvent('filechooser'), current(r).locator('.photo-picker__add').tap()])
    await chooser.setFiles({ name: 'light.jpg', mimeType: 'image/jpeg', buffer: await photo() })
    await current(r).locator('.report-new__photos .photo-picker__thumb').waitFor()
    await fill(r, '.report-new__address', '村东头小桥')
    await toastGone(r)
    await snap(r, 'resident-new-filled')

    await tapButton(r, '提交上报', current(r))
    await current(r).locator('.report__facts').waitFor()
    await expect(stateOf(r)).resolves.toBe('待受理')
    await expect(current(r).locator('.report__description').innerText()).resolves.toContain(description)
    await expect(current(r).locator('.report__facts').innerText()).resolves.toContain('橙色（紧急）')
    await expect(current(r).locator('.report__facts').innerText()).resolves.toContain('张秀兰')
    await expect(current(r).locator('.report__facts').innerText()).resolves.toContain('村东头小桥')
    await current(r).locator('.report__photos .photo-picker__thumb').waitFor()
    await expect(current(r).locator('.report__timeline').innerText()).resolves.toContain('提交上报')
    // Her own report: no 我也遇到 for her.
    await expect(current(r).locator('.report__support').count()).resolves.toBe(0)
    const detailRoute = routeOf(r)
    await toastGone(r)
    await snap(r, 'resident-report-filed')

    // --- it is under 我的上报, and the form is empty again ---
    await openRoute(r, baseUrl, '/pages/index/index')
    await tapButton(r, '大家的上报', current(r))
    await current(r).locator('.report-feed__tabs').waitFor()
    await current(r).locator('.report-card', { hasText: tag }).waitFor()
    await current(r).locator('.lr-chip', { hasText: '我的上报' }).tap()
    const mine = current(r).locator('.report-card', { hasText: tag })
    await mine.waitFor()
    await expect(mine.innerText()).resolves.toContain('待受理')
    await mine.locator('.report-card__thumb').waitFor()
    await snap(r, 'resident-my-reports')
    // The map tab: H5 has no map, and a report with only a typed address has no place on one.
    await current(r).locator('.lr-chip', { hasText: '地图' }).tap()
    await current(r).getByText('还没有标了位置、没办完的公开上报。').waitFor()
    await snap(r, 'resident-map-tab')

    // --- a neighbour has the same trouble ---
    const neighbour = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const n = neighbour.page
    await tapButton(n, '大家的上报', current(n))
    await current(n).locator('.report-card', { hasText: tag }).tap()
    await tapButton(n, '我也遇到', current(n))
    await current(n).getByText('1 人也遇到过').waitFor()
    await current(n).locator('.lr-badge', { hasText: '您点过了' }).waitFor()
    await expect(current(n).locator('.report__handle').count()).resolves.toBe(0)
    await toastGone(n)
    await snap(n, 'neighbour-supported')

    // --- the grid worker finds it in her queue, accepts and resolves it ---
    const worker = await phoneSignedInAs(/^\s*张家村 · .*李梅/)
    const w = worker.page
    await current(w).locator('.home__report-queue').waitFor()
    await snap(w, 'worker-home')
    await tapButton(w, '处理上报', current(w))
    await current(w).locator('.lr-chip--on', { hasText: '我的网格' }).waitFor()
    const queued = current(w).locator('.report-card', { hasText: tag })
    await queued.waitFor()
    await expect(queued.innerText()).resolves.toContain('1 人也遇到')
    await snap(w, 'worker-queue')
    await queued.tap()
    await current(w).locator('.report__handle').waitFor()
    await snap(w, 'worker-report')

    await tapButton(w, /^\s*受理\s*$/, current(w).locator('.report__handle'))
    await expect.poll(() => stateOf(w)).toBe('已受理')
    await expect(current(w).locator('.report__facts').innerText()).resolves.toContain('李梅')
    await toastGone(w)
    await snap(w, 'worker-accepted')

    await tapButton(w, /^\s*办结\s*$/, current(w).locator('.report__handle'))
    await tapButton(w, '确认办结', current(w))
    await current(w).getByText('请写一写是怎么处理的').waitFor()
    await fill(w, '.report__note', '已经换了新灯泡，晚上亮了')
    await snap(w, 'worker-resolve-form')
    await tapButton(w, '确认办结', current(w))
    await expect.poll(() => stateOf(w)).toBe('已办结')
    await expect(current(w).locator('.report__timeline').innerText()).resolves.toContain('已经换了新灯泡，晚上亮了')
    // Done: no more buttons for the handler.
    await expect(current(w).locator('.report__handle').count()).resolves.toBe(0)
    await toastGone(w)
    await snap(w, 'worker-resolved')

    // It has left the queue.
    await w.goBack()
    await current(w).locator('.report-queue__summary').waitFor()
    // The page reloads its list on showing again: wait for that, not for the old list.
    await expect.poll(() => current(w).locator('.report-card', { hasText: tag }).count()).toBe(0)

    // --- the resident rates it 满意 and gets the points ---
    await openRoute(r, baseUrl, '/pages/index/index')
    await openPointsTab(r)
    const balance = current(r).locator('.points__balance')
    const before = Number((await balance.innerText()).trim())
    // She hears of it in 我的消息 and opens the report from there.
    await toastGone(r)
    await r.locator('.weui-tabbar__item', { hasText: '我的' }).tap()
    const inboxEntry = current(r).locator('.mine__inbox')
    await expect.poll(async () => inboxEntry.innerText()).toContain('条新消息')
    await inboxEntry.tap()
    const news = current(r).locator('.inbox__item--unread', { hasText: '您的上报已办结，请评价' })
    await news.waitFor()
    await expect(current(r).locator('.inbox__item', { hasText: '您的上报已受理' }).count()).resolves.toBe(1)
    // The page slides in; the picture waits until it is in place.
    await expect.poll(async () => (await current(r).boundingBox())?.x).toBe(0)
    await snap(r, 'resident-inbox')
    await news.tap()
    await current(r).locator('.report__rate').waitFor()
    expect(r.url()).toContain(`reportId=${new URLSearchParams(detailRoute.split('?')[1]).get('reportId')}`)
    await expect(stateOf(r)).resolves.toBe('已办结')
    await expect(current(r).locator('.report__timeline').innerText()).resolves.toContain('已经换了新灯泡，晚上亮了')
    // 不满意 needs a reason.
    await current(r)
      .locator('.report__rate .lr-chip', { hasText: /^\s*不满意\s*$/ })
      .tap()
    await tapButton(r, '提交评价', current(r))
    await current(r).getByText('请说一说哪里不满意').waitFor()
    await current(r)
      .locator('.report__rate .lr-chip', { hasText: /^\s*满意\s*$/ })
      .tap()
    await fill(r, '.report__comment', '修得很快，谢谢')
    await snap(r, 'resident-rate')
    await tapButton(r, '提交评价', current(r))
    await expect.poll(() => stateOf(r)).toBe('已结案')
    await expect(current(r).locator('.report__facts').innerText()).resolves.toContain('满意：修得很快，谢谢')
    await toastGone(r)
    await snap(r, 'resident-closed')

    await openRoute(r, baseUrl, '/pages/index/index')
    await openPointsTab(r)
    await expect
      .poll(async () => Number((await current(r).locator('.points__balance').innerText()).trim()))
      .toBe(before + 2)
    const earned = current(r).locator('.points__entry').first()
    await expect(earned.innerText()).resolves.toContain('+2')
    await expect(earned.innerText()).resolves.toContain('随手拍有效上报')
    await snap(r, 'resident-points')

    await closePhones(worker, neighbour, resident)
  })
})
