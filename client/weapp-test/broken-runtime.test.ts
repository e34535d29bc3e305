/**
 * The runtime checks fail on a broken build. Each test copies the weapp output, breaks the copy in one
 * way, and walks the same first steps a new villager takes (open the app, sign in with WeChat, agree to
 * the privacy guide, open 我的, tap 加入其他村（社区）): on the unbroken output the walk ends on the join page
 * with nothing wrong; on each broken copy the runtime reports what a phone would suffer.
 * (What WeChat's compilers and project rules refuse is broken in broken-static.test.ts.)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { MiniProgram } from './runtime/mini-program'
import { describeProblems, phone, startServer, stopServer } from './support'
import { weappDir } from './wechat-compilers'

let server = ''
const copies: string[] = []
let walks = 0

beforeAll(async () => {
  server = await startServer('liren_weapp')
})
afterAll(async () => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true })
  await stopServer()
})

/** A copy of the output, changed by `breakIt`. */
function brokenCopy(breakIt: (dir: string) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'liren-weapp-broken-'))
  copies.push(dir)
  cpSync(weappDir, dir, { recursive: true })
  breakIt(dir)
  return dir
}

function edit(dir: string, file: string, change: (source: string) => string): void {
  const full = path.join(dir, file)
  const before = readFileSync(full, 'utf8')
  const after = change(before)
  if (after === before)
    throw new Error(`the change to ${file} changed nothing: the output no longer looks as this test expects`)
  writeFileSync(full, after)
}

interface Walk {
  mp: MiniProgram
  /** Where the walk stopped, and why (null: it reached the join page). */
  failure: string | null
}

/** A new villager's first steps; stops at the first step that fails. */
async function walk(dir: string): Promise<Walk> {
  walks += 1
  const mp = await phone(server, { dir, device: { openid: `weapp-broken-${process.pid}-${walks}` } })
  try {
    // Each step takes well under a second on the unbroken output: a broken one need not be waited for long.
    const wait = 3000
    await mp.waitForPage('pages/login/index', wait)
    await mp.tap(await mp.waitForText('微信登录', wait))
    await mp.waitForPage('pages/privacy/index', wait)
    await mp.tap(await mp.waitForText('同意并继续', wait))
    await mp.waitForPage('pages/index/index', wait)
    await mp.tapTab('我的')
    await mp.waitForPage('pages/mine/index', wait)
    await mp.tap(await mp.waitForText('加入其他村（社区）', wait))
    await mp.waitForPage('packages/member/join/index', wait)
    await mp.waitForText('张家村', wait)
    return { mp, failure: null }
  } catch (error) {
    return { mp, failure: error instanceof Error ? error.message : String(error) }
  } finally {
    mp.close()
  }
}

describe('the runtime fails on a broken build', () => {
  test('the unbroken output: the walk reaches the join page and nothing goes wrong', async () => {
    const { mp, failure } = await walk(brokenCopy(() => undefined))
    expect(failure).toBeNull()
    expect(mp.problems, describeProblems(mp.problems)).toEqual([])
  })

  test('bad WXML: a page template that renders nothing of the page', async () => {
    // The page's WXML calls a template that does not exist (wcc compiles it; the view cannot render it).
    const dir = brokenCopy((d) =>
      edit(d, 'pages/login/index.wxml', (s) => s.replace('is="taro_tmpl"', 'is="taro_tmpl_missing"')),
    )
    const { mp, failure } = await walk(dir)
    expect(failure).toMatch(/does not show 微信登录/)
    expect(mp.problems.some((p) => p.kind === 'template' && p.message.includes('taro_tmpl_missing'))).toBe(true)
  })

  test('a missing page: in app.json, its files gone', async () => {
    const dir = brokenCopy((d) => {
      for (const ext of ['js', 'json', 'wxml', 'wxss']) unlinkSync(path.join(d, `packages/member/join/index.${ext}`))
    })
    const { mp, failure } = await walk(dir)
    expect(failure).toMatch(/expected page packages\/member\/join\/index/)
    expect(mp.problems.some((p) => p.kind === 'navigation' && p.message.includes('packages/member/join/index'))).toBe(
      true,
    )
  })

  test('a page that throws on load', async () => {
    // The page's own script runs with a Page() whose onLoad throws, as a bug in the page would.
    const dir = brokenCopy((d) =>
      edit(
        d,
        'pages/privacy/index.js',
        (s) =>
          `;(function (Page) {${s}\n})(function (config) { config.onLoad = function () { throw new Error('隐私页加载出错') }; return Page(config) });`,
      ),
    )
    const { mp } = await walk(dir)
    expect(mp.problems.some((p) => p.kind === 'exception' && p.message.includes('隐私页加载出错'))).toBe(true)
  })

  test('a tap bound to nothing: buttons whose template lost bindtap', async () => {
    const dir = brokenCopy((d) => edit(d, 'base.wxml', (s) => s.replace(/(<button [^>]*?) bindtap="eh"/g, '$1')))
    const { mp, failure } = await walk(dir)
    expect(failure).toMatch(/tap on "微信登录" reaches no handler/)
    expect(mp.problems.some((p) => p.kind === 'template' && p.message.includes('reaches no handler'))).toBe(true)
  })

  // The join page's path (JOIN_PAGE) is in the chunk the pages share, whence 我的 takes it.
  test('navigation to a page that does not exist', async () => {
    const dir = brokenCopy((d) =>
      edit(d, 'common.js', (s) => s.split('/packages/member/join/index').join('/packages/member/joining/index')),
    )
    const { mp, failure } = await walk(dir)
    expect(failure).toMatch(/expected page packages\/member\/join\/index/)
    expect(
      mp.problems.some((p) => p.kind === 'navigation' && p.message.includes('packages/member/joining/index')),
    ).toBe(true)
  })

  test('navigateTo a tab page, which WeChat refuses', async () => {
    const dir = brokenCopy((d) =>
      edit(d, 'common.js', (s) => s.split('/packages/member/join/index').join('/pages/index/index')),
    )
    const { mp } = await walk(dir)
    expect(
      mp.problems.some((p) => p.kind === 'navigation' && p.message.includes('can not navigateTo a tabbar page')),
    ).toBe(true)
  })
})
