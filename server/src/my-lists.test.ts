import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  activityBody,
  as,
  makeMeeting,
  makePendingOrder,
  makeReport,
  startWithVillages,
  type Caller,
  type Village,
} from './testing/factories.js'
import type { TestContext } from './testing/harness.js'

/**
 * 我的: each list of "my things" in a village (reports, orders, sign-ups, services, topics, votes) holds the
 * caller's own rows only; another member of the village gets theirs, a member of another village is
 * refused, an applicant is refused. An anonymous report is in its author's list and hidden everywhere else.
 */
let t: TestContext
let v: Village
let other: Village

beforeAll(async () => ([t, v, other] = await startWithVillages(2)))
afterAll(() => t?.close())

const url = (village: Village, path: string) => `/api/villages/${village.id}${path}`
const MINE = [
  '/reports/mine',
  '/shop/orders/mine',
  '/activities/mine',
  '/services/mine',
  '/topics/mine',
  '/votes/mine',
] as const
type Mine = (typeof MINE)[number]

async function mine(caller: Caller, path: Mine, village = v) {
  const res = await as(t, caller).get(url(village, path))
  expect(res.statusCode, `${path}: ${res.body}`).toBe(200)
  const body = res.json()
  return (path === '/reports/mine' ? body.items : body) as Record<string, unknown>[]
}
async function post(caller: Caller, path: string, payload: object = {}) {
  const res = await as(t, caller).post(url(v, path), payload)
  expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300)
  return res.json()
}

describe('my lists (我的)', () => {
  it("each list holds the caller's own rows; other members get theirs; another village and an applicant are refused", async () => {
    // 张: an anonymous report and a named one; the volunteer one of theirs.
    const anonymous = await makeReport(t, v, 'accepted', { anonymous: true, description: '匿名：夜里有人偷倒垃圾' })
    const named = await makeReport(t, v, 'submitted', { description: '路灯坏了' })
    const volunteersReport = await post(v.volunteer, '/reports', {
      category: '设施损坏',
      description: '桥栏杆松了',
      idempotencyKey: `mine-${Date.now()}`,
    })
    const { orderId, pickupCode } = await makePendingOrder(t, v, v.resident)
    const activity = await post(v.committee, '/activities', activityBody())
    await post(v.resident, `/activities/${activity.id}/signup`)
    const offer = await post(v.resident, '/services', {
      kind: 'offer',
      title: '接送孩子',
      description: '放学接',
      points: 5,
    })
    await post(v.grid, `/services/${offer.id}/take`)
    const request = await post(v.volunteer, '/services', {
      kind: 'request',
      title: '修水管',
      description: '漏水',
      points: 8,
    })
    const topic = await post(v.resident, '/topics', {
      title: '村口路灯太少',
      description: '晚上看不清路，想加两盏灯。',
    })
    await post(v.volunteer, '/topics', { title: '修村东小桥', description: '桥面有裂缝，下雨天不好走。' })
    const meeting = await makeMeeting(t, v, {
      state: 'announced',
      open: true,
      votes: [
        { question: '同意在村东建广场', secret: true },
        { question: '同意修村东小桥', secret: false },
      ],
    })
    const [secret, open] = meeting.votes as [{ id: number; optionIds: number[] }, { id: number; optionIds: number[] }]
    const { receiptCode } = await post(v.resident, `/votes/${secret.id}/ballots`, { choices: [secret.optionIds[1]] })
    await post(v.resident, `/votes/${open.id}/ballots`, { choices: [open.optionIds[0]] })
    await post(v.volunteer, `/votes/${secret.id}/ballots`, { choices: [secret.optionIds[0]] })

    // The resident's lists.
    const ids = async (path: Mine, key = 'id') => (await mine(v.resident, path)).map((r) => r[key])
    expect(await ids('/reports/mine')).toEqual([named.id, anonymous.id])
    expect((await mine(v.resident, '/reports/mine')).map((r) => r.state)).toEqual(['submitted', 'accepted'])
    expect(await mine(v.resident, '/shop/orders/mine')).toMatchObject([{ id: orderId, pickupCode, status: 'pending' }])
    expect(await mine(v.resident, '/activities/mine')).toMatchObject([{ id: activity.id, mySignup: 'signed_up' }])
    expect(await mine(v.resident, '/services/mine')).toMatchObject([{ id: offer.id, mine: true, status: 'taken' }])
    expect(await mine(v.resident, '/topics/mine')).toMatchObject([{ id: topic.id, mine: true }])
    const votes = await mine(v.resident, '/votes/mine')
    expect(votes.map((r) => r.voteId).sort()).toEqual([secret.id, open.id].sort())
    expect(votes.find((r) => r.voteId === open.id)).toMatchObject({
      meetingId: meeting.id,
      secret: false,
      state: 'open',
      channel: 'online',
      myChoices: ['同意'],
    })
    // A secret ballot's list row says she voted, never what, and holds no receipt.
    expect(votes.find((r) => r.voteId === secret.id)).toMatchObject({ secret: true, myChoices: null })
    expect(JSON.stringify(votes)).not.toContain(receiptCode)

    // Other members of the village get their own: the volunteer, the grid worker who took her offer.
    expect(await mine(v.volunteer, '/reports/mine')).toMatchObject([{ id: volunteersReport.id }])
    expect(await mine(v.volunteer, '/shop/orders/mine')).toEqual([])
    expect(await mine(v.volunteer, '/activities/mine')).toEqual([])
    expect(await mine(v.volunteer, '/services/mine')).toMatchObject([{ id: request.id, mine: true }])
    expect((await mine(v.volunteer, '/topics/mine')).map((r) => r.title)).toEqual(['修村东小桥'])
    expect(await mine(v.volunteer, '/votes/mine')).toMatchObject([{ voteId: secret.id, myChoices: null }])
    expect(await mine(v.grid, '/services/mine')).toMatchObject([{ id: offer.id, mine: false, takenByMe: true }])
    for (const path of MINE.filter((p) => p !== '/services/mine')) expect(await mine(v.grid, path)).toEqual([])

    // Another village's resident: refused here, and nothing of this village in their own village's lists.
    for (const path of MINE) {
      expect((await as(t, other.resident).get(url(v, path))).statusCode, path).toBe(403)
      expect(await mine(other.resident, path, other), path).toEqual([])
      expect((await as(t, v.applicant).get(url(v, path))).statusCode, path).toBe(403)
      expect((await as(t, 'anon').get(url(v, path))).statusCode, path).toBe(401)
    }
  })

  it('an anonymous report is in its author’s 我的上报 and names her to nobody else but the handlers', async () => {
    const { id } = await makeReport(t, v, 'submitted', { anonymous: true, description: '匿名：有人占道堆柴' })
    expect((await mine(v.resident, '/reports/mine')).map((r) => r.id)).toContain(id)
    const own = (await as(t, v.resident).get(url(v, `/reports/${id}`))).json()
    expect(own).toMatchObject({ anonymous: true, isMine: true })
    for (const caller of [v.volunteer, v.grid]) {
      expect((await mine(caller, '/reports/mine')).map((r) => r.id)).not.toContain(id)
    }
    const seen = await as(t, v.volunteer).get(url(v, `/reports/${id}`))
    expect(seen.statusCode).toBe(200)
    expect(seen.json()).toMatchObject({ anonymous: true, reporterName: null, isMine: false })
    expect(seen.body).not.toContain(v.resident.name)
    expect((await as(t, v.volunteer).get(url(v, '/reports'))).body).not.toContain(v.resident.name)
  })
})
