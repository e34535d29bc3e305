/**
 * 我的 in a real browser against the real server: 张秀兰 has reported (anonymously), redeemed, signed up,
 * offered help, raised a topic and voted (one ballot on this phone, one elsewhere); each entry of 我的事
 * opens her list, and each row its page. 赵小明, who has done none of it, sees the kind empty lists. On
 * 我的数据 she downloads the table (an Excel file in Chinese) beside the data file. How the server,
 * database and browser are set up: support.ts.
 */
import { randomInt } from 'node:crypto'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import type { Me, Meeting } from '@liren/shared/contracts'
import { api, current, downloadByClass, tapButton, tapClass, toastGone } from './steps'
import { baseUrl, closePhones, openRoute, phoneSignedInAs, screenshots, useStack } from './support'

const snap = screenshots('mine-')

useStack()

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString()

/** Opens 我的 and then one of its rows. */
async function openMineRow(page: Page, row: string): Promise<void> {
  await openRoute(page, baseUrl, '/pages/mine/index')
  await current(page).locator('.mine__things').waitFor()
  await toastGone(page)
  await current(page).locator(`.${row}`).tap()
  await page.locator('.mine__things').waitFor({ state: 'hidden' })
}

describe('我的', () => {
  test('each list of 我的事 holds her own things and opens them; someone with none sees kind empty lists; 我的数据 as a table', async () => {
    const tag = String(randomInt(1000, 10000))
    const resident = await phoneSignedInAs(/^\s*张家村 · .*张秀兰/)
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const [r, c] = [resident.page, committee.page]
    const me = await api<Me>(r, '/api/me')
    const villageId = me.memberships[0]!.villageId
    const personId = me.memberships[0]!.personId!
    const v = (path: string) => `/api/villages/${villageId}${path}`

    // --- what she has done: an anonymous report, a redemption, a sign-up, an offer of help, a topic ---
    const report = `村口的路灯坏了 ${tag}`
    await api(r, v('/reports'), {
      category: '设施损坏',
      description: report,
      anonymous: true,
      idempotencyKey: `mine-report-${tag}`,
    })
    const item = await api<{ id: number }>(c, v('/shop/items'), { name: `毛巾 ${tag}`, cost: 10, stock: 5 })
    await api(c, v('/points/awards'), {
      personId,
      ruleCode: 'volunteer_hour',
      points: 10,
      reason: '打扫村口',
      idempotencyKey: `mine-award-${tag}`,
    })
    const order = await api<{ pickupCode: string }>(r, v('/shop/orders'), {
      itemId: item.id,
      idempotencyKey: `mine-order-${tag}`,
    })
    const activity = await api<{ id: number }>(c, v('/activities'), {
      title: `清扫村道 ${tag}`,
      description: '一起打扫村道',
      place: '村口',
      startsAt: inDays(2),
      endsAt: inDays(2.1),
      capacity: 20,
      pointsMode: 'fixed',
      points: 5,
    })
    await api(r, v(`/activities/${activity.id}/signup`), {})
    await api(r, v('/services'), { kind: 'offer', title: `接送孩子 ${tag}`, description: '放学帮忙接', points: 5 })
    const topic = await api<{ id: number }>(r, v('/topics'), {
      title: `村里装路灯 ${tag}`,
      description: '晚上太黑了，老人出门不方便。',
    })

    // --- a meeting with a secret vote (she votes on this phone) and an open one (voted elsewhere) ---
    const meeting = await api<Meeting>(c, v('/meetings'), {
      kind: 'deliberation',
      title: `路灯安装议事 ${tag}`,
      place: '村委会',
      startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      urgentReason: '路灯坏了，要赶紧商量',
      online: true,
      agenda: [
        { title: '装路灯', vote: { question: `同意装路灯 ${tag}`, secret: true } },
        { title: '选地方', vote: { question: `路灯装在小学门口 ${tag}`, secret: false } },
      ],
    })
    await api(c, v(`/meetings/${meeting.id}/announce`), {})
    const [secret, open] = meeting.agenda.map((a) => a.vote!)
    for (const vote of [secret!, open!]) await api(c, v(`/votes/${vote.id}/open`), {})
    await openRoute(r, baseUrl, `/packages/meetings/detail/index?villageId=${villageId}&meetingId=${meeting.id}`)
    const ballot = current(r).locator('.vote', { hasText: secret!.question })
    await ballot.locator('.vote__option').first().waitFor()
    await toastGone(r)
    await ballot.locator('.vote__option', { hasText: '同意' }).tap()
    await ballot.locator('taro-button-core.vote__cast').tap()
    await tapButton(r, '确定投票', current(r).locator('.nut-dialog'))
    const receipt = (await current(r).locator('.vote__receipt-code').innerText()).trim()
    await api(r, v(`/votes/${open!.id}/ballots`), { choices: [open!.options[1]!.id] })

    // --- 我的: 我的事 for the current village ---
    await openRoute(r, baseUrl, '/pages/mine/index')
    const things = current(r).locator('.mine__things')
    await things.waitFor()
    for (const title of ['我的上报', '我的兑换', '我的报名', '我的提议', '我的投票'])
      await things.getByText(title, { exact: true }).waitFor()
    await snap(r, 'mine')

    // 我的上报: the anonymous report is hers, with its state in words; it opens.
    await openMineRow(r, 'mine__my-reports')
    const card = current(r).locator('.report-card', { hasText: report })
    await card.waitFor()
    await expect(card.innerText()).resolves.toContain('待受理')
    await snap(r, 'my-reports')
    await card.tap()
    await current(r).locator('.report-detail, .report').first().waitFor()
    await current(r).getByText(report).first().waitFor()

    // 我的兑换: the order with its pickup code.
    await openMineRow(r, 'mine__my-orders')
    const ordered = current(r).locator('.orders__order', { hasText: `毛巾 ${tag}` })
    await ordered.waitFor()
    await expect(ordered.locator('.orders__code').innerText()).resolves.toBe(
      `${order.pickupCode.slice(0, 3)} ${order.pickupCode.slice(3)}`,
    )
    await snap(r, 'my-orders')

    // 我的报名: the activity and the offer; the activity opens.
    await openMineRow(r, 'mine__my-signups')
    const signup = current(r).locator('.my-signups__activity', { hasText: `清扫村道 ${tag}` })
    await signup.waitFor()
    await expect(signup.innerText()).resolves.toContain('已报名')
    const offer = current(r).locator('.my-signups__service', { hasText: `接送孩子 ${tag}` })
    await expect(offer.innerText()).resolves.toMatch(/能帮忙[\s\S]*我发布的/)
    await expect(offer.innerText()).resolves.toContain('等人接')
    await snap(r, 'my-signups')
    await signup.tap()
    await current(r).getByText(`清扫村道 ${tag}`).first().waitFor()
    // The activity's own page (not the list behind it), once loaded: her status there.
    await current(r).locator('.activity__my-status', { hasText: '已报名' }).waitFor()

    // The offer opens 服务互换 on 与我有关.
    await openMineRow(r, 'mine__my-signups')
    await current(r)
      .locator('.my-signups__service', { hasText: `接送孩子 ${tag}` })
      .tap()
    await current(r)
      .locator('.services__item', { hasText: `接送孩子 ${tag}` })
      .waitFor()
    await expect(current(r).locator('.services__filters .lr-chip--on').innerText()).resolves.toContain('与我有关')

    // 我的提议: the topic and where it stands; it opens.
    await openMineRow(r, 'mine__my-topics')
    const raised = current(r).locator('.my-topics__item', { hasText: `村里装路灯 ${tag}` })
    await raised.waitFor()
    await expect(raised.innerText()).resolves.toContain('正在征集附议')
    await snap(r, 'my-topics')
    await raised.tap()
    await current(r).getByText('晚上太黑了，老人出门不方便。').waitFor()
    expect(decodeURIComponent(r.url())).toContain(`topicId=${topic.id}`)

    // 我的投票: the secret one with the receipt this phone kept and no choice; the open one with her choice.
    await openMineRow(r, 'mine__my-votes')
    const secretRow = current(r).locator('.my-votes__item', { hasText: secret!.question })
    await secretRow.waitFor()
    await expect(secretRow.locator('.my-votes__code').innerText()).resolves.toBe(receipt)
    await expect(secretRow.innerText()).resolves.toContain('无记名投票')
    expect(await secretRow.locator('.my-votes__choice').count()).toBe(0)
    const openRow = current(r).locator('.my-votes__item', { hasText: open!.question })
    await expect(openRow.locator('.my-votes__choice').innerText()).resolves.toBe(`我选的：${open!.options[1]!.label}`)
    await expect(openRow.locator('.my-votes__receipt').innerText()).resolves.toContain('这部手机上没有回执码')
    await snap(r, 'my-votes')
    await secretRow.tap()
    await current(r).locator('.vote', { hasText: secret!.question }).waitFor()
    expect(decodeURIComponent(r.url())).toContain(`meetingId=${meeting.id}`)

    // --- 我的数据: the table beside the data file ---
    await openMineRow(r, 'mine__my-data')
    await current(r).locator('.my-data__table').waitFor()
    await expect(current(r).locator('.my-data__table').innerText()).resolves.toContain('给人看')
    await expect(current(r).locator('.my-data__json').innerText()).resolves.toContain('给电脑程序用')
    await snap(r, 'my-data')
    const download = await downloadByClass(r, 'my-data__download-table')
    expect(download.suggestedFilename()).toBe('里仁-我的数据.xlsx')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(await download.path())
    const reports = workbook.getWorksheet('我的上报')!
    expect((reports.getRow(1).values as string[]).slice(1)).toEqual(
      expect.arrayContaining(['村（社区）', '上报时间', '说明', '状态', '匿名']),
    )
    const line = (reports.getSheetValues() as string[][]).find((row) => row?.includes(report))!
    expect(line).toEqual(expect.arrayContaining(['张家村', '待受理', '是']))
    expect(line.some((cell) => /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/.test(String(cell)))).toBe(true)

    // --- 赵小明 has done none of it: each list says so kindly and shows the way ---
    const volunteer = await phoneSignedInAs(/^\s*张家村 · .*赵小明/)
    const z = volunteer.page
    await openMineRow(z, 'mine__my-signups')
    await current(z).locator('.my-signups__find-activity').waitFor()
    await current(z).getByText('您还没有报名过志愿服务活动').waitFor()
    await current(z).getByText('您还没有发布或接下过服务互换').waitFor()
    await snap(z, 'empty-signups')
    await openMineRow(z, 'mine__my-topics')
    await current(z).getByText('您还没有提过议题').waitFor()
    await snap(z, 'empty-topics')
    await tapClass(z, 'my-topics__new')
    await current(z).locator('.topic-new__title, .topic-new').first().waitFor()
    await openMineRow(z, 'mine__my-votes')
    await current(z).getByText('您还没有参加过表决').waitFor()
    await snap(z, 'empty-votes')

    await closePhones(resident, committee, volunteer)
  })
})
