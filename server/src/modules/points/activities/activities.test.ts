import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addResidents,
  as,
  balanceOf,
  startWithVillages,
  type Caller,
  type Village,
} from '../../../testing/factories.js'
import { expectRefused, qrTextOf, svgOf, type TestContext } from '../../../testing/harness.js'
import { pointEntries } from '../../../testing/ledger.js'

let t: TestContext
let v: Village
let neighbour: Village

const HOUR = 3600_000
const at = (ms: number) => new Date(Date.now() + ms).toISOString()
const future = { startsAt: at(24 * HOUR), endsAt: at(27 * HOUR) }

// Enough roster people for the 51 residents added below, with some left who are not in the app.
beforeAll(async () => ([t, v, neighbour] = await startWithVillages([{ households: 25 }, {}])))
afterAll(() => t.close())

const url = (path = '', villageId = v.id) => `/api/villages/${villageId}/activities${path}`
const get = (path: string, caller: Caller, villageId = v.id) => as(t, caller).get(url(path, villageId))
const post = (path: string, caller: Caller, payload?: object, villageId = v.id) =>
  as(t, caller).post(url(path, villageId), payload)

async function publish(overrides: object = {}, caller: Caller = 'committee', villageId = v.id): Promise<number> {
  const res = await post(
    '',
    caller,
    {
      title: '清理河道',
      description: '沿河捡垃圾，自带手套',
      place: '村口石桥',
      ...future,
      capacity: 10,
      pointsMode: 'per_hour',
      points: 10,
      ...overrides,
    },
    villageId,
  )
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

/** A villager who is not in the app (no phone): the last household's spouse, past those the tests add. */
const elder = () => v.persons.at(-2)!.id
const entries = () => pointEntries(t)
const signups = async (activityId: number) =>
  (
    await t.rows<{ activity_id: number; person_id: number; status: string; confirmed_minutes: number | null }>(
      'activity_signups',
    )
  ).filter((s) => s.activity_id === activityId)
const activityRow = async (id: number) =>
  (await t.rows<{ id: number; signed_up: number }>('activities')).find((a) => a.id === id)!
const balance = (caller: Caller) => balanceOf(t, v.id, caller)

/** Lets time pass for an activity: it started a minute ago. */
async function startNow(activityId: number) {
  await t.database.db.execute(
    sql`UPDATE activities SET starts_at = NOW(3) - INTERVAL 1 MINUTE, ends_at = NOW(3) + INTERVAL 2 HOUR WHERE id = ${activityId}`,
  )
}

describe('publishing and listing', () => {
  it('the committee publishes; members see it with its status, newest start first', async () => {
    const res = await post('', 'committee', {
      title: '敬老院帮厨',
      description: '包饺子',
      place: '村敬老院',
      ...future,
      capacity: 5,
      pointsMode: 'fixed',
      points: 20,
    })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      title: '敬老院帮厨',
      capacity: 5,
      signedUp: 0,
      pointsMode: 'fixed',
      points: 20,
      status: 'upcoming',
      mySignup: null,
    })
    const ongoing = await publish({ title: '正在进行', startsAt: at(-HOUR), endsAt: at(HOUR) })
    const ended = await publish({ title: '已经结束', startsAt: at(-3 * HOUR), endsAt: at(-2 * HOUR) })

    const list = await get('', 'resident')
    expect(list.statusCode).toBe(200)
    const byId = new Map(list.json().map((a: { id: number }) => [a.id, a]))
    expect(byId.get(res.json().id)).toMatchObject({ status: 'upcoming', mySignup: null })
    expect(byId.get(ongoing)).toMatchObject({ status: 'ongoing' })
    expect(byId.get(ended)).toMatchObject({ status: 'ended' })
    const starts = list.json().map((a: { startsAt: string }) => a.startsAt)
    expect(starts).toEqual([...starts].sort().reverse())

    const one = await get(`/${ongoing}`, 'grid')
    expect(one.statusCode).toBe(200)
    expect(one.json()).toMatchObject({ id: ongoing, title: '正在进行', status: 'ongoing' })
    const audits = await t.rows<{ action: string; entity_id: number }>('audit_log')
    expect(audits.some((a) => a.action === 'activity.created' && a.entity_id === ongoing)).toBe(true)
  })

  it('only the committee of the village publishes; bad input is refused naming the field', async () => {
    const body = {
      title: '植树',
      description: '后山植树',
      place: '后山',
      ...future,
      capacity: 10,
      pointsMode: 'per_hour',
      points: 10,
    }
    expect((await post('', 'volunteer', body)).statusCode).toBe(403)
    expect((await post('', neighbour.committee, body)).statusCode).toBe(403)
    const cases: [object, string][] = [
      [{ ...body, endsAt: body.startsAt }, 'endsAt'],
      [{ ...body, endsAt: at(23 * HOUR) }, 'endsAt'],
      [{ ...body, capacity: 0 }, 'capacity'],
      [{ ...body, points: -1 }, 'points'],
      [{ ...body, pointsMode: 'per_day' }, 'pointsMode'],
      [{ ...body, startsAt: '明天上午' }, 'startsAt'],
      [{ ...body, title: undefined }, 'title'],
    ]
    for (const [payload, field] of cases) {
      const res = await post('', 'committee', payload)
      expectRefused(res, 400, 'VALIDATION_FAILED', field, JSON.stringify(payload))
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/)
    }
    expect((await get('/abc', 'resident')).statusCode).toBe(400)
    expect((await post('/0/signup', 'resident')).statusCode).toBe(400)
  })

  it("another village's activities are not found here, and its members cannot look", async () => {
    const theirs = await publish({}, neighbour.committee, neighbour.id)
    const res = await get(`/${theirs}`, 'resident')
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('ACTIVITY_NOT_FOUND')
    expect((await post(`/${theirs}/signup`, 'resident')).json().code).toBe('ACTIVITY_NOT_FOUND')
    expect((await get(`/${theirs}/signups`, 'committee')).statusCode).toBe(404)
    expect((await get('', neighbour.committee)).statusCode).toBe(403)
    const ours = await publish()
    expect((await post(`/${ours}/signup`, neighbour.committee)).statusCode).toBe(403)
    expect((await get(`/${ours}/code`, neighbour.committee)).statusCode).toBe(403)
  })
})

