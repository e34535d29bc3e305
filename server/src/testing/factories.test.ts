import { REPORT_STATES } from '@liren/shared/rules'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addResidents,
  as,
  balanceOf,
  fund,
  makeMeeting,
  makePendingOrder,
  makeReport,
  makeVillage,
  startWithVillages,
  MEMBER_ROLES,
  uploadPhoto,
  type Village,
} from './factories.js'
import { type TestContext } from './harness.js'
import { expectLedgerConsistent } from './ledger.js'

let t: TestContext
let v: Village

beforeAll(async () => ([t, v] = await startWithVillages(1)))
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

  it('more residents, each in a household no member lives in; photos, balances and masked names', async () => {
    const w = await makeVillage(t, { households: 5 })
    const extras = await addResidents(t, w, 3)
    const homeOf = (personId: number | null) => w.persons.find((p) => p.id === personId)?.householdId
    const memberHomes = new Set(MEMBER_ROLES.map((r) => homeOf(w[r].personId)))
    for (const extra of extras) {
      const me = (await as(t, extra).get('/api/me')).json()
      expect(me.memberships).toMatchObject([
        { villageId: w.id, status: 'verified', roles: ['resident'], personId: extra.personId },
      ])
      expect(memberHomes.has(homeOf(extra.personId))).toBe(false)
    }
    const photos = [await uploadPhoto(t, w.id, w.resident), await uploadPhoto(t, w.id, w.resident)]
    expect(new Set(photos).size).toBe(2)
    await fund(t, w, w.resident.personId!, 7)
    expect(await balanceOf(t, w.id, w.resident)).toBe(7)
    // `masked` holds because every factory name has three characters.
    expect(w.persons.every((p) => [...p.name].length === 3)).toBe(true)
  })
})
