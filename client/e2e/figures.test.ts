/**
 * The committee's view of reports in a real browser against the real server: 王建国 files two reports,
 * opens 上报统计 and finds them counted (total and category bars, another period), downloads the CSV
 * detail; on 对外接口 he makes an Open311 key for the county 12345 hotline, sees it once and copies it; the
 * hotline files a report with it through GeoReport v2 until he revokes the key. The town admin 周涛 opens
 * 全镇上报统计. How the server, database and browser are set up: support.ts.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { ReportFigures } from '@liren/shared/contracts'
import { describe, expect, test } from 'vitest'
import { shanghaiNow } from '../src/lib/format'
import { api, current, tapButton, toastGone } from './steps'
import { baseUrl, openRoute, phoneSignedInAs, screenshots, useStack } from './support'

const snap = screenshots('figures-')

useStack()

/** The hotline's side: a GeoReport v2 request filed with the key, as a form post. */
function fileWithKey(key: string, description: string): Promise<Response> {
  const form = new URLSearchParams({
    jurisdiction_id: 'zhangjia',
    api_key: key,
    service_code: '环境卫生',
    description,
    address_string: '张家村村口垃圾站',
  })
  return fetch(`${baseUrl}/open311/v2/requests.json`, { method: 'POST', body: form })
}

const countOf = (counts: ReportFigures['byCategory'], key: string) => counts.find((c) => c.key === key)?.count ?? 0