describe('signing up', () => {
  it('signs up once; cancelling frees the place, which someone else (or the same person) can take', async () => {
    const id = await publish({ capacity: 2 })
    const first = await post(`/${id}/signup`, 'volunteer')
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({ signedUp: 1, mySignup: 'signed_up' })
    const twice = await post(`/${id}/signup`, 'volunteer')
    expect(twice.statusCode).toBe(409)
    expect(twice.json().code).toBe('ALREADY_SIGNED_UP')
    expect((await post(`/${id}/signup`, 'resident')).json()).toMatchObject({ signedUp: 2 })
    const full = await post(`/${id}/signup`, 'grid')
    expect(full.statusCode).toBe(409)
    expect(full.json().code).toBe('ACTIVITY_FULL')

    const cancelled = await post(`/${id}/cancel-signup`, 'volunteer')
    expect(cancelled.statusCode).toBe(200)
    expect(cancelled.json()).toMatchObject({ signedUp: 1, mySignup: 'cancelled' })
    expect((await post(`/${id}/cancel-signup`, 'volunteer')).json().code).toBe('NOT_SIGNED_UP')
    expect((await post(`/${id}/signup`, 'grid')).json()).toMatchObject({ signedUp: 2, mySignup: 'signed_up' })
    expect((await post(`/${id}/signup`, 'volunteer')).json().code).toBe('ACTIVITY_FULL')
    expect((await post(`/${id}/cancel-signup`, 'grid')).statusCode).toBe(200)
    expect((await post(`/${id}/signup`, 'volunteer')).json()).toMatchObject({ signedUp: 2, mySignup: 'signed_up' })
    expect((await get(`/${id}`, 'volunteer')).json().mySignup).toBe('signed_up')

    expect((await signups(id)).map((s) => s.status).sort()).toEqual(['cancelled', 'signed_up', 'signed_up'])
    expect((await activityRow(id)).signed_up).toBe(2)
  })

  it('50 members signing up at once for 10 places: exactly 10 get one', async () => {
    const residents = await addResidents(t, v, 50)
    const id = await publish({ capacity: 10 })
    const results = await Promise.all(residents.map((member) => post(`/${id}/signup`, member)))
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(10)
    const refused = results.filter((r) => r.statusCode !== 200)
    expect(refused).toHaveLength(40)
    expect(refused.every((r) => r.statusCode === 409 && r.json().code === 'ACTIVITY_FULL')).toBe(true)
    expect(await signups(id)).toHaveLength(10)
    expect((await activityRow(id)).signed_up).toBe(10)
    expect((await get(`/${id}`, 'committee')).json().signedUp).toBe(10)
  })

  it('the same member signing up many times at once gets one place', async () => {
    const id = await publish({ capacity: 10 })
    const results = await Promise.all(Array.from({ length: 10 }, () => post(`/${id}/signup`, 'resident')))
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'ALREADY_SIGNED_UP')).toBe(true)
    expect(await signups(id)).toHaveLength(1)
    expect((await activityRow(id)).signed_up).toBe(1)
  })

  it('the committee signs up a villager without a phone; nobody else may sign up for others', async () => {
    const id = await publish({ title: '敬老院打扫' })
    const res = await post(`/${id}/signups`, 'committee', { personId: elder() })
    expect(res.statusCode).toBe(200)
    expect((await signups(id)).map((s) => [s.person_id, s.status])).toEqual([[elder(), 'signed_up']])
    const other = await post(`/${id}/signups`, 'resident', { personId: v.persons.at(-1)!.id })
    expect(other.statusCode).toBe(403)
    const foreign = await post(`/${id}/signups`, 'committee', { personId: neighbour.persons[0]!.id })
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().code).toBe('PERSON_NOT_FOUND')
    expect(await signups(id)).toHaveLength(1)
  })

  it('no signing up or cancelling once the activity has started', async () => {
    const started = await publish({ startsAt: at(-HOUR), endsAt: at(HOUR) })
    const late = await post(`/${started}/signup`, 'volunteer')
    expect(late.statusCode).toBe(409)
    expect(late.json().code).toBe('ACTIVITY_STARTED')

    const id = await publish()
    expect((await post(`/${id}/signup`, 'volunteer')).statusCode).toBe(200)
    await startNow(id)
    const cancel = await post(`/${id}/cancel-signup`, 'volunteer')
    expect(cancel.statusCode).toBe(409)
    expect(cancel.json().code).toBe('ACTIVITY_STARTED')
    expect((await signups(id))[0]!.status).toBe('signed_up')
    expect((await activityRow(id)).signed_up).toBe(1)
  })
})

