/**
 * The main journeys of a person's first days, on the REAL weapp output in the headless WeChat runtime,
 * through real taps and inputs, against a real Liren server on a fresh database:
 * - signing in with WeChat (wx.login → POST /api/auth/wechat → tokens stored → privacy guide → home),
 *   as a stranger and as a member of the demo town;
 * - applying to join a village, with WeChat's phone-number button (refused, then given);
 * - filing a report (随手拍) with photos (chooseMedia → compressImage → uploadFile) and a place picked on
 *   WeChat's map (chooseLocation); and cancelling the picker and the map.
 * Every `wx.*` call a phone makes is checked against WeChat's documented options by the runtime
 * (runtime/wechat-docs.ts: a wrong call is a problem, like a console error), and the calls that matter
 * here against what the journey needs (their order, what they sent, what came back).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { WxCall } from './runtime/wx'
import {
  api,
  callsOf,
  expectNoProblems,
  phone,
  signIn,
  startServer,
  stopServer,
  villageId,
  type MiniProgram,
  type Session,
} from './support'

let server = ''
let photoDir = ''
let photos: string[] = []

/** Two phone photos of a broken street light (real JPEGs, as the album gives them). */
async function makePhotos(dir: string): Promise<string[]> {
  const scenes = ['#9fb3c8', '#c8b49f'].map(
    (sky) => `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
      <rect width="1200" height="900" fill="${sky}"/><rect y="680" width="1200" height="220" fill="#6b7b4a"/>
      <rect x="580" y="150" width="40" height="560" fill="#333"/><circle cx="600" cy="150" r="60" fill="#555"/></svg>`,
  )
  const files: string[] = []
  for (const [index, svg] of scenes.entries()) {
    const file = path.join(dir, `IMG_20261205_10${index}.jpg`)
    await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(file)
    files.push(file)
  }
  return files
}

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(tmpdir(), 'liren-weapp-photos-'))
  ;[server, photos] = await Promise.all([startServer('liren_weapp'), makePhotos(photoDir)])
})
afterAll(async () => {
  await stopServer()
  rmSync(photoDir, { recursive: true, force: true })
})