describe('report figures and Open311 keys', () => {
  test('the committee counts the reports, downloads the detail and issues and revokes a hotline key; the town sees its figures', async () => {
    const tag = randomBytes(2).toString('hex').toUpperCase()

    // --- 王建国 files two reports ---
    const committee = await phoneSignedInAs(/^\s*张家村 · .*王建国/)
    const c = committee.page
    const me = await api<{ memberships: { villageId: number; villageName: string }[] }>(c, '/api/me')
    const villageId = me.memberships.find((m) => m.villageName === '张家村')!.villageId
    const before = await api<ReportFigures>(c, `/api/villages/${villageId}/reports/figures`)
    const monthFrom = shanghaiNow().subtract(1, 'month').add(1, 'day')
    const beforeMonth = await api<ReportFigures>(
      c,
      `/api/villages/${villageId}/reports/figures?from=${monthFrom.format('YYYY-MM-DD')}`,
    )
    const file = (category: string, description: string) =>
      api(c, `/api/villages/${villageId}/reports`, {
        category,
        description,
        idempotencyKey: `e2e-figures-${randomBytes(6).toString('hex')}`,
      })
    await file('环境卫生', `村口垃圾站三天没人清运，味道很大 ${tag}`)
    await file('设施损坏', `二组路口的健身器材坏了一个 ${tag}`)

    // --- 上报统计: the total and the category bars count them ---
    await openRoute(c, baseUrl, '/pages/index/index')
    await current(c).locator('.home__report-figures').waitFor()
    await current(c).locator('.home__open311').waitFor()
    await snap(c, 'committee-home')
    await tapButton(c, /^\s*上报统计\s*$/, current(c))
    const total = current(c).locator('.figures__total-value')
    await expect.poll(() => total.innerText()).toBe(`${before.total + 2} 件`)
    const sanitation = current(c).locator('.figures__by-category .figures__bar', { hasText: '环境卫生' })
    await expect(sanitation.innerText()).resolves.toContain(`${countOf(before.byCategory, '环境卫生') + 1} 件`)
    await expect(
      sanitation.locator('.figures__bar-fill').evaluate((el) => el.getBoundingClientRect().width),
    ).resolves.toBeGreaterThan(10)
    await expect(current(c).locator('.figures__by-state').innerText()).resolves.toContain('待受理')
    await expect(current(c).locator('.lr-chip--on').innerText()).resolves.toContain('近一年')
    await snap(c, 'committee-figures-year')

    // Reports filed today are in the last month too.
    await current(c).locator('.lr-chip', { hasText: '近一个月' }).tap()
    await current(c).locator('.lr-chip--on', { hasText: '近一个月' }).waitFor()
    // The month's answer may have the year's total; the range says when it has come.
    await expect
      .poll(() => current(c).locator('.figures__range').innerText())
      .toContain(`${monthFrom.format('YYYY年M月D日')} 至`)
    await expect.poll(() => total.innerText()).toBe(`${beforeMonth.total + 2} 件`)
    await toastGone(c)
    await snap(c, 'committee-figures-month')

    // --- the CSV detail, for Excel ---
    const [download] = await Promise.all([c.waitForEvent('download'), tapButton(c, '下载明细', current(c))])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
    const csv = await readFile((await download.path())!, 'utf8')
    expect(csv).toContain('编号')
    expect(csv).toContain('环境卫生')
    expect(csv).toContain('设施损坏')

    // --- 对外接口: a key for the county hotline, shown once ---
    await openRoute(c, baseUrl, '/pages/index/index')
    await tapButton(c, '对外接口', current(c))
    await current(c).locator('.open311__new').waitFor()
    await expect(current(c).locator('.open311__about').innerText()).resolves.toContain('zhangjia')
    await snap(c, 'committee-open311-empty')

    // No label: told in place.
    await tapButton(c, '生成密钥', current(c))
    await current(c).locator('.lr-field--error', { hasText: '请写上这个密钥给谁用' }).waitFor()

    await current(c).locator('.open311__label input').fill('县12345热线')
    await tapButton(c, '生成密钥', current(c))
    const keyBox = current(c).locator('.open311__key')
    await keyBox.waitFor()
    const key = (await keyBox.innerText()).trim()
    expect(key.length).toBeGreaterThan(16)
    await expect(current(c).locator('.open311__issued').innerText()).resolves.toContain('只显示这一次')
    const listed = current(c).locator('.open311__item', { hasText: '县12345热线' })
    await listed.waitFor()
    await expect(listed.innerText()).resolves.not.toContain(key)
    await toastGone(c)
    await snap(c, 'committee-open311-issued')

    await tapButton(c, /^\s*复制\s*$/, current(c).locator('.open311__issued'))
    await c.getByText('内容已复制').waitFor()
    await expect(
      c.evaluate(() => (JSON.parse(localStorage.getItem('taro_clipboard') ?? '{}') as { data?: string }).data),
    ).resolves.toBe(key)

    // --- the hotline uses it ---
    const services = await fetch(`${baseUrl}/open311/v2/services.json?jurisdiction_id=zhangjia`)
    expect(services.status).toBe(200)
    expect(JSON.stringify(await services.json())).toContain('环境卫生')
    const filed = await fileWithKey(key, `热线转来：村口垃圾站没人清运 ${tag}`)
    expect(filed.status).toBe(201)
    expect((await filed.json()) as unknown[]).toHaveLength(1)

    // Leaving and coming back: the key is not shown again, only its label.
    await openRoute(c, baseUrl, `/packages/reports/open311/index?villageId=${villageId}`)
    await listed.waitFor()
    await expect(current(c).locator('.open311__key').count()).resolves.toBe(0)

    // --- 停用, after a confirmation ---
    await tapButton(c, '停用', listed)
    const dialog = current(c).locator('.nut-dialog')
    await dialog.getByText('县12345热线', { exact: false }).waitFor()
    await snap(c, 'committee-open311-confirm')
    await tapButton(c, '确定停用', dialog)
    await listed.locator('.lr-badge', { hasText: '已停用' }).waitFor()
    await expect(listed.locator('.open311__revoke').count()).resolves.toBe(0)
    await toastGone(c)
    await snap(c, 'committee-open311-revoked')
    expect((await fileWithKey(key, `热线转来：又一件事 ${tag}`)).status).toBe(403)
    await committee.context.close()

    // --- the town admin sees the whole town ---
    const town = await phoneSignedInAs(/镇（街道）管理员/)
    const t = town.page
    await current(t).locator('.home__town-figures').waitFor()
    await snap(t, 'town-home')
    await tapButton(t, '全镇上报统计', current(t))
    await current(t).locator('.figures__by-category').waitFor()
    const townTotal = Number((await current(t).locator('.figures__total-value').innerText()).replace(/\D/g, ''))
    expect(townTotal).toBeGreaterThanOrEqual(before.total + 3)
    await expect(current(t).locator('.lr-heading').innerText()).resolves.toContain('青山镇')
    await expect(current(t).locator('.figures__csv').count()).resolves.toBe(0)
    await snap(t, 'town-figures')
    await town.context.close()
  })
})
