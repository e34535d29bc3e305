import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addResidents,
  as,
  makeMeeting,
  startWithVillages,
  uploadPhoto,
  type MadeMeeting,
  type Member,
  type Village,
} from '../../testing/factories.js'
import type { TestContext } from '../../testing/harness.js'

/**
 * 委托投票 (issue 18, item 7): where the village's rules allow it, the committee records a written
 * authorisation (principal → proxy, a photo of the signed paper) for a live meeting; a proxy holds at most
 * three principals, also when authorisations arrive at once; the proxy casts each principal's ballot
 * separately; the principal acting in person first (signing in, voting) cancels the authorisation, and
 * after the proxy's ballot the principal's unit has voted. The result says how many ballots came by proxy,
 * never which.
 */
let t: TestContext
let v: Village
let other: Village
let extras: Member[]
let photo: string
let m: MadeMeeting

/** Roster person `p` (0 head, 1 spouse, 2 child) of household `h`. */
const person = (h: number, p: number) => v.households[h]!.personIds[p]!
const at = (path: string) => `/api/villages/${v.id}${path}`
const proxiesUrl = () => at(`/meetings/${m.id}/proxies`)
const record = (principalPersonId: number, proxyPersonId: number, key = photo) =>
  as(t, v.committee).post(proxiesUrl(), { principalPersonId, proxyPersonId, photoKey: key })
const ballot = (who: Member, voteIndex: number, onBehalfOf?: number, option = 0) =>
  as(t, who).post(at(`/votes/${m.votes[voteIndex]!.id}/ballots`), {
    choices: [m.votes[voteIndex]!.optionIds[option]!],
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  })
const voters = async (voteIndex: number) =>
  (await t.rows<{ vote_id: number; unit_id: number; person_id: number; channel: string }>('vote_voters')).filter(
    (r) => r.vote_id === m.votes[voteIndex]!.id,
  )
const proxiesOf = async () =>
  (
    await t.rows<{ principal_person_id: number; proxy_person_id: number; cancelled_at: Date | null }>('meeting_proxies')
  ).filter((r) => r.cancelled_at === null)

// Members with the app who take part: R resident, C committee, G grid, V volunteer, and A B D E F H (extras).
let A: Member, B: Member, D: Member, E: Member, F: Member, H: Member

beforeAll(async () => {
  ;[t, v, other] = await startWithVillages([{ households: 14 }, {}])
  // Households 4 to 6, all three people each: the adults are A B (4), D E (5), F H (6).
  extras = await addResidents(t, v, 9)
  ;[A, B, , D, E, , F, H] = extras as [Member, Member, Member, Member, Member, Member, Member, Member]
  photo = await uploadPhoto(t, v.id, 'committee')
  m = await makeMeeting(t, v, {
    state: 'announced',
    open: true,
    votes: [
      { question: '同意修村东头的路', secret: true },
      { question: '同意建文化广场', secret: false },
    ],
  })
}, 120_000)
afterAll(() => t?.close())

describe('委托投票 off by default', () => {
  it('the settings say no proxies, and an authorisation is refused until the committee allows them', async () => {
    const settings = await as(t, v.resident).get(at('/meeting-settings'))
    expect(settings.json()).toMatchObject({ proxiesAllowed: false })
    const refused = await record(person(7, 0), v.resident.personId!)
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'PROXIES_NOT_ALLOWED' })
    expect(refused.json().message).toMatch(/委托投票/)
    expect(await t.rows('meeting_proxies')).toEqual([])

    const on = await as(t, v.committee).put(at('/meeting-settings'), {
      representativeNoticeDays: 3,
      startGraceMinutes: 30,
      petitionAnswerDays: 30,
      proxiesAllowed: true,
    })
    expect(on.statusCode, on.body).toBe(200)
    expect(on.json().proxiesAllowed).toBe(true)
    // A page that does not know the field saves the rest and leaves proxies as they were.
    const kept = await as(t, v.committee).put(at('/meeting-settings'), {
      representativeNoticeDays: 4,
      startGraceMinutes: 30,
      petitionAnswerDays: 30,
    })
    expect(kept.json()).toMatchObject({ representativeNoticeDays: 4, proxiesAllowed: true })
  })
})

