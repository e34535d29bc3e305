/**
 * Stored markup is shown as text in the H5 client, never run: a topic whose title and description are
 * HTML and script (the server keeps them verbatim) opens in a real browser as the same characters, with
 * no element made from them and no script run. How the server, database and browser are set up: support.ts.
 */
import { describe, expect, test } from 'vitest'
import { current } from './steps'
import { baseUrl, newPhone, openRoute, screenshots, signInAs, useStack } from './support'

const snap = screenshots('markup-')

useStack()

async function api<T>(path: string, body?: object, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

describe('stored markup', () => {
  test('a topic written in HTML and script shows as its characters, and nothing runs', async () => {
    const { code } = await api<{ code: string }>('/api/dev/wechat-code', { openid: 'demo-zhangjia-resident' })
    const { token } = await api<{ token: string }>('/api/auth/wechat', { code })
    const me = await api<{ memberships: { villageId: number; villageName: string }[] }>('/api/me', undefined, token)
    const villageId = me.memberships.find((m) => m.villageName === '张家村')!.villageId
    const title = '<img src=x onerror="window.__xss=1">路灯'
    const description = '<script>window.__xss=2</script><b>加粗</b> & <a href="javascript:alert(1)">点我</a>'
    const topic = await api<{ id: number }>(`/api/villages/${villageId}/topics`, { title, description }, token)

    const { page, context } = await newPhone()
    const alerts: string[] = []
    page.on('dialog', (d) => {
      alerts.push(d.message())
      void d.dismiss()
    })
    await signInAs(page, baseUrl, /^\s*张家村 · .*张秀兰/)
    await openRoute(page, baseUrl, `/packages/meetings/topic/index?villageId=${villageId}&topicId=${topic.id}`)
    const shown = current(page).locator('.topic__title')
    await shown.waitFor()
    await expect(shown.innerText()).resolves.toBe(title)
    await expect(current(page).innerText()).resolves.toContain('<script>window.__xss=2</script><b>加粗</b>')
    // Nothing was made of it: no image with that source, no bold, no link, no script ran.
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    expect(await current(page).locator('b, a[href^="javascript"]').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(alerts).toEqual([])
    // The markup is the resident's own words here, Latin letters and all.
    await snap(page, 'topic-as-text', [
      'img',
      'src',
      'onerror',
      'window',
      'xss',
      'script',
      'href',
      'javascript',
      'alert',
    ])
    await context.close()
  })
})
