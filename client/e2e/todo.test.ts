/**
 * 待办 in a real browser: the committee's home shows how many applications and reports wait, on the
 * buttons and as the tab bar's red numbers (首页: things to act on, 我的: unread messages), its actions in
 * groups that fit a 375 px phone in normal and large text (layout.ts checks every screenshot); a representative with an open vote sees it on
 * 首页 as a card that leads to the vote. How the server, database and browser are set up: support.ts.
 */
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { current, openPointsTab, tapClass, toastGone } from './steps'
import { sqlOnServer } from './server'
import { apiAs, closePhones, largeTextOn, phoneSignedInAs, screenshots, useStack } from './support'

const snap = screenshots('todo-')

useStack()

/** The red number on a tab of the tab bar ('' when it has none). */
const tabBadge = async (page: Page, tab: string) => {
  const badge = page.locator('.weui-tabbar__item', { hasText: tab }).locator('.taro-tabbar-badge')
  return (await badge.count()) ? (await badge.innerText()).trim() : ''
}

/** Back to 首页 by its tab, once its to-do has loaded again (it loads each time 首页 shows). */
async function showHome(page: Page): Promise<void> {
  await toastGone(page)
  const loaded = page.waitForResponse((res) => res.url().endsWith('/todo'))
  await page.locator('.weui-tabbar__item', { hasText: '首页' }).tap()
  await loaded
}

describe('what waits for me', () => {
  test('the committee sees its counts on 首页 and the tab bar; a representative sees the open vote', async () => {
    const resident = await apiAs('demo-zhangjia-resident', '张家村')
    const committee = await apiAs('demo-zhangjia-committee', '张家村')
    const { villageId } = committee
    const v = (path: string) => `/api/villages/${villageId}${path}`
    const reports: { id: number }[] = []
    for (const [i, description] of ['村口路灯坏了三天', '二组垃圾桶满了没人清'].entries())
      reports.push(
        await resident.call(v('/reports'), {
          category: '环境卫生',
          description,
          idempotencyKey: `e2e-todo-${Date.now()}-${i}`,
        }),
      )
    // The first one has waited past its deadline to be accepted.
    await sqlOnServer('UPDATE reports SET accept_due_at = ? WHERE id = ?', [
      new Date(Date.now() - 3600_000),
      reports[0]!.id,
    ])
    // A 村民代表会议 with its vote open: 张秀兰 is a representative; 王建国 is not.
    const meeting = await committee.call<{ id: number; agenda: { vote: { id: number } | null }[] }>(v('/meetings'), {
      kind: 'representative_meeting',
      title: '村西修路代表会议',
      place: '村委会会议室',
      startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      urgentReason: '雨季前要定下来',
      online: true,
      agenda: [{ title: '村西修路', vote: { question: '同意用村集体资金修村西的路', secret: false } }],
    })
    await committee.call(v(`/meetings/${meeting.id}/announce`), {})
    await committee.call(v(`/votes/${meeting.agenda[0]!.vote!.id}/open`), {})
    // A 村民会议's notice, to every adult (王建国 among them), waits unread on 我的.
    const villagers = await committee.call<{ id: number }>(v('/meetings'), {
      kind: 'villager_meeting',
      title: '冬季防火村民会议',
      place: '村委会大院',
      startsAt: new Date(Date.now() + 2 * 86400_000).toISOString(),
      urgentReason: '防火季马上到了',
      online: true,
      agenda: [{ title: '冬季防火值班' }],
    })
    await committee.call(v(`/meetings/${villagers.id}/announce`), {})
    const unread = (await committee.call<{ unread: number }>('/api/notifications')).unread
    expect(unread).toBeGreaterThan(0)

    // --- the committee: 孙福来's application and the two reports wait ---
    const c = await phoneSignedInAs(/^\s*张家村 · 村委会/)
    const cp = c.page
    await cp.setViewportSize({ width: 375, height: 812 })
    await current(cp).locator('.home__count--reports').waitFor()
    await expect(current(cp).locator('.home__count--applications').innerText()).resolves.toBe('1')
    await expect(current(cp).locator('.home__count--reports').innerText()).resolves.toBe('2')
    await expect(current(cp).locator('.home__report-queue .home__overdue').innerText()).resolves.toBe('1 条超期')
    expect(await current(cp).locator('.home__votes').count()).toBe(0)
    await expect.poll(() => tabBadge(cp, '首页')).toBe('3')
    await expect.poll(() => tabBadge(cp, '我的')).toBe(String(unread))
    await snap(cp, 'committee-home')

    // 大字模式 (switched on in 我的): the same groups, bigger, still nothing cut.
    await largeTextOn(cp)
    await showHome(cp)
    await current(cp).locator('.lr-page.lr-large .home__count--reports').waitFor()
    await snap(cp, 'committee-home-large-text')

    // Reading the messages takes 我的's number away when 首页 shows again.
    await committee.call('/api/notifications/read', {})
    await openPointsTab(cp)
    await showHome(cp)
    await expect.poll(() => tabBadge(cp, '我的')).toBe('')
    await expect.poll(() => tabBadge(cp, '首页')).toBe('3')

    // --- the representative: the vote, on 首页, one tap from its page ---
    const r = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const rp = r.page
    await rp.setViewportSize({ width: 375, height: 812 })
    const card = current(rp).locator('.home__votes')
    await card.getByText('同意用村集体资金修村西的路').waitFor()
    await expect(card.innerText()).resolves.toContain('村西修路代表会议')
    expect(await current(rp).locator('.home__applications, .home__report-queue').count()).toBe(0)
    await expect.poll(() => tabBadge(rp, '首页')).toBe('1')
    await snap(rp, 'representative-home-vote')
    await tapClass(rp, 'home__vote-go')
    await current(rp).locator('.meeting__facts').waitFor()
    await current(rp).getByText('同意用村集体资金修村西的路').waitFor()
    await current(rp).getByText('请选一项').waitFor()
    await snap(rp, 'representative-vote-page')

    await closePhones(c, r)
  })
})
