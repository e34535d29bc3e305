/**
 * Journeys of points and meetings on the REAL weapp output in the headless WeChat runtime, against a
 * real Liren server on a fresh database: what a villager does with taps and typing, with the `wx.*`
 * calls the app makes checked against WeChat's documented options. What each journey needs (an
 * activity, an item, points, a meeting with an open vote) is made through the API as the committee
 * (王建国), as the H5 tests' committee makes it through pages.
 *
 * 1. 赵小明 signs in to a volunteer activity with the in-app scanner (a mini-program code, then a plain
 *    QR to sign out), and by opening the page the way WeChat's own scanner does (`scene`).
 * 2. 张秀兰 redeems an item and is shown the pickup code and its QR.
 * 3. 张秀兰 casts a vote and is shown her receipt, which the server counts.
 * 4. The share cards of a meeting and of its results, opened on another villager's phone and on a stranger's;
 *    and on the phone of a villager not signed in there, who signs in and lands on the meeting.
 * 5. 张秀兰 opens a petition (提议召集) 赵小明 started and signs it, after the confirm; the server has her signature.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import type {
  Activity,
  ActivityCode,
  Meeting,
  MeetingCode,
  Order,
  Petition,
  PublicMeetingResults,
  Signup,
  VoteResult,
} from '@liren/shared/contracts'
import {
  api,
  callsOf,
  expectNoProblems,
  MiniProgram,
  phone,
  signIn,
  startServer,
  stopServer,
  villageId,
  type PhoneOptions,
  type Session,
} from './support'

let server = ''
let committee: Session // 王建国 (村委会)
let volunteer: Session // 赵小明
let resident: Session // 张秀兰
let zhangjia = 0

const HOUR = 3600_000
const at = (ms: number) => new Date(Date.now() + ms).toISOString()
const tag = () => randomBytes(2).toString('hex').toUpperCase()
const key = (what: string) => `weapp-${what}-${randomBytes(6).toString('hex')}`

beforeAll(async () => {
  server = await startServer('liren_weapp_journeys')
  ;[committee, volunteer, resident] = await Promise.all([
    signIn(server, 'demo-zhangjia-committee'),
    signIn(server, 'demo-zhangjia-volunteer'),
    signIn(server, 'demo-zhangjia-resident'),
  ])
  zhangjia = await villageId(server, committee, '张家村')
})
afterAll(stopServer)

const v = (path: string) => `/api/villages/${zhangjia}${path}`

/** The phones of the journey under way: closed after it whatever happened, checked for problems at its end. */
const phones: MiniProgram[] = []
afterEach(() => {
  for (const mp of phones.splice(0)) mp.close()
})
async function open(options: PhoneOptions): Promise<MiniProgram> {
  const mp = await phone(server, options)
  phones.push(mp)
  return mp
}
/** The journey's end: nothing went wrong on any of its phones (checked last, so that the whole journey runs). */
function expectNoProblemsOnAnyPhone(): void {
  expect(phones.length).toBeGreaterThan(0)
  for (const mp of phones) {
    expectNoProblems(mp)
  }
}

/** The roster person a signed-in member is. */
async function personOf(session: Session): Promise<number> {
  const me = await api<{ memberships: { villageId: number; personId: number | null }[] }>(server, '/api/me', {
    session,
  })
  const id = me.memberships.find((m) => m.villageId === zhangjia)?.personId
  if (!id) throw new Error('not on the roster')
  return id
}

/** The committee publishes an activity that starts soon (sign-up is open until it starts). */
async function publishActivity(title: string): Promise<Activity> {
  return api<Activity>(server, v('/activities'), {
    session: committee,
    body: {
      title,
      description: '沿河捡垃圾，自带手套',
      place: '村口石桥',
      startsAt: at(HOUR),
      endsAt: at(3 * HOUR),
      capacity: 10,
      pointsMode: 'per_hour',
      points: 10,
    },
  })
}

/** 赵小明's sign-up, as the committee's list shows it. */
async function signupOf(activityId: number): Promise<Signup | undefined> {
  const list = await api<Signup[]>(server, v(`/activities/${activityId}/signups`), { session: committee })
  return list.find((s) => s.name === '赵小明')
}

