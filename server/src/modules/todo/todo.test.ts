import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  as,
  makeMeeting,
  makePendingOrder,
  makeReport,
  nextKey,
  startWithVillages,
  type Caller,
  type Member,
  type Village,
} from '../../testing/factories.js'
import type { TestContext } from '../../testing/harness.js'

let t: TestContext
let home: Village
let other: Village

beforeAll(async () => ([t, home, other] = await startWithVillages(2)))
afterAll(() => t.close())

const todo = (caller: Caller, village: Village = home) => as(t, caller).get(`/api/villages/${village.id}/todo`)
const todoOf = async (caller: Caller, village: Village = home) => {
  const res = await todo(caller, village)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const unreadOf = async (caller: Caller) => (await as(t, caller).get('/api/notifications')).json().unread as number
const post = async (caller: Caller, path: string, payload: object = {}) => {
  const res = await as(t, caller).post(`/api/villages/${home.id}${path}`, payload)
  expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300)
  return res.json()
}

/** A village's committee before anything happened: its one applicant to verify, nothing else. */
const FRESH_COMMITTEE = {
  applications: 1,
  reports: { open: 0, overdue: 0 },
  orders: 0,
  approvals: 0,
  votes: [],
  unread: 0,
}

describe('my to-do', () => {
  it('a fresh village: the committee has its applicant to verify; each person gets only the counts of their roles', async () => {
    expect(await todoOf('committee')).toEqual(FRESH_COMMITTEE)
    expect(await todoOf('grid')).toEqual({ reports: { open: 0, overdue: 0 }, votes: [], unread: 0 })
    expect(await todoOf('resident')).toEqual({ votes: [], unread: 0 })
    expect(await todoOf('volunteer')).toEqual({ votes: [], unread: 0 })
  })

  it('is refused to an applicant, a town admin without a membership role, another village’s people and strangers', async () => {
    expect((await todo('applicant')).statusCode).toBe(403)
    expect((await todo('townAdmin')).statusCode).toBe(403)
    expect((await todo(other.committee)).statusCode).toBe(403)
    expect((await todo(other.resident)).statusCode).toBe(403)
    expect((await todo('anon')).statusCode).toBe(401)
  })

  it('counts what waits, per role and per village, and goes down as each thing is done', async () => {
    // Two reports: one in the grid worker's grid, one in the other grid and past its deadline to accept.
    const mine = await makeReport(t, home, 'submitted')
    const late = await makeReport(t, home, 'submitted', { gridId: home.gridIds[1] })
    await t.database.db.execute(
      sql`UPDATE reports SET accept_due_at = ${new Date(Date.now() - 3600_000)} WHERE id = ${late.id}`,
    )
    const order = await makePendingOrder(t, home)
    // An award above its rule's threshold waits for a second committee member: the volunteer becomes one.
    const proposed = await post('committee', '/points/awards', {
      personId: home.resident.personId,
      ruleCode: 'good_deed',
      points: 40,
      reason: '扶老人过马路',
      idempotencyKey: nextKey(),
    })
    expect(proposed.status).toBe('pending_approval')
    await t.database.db.execute(
      sql`INSERT INTO membership_roles (membership_id, role) VALUES (${home.volunteer.membershipId}, 'committee')`,
    )
    // Two open votes: every adult's, and one for the representatives (the committee member is the one).
    const meeting = await makeMeeting(t, home, {
      state: 'announced',
      votes: [
        { question: '同意修村西的路', secret: false },
        { question: '同意聘请保洁员', secret: false, electorate: 'representatives' },
      ],
      open: true,
      body: { title: '十二月村民会议' },
    })
    const [roadVote, cleanerVote] = meeting.votes as [{ id: number; optionIds: number[] }, { id: number }]
    const road = {
      voteId: roadVote.id,
      meetingId: meeting.id,
      meetingTitle: '十二月村民会议',
      question: '同意修村西的路',
    }
    const cleaner = {
      voteId: cleanerVote.id,
      meetingId: meeting.id,
      meetingTitle: '十二月村民会议',
      question: '同意聘请保洁员',
    }

    const committee = await todoOf('committee')
    expect(committee).toEqual({
      applications: 1,
      reports: { open: 2, overdue: 1 },
      orders: 1,
      approvals: 0, // their own proposal is for another member to check
      votes: [road, cleaner],
      unread: await unreadOf('committee'),
    })
    expect(committee.unread).toBeGreaterThan(0) // told of the new reports and the votes
    expect(await todoOf('volunteer')).toMatchObject({ approvals: 1, orders: 1, votes: [road] })
    expect(await todoOf('grid')).toEqual({
      reports: { open: 1, overdue: 0 },
      votes: [road],
      unread: await unreadOf('grid'),
    })
    expect(await todoOf('resident')).toEqual({ votes: [road], unread: await unreadOf('resident') })

    // The other village's committee sees none of ours, only its own applicant.
    expect(await todoOf(other.committee, other)).toEqual(FRESH_COMMITTEE)

    // Doing each thing takes it off.
    await post('committee', `/applications/${home.applicant.membershipId}/verify`)
    await post('committee', `/reports/${late.id}/reject`, { reason: '不属于村里的事' })
    await post('committee', '/shop/orders/fulfil', { pickupCode: order.pickupCode })
    await post(home.volunteer, `/points/approvals/${proposed.approvalId}/approve`)
    await post('resident', `/votes/${roadVote.id}/ballots`, { choices: [roadVote.optionIds[0]] })
    expect(await todoOf('committee')).toMatchObject({
      applications: 0,
      reports: { open: 1, overdue: 0 },
      orders: 0,
      votes: [road, cleaner],
    })
    expect(await todoOf('volunteer')).toMatchObject({ approvals: 0 })
    expect((await todoOf('resident')).votes).toEqual([])
    expect((await todoOf('grid')).reports).toEqual({ open: 1, overdue: 0 })

    await post('committee', `/reports/${mine.id}/reject`, { reason: '已经有人处理了' })
    expect((await todoOf('grid')).reports).toEqual({ open: 0, overdue: 0 })
    await as(t, 'committee').post('/api/notifications/read', {})
    expect((await todoOf('committee')).unread).toBe(0)
  })

  it('a vote of one per household is done for the whole household once one of them has voted', async () => {
    const meeting = await makeMeeting(t, home, {
      state: 'announced',
      votes: [{ question: '每户一票：同意调整宅基地', secret: false, electorate: 'households' }],
      open: true,
    })
    const vote = meeting.votes[0]!
    const waiting = (member: Member) =>
      todoOf(member).then((x) => x.votes.map((v: { voteId: number }) => v.voteId).includes(vote.id))
    // The committee member and the resident live in one household; the grid worker in another.
    expect([await waiting(home.committee), await waiting(home.resident), await waiting(home.grid)]).toEqual([
      true,
      true,
      true,
    ])
    await post('committee', `/votes/${vote.id}/ballots`, { choices: [vote.optionIds[0]] })
    expect([await waiting(home.committee), await waiting(home.resident), await waiting(home.grid)]).toEqual([
      false,
      false,
      true,
    ])
  })
})