type Options = Record<string, unknown>
const pathOf = (url: unknown) => new URL(String(url)).pathname
const optionsOf = (call: WxCall | undefined) => (call?.options ?? {}) as Options
const answerOf = (call: WxCall | undefined) => (call?.answer ?? {}) as Options
/** The wx.request calls to one path of the API (and method), in order. */
function requestsTo(mp: MiniProgram, method: string, pathname: string | RegExp): WxCall[] {
  return callsOf(mp, 'request').filter((c) => {
    const o = optionsOf(c)
    const p = pathOf(o.url)
    return String(o.method ?? 'GET') === method && (typeof pathname === 'string' ? p === pathname : pathname.test(p))
  })
}
/** The first call of `api` (matching `which`) once the phone has made it: a navigation is recorded when done. */
async function waitForCall(
  mp: MiniProgram,
  api: string,
  which: (c: WxCall) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<WxCall> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = callsOf(mp, api).find(which)
    if (found) return found
    if (Date.now() > deadline) throw new Error(`no wx.${api} call; the calls: ${mp.calls.map((c) => c.api).join(' ')}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
/** Where a call is in the phone's record (for order checks). */
const indexOf = (mp: MiniProgram, call: WxCall | undefined) => (call ? mp.calls.indexOf(call) : -1)

interface MeAnswer {
  needsPrivacyConsent: boolean
  memberships: {
    villageId: number
    villageName: string
    status: string
    realName: string | null
    phone: string | null
  }[]
}

/** The token the phone keeps, as a session for the API. */
function sessionOf(mp: MiniProgram): Session {
  return { token: String(mp.storage.get('liren.token')), refreshToken: String(mp.storage.get('liren.refreshToken')) }
}

/**
 * A signed-out phone: the app sends the person to the login page; 微信登录 → wx.login → its code to
 * POST /api/auth/wechat → the tokens stored → the privacy guide. Checks every step; returns on the guide.
 */
async function signInWithWechat(mp: MiniProgram): Promise<void> {
  // Launched signed out: the first page sends the person to the login page.
  await mp.waitForPage('pages/login/index')
  expect(optionsOf(await waitForCall(mp, 'reLaunch'))).toEqual({ url: '/pages/login/index' })
  expect(mp.storage.has('liren.token')).toBe(false)
  await mp.waitForText('用微信登录后，就可以申请加入您所在的村（社区）。')

  await mp.tap('微信登录')
  const [login] = callsOf(mp, 'login')
  expect(login?.result).toBe('ok')
  const code = answerOf(login).code
  expect(code).toMatch(/^\S{8,}$/)

  // The code went to our server, once, without a token, as JSON.
  const auth = requestsTo(mp, 'POST', '/api/auth/wechat')
  expect(auth).toHaveLength(1)
  expect(optionsOf(auth[0]).data).toEqual({ code })
  expect(optionsOf(auth[0]).header).toEqual({ 'Content-Type': 'application/json' })
  expect(answerOf(auth[0]).statusCode).toBe(200)
  const pair = answerOf(auth[0]).data as { token: string; refreshToken: string }
  expect(pair.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)

  // Both tokens stored, in this order, right after the answer; the next request carries the token.
  const stored = callsOf(mp, 'setStorageSync').map((c) => c.options as unknown[])
  expect(stored).toEqual(
    expect.arrayContaining([
      ['liren.token', pair.token],
      ['liren.refreshToken', pair.refreshToken],
    ]),
  )
  expect(mp.storage.get('liren.token')).toBe(pair.token)
  expect(mp.storage.get('liren.refreshToken')).toBe(pair.refreshToken)
  const me = requestsTo(mp, 'GET', '/api/me')[0]
  expect(optionsOf(me).header).toEqual({ Authorization: `Bearer ${pair.token}` })
  const order = [
    login,
    auth[0],
    callsOf(mp, 'setStorageSync').find((c) => (c.options as unknown[])[0] === 'liren.token'),
    me,
  ].map((c) => indexOf(mp, c))
  expect(order.every((i) => i >= 0)).toBe(true)
  expect([...order].sort((a, b) => a - b)).toEqual(order)

  // The server knows this WeChat account by that token; nothing is accepted yet.
  const serverMe = await api<MeAnswer>(server, '/api/me', { session: sessionOf(mp) })
  expect(serverMe.needsPrivacyConsent).toBe(true)

  // Not agreed yet: the guide comes first, with WeChat's home button hidden.
  await mp.waitForPage('pages/privacy/index')
  await mp.waitForText('同意并继续')
  expect(
    optionsOf(await waitForCall(mp, 'reLaunch', (c) => String(optionsOf(c).url).startsWith('/pages/privacy/'))),
  ).toEqual({
    url: `/pages/privacy/index?next=${encodeURIComponent('/pages/index/index')}`,
  })
  expect(callsOf(mp, 'hideHomeButton')).toHaveLength(1)
}

/** On the guide: 同意并继续 (WeChat's agreePrivacyAuthorization button) → the server has the consent → the home tab. */
async function agreeToPrivacy(mp: MiniProgram): Promise<void> {
  const guide = await api<{ version: string }>(server, '/api/privacy')
  const agree = mp.all('button').find((b) => mp.attrs(b).openType === 'agreePrivacyAuthorization')
  expect(agree && mp.attrs(agree).id).toBe('privacy-agree')
  await mp.tap('同意并继续')
  const sent = requestsTo(mp, 'POST', '/api/me/privacy')
  expect(sent).toHaveLength(1)
  expect(optionsOf(sent[0]).data).toMatchObject({ version: guide.version })
  expect(answerOf(sent[0]).statusCode).toBe(200)
  await mp.waitForPage('pages/index/index')
  expect(optionsOf(await waitForCall(mp, 'switchTab'))).toEqual({ url: '/pages/index/index' })
  const serverMe = await api<MeAnswer>(server, '/api/me', { session: sessionOf(mp) })
  expect(serverMe.needsPrivacyConsent).toBe(false)
}

/** Waits until `ok()` holds (or throws after `timeoutMs`). */
async function waitUntil(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms: ${ok.toString()}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** What the tab bar of the page in front shows, item by item (it throws on a page without a bar). */
function tabItems(mp: MiniProgram): { label: string; badge: string | null; selected: boolean; large: boolean }[] {
  const bar = mp.tabBar()
  if (!bar) throw new Error(`the page in front (${mp.current()?.route}) has no tab bar`)
  const large = bar.querySelector('.lr-tabbar--large') !== null
  return [...bar.querySelectorAll('.lr-tabbar__item')].map((item) => ({
    label: item.querySelector('.lr-tabbar__label')?.textContent ?? '',
    badge: item.querySelector('.lr-tabbar__badge')?.textContent ?? null,
    selected: item.querySelector('.lr-tabbar__label--selected') !== null,
    large,
  }))
}

function timed(name: string, started: number): void {
  console.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

describe('sign in with WeChat', () => {
  test('a stranger: login page → 微信登录 → tokens stored → privacy guide agreed → home asks to join a village', async () => {
    const started = Date.now()
    const openid = `weapp-stranger-${randomBytes(4).toString('hex')}`
    const mp = await phone(server, { device: { openid } })
    await signInWithWechat(mp)
    await agreeToPrivacy(mp)
    await mp.waitForText('您还没有加入村（社区）')
    expect(mp.findText('申请加入')).not.toBeNull()
    const serverMe = await api<MeAnswer>(server, '/api/me', { session: sessionOf(mp) })
    expect(serverMe.memberships).toEqual([])
    expectNoProblems(mp)
    mp.close()
    timed('sign in, stranger', started)
  })

  test('a member of 张家村 (赵小明): the same sign-in leads to his village on the home tab', async () => {
    const started = Date.now()
    const mp = await phone(server, { device: { openid: 'demo-zhangjia-volunteer' } })
    await signInWithWechat(mp)
    await agreeToPrivacy(mp)
    await mp.waitForText('赵小明，您好！')
    expect(mp.findText('张家村')).not.toBeNull()
    expect(mp.findText('随手拍')).not.toBeNull()
    const serverMe = await api<MeAnswer>(server, '/api/me', { session: sessionOf(mp) })
    expect(serverMe.memberships.map((m) => [m.villageName, m.status, m.realName])).toEqual([
      ['张家村', 'verified', '赵小明'],
    ])
    expectNoProblems(mp)
    mp.close()
    timed('sign in, member', started)
  })

  test('the committee (王建国): his tab bar (ours, in WeChat) carries his to-do on 首页 and his unread messages on 我的; 大字模式 enlarges it', async () => {
    const mp = await phone(server, { device: { openid: 'demo-zhangjia-committee' } })
    await signInWithWechat(mp)
    await agreeToPrivacy(mp)
    await mp.waitForText('王建国，您好！')
    const session = sessionOf(mp)
    const todo = await api<{
      applications: number
      reports: { open: number }
      orders: number
      approvals: number
      votes: unknown[]
      unread: number
    }>(server, `/api/villages/${await villageId(server, session, '张家村')}/todo`, { session })
    const waiting = todo.applications + todo.reports.open + todo.orders + todo.approvals + todo.votes.length
    expect(waiting).toBeGreaterThan(0) // 孙福来's application at least
    const badge = (count: number) => (count > 0 ? String(count) : null)
    const expected = (selected: string) => [
      { label: '首页', badge: badge(waiting), selected: selected === '首页', large: false },
      { label: '积分', badge: null, selected: selected === '积分', large: false },
      { label: '我的', badge: badge(todo.unread), selected: selected === '我的', large: false },
    ]
    await waitUntil(() => tabItems(mp)[0]?.badge === String(waiting))
    expect(tabItems(mp)).toEqual(expected('首页'))
    // WeChat disables its own bar's APIs for a custom bar: none is called.
    expect([...callsOf(mp, 'setTabBarBadge'), ...callsOf(mp, 'removeTabBarBadge')]).toEqual([])

    // 我的, by a tap on the bar: its own copy of the bar draws the same numbers, 我的 selected.
    await mp.tapTab('我的')
    await mp.waitForPage('pages/mine/index')
    await mp.waitForText('大字模式')
    expect(tabItems(mp)).toEqual(expected('我的'))

    // 大字模式 on: the bar's labels and numbers enlarge with the page.
    await mp.tap('大字模式')
    await waitUntil(() => tabItems(mp).every((item) => item.large))
    expect(mp.storage.get('liren.largeText')).toBe(true)
    await mp.tapTab('首页')
    await mp.waitForPage('pages/index/index')
    expect(tabItems(mp)).toEqual(expected('首页').map((item) => ({ ...item, large: true })))
    // A page that is not a tab has no bar.
    await mp.tap('审核入村申请')
    await mp.waitForPage('packages/committee/applications/index')
    expect(mp.tabBar()).toBeNull()
    expectNoProblems(mp)
    mp.close()
  })
})

interface ApplicationAnswer {
  id: number
  userId: number
  realName: string
  householdAddress: string
  birthYear: number
  status: string
  phone: string | null
}

/** The phone-number button of the join page (WeChat's <button open-type="getPhoneNumber">). */
function phoneButton(mp: MiniProgram): Element | undefined {
  return mp.all('button').find((b) => mp.attrs(b).openType === 'getPhoneNumber')
}

/** A new WeChat account signs in, agrees, and goes from the home tab to 申请加入, picks 张家村 and fills the form. */
async function openJoinForm(mp: MiniProgram, person: { name: string; address: string; year: string }): Promise<void> {
  await signInWithWechat(mp)
  await agreeToPrivacy(mp)
  await mp.tap('申请加入')
  await mp.waitForPage('packages/member/join/index')
  expect(optionsOf(await waitForCall(mp, 'navigateTo'))).toEqual({ url: '/packages/member/join/index' })
  // The demo town has two villages: nothing is chosen for the person.
  await mp.waitForText('张家村')
  expect(mp.findText('已选')).toBeNull()
  await mp.tap('张家村')
  await mp.waitForText('已选')
  await mp.type('例如：李秀英', person.name)
  await mp.type('例如：张家村3组12号', person.address)
  await mp.type('例如：1958', person.year)
}

describe('join a village with the phone-number button', () => {
  test('a new person applies to 张家村, says no to WeChat’s phone dialog, then gives the number: the committee sees it', async () => {
    const started = Date.now()
    const openid = `weapp-applicant-${randomBytes(4).toString('hex')}`
    const mp = await phone(server, { device: { openid } })
    await openJoinForm(mp, { name: '钱秀英', address: '张家村3组8号', year: '1961' })

    // WeChat's dialog, refused: no code, and the page goes on as before.
    const button = phoneButton(mp)
    expect(button?.textContent).toContain('用微信绑定的手机号')
    await mp.fire(button!, 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' })
    expect(mp.findText('已授权手机号')).toBeNull()
    expect(phoneButton(mp)).toBeDefined()
    // What was typed is still in the form.
    const typed = (placeholder: string) =>
      mp.attrs(mp.all('input').find((el) => mp.attrs(el).placeholder === placeholder)!).value
    expect([typed('例如：李秀英'), typed('例如：张家村3组12号'), typed('例如：1958')]).toEqual([
      '钱秀英',
      '张家村3组8号',
      '1961',
    ])

    // Asked again and given: WeChat hands the page a one-time code for the number (here from the server's
    // stand-in for WeChat), which the page sends with the application.
    const number = '13912345678'
    const { code } = await api<{ code: string }>(server, '/api/dev/phone-code', { body: { phone: number } })
    await mp.fire(phoneButton(mp)!, 'getphonenumber', { code, errMsg: 'getPhoneNumber:ok' })
    await mp.waitForText('已授权手机号')
    expect(phoneButton(mp)).toBeUndefined()

    await mp.tap('提交申请')
    await mp.waitForText('申请已提交')
    const zhangjia = (
      await api<{ id: number; name: string }[]>(server, '/api/villages', { session: sessionOf(mp) })
    ).find((v) => v.name === '张家村')!
    const sent = requestsTo(mp, 'POST', `/api/villages/${zhangjia.id}/applications`)
    expect(sent).toHaveLength(1)
    expect(optionsOf(sent[0]).data).toEqual({
      realName: '钱秀英',
      householdAddress: '张家村3组8号',
      birthYear: 1961,
      phoneCode: code,
    })
    expect(optionsOf(sent[0]).header).toMatchObject({
      Authorization: `Bearer ${sessionOf(mp).token}`,
      'Content-Type': 'application/json',
    })
    expect(answerOf(sent[0]).statusCode).toBe(201)
    expect(mp.text()).toContain('张家村')
    expect(mp.text()).toContain('审核通过后就能使用全部功能')

    // The committee (王建国) finds the application with the phone the person gave.
    const committee = await signIn(server, 'demo-zhangjia-committee')
    const pending = await api<ApplicationAnswer[]>(server, `/api/villages/${zhangjia.id}/applications?status=pending`, {
      session: committee,
    })
    expect(pending.filter((a) => a.realName === '钱秀英')).toEqual([
      expect.objectContaining({
        realName: '钱秀英',
        householdAddress: '张家村3组8号',
        birthYear: 1961,
        status: 'pending',
        phone: number,
      }),
    ])

    // Home: the application is waiting for the committee.
    await mp.tap('回到首页')
    await mp.waitForPage('pages/index/index')
    await mp.waitForText('正在等待')
    expect(mp.text()).toContain('张家村')
    expectNoProblems(mp)
    mp.close()
    timed('join with the phone button', started)
  })

  test('a person who refuses WeChat’s phone dialog still applies, without a phone', async () => {
    const started = Date.now()
    const openid = `weapp-applicant-${randomBytes(4).toString('hex')}`
    const mp = await phone(server, { device: { openid } })
    await openJoinForm(mp, { name: '孙桂芝', address: '张家村5组2号', year: '1949' })
    await mp.fire(phoneButton(mp)!, 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' })
    await mp.tap('提交申请')
    await mp.waitForText('申请已提交')
    const sent = requestsTo(mp, 'POST', /^\/api\/villages\/\d+\/applications$/)
    expect(sent).toHaveLength(1)
    expect(optionsOf(sent[0]).data).toEqual({ realName: '孙桂芝', householdAddress: '张家村5组2号', birthYear: 1949 })
    const villageOf = Number(pathOf(optionsOf(sent[0]).url).split('/')[3])
    const committee = await signIn(server, 'demo-zhangjia-committee')
    const pending = await api<ApplicationAnswer[]>(server, `/api/villages/${villageOf}/applications?status=pending`, {
      session: committee,
    })
    expect(pending.filter((a) => a.realName === '孙桂芝')).toEqual([
      expect.objectContaining({ householdAddress: '张家村5组2号', phone: null }),
    ])
    expectNoProblems(mp)
    mp.close()
    timed('join, phone refused', started)
  })
})

interface PhotoAnswer {
  key: string
  url: string
  thumbUrl: string
}
interface ReportAnswer {
  id: number
  category: string
  description: string
  address: string | null
  latitude: number | null
  longitude: number | null
  photos: PhotoAnswer[]
  reporterName: string | null
  state: string
}

/** The place 张秀兰 picks on WeChat's map. */
const BRIDGE = { name: '村东头小桥', address: '青山镇张家村东', latitude: 30.27415, longitude: 120.15515 }

describe('file a report (随手拍)', () => {
  test('张秀兰 takes two photos, picks the place on the map and files it: the server and the page have it', async () => {
    const started = Date.now()
    const session = await signIn(server, 'demo-zhangjia-resident')
    const zhangjia = await villageId(server, session, '张家村')
    const mp = await phone(server, { session, device: { openid: 'demo-zhangjia-resident', photos, location: BRIDGE } })
    await mp.waitForText('张秀兰，您好！')
    await mp.tap('随手拍')
    await mp.waitForPage('packages/reports/new/index')
    expect(optionsOf(await waitForCall(mp, 'navigateTo'))).toEqual({
      url: `/packages/reports/new/index?villageId=${zhangjia}`,
    })
    await mp.waitForText('提交上报')

    const description = `村东头小桥边的路灯坏了，晚上一片黑 ${randomBytes(2).toString('hex')}`
    await mp.tap('设施损坏')
    await mp.type('例如：村东头小桥的护栏断了', description)

    // Photos: WeChat's picker, then each one shrunk and uploaded with the token, one after the other.
    await mp.tap('加照片')
    await mp.waitForText('再加照片')
    // chooseMedia: WeChat no longer maintains chooseImage.
    expect(callsOf(mp, 'chooseImage')).toEqual([])
    const [chosen, ...moreChosen] = callsOf(mp, 'chooseMedia')
    expect(moreChosen).toEqual([])
    expect(optionsOf(chosen)).toEqual({
      count: 9,
      mediaType: ['image'],
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
    })
    const picked = (answerOf(chosen).tempFiles as { tempFilePath: string }[]).map((f) => f.tempFilePath)
    expect(picked).toHaveLength(2)
    const compressed = callsOf(mp, 'compressImage')
    expect(compressed.map((c) => optionsOf(c).src)).toEqual(picked)
    expect(compressed.map((c) => optionsOf(c).quality)).toEqual([80, 80])
    const uploads = callsOf(mp, 'uploadFile')
    expect(uploads).toHaveLength(2)
    for (const [index, upload] of uploads.entries()) {
      const o = optionsOf(upload)
      expect(pathOf(o.url)).toBe(`/api/villages/${zhangjia}/photos`)
      expect(o.name).toBe('file')
      expect(o.header).toEqual({ Authorization: `Bearer ${session.token}` })
      // What is sent is the shrunk copy, not the original.
      expect(o.filePath).toBe(answerOf(compressed[index]).tempFilePath)
      expect(o.filePath).not.toBe(picked[index])
      expect(answerOf(upload).statusCode).toBe(201)
    }
    const order = [chosen, compressed[0], uploads[0], compressed[1], uploads[1]].map((c) => indexOf(mp, c))
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    const stored = uploads.map((u) => JSON.parse(String(answerOf(u).data)) as PhotoAnswer)
    expect(stored.map((p) => p.key)).toEqual([
      expect.stringMatching(/^[a-f0-9]{64}$/),
      expect.stringMatching(/^[a-f0-9]{64}$/),
    ])
    expect(new Set(stored.map((p) => p.key)).size).toBe(2)
    const thumbs = () => mp.all('image').map((img) => String(mp.attrs(img).src))
    expect(thumbs()).toEqual(
      stored.map((p) => expect.stringMatching(new RegExp(`${p.thumbUrl.replace(/\./g, '\\.')}$`))),
    )

    // The place, on WeChat's map.
    await mp.tap('在地图上选地点')
    await mp.waitForText('重新选')
    expect(optionsOf(callsOf(mp, 'chooseLocation')[0])).toEqual({})
    expect(mp.text()).toContain('青山镇张家村东 村东头小桥')

    await mp.tap('提交上报')
    await mp.waitForPage('packages/reports/detail/index')
    const filed = requestsTo(mp, 'POST', `/api/villages/${zhangjia}/reports`)
    expect(filed).toHaveLength(1)
    expect(optionsOf(filed[0]).data).toEqual({
      category: '设施损坏',
      description,
      photos: stored.map((p) => p.key),
      location: { latitude: BRIDGE.latitude, longitude: BRIDGE.longitude, address: '青山镇张家村东 村东头小桥' },
      urgency: 'blue',
      anonymous: false,
      public: true,
      idempotencyKey: expect.any(String),
    })
    expect(answerOf(filed[0]).statusCode).toBe(201)
    const report = answerOf(filed[0]).data as ReportAnswer
    expect(optionsOf(await waitForCall(mp, 'redirectTo'))).toEqual({
      url: `/packages/reports/detail/index?villageId=${zhangjia}&reportId=${report.id}`,
    })
    expect(callsOf(mp, 'showToast').map(optionsOf)).toContainEqual({
      title: '上报成功',
      icon: 'success',
      duration: 1500,
    })

    // Subscribe messages: asked in the same tap, before the report is sent, for the template the server
    // sends report news with (its settings say which), and she said yes.
    const settings = await api<{ subscribeTemplateId: string | null }>(
      server,
      `/api/villages/${zhangjia}/reports/settings`,
      { session },
    )
    expect(settings.subscribeTemplateId).toEqual(expect.any(String))
    const asked = callsOf(mp, 'requestSubscribeMessage')
    expect(asked.map((c) => optionsOf(c).tmplIds)).toEqual([[settings.subscribeTemplateId]])
    expect(answerOf(asked[0])[settings.subscribeTemplateId!]).toBe('accept')
    expect(indexOf(mp, asked[0])).toBeLessThan(indexOf(mp, filed[0]))

    // The page shows the new report with its photos and place; the draft is gone from the phone.
    await mp.waitForText(description)
    expect(mp.text()).toContain('设施损坏')
    expect(mp.text()).toContain('青山镇张家村东 村东头小桥')
    expect(mp.text()).toContain('张秀兰')
    expect(thumbs()).toEqual(
      stored.map((p) => expect.stringMatching(new RegExp(`${p.thumbUrl.replace(/\./g, '\\.')}$`))),
    )
    expect(mp.storage.has(`liren:report-draft:${zhangjia}`)).toBe(false)

    // The server has it, as she and as the committee see it.
    const committee = await signIn(server, 'demo-zhangjia-committee')
    for (const who of [session, committee]) {
      const seen = await api<ReportAnswer>(server, `/api/villages/${zhangjia}/reports/${report.id}`, { session: who })
      expect(seen).toMatchObject({
        category: '设施损坏',
        description,
        address: '青山镇张家村东 村东头小桥',
        latitude: BRIDGE.latitude,
        longitude: BRIDGE.longitude,
        reporterName: '张秀兰',
        state: 'submitted',
      })
      expect(seen.photos.map((p) => p.key)).toEqual(stored.map((p) => p.key))
    }
    const photoFile = await fetch(`${server}${stored[0]!.url}`)
    expect([photoFile.status, photoFile.headers.get('content-type')]).toEqual([200, 'image/jpeg'])

    expectNoProblems(mp)
    mp.close()
    timed('report with photos and place', started)
  })

  test("closing the photo picker and the map, and saying no to WeChat's messages, leaves the form usable: the report goes without them", async () => {
    const started = Date.now()
    const session = await signIn(server, 'demo-zhangjia-resident')
    const zhangjia = await villageId(server, session, '张家村')
    // Nothing picked in the album, the map closed: WeChat answers "cancel"; no messages about it, please.
    const mp = await phone(server, {
      session,
      path: 'packages/reports/new/index',
      query: { villageId: String(zhangjia) },
      device: { photos: [], location: null, subscribe: 'reject' },
    })
    await mp.waitForText('提交上报')

    await mp.tap('加照片')
    expect(callsOf(mp, 'chooseMedia').map((c) => c.result)).toEqual(['cancel'])
    await mp.tap('在地图上选地点')
    expect(callsOf(mp, 'chooseLocation').map((c) => c.result)).toEqual(['cancel'])
    // Nothing uploaded, nothing said, the buttons still there.
    expect(callsOf(mp, 'uploadFile')).toEqual([])
    expect(callsOf(mp, 'showToast')).toEqual([])
    expect(mp.findText('加照片')).not.toBeNull()
    expect(mp.findText('在地图上选地点')).not.toBeNull()
    expect(mp.findText('重新选')).toBeNull()

    const description = `垃圾桶满了没人收 ${randomBytes(2).toString('hex')}`
    await mp.tap('环境卫生')
    await mp.type('例如：村东头小桥的护栏断了', description)
    await mp.tap('提交上报')
    await mp.waitForPage('packages/reports/detail/index')
    const filed = requestsTo(mp, 'POST', `/api/villages/${zhangjia}/reports`)
    expect(filed).toHaveLength(1)
    const body = optionsOf(filed[0]).data as Options
    expect(body).toMatchObject({ category: '环境卫生', description })
    expect(body).not.toHaveProperty('photos')
    expect(body).not.toHaveProperty('location')
    const asked = callsOf(mp, 'requestSubscribeMessage')
    expect(asked).toHaveLength(1)
    expect(Object.values(answerOf(asked[0])).filter((v) => v !== 'requestSubscribeMessage:ok')).toEqual(['reject'])
    await mp.waitForText(description)
    const report = answerOf(filed[0]).data as ReportAnswer
    const seen = await api<ReportAnswer>(server, `/api/villages/${zhangjia}/reports/${report.id}`, { session })
    expect(seen).toMatchObject({
      category: '环境卫生',
      description,
      address: null,
      latitude: null,
      longitude: null,
      photos: [],
    })
    expectNoProblems(mp)
    mp.close()
    timed('report, picker and map closed', started)
  })
})
