import { REPORT_STATES } from '@liren/shared/rules'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, makeMeeting, makePendingOrder, makeReport, makeVillage, type Village } from './factories.js'
import { startTestContext, type TestContext } from './harness.js'
import { expectLedgerConsistent } from './ledger.js'

let t: TestContext
let v: Village

beforeAll(async () => {
  t = await startTestContext({ seed: false })
  v = await makeVillage(t)
})
afterAll(() => t.close())

describe('test factories', () => {
  it('a village: each member signed in, in the village, with the roles of their part', async () => {
    const me = async (caller: Parameters<typeof as>[1]) => (await as(t, caller).get('/api/me')).json()
    const roles = async (caller: Parameters<typeof as>[1]) =>
      (await me(caller)).memberships.find((m: { villageId: number }) => m.villageId === v.id)
    expect(await roles('committee')).toMatchObject({ status: 'verified', roles: ['resident', 'committee'] })
    expect(await roles('grid')).toMatchObject({ status: 'verified', roles: ['resident', 'grid_worker'] })
    expect(await roles(v.volunteer)).toMatchObject({ status: 'verified', roles: ['resident', 'volunteer'] })
    expect(await roles('applicant')).toMatchObject({ status: 'pending', roles: [] })
    expect(await roles('townAdmin')).toMatchObject({ status: 'verified', roles: ['town_admin'] })
    expect((await as(t, 'anon').get('/api/me')).statusCode).toBe(401)
    const other = await makeVillage(t)
    expect(other.persons.map((p) => p.name)).not.toContain(v.persons[0]!.name)
    expect((await as(t, other.committee).get(`/api/villages/${v.id}/meetings`)).statusCode).toBe(403)
  })

  it('a meeting announced with its roll and open votes, and one taken to published', async () => {
    const m = await makeMeeting(t, v, {
      state: 'announced',
      votes: [{ question: '同意修路', secret: false }],
      open: true,
    })
    const seen = (await as(t, 'resident').get(`/api/villages/${v.id}/meetings/${m.id}`)).json()
    expect(seen).toMatchObject({ state: 'announced', onRoll: v.persons.filter((p) => p.adult).length })
    expect(seen.agenda[0].vote).toMatchObject({ id: m.votes[0]!.id, state: 'open' })
    const done = await makeMeeting(t, v, { state: 'published' })
    expect((await as(t, 'committee').get(`/api/villages/${v.id}/meetings/${done.id}`)).json().state).toBe('published')
  })

  it('a report in each state, and an order pending; the ledger stays consistent', async () => {
    for (const state of REPORT_STATES) {
      const { id } = await makeReport(t, v, state)
      const res = await as(t, 'committee').get(`/api/villages/${v.id}/reports/${id}`)
      expect(res.json().state, state).toBe(state)
    }
    const { orderId } = await makePendingOrder(t, v)
    const mine = (await as(t, 'resident').get(`/api/villages/${v.id}/shop/orders/mine`)).json()
    expect(mine.find((o: { id: number }) => o.id === orderId).status).toBe('pending')
    await expectLedgerConsistent(t.database.db)
  })
})