describe('attendance and hours', () => {
  /** An activity with the given people signed up, which has now started. */
  async function startedWith(callers: Caller[], overrides: object = {}) {
    const id = await publish(overrides)
    for (const caller of callers) expect((await post(`/${id}/signup`, caller)).statusCode).toBe(200)
    await startNow(id)
    return id
  }
  const codeOf = async (id: number) => {
    const res = await get(`/${id}/code`, 'committee')
    expect(res.statusCode).toBe(200)
    const { token, wxacode, qr } = res.json() as { token: string; wxacode: string; qr: string }
    // Short enough to be a mini-program code's scene, in the characters WeChat allows there.
    expect(token).toMatch(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/)
    // WeChat's code (from the stand-in) opens the activity page with the code as its scene.
    expect(qrTextOf(wxacode)).toBe(`packages/points/activity/index?scene=${encodeURIComponent(token)}`)
    expect(svgOf(qr)).toMatch(/^<svg[^>]*viewBox=.*<path/s)
    return token
  }

  it('checks in and out by scanning the code, each once', async () => {
    const id = await startedWith(['volunteer'])
    const token = await codeOf(id)
    const out = await post(`/${id}/check-out`, 'volunteer', { token })
    expect(out.statusCode).toBe(409)
    expect(out.json().code).toBe('NOT_SIGNED_UP')

    const inRes = await post(`/${id}/check-in`, 'volunteer', { token })
    expect(inRes.statusCode).toBe(200)
    expect(inRes.json()).toMatchObject({
      name: v.volunteer.name,
      status: 'checked_in',
      checkedOutAt: null,
      confirmedMinutes: null,
      points: null,
    })
    const again = await post(`/${id}/check-in`, 'volunteer', { token })
    expect(again.json()).toMatchObject({ status: 'checked_in', checkedInAt: inRes.json().checkedInAt })

    const outRes = await post(`/${id}/check-out`, 'volunteer', { token })
    expect(outRes.statusCode).toBe(200)
    expect(outRes.json()).toMatchObject({ status: 'checked_out', checkedInAt: inRes.json().checkedInAt })
    expect(outRes.json().checkedOutAt).not.toBeNull()
    expect((await post(`/${id}/check-in`, 'volunteer', { token })).json().status).toBe('checked_out')

    const notSigned = await post(`/${id}/check-in`, 'grid', { token })
    expect(notSigned.statusCode).toBe(409)
    expect(notSigned.json().code).toBe('NOT_SIGNED_UP')
  })

  it('refuses a wrong, foreign or missing code, naming the token', async () => {
    const id = await startedWith(['resident'])
    const other = await publish()
    const mine = await codeOf(id)
    const [village, , signature] = mine.split('.') as [string, string, string]
    const forged = `${village}.${id}.${signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`
    const cases = [
      { token: await codeOf(other) },
      { token: forged },
      { token: `${village}.${other}.${signature}` },
      { token: 'not-a-token' },
      { token: v.committee.token },
      {},
    ]
    for (const payload of cases) {
      const res = await post(`/${id}/check-in`, 'resident', payload)
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain('token')
    }
    expect((await signups(id))[0]!.status).toBe('signed_up')
    // The activity code is no login.
    expect((await as(t, { token: await codeOf(id) }).get(url())).statusCode).toBe(401)
    expect((await get(`/${id}/code`, 'resident')).statusCode).toBe(403)
  })

  it('the organiser checks in a villager without a phone; others cannot', async () => {
    const id = await startedWith(['grid'])
    const li = v.grid.personId!
    const denied = await post(`/${id}/check-in`, 'resident', { personId: li })
    expect(denied.statusCode).toBe(403)
    const res = await post(`/${id}/check-in`, 'committee', { personId: li })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ personId: li, name: v.grid.name, status: 'checked_in' })
    expect((await post(`/${id}/check-out`, 'committee', { personId: li })).json().status).toBe('checked_out')
    const stranger = await post(`/${id}/check-in`, 'committee', { personId: elder() })
    expect(stranger.statusCode).toBe(409)
    expect(stranger.json()).toMatchObject({ code: 'NOT_SIGNED_UP', details: [{ field: 'personId' }] })
    const list = await get(`/${id}/signups`, 'committee')
    expect(list.statusCode).toBe(200)
    expect(list.json()).toEqual([expect.objectContaining({ personId: li, name: v.grid.name, status: 'checked_out' })])
    expect((await get(`/${id}/signups`, 'grid')).statusCode).toBe(403)
  })

  it('confirming hours awards the points once; a second confirmation is refused and writes nothing', async () => {
    const id = await startedWith(['volunteer', 'resident'], { points: 10 })
    const xiaoming = v.volunteer.personId!
    const token = await codeOf(id)
    await post(`/${id}/check-in`, 'volunteer', { token })
    await post(`/${id}/check-out`, 'volunteer', { token })
    const before = await balance('volunteer')

    expect((await post(`/${id}/confirm`, 'volunteer', { personId: xiaoming, minutes: 90 })).statusCode).toBe(403)
    const res = await post(`/${id}/confirm`, 'committee', { personId: xiaoming, minutes: 90 })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ personId: xiaoming, status: 'confirmed', confirmedMinutes: 90, points: 15 })
    expect(await balance('volunteer')).toBe(before + 15)
    const entry = (await entries()).find((e) => e.idempotency_key === `activity:${id}:person:${xiaoming}`)!
    expect(entry).toMatchObject({ amount: 15, kind: 'earn', ref_type: 'activity', ref_id: id })

    const snapshot = await entries()
    const again = await post(`/${id}/confirm`, 'committee', { personId: xiaoming, minutes: 120 })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('ALREADY_CONFIRMED')
    expect(await entries()).toEqual(snapshot)
    expect(await balance('volunteer')).toBe(before + 15)
    expect((await signups(id)).find((s) => s.person_id === xiaoming)!.confirmed_minutes).toBe(90)

    // Signed up but never came: nothing to confirm.
    const absent = await post(`/${id}/confirm`, 'committee', { personId: v.resident.personId!, minutes: 60 })
    expect(absent.statusCode).toBe(409)
    expect(absent.json().code).toBe('NOT_SIGNED_UP')
    const bad = await post(`/${id}/confirm`, 'committee', { personId: xiaoming, minutes: 0 })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details.map((d: { field: string }) => d.field)).toContain('minutes')
    expect(await entries()).toEqual(snapshot)
  })

  it('parallel confirmations of the same person pay once; a fixed activity pays its points', async () => {
    const id = await startedWith(['resident'], { pointsMode: 'fixed', points: 8 })
    const xiulan = v.resident.personId!
    await post(`/${id}/check-in`, 'committee', { personId: xiulan })
    const before = await balance('resident')
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(`/${id}/confirm`, 'committee', { personId: xiulan, minutes: 200 })),
    )
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1)
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'ALREADY_CONFIRMED')).toBe(true)
    expect(results.find((r) => r.statusCode === 200)!.json().points).toBe(8)
    expect(await balance('resident')).toBe(before + 8)
  })

  it('confirmations for one person in several activities at once never pass the daily cap', async () => {
    const [member] = await addResidents(t, v, 1)
    const me = (await as(t, member!).get(`/api/villages/${v.id}/points/me`)).json().personId
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      const id = await startedWith([member!], { points: 20 })
      await post(`/${id}/check-in`, 'committee', { personId: me })
      ids.push(id)
    }
    // 5 × 20 points against a cap of 80 a day.
    const results = await Promise.all(
      ids.map((id) => post(`/${id}/confirm`, 'committee', { personId: me, minutes: 60 })),
    )
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(4)
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(['CAP_REACHED'])
    expect(await balance(member!)).toBe(80)
  })

  it("a confirmation over the rule's daily cap is refused and writes nothing", async () => {
    const id = await startedWith(['grid'], { points: 10 })
    const li = v.grid.personId!
    await post(`/${id}/check-in`, 'committee', { personId: li })
    const before = await entries()
    const over = await post(`/${id}/confirm`, 'committee', { personId: li, minutes: 9 * 60 })
    expect(over.statusCode).toBe(409)
    expect(over.json().code).toBe('CAP_REACHED')
    expect(await entries()).toEqual(before)
    expect((await signups(id))[0]).toMatchObject({ status: 'checked_in', confirmed_minutes: null })

    const within = await post(`/${id}/confirm`, 'committee', { personId: li, minutes: 8 * 60 })
    expect(within.statusCode).toBe(200)
    expect(within.json()).toMatchObject({ status: 'confirmed', points: 80 })
    expect(await balance('grid')).toBe(80)
    const audits = await t.rows<{ action: string; entity_id: number }>('audit_log')
    expect(audits.filter((a) => a.entity_id === id && a.action.startsWith('activity.')).map((a) => a.action)).toEqual([
      'activity.created',
      'activity.signed_up',
      'activity.checked_in',
      'activity.hours_confirmed',
    ])
  })
})
