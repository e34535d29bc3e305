/**
 * Stored markup is shown as text in the H5 client, never run: a topic whose title and description are
 * HTML and script (the server keeps them verbatim) opens in a real browser as the same characters, with
 * no element made from them and no script run. How the server, database and browser are set up: support.ts.
 */
import { describe, expect, test } from 'vitest'
import { current } from './steps'
import { apiAs, baseUrl, newPhone, openRoute, screenshots, signInAs, useStack } from './support'

const snap = screenshots('markup-')

useStack()

describe('stored markup', () => {
  test('a topic written in HTML and script shows as its characters, and nothing runs', async () => {
    const { villageId, call } = await apiAs('demo-zhangjia-resident', '张家村')
    const title = '<img src=x onerror="window.__xss=1">路灯'
    const description = '<script>window.__xss=2</script><b>加粗</b> & <a href="javascript:alert(1)">点我</a>'
    const topic = await call<{ id: number }>(`/api/villages/${villageId}/topics`, { title, description })

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