describe('recording an authorisation', () => {
  it('the committee records one with the photo of the signed paper; villagers may not', async () => {
    const byResident = await as(t, v.resident).post(proxiesUrl(), {
      principalPersonId: person(7, 0),
      proxyPersonId: v.resident.personId,
      photoKey: photo,
    })
    expect(byResident.statusCode).toBe(403)

    const res = await record(person(7, 0), v.resident.personId!)
    expect(res.statusCode, res.body).toBe(201)
    const name = (id: number) => v.persons.find((p) => p.id === id)!.name
    expect(res.json()).toEqual([
      expect.objectContaining({
        principal: { personId: person(7, 0), name: name(person(7, 0)) },
        proxy: { personId: v.resident.personId, name: v.resident.name },
        photo: expect.objectContaining({ key: photo }),
        cancelledAt: null,
      }),
    ])
    const list = await as(t, v.committee).get(proxiesUrl())
    expect(list.json()).toEqual(res.json())
    expect((await as(t, v.resident).get(proxiesUrl())).statusCode).toBe(403)
    // The same principal twice: one authorisation per principal and meeting.
    const again = await record(person(7, 0), v.committee.personId!)
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'PROXY_EXISTS' })
  })

  it('refuses a child, a person not on the roll, oneself, and a photo never uploaded, naming the field', async () => {
    const cases: [number, number, string, number, string][] = [
      [person(7, 1), person(7, 2), 'proxyPersonId', 400, 'VALIDATION_FAILED'],
      [person(7, 2), person(7, 1), 'principalPersonId', 400, 'VALIDATION_FAILED'],
      [other.households[0]!.personIds[0]!, person(7, 1), 'principalPersonId', 404, 'NOT_ON_ROLL'],
      [person(7, 1), other.households[0]!.personIds[0]!, 'proxyPersonId', 404, 'NOT_ON_ROLL'],
      [person(7, 1), person(7, 1), 'proxyPersonId', 400, 'VALIDATION_FAILED'],
    ]
    for (const [principal, proxy, field, status, code] of cases) {
      const res = await record(principal, proxy)
      expect(res.statusCode, res.body).toBe(status)
      expect(res.json()).toMatchObject({ code, details: [expect.objectContaining({ field })] })
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/)
    }
    const noPhoto = await record(person(7, 1), v.committee.personId!, 'b'.repeat(64))
    expect(noPhoto.statusCode).toBe(400)
    expect(noPhoto.json()).toMatchObject({ code: 'PHOTO_NOT_FOUND', details: [{ field: 'photoKey' }] })
    expect((await proxiesOf()).map((p) => p.principal_person_id)).toEqual([person(7, 0)])
  })

  it('a proxy holds at most three principals: the fourth is refused, and a cancelled one frees a place', async () => {
    for (const p of [person(7, 1), person(8, 0)]) expect((await record(p, v.resident.personId!)).statusCode).toBe(201)
    const fourth = await record(person(8, 1), v.resident.personId!)
    expect(fourth.statusCode).toBe(409)
    expect(fourth.json()).toMatchObject({ code: 'PROXY_LIMIT' })
    expect(fourth.json().message).toContain('最多只能接受 3 个人的委托')

    const cancel = await as(t, v.committee).post(`${proxiesUrl()}/${person(8, 0)}/cancel`)
    expect(cancel.statusCode, cancel.body).toBe(200)
    expect(
      cancel.json().find((p: { principal: { personId: number } }) => p.principal.personId === person(8, 0)),
    ).toMatchObject({ cancelledAt: expect.any(String) })
    expect((await record(person(8, 1), v.resident.personId!)).statusCode).toBe(201)
    // Cancelled by the committee, the principal may authorise again (someone else).
    expect((await record(person(8, 0), v.committee.personId!)).statusCode).toBe(201)
    const nothing = await as(t, v.committee).post(`${proxiesUrl()}/${person(13, 0)}/cancel`)
    expect(nothing.statusCode).toBe(404)
  })

  it('no chains: a proxy who gave their own vote away, or a principal voting for others', async () => {
    // 委托人 person(7,0) gave their vote to the resident; they cannot vote for anyone, nor the resident give theirs.
    const chain1 = await record(person(13, 0), person(7, 0))
    expect(chain1.statusCode).toBe(409)
    const chain2 = await record(v.resident.personId!, person(13, 1))
    expect(chain2.statusCode).toBe(409)
    expect([chain1.json().code, chain2.json().code]).toEqual(['PROXY_EXISTS', 'PROXY_EXISTS'])
  })

  it('two authorisations for the last place at once: exactly one lands', async () => {
    for (const p of [person(9, 0), person(9, 1)]) expect((await record(p, A.personId!)).statusCode).toBe(201)
    const raced = await Promise.all([record(person(10, 0), A.personId!), record(person(10, 1), A.personId!)])
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect(raced.find((r) => r.statusCode === 409)!.json()).toMatchObject({ code: 'PROXY_LIMIT' })
    expect((await proxiesOf()).filter((p) => p.proxy_person_id === A.personId)).toHaveLength(3)
  })

  it('four authorisations to one proxy at once: three land, the fourth is refused', async () => {
    const principals = [person(11, 0), person(11, 1), person(12, 0), person(12, 1)]
    const raced = await Promise.all(principals.map((p) => record(p, B.personId!)))
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 409])
    expect((await proxiesOf()).filter((p) => p.proxy_person_id === B.personId)).toHaveLength(3)
  })
})

