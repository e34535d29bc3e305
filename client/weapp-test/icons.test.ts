/**
 * NutUI's icons are in the weapp's rendered tree, where WeChat can draw them. The H5 build shows three:
 * an input's clear cross (MaskClose, rendered with every input), a button's spinner while it waits
 * (Loading) and a switch's spinner while its change is saved (Loading1). In the weapp output each must be
 * rendered through a template Taro's weapp templates have (a view; NutUI's own `<i>` has none and WeChat
 * would show nothing), carrying the icon's SVG as its CSS mask. (icons-static.test.ts checks the same
 * for every icon in the bundle, without rendering.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { MiniProgram } from './runtime/mini-program'
import { describeProblems, phone, signIn, startServer, stopServer, villageId, type Session } from './support'

let server = ''
let committee: Session
let resident: Session
let zhangjia = 0

beforeAll(async () => {
  server = await startServer('liren_weapp')
  committee = await signIn(server, 'demo-zhangjia-committee')
  resident = await signIn(server, 'demo-zhangjia-resident')
  zhangjia = await villageId(server, committee, '张家村')
})
afterAll(stopServer)

/** A page of 张家村 opened on a phone of its own, signed in as `session`. */
function villagePage(session: Session, path: string): Promise<MiniProgram> {
  return phone(server, { session, path, query: { villageId: String(zhangjia) } })
}

/** The rendered icons named `name` (NutUI's class nut-icon-<name>) on the current page. */
function icons(mp: MiniProgram, name: string): Element[] {
  return mp.all(`.nut-icon-${name}`)
}

/** Each icon is a view (a template WeChat has) whose style draws the icon's SVG as a mask. */
function expectDrawable(mp: MiniProgram, found: Element[]): void {
  expect(found.length).toBeGreaterThan(0)
  for (const icon of found) {
    expect(icon.tagName.toLowerCase()).toBe('view')
    const style = String(mp.attrs(icon).style ?? '')
    expect(style).toMatch(/mask: url\('data:image\/svg\+xml;base64,[A-Za-z0-9+/=]{100,}'\)/)
    expect(style).toContain('background-color: currentColor')
  }
  // Nothing of NutUI's is left as an element WeChat cannot render.
  expect(mp.all('i')).toEqual([])
  expect(mp.problems, describeProblems(mp.problems)).toEqual([])
}

describe('icons in the weapp rendered tree', () => {
  test("an input's clear cross (MaskClose) on the committee's new-activity form", async () => {
    const mp = await villagePage(committee, 'packages/committee/activity-new/index')
    await mp.waitForText('地点')
    const crosses = icons(mp, 'MaskClose')
    // One per input on the form.
    expect(crosses.length).toBe(mp.all('input').length)
    expectDrawable(mp, crosses)
    mp.close()
  })

  test("a button's spinner (Loading) while the privacy agreement is sent", async () => {
    const mp = await phone(server, { device: { openid: `weapp-icons-${process.pid}` } })
    await mp.tap('微信登录')
    await mp.waitForPage('pages/privacy/index')
    expect(icons(mp, 'Loading')).toEqual([])
    const release = mp.holdRequests()
    await mp.tap('同意并继续')
    const spinner = icons(mp, 'Loading')
    expect(spinner).toHaveLength(1)
    expect(spinner[0]!.closest('button')?.textContent).toContain('同意并继续')
    expectDrawable(mp, spinner)
    await release()
    await mp.waitForPage('pages/index/index')
    mp.close()
  })

  test("a switch's spinner (Loading1) while 排行榜显示我的全名 is saved", async () => {
    const mp = await villagePage(resident, 'packages/points/rankings/index')
    await mp.waitForText('排行榜显示我的全名')
    const release = mp.holdRequests()
    await mp.tap(mp.all('.rankings__full-name')[0]!)
    const spinner = icons(mp, 'Loading1')
    expect(spinner).toHaveLength(1)
    expectDrawable(mp, spinner)
    await release()
    await mp.waitForText('别人能看到您的全名')
    expect(icons(mp, 'Loading1')).toEqual([])
    mp.close()
  })
})