/** What the activity page says of my sign-up (我的报名). */
const myStatus = (mp: MiniProgram) =>
  mp
    .all('.activity__my-status')
    .map((el) => (el.textContent ?? '').trim())
    .join()

/** The routes of app.json a path can open (main package and subpackages). */
function routeOf(mp: MiniProgram, path: string): { route: string; query: Record<string, string> } {
  const url = new URL(path.replace(/^\/?/, 'https://weapp/'))
  const route = url.pathname.slice(1)
  expect(mp.allPages(), `${route} is a page of app.json`).toContain(route)
  return { route, query: Object.fromEntries(url.searchParams) }
}

describe('points', () => {
  test('赵小明 signs in to an activity with the in-app scanner, and by opening the page from WeChat’s scanner', async () => {
    const started = Date.now()
    // --- the committee publishes an activity and shows its code ---
    const activity = await publishActivity(`清理河道垃圾 ${tag()}`)
    const code = await api<ActivityCode>(server, v(`/activities/${activity.id}/code`), { session: committee })
    // The scene of a mini-program code (getwxacodeunlimit) is at most 32 characters: village.activity.hmac.
    expect(code.token).toMatch(new RegExp(`^${zhangjia}\\.${activity.id}\\.[A-Za-z0-9_-]{16}$`))
    expect(code.token.length).toBeLessThanOrEqual(32)
    // In the mini-program the organiser's page shows WeChat's mini-program code (the server got one).
    expect(code.wxacode).toMatch(/^data:image\//)

    // What the camera reads: first the mini-program code on the organiser's phone (WeChat gives this
    // mini-program's page and the scene in `path`), then the same code printed as a plain QR.
    const reads = [
      {
        result: '',
        scanType: 'WX_CODE',
        path: `packages/points/activity/index?scene=${encodeURIComponent(code.token)}`,
      },
      { result: code.token, scanType: 'QR_CODE' },
    ]
    const mp = await open({
      session: volunteer,
      path: 'packages/points/activity/index',
      query: { villageId: String(zhangjia), activityId: String(activity.id) },
      device: { scan: () => reads.shift() ?? { result: 'nothing more to scan' } },
    })
    await mp.waitForText(activity.title)
    await mp.tap('我要报名')
    await expect.poll(() => myStatus(mp)).toBe('已报名')
    expect((await signupOf(activity.id))?.status).toBe('signed_up')

    // --- 扫码签到: WeChat's camera, the mini-program code ---
    await mp.tap('扫码签到')
    const [scanIn] = callsOf(mp, 'scanCode')
    expect(scanIn?.result, `wx.scanCode(${JSON.stringify(scanIn?.options)}) read the mini-program code`).toBe('ok')
    await expect.poll(() => myStatus(mp)).toBe('已签到')
    const inOptions = scanIn!.options as { onlyFromCamera?: unknown; scanType?: unknown }
    // At the venue the code is on the organiser's screen: the camera only, no picture from the album.
    expect(inOptions.onlyFromCamera).toBe(true)
    // (Every scanType is one WeChat documents: the runtime checks each call, runtime/wechat-docs.ts.)
    // The organiser's phone shows WeChat's mini-program code in the mini-program: the scan must read it.
    expect(inOptions.scanType).toContain('wxCode')
    const checkedIn = await signupOf(activity.id)
    expect(checkedIn?.status).toBe('checked_in')
    expect(checkedIn?.checkedInAt).not.toBeNull()

    // --- 扫码签退: the same code printed as a plain QR ---
    await mp.tap('扫码签退')
    await expect.poll(() => myStatus(mp)).toBe('已签退')
    expect(callsOf(mp, 'scanCode').map((c) => c.result)).toEqual(['ok', 'ok'])
    expect(callsOf(mp, 'scanCode')[1]!.options).toMatchObject({ onlyFromCamera: true })
    expect((await signupOf(activity.id))?.status).toBe('checked_out')
    // The check-in and check-out went to our server with the code, nothing else.
    const attended = callsOf(mp, 'request').filter((c) =>
      /\/check-(in|out)$/.test(String((c.options as { url: string }).url)),
    )
    expect(attended.map((c) => (c.options as { data: unknown }).data)).toEqual([
      { token: code.token },
      { token: code.token },
    ])
    mp.close()

    // --- WeChat's own scanner: the mini-program code opens the page with only `scene` ---
    const second = await publishActivity(`敬老院帮厨 ${tag()}`)
    await api(server, v(`/activities/${second.id}/signup`), { session: volunteer, method: 'POST' })
    const secondCode = await api<ActivityCode>(server, v(`/activities/${second.id}/code`), { session: committee })
    expect((await signupOf(second.id))?.status).toBe('signed_up')
    const scanned = await open({
      session: volunteer,
      path: 'packages/points/activity/index',
      query: { scene: encodeURIComponent(secondCode.token) },
    })
    await scanned.waitForText(second.title)
    await expect.poll(() => myStatus(scanned)).toBe('已签到')
    expect((await signupOf(second.id))?.status).toBe('checked_in')
    // No camera was needed, and the page said so.
    expect(callsOf(scanned, 'scanCode')).toEqual([])
    expect(callsOf(scanned, 'showToast').map((c) => (c.options as { title: string }).title)).toContain('签到成功')
    scanned.close()
    console.log(`journey 1 (scan to sign in): ${Date.now() - started} ms`)
    expectNoProblemsOnAnyPhone()
  })

  test('张秀兰 redeems an item and is shown the pickup code and its QR', async () => {
    const started = Date.now()
    const name = `洗衣液 ${tag()}`
    const cost = 12
    const item = await api<{ id: number }>(server, v('/shop/items'), {
      session: committee,
      body: { name, cost, stock: 5, perMemberLimit: 1 },
    })
    await api(server, v('/points/awards'), {
      session: committee,
      body: {
        personId: await personOf(resident),
        ruleCode: 'volunteer_hour',
        points: 30,
        reason: '打扫村道卫生',
        idempotencyKey: key('award'),
      },
    })
    const before = (await api<{ balance: number }>(server, v('/points/me'), { session: resident })).balance
    expect(before).toBeGreaterThanOrEqual(30)

    // --- the points tab, then the shop ---
    const mp = await open({ session: resident, path: 'pages/points/index' })
    await mp.tap(await mp.waitForText('积分超市'))
    await mp.waitForPage('packages/points/shop/index')
    const card = (await mp.waitForText(name)).closest('.shop__item')
    expect(card, 'the item has its card').not.toBeNull()
    expect(card!.textContent).toContain(String(cost))
    await mp.tap(mp.findText('兑换', card!)!)
    await mp.waitForText(`兑换后还剩 ${before - cost} 积分`)
    await mp.tap('确定兑换')

    // --- the order: a 6-digit pickup code and its QR, as the server has them ---
    await mp.waitForPage('packages/points/orders/index')
    await mp.waitForText('兑换成功')
    const [order] = (await api<Order[]>(server, v('/shop/orders/mine'), { session: resident })).filter(
      (o) => o.itemId === item.id,
    )
    expect(order?.status).toBe('pending')
    expect(order!.pickupCode).toMatch(/^\d{6}$/)
    const shown = mp.all('.orders__code').map((el) => (el.textContent ?? '').replace(/\s+/g, ''))
    expect(shown[0]).toBe(order!.pickupCode)
    const qr = mp
      .all('image')
      .map((el) => mp.attrs(el))
      .find((a) => String(a.class ?? '').includes('orders__qr'))
    expect(qr?.src).toBe(order!.pickupQr)
    expect(String(qr?.src)).toMatch(/^data:image\/(png|svg\+xml);base64,/)
    expect(mp.current()!.query.orderId).toBe(String(order!.id))
    // The redemption was one POST with its idempotency key; navigation went to a page of app.json.
    const redeemed = callsOf(mp, 'request').filter(
      (c) =>
        String((c.options as { url: string }).url).endsWith('/shop/orders') &&
        (c.options as { method?: string }).method === 'POST',
    )
    expect(redeemed).toHaveLength(1)
    expect((redeemed[0]!.options as { data: Record<string, unknown> }).data).toMatchObject({
      itemId: item.id,
      idempotencyKey: expect.any(String),
    })
    expect(callsOf(mp, 'navigateTo').map((c) => c.result)).toEqual(['ok', 'ok'])

    // --- the points were taken ---
    expect((await api<{ balance: number }>(server, v('/points/me'), { session: resident })).balance).toBe(before - cost)
    mp.close()
    console.log(`journey 2 (redeem, pickup code): ${Date.now() - started} ms`)
    expectNoProblemsOnAnyPhone()
  })
})

/** The committee drafts a 议事协商会 begun a second ago with one yes/no vote, announces it and opens the vote. */
async function meetingWithOpenVote(title: string, question: string): Promise<{ meeting: Meeting; voteId: number }> {
  const draft = await api<Meeting>(server, v('/meetings'), {
    session: committee,
    body: {
      kind: 'deliberation',
      title,
      place: '村委会会议室',
      // Begun a second ago: its vote may open and close at once.
      startsAt: at(-1000),
      online: true,
      agenda: [
        {
          title: '村东道路硬化',
          description: '村东 800 米土路，雨天难走。预算 12 万元。',
          vote: { question, secret: true },
        },
      ],
    },
  })
  const voteId = draft.agenda[0]!.vote!.id
  await api(server, v(`/meetings/${draft.id}/announce`), { session: committee, method: 'POST' })
  await api(server, v(`/votes/${voteId}/open`), { session: committee, method: 'POST' })
  const meeting = await api<Meeting>(server, v(`/meetings/${draft.id}`), { session: committee })
  return { meeting, voteId }
}

/** 张秀兰 opens the meeting and votes `choice`; returns the receipt code the page shows. */
async function vote(mp: MiniProgram, choice: string): Promise<string> {
  await mp.tap(await mp.waitForText(choice))
  await mp.waitForText(`✓ ${choice}`)
  // (the meeting's facts have a 投票 label too: the button is the vote's cast button)
  await mp.tap(mp.all('.vote__cast')[0]!)
  await mp.waitForText('投了不能改')
  expect(mp.all('.vote__confirm-choice').map((el) => el.textContent)).toEqual([choice])
  await mp.tap('确定投票')
  await mp.waitForText('投票成功')
  const code = (mp.all('.vote__receipt-code')[0]?.textContent ?? '').trim()
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
  return code
}

describe('meetings', () => {
  const question = '同意硬化村东道路'

  test('张秀兰 casts a vote and is shown her receipt, which the server counts', async () => {
    const started = Date.now()
    const { meeting, voteId } = await meetingWithOpenVote(`村东道路硬化议事会 ${tag()}`, question)
    // The sign-in code at the venue door: in the mini-program, WeChat's mini-program code.
    const venue = await api<MeetingCode>(server, v(`/meetings/${meeting.id}/code`), { session: committee })
    expect(venue.wxacode).toMatch(/^data:image\//)
    const mp = await open({
      session: resident,
      path: 'packages/meetings/detail/index',
      query: { villageId: String(zhangjia), meetingId: String(meeting.id) },
      device: {
        scan: () => ({
          result: '',
          scanType: 'WX_CODE',
          path: `packages/meetings/detail/index?scene=${encodeURIComponent(venue.token)}`,
        }),
      },
    })
    await mp.waitForText(meeting.title)
    await mp.waitForText('正在投票')
    const receipt = await vote(mp, '同意')
    // The phone keeps the code, to check later.
    expect([...mp.storage.values()]).toContain(receipt)
    // The ballot went to our server once, with her one choice.
    const agree = meeting.agenda[0]!.vote!.options.find((o) => o.kind === 'agree')!
    const cast = callsOf(mp, 'request').filter((c) =>
      String((c.options as { url: string }).url).endsWith(`/votes/${voteId}/ballots`),
    )
    expect(cast).toHaveLength(1)
    expect((cast[0]!.options as { data: unknown }).data).toEqual({ choices: [agree.id] })

    // --- at the venue she signs in with the in-app scanner, from the code on the door ---
    await mp.tap('扫码签到')
    const [scan] = callsOf(mp, 'scanCode')
    expect(scan?.options).toMatchObject({ onlyFromCamera: true })
    expect(scan?.result, `wx.scanCode(${JSON.stringify(scan?.options)}) read the mini-program code`).toBe('ok')
    await mp.waitForText('我已到会')
    const present = await api<Meeting>(server, v(`/meetings/${meeting.id}`), { session: committee })
    expect(present.present).toBe(1)

    // --- the server counts it: her receipt is in the box, and the close counts one 同意 ---
    expect(await api(server, v(`/votes/${voteId}/receipts/${receipt}`), { session: resident })).toEqual({
      counted: true,
    })
    expect(
      await api(server, v(`/votes/${voteId}/receipts/${receipt.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`), {
        session: resident,
      }),
    ).toEqual({ counted: false })
    const result = await api<VoteResult>(server, v(`/votes/${voteId}/close`), { session: committee, method: 'POST' })
    expect(result.counts.find((c) => c.kind === 'agree')?.count).toBe(1)
    expect(result.participants).toBe(1)
    expect(result.receiptCount).toBe(1)
    mp.close()

    // Opened again after the close (the phone's storage kept), her page has the result and her receipt, counted.
    const again = await MiniProgram.launch({
      server,
      storage: mp.storage,
      path: 'packages/meetings/detail/index',
      query: { villageId: String(zhangjia), meetingId: String(meeting.id) },
    })
    phones.push(again)
    await again.waitForText('已结束')
    await again.waitForText(receipt)
    await again.tap(again.all('.vote__check-receipt')[0]!)
    await again.waitForText('✓ 已计入')
    again.close()
    console.log(`journey 3 (vote, receipt): ${Date.now() - started} ms`)
    expectNoProblemsOnAnyPhone()
  })

  test('王建国 postpones an announced 村民会议 on his phone: the reason typed, the first day the law allows; the villagers are told', async () => {
    const title = `冬季防火村民会议 ${tag()}`
    const draft = await api<Meeting>(server, v('/meetings'), {
      session: committee,
      body: {
        kind: 'villager_meeting',
        title,
        place: '村委会大院',
        // Called 紧急 three days ahead; a postponement is a new notice and needs the law's ten days.
        startsAt: at(72 * HOUR),
        urgentReason: '防火季马上到了',
        online: true,
        agenda: [{ title: '冬季防火值班' }],
      },
    })
    await api(server, v(`/meetings/${draft.id}/announce`), { session: committee, method: 'POST' })
    const mp = await open({
      session: committee,
      path: 'packages/meetings/detail/index',
      query: { villageId: String(zhangjia), meetingId: String(draft.id) },
    })
    await mp.waitForText(title)
    await mp.tap('延期')
    await mp.waitForText('会议延期')
    await mp.type('例如：那天下大雨，路不好走', '那天要收玉米，人来不齐')
    await mp.tap('确定延期')
    await mp.waitForText('已延期')
    await mp.waitForText('原定时间')
    const moved = await api<Meeting>(server, v(`/meetings/${draft.id}`), { session: resident })
    expect(moved).toMatchObject({ state: 'postponed', changeReason: '那天要收玉米，人来不齐' })
    expect(moved.noticeDays).toBe(10)
    expect(new Date(moved.postponedFrom!).getTime()).toBe(new Date(draft.startsAt).getTime())
    const inbox = await api<{ items: { title: string; body: string }[] }>(server, '/api/notifications', {
      session: resident,
    })
    expect(inbox.items.find((n) => n.title === `会议延期：${title}`)?.body).toContain('那天要收玉米')
    expectNoProblemsOnAnyPhone()
  })

  test('the share cards of a meeting and of its results open the same meeting on another phone; a stranger sees no private data', async () => {
    const started = Date.now()
    // A meeting whose vote 张秀兰 took part in (through the API: the vote journey does it with taps) and closed.
    const { meeting, voteId } = await meetingWithOpenVote(`村东道路硬化议事会 ${tag()}`, question)
    const agree = meeting.agenda[0]!.vote!.options.find((o) => o.kind === 'agree')!
    await api(server, v(`/votes/${voteId}/ballots`), { session: resident, body: { choices: [agree.id] } })
    await api(server, v(`/votes/${voteId}/close`), { session: committee, method: 'POST' })
    const detailQuery = { villageId: String(zhangjia), meetingId: String(meeting.id) }

    // --- the meeting page's card while it is not closed: the meeting itself ---
    const live = await meetingWithOpenVote(`村西水渠清淤议事会 ${tag()}`, '同意清淤村西水渠')
    const sharer = await open({
      session: resident,
      path: 'packages/meetings/detail/index',
      query: { villageId: String(zhangjia), meetingId: String(live.meeting.id) },
    })
    await sharer.waitForText(live.meeting.title)
    const liveCard = sharer.shareCard()
    expect(liveCard?.title).toContain(live.meeting.title)
    // WeChat's share path: a full path starting with /.
    expect(liveCard?.path).toMatch(/^\//)
    const liveTarget = routeOf(sharer, liveCard!.path!)
    expect(liveTarget).toEqual({
      route: 'packages/meetings/detail/index',
      query: { villageId: String(zhangjia), meetingId: String(live.meeting.id) },
    })
    sharer.close()

    const friend = await open({ session: volunteer, path: liveTarget.route, query: liveTarget.query })
    await friend.waitForText(live.meeting.title)
    await friend.waitForText('同意清淤村西水渠')
    friend.close()

    // --- once the meeting has closed, the card says what was decided and opens the public results ---
    await api(server, v(`/meetings/${meeting.id}/start`), { session: committee, method: 'POST' })
    await api(server, v(`/meetings/${meeting.id}/close`), { session: committee, method: 'POST' })
    const mp = await open({ session: resident, path: 'packages/meetings/detail/index', query: detailQuery })
    await mp.waitForText('查我的票')
    const closedCard = mp.shareCard()
    expect(closedCard?.title).toContain(meeting.title)
    expect(closedCard?.title).toContain(`${question}——通过`)
    const resultsTarget = routeOf(mp, closedCard!.path!)
    expect(resultsTarget).toEqual({ route: 'packages/meetings/results/index', query: detailQuery })

    // The results page (from the meeting page's button) gives the same card.
    await mp.tap('看公示页')
    await mp.waitForPage('packages/meetings/results/index')
    await mp.waitForText('表决结果公示')
    const resultsCard = mp.shareCard()
    expect(resultsCard).toEqual({ title: closedCard!.title, path: closedCard!.path })
    mp.close()

    const published = await api<PublicMeetingResults>(
      server,
      `/api/public/villages/${zhangjia}/meetings/${meeting.id}/results`,
    )
    // --- another villager opens the card: the same meeting and result ---
    const other = await open({ session: volunteer, path: resultsTarget.route, query: resultsTarget.query })
    await other.waitForText(meeting.title)
    await other.waitForText(question)
    expect(other.text()).toContain(published.villageName)
    other.close()

    // --- a stranger (WeChat user, not a member, never signed in) opens both cards ---
    const stranger = await open({
      path: resultsTarget.route,
      query: resultsTarget.query,
      device: { openid: 'weapp-stranger' },
    })
    await stranger.waitForText(meeting.title)
    await stranger.waitForText(question)
    // The public page names no one and has no receipt.
    for (const name of ['张秀兰', '张*兰', '王建国', '赵小明']) expect(stranger.text()).not.toContain(name)
    expect(stranger.text()).not.toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/)
    stranger.close()

    // The meeting page is for the village's members: a stranger is asked to sign in, and sees nothing of it.
    const strangerLive = await open({
      path: liveTarget.route,
      query: liveTarget.query,
      device: { openid: 'weapp-stranger' },
    })
    await strangerLive.waitForPage('pages/login/index')
    // Once, however many of the page's requests were refused, and with the way back to the meeting.
    const relaunched = callsOf(strangerLive, 'reLaunch')
    const back = `/packages/meetings/detail/index?villageId=${zhangjia}&meetingId=${live.meeting.id}`
    expect(relaunched.map((c) => [(c.options as { url: string }).url, c.result])).toEqual([
      [`/pages/login/index?next=${encodeURIComponent(back)}`, 'ok'],
    ])
    expect(strangerLive.text()).toContain('微信登录')
    expect(strangerLive.text()).not.toContain(live.meeting.title)
    strangerLive.close()

    // Signed in, but a member of another village (刘洋, 和平社区): refused, with nothing of the meeting shown.
    const outsider = await open({
      session: await signIn(server, 'demo-heping-resident'),
      path: liveTarget.route,
      query: liveTarget.query,
    })
    await outsider.settle()
    expect(outsider.current()?.route).toBe('packages/meetings/detail/index')
    expect(outsider.text()).not.toContain(live.meeting.title)
    expect(outsider.text()).not.toContain('同意清淤村西水渠')
    expect(outsider.text()).toContain('没有加载成功')
    expect(outsider.text()).toContain('没有这个村（社区）的相应权限')
    outsider.close()
    console.log(`journey 4 (share cards): ${Date.now() - started} ms`)
    expectNoProblemsOnAnyPhone()
  })

  test('a villager whose phone is not signed in opens a shared meeting card: she signs in, agrees to the guide, and is on that meeting', async () => {
    const { meeting } = await meetingWithOpenVote(`村北路灯议事会 ${tag()}`, '同意在村北装十盏路灯')
    const card = { villageId: String(zhangjia), meetingId: String(meeting.id) }
    // 李梅 has never used Liren on this phone (nor agreed to the privacy guide yet).
    const mp = await open({
      path: 'packages/meetings/detail/index',
      query: card,
      device: { openid: 'demo-zhangjia-grid' },
    })
    await mp.waitForPage('pages/login/index')
    expect(mp.text()).not.toContain(meeting.title)
    await mp.tap('微信登录')
    await mp.waitForPage('pages/privacy/index')
    await mp.tap('同意并继续')
    await mp.waitForPage('packages/meetings/detail/index')
    expect(mp.current()?.query).toEqual(card)
    await mp.waitForText(meeting.title)
    await mp.waitForText('同意在村北装十盏路灯')
    // One trip to the login page, one to the guide, then the meeting in their place.
    expect(callsOf(mp, 'reLaunch').map((c) => (c.options as { url: string }).url.split('?')[0])).toEqual([
      '/pages/login/index',
      '/pages/privacy/index',
    ])
    expect(mp.stack.map((p) => p.route)).toEqual(['packages/meetings/detail/index'])
    expectNoProblemsOnAnyPhone()
  })
})

describe('petitions', () => {
  test('张秀兰 opens a petition 赵小明 started and signs it with real taps; the server has her signature', async () => {
    const title = `提议开会商量修村东水塘 ${tag()}`
    const started = await api<Petition>(server, v('/petitions'), {
      session: volunteer,
      body: { kind: 'villager_meeting', title, reason: '水塘堤坝去年冲坏了，汛期前要定下来怎么修' },
    })
    const mp = await open({
      session: resident,
      path: 'packages/meetings/petition/index',
      query: { villageId: String(zhangjia), petitionId: String(started.id) },
    })
    await mp.waitForText(title)
    await mp.waitForText('已有 1 人签名')
    await mp.tap('我要签名')
    await mp.waitForText('签了名就不能撤回')
    await mp.tap('确认签名')
    await mp.waitForText('您已签名')
    expect(mp.findText('我要签名')).toBeNull()
    // She is a 村民代表: a third of the representatives, so it succeeds, and the page says by when to meet.
    await mp.waitForText(/村委会要在 .* 以前开会答复/)
    const signed = callsOf(mp, 'request').filter(
      (c) =>
        (c.options as { method?: string }).method === 'POST' &&
        String((c.options as { url: string }).url).endsWith(`/petitions/${started.id}/signatures`),
    )
    expect(signed).toHaveLength(1)

    // The committee's view of it: her signature, signed in the app, beside 赵小明's.
    const seen = await api<Petition>(server, v(`/petitions/${started.id}`), { session: committee })
    expect(seen.signatures).toBe(2)
    expect(seen.state).toBe('succeeded')
    const herId = await personOf(resident)
    const hers = seen.signers?.find((s) => s.personId === herId)
    expect(hers).toMatchObject({ name: '张秀兰', recordedBy: null, representative: true })
    expect(seen.signers?.map((s) => s.name)).toEqual(['赵小明', '张秀兰'])
    expectNoProblemsOnAnyPhone()
  })
})