describe('voting for a principal', () => {
  it('the proxy casts each principal’s ballot separately, and their own; a secret one names nobody', async () => {
    const mine = await ballot(v.resident, 0)
    expect(mine.statusCode, mine.body).toBe(201)
    const forP = await ballot(v.resident, 0, person(7, 0))
    expect(forP.statusCode, forP.body).toBe(201)
    expect(forP.json().receiptCode).toMatch(/^[A-Z0-9]{4}-/)
    const forQ = await ballot(v.resident, 0, person(7, 1), 1)
    expect(forQ.statusCode, forQ.body).toBe(201)
    const list = await voters(0)
    expect(
      list
        .filter((r) => r.channel === 'proxy')
        .map((r) => r.person_id)
        .sort(),
    ).toEqual([person(7, 0), person(7, 1)].sort())
    expect(list.find((r) => r.person_id === v.resident.personId)).toMatchObject({ channel: 'online' })
    const box = (await t.rows<{ vote_id: number; person_id: number | null }>('ballots')).filter(
      (b) => b.vote_id === m.votes[0]!.id,
    )
    expect(box).toHaveLength(3)
    expect(box.every((b) => b.person_id === null)).toBe(true)

    // An open (记名) ballot names the principal whose vote it is, not the proxy.
    expect((await ballot(v.resident, 1, person(7, 0))).statusCode).toBe(201)
    const open = (await t.rows<{ vote_id: number; person_id: number | null }>('ballots')).filter(
      (b) => b.vote_id === m.votes[1]!.id,
    )
    expect(open.map((b) => b.person_id)).toEqual([person(7, 0)])

    // Once per principal, and never without an authorisation (one answer whoever the person is).
    const twice = await ballot(v.resident, 0, person(7, 0))
    expect(twice.statusCode).toBe(409)
    expect(twice.json()).toMatchObject({ code: 'ALREADY_VOTED' })
    for (const who of [person(13, 0), other.households[0]!.personIds[0]!, 987654321]) {
      const res = await ballot(v.resident, 0, who)
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ code: 'PROXY_NOT_AUTHORISED', details: [{ field: 'onBehalfOf' }] })
    }
    // Someone else's authorisation is not the caller's.
    const notMine = await ballot(v.grid, 0, person(9, 0))
    expect(notMine.statusCode).toBe(403)
  })

  it('the principal voting online first cancels the authorisation: the proxy is refused after', async () => {
    expect((await record(v.grid.personId!, v.volunteer.personId!)).statusCode).toBe(201)
    expect((await ballot(v.grid, 0)).statusCode).toBe(201)
    const cancelled = (await as(t, v.committee).get(proxiesUrl()))
      .json()
      .find((p: { principal: { personId: number } }) => p.principal.personId === v.grid.personId)
    expect(cancelled.cancelledAt).not.toBeNull()
    // Not only for the vote the principal cast: for the meeting.
    const res = await ballot(v.volunteer, 1, v.grid.personId!)
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'PROXY_NOT_AUTHORISED' })
    expect(res.json().message).toContain('取消')
    expect((await voters(1)).some((r) => r.person_id === v.grid.personId)).toBe(false)
  })

  it('the principal signing in first cancels the authorisation too', async () => {
    const p = person(2, 1)
    expect((await record(p, v.committee.personId!)).statusCode).toBe(201)
    const checkIn = await as(t, v.committee).post(at(`/meetings/${m.id}/attendance`), { personId: p })
    expect(checkIn.statusCode, checkIn.body).toBe(200)
    const res = await ballot(v.committee, 0, p)
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ code: 'PROXY_NOT_AUTHORISED' })
    // Signed in, they need none.
    const again = await record(p, v.committee.personId!)
    expect(again.statusCode).toBe(409)
  })

  it('after the proxy voted, the principal’s unit has voted: their own ballot is refused as a second one', async () => {
    expect((await record(D.personId!, E.personId!)).statusCode).toBe(201)
    expect((await ballot(E, 0, D.personId!)).statusCode).toBe(201)
    const own = await ballot(D, 0)
    expect(own.statusCode).toBe(409)
    expect(own.json()).toMatchObject({ code: 'ALREADY_VOTED' })
    expect((await voters(0)).filter((r) => r.person_id === D.personId)).toEqual([
      expect.objectContaining({ channel: 'proxy' }),
    ])
    // Having come in person, the principal votes themself from now on.
    expect((await ballot(D, 1)).statusCode).toBe(201)
    expect((await ballot(E, 1, D.personId!)).statusCode).toBe(409)
  })

  it('principal and proxy voting at once for the same unit: exactly one ballot lands', async () => {
    expect((await record(F.personId!, H.personId!)).statusCode).toBe(201)
    const [own, byProxy] = await Promise.all([ballot(F, 0), ballot(H, 0, F.personId!)])
    expect([own.statusCode, byProxy.statusCode].sort()).toEqual([201, 409])
    const rows = (await voters(0)).filter((r) => r.unit_id === F.personId)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.channel).toBe(own.statusCode === 201 ? 'online' : 'proxy')
    const loser = own.statusCode === 201 ? byProxy : own
    expect(loser.json().code).toBe(own.statusCode === 201 ? 'PROXY_NOT_AUTHORISED' : 'ALREADY_VOTED')
  })

  it('the result says how many ballots came by proxy, never which', async () => {
    const list = await voters(0)
    const proxied = list.filter((r) => r.channel === 'proxy').length
    expect(proxied).toBeGreaterThanOrEqual(3)
    const closed = await as(t, v.committee).post(at(`/votes/${m.votes[0]!.id}/close`))
    expect(closed.statusCode, closed.body).toBe(200)
    const result = closed.json()
    expect(result.proxyBallots).toBe(proxied)
    expect(result.participants).toBe(list.length)
    expect(result.receiptCount).toBe(list.length)
    const text = JSON.stringify((await as(t, v.resident).get(at(`/votes/${m.votes[0]!.id}/result`))).json())
    for (const p of list.filter((r) => r.channel === 'proxy'))
      expect(text).not.toContain(v.persons.find((x) => x.id === p.person_id)!.name)
    expect(JSON.parse(text).proxyBallots).toBe(proxied)
    // 我的投票: the principal sees the vote was cast for them by proxy.
    const mine = (await as(t, E).get(at('/votes/mine'))).json()
    expect(mine.find((x: { voteId: number }) => x.voteId === m.votes[0]!.id)).toBeUndefined()
    const theirs = (await as(t, D).get(at('/votes/mine'))).json()
    expect(theirs.find((x: { voteId: number }) => x.voteId === m.votes[0]!.id)).toMatchObject({ channel: 'proxy' })
  })
})
