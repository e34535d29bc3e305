import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addResidents,
  as,
  calledSoon,
  makeMeeting,
  startWithVillages,
  type Caller,
  type Member,
  type Village,
} from '../../testing/factories.js'
import { type AuditRow, type TestContext } from '../../testing/harness.js'

let t: TestContext
let v: Village
let other: Village
/** Roster people of `v` without the app, representatives among them. */
let representatives: number[]
/** Adults of `v` with the app, besides the factory's members. */
let extras: Member[]

// 20 households: 40 adults (a tenth is 4), 20 children. `other` is a community (社区) of 4 households, 8 adults. Ten representatives, none of them a member with the
// app, so the members' signatures count as adults only (a third of the representatives is 4, a fifth 2).
beforeAll(async () => {
  ;[t, v, other] = await startWithVillages([{ households: 20 }, { kind: 'urban' }], {
    env: { TOPIC_LIMIT_PER_MINUTE: '1000' },
  })
  const heads = v.households.slice(10, 20).map((h) => h.personIds[0]!)
  await t.database.pool.query('UPDATE persons SET representative = 0 WHERE village_id = ?', [v.id])
  await t.database.pool.query('UPDATE persons SET representative = 1 WHERE id IN (?)', [heads])
  representatives = heads
  const adult = (m: Member) => v.persons.find((p) => p.id === m.personId)!.adult
  extras = (await addResidents(t, v, 12)).filter(adult)
}, 60_000)
afterAll(() => t.close())

const url = (path = '', village: { id: number } = v) => `/api/villages/${village.id}/petitions${path}`
const body = (extra: object = {}) => ({
  kind: 'villager_meeting',
  title: '村集体土地租金怎么分',
  reason: '去年的租金到现在还没有说法，请村委会召开村民会议商量。',
  ...extra,
})
const start = async (caller: Caller, extra: object = {}) => {
  const res = await as(t, caller).post(url(), body(extra))
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const sign = (caller: Caller, id: number) => as(t, caller).post(url(`/${id}/signatures`))
const signaturesOf = async (petitionId: number) =>
  (
    await t.rows<{ petition_id: number; person_id: number; user_id: number | null; recorded_by: number | null }>(
      'petition_signatures',
    )
  ).filter((s) => s.petition_id === petitionId)
const petitionRow = async (id: number) =>
  (
    await t.rows<{
      id: number
      state: string
      signatures: number
      succeeded_at: Date | null
      answer_due_at: Date | null
    }>('petitions')
  ).find((p) => p.id === id)!
const noticesOf = async (petitionId: number) =>
  (await t.rows<{ user_id: number; page: string | null; title: string; body: string }>('notifications')).filter(
    (n) => n.page === `packages/meetings/petition/index?villageId=${v.id}&petitionId=${petitionId}`,
  )

describe('提议召集 (petitions)', () => {
  it('a member starts one and signs it first; bad input and risky text are refused, nothing written', async () => {
    const before = await t.rows('petitions')
    for (const [extra, code, field] of [
      [{ title: '' }, 'VALIDATION_FAILED', 'title'],
      [{ kind: 'deliberation' }, 'VALIDATION_FAILED', 'kind'],
      [{ reason: '有人在村口赌博，请开会管一管' }, 'CONTENT_REJECTED', 'reason'],
    ] as const) {
      const res = await as(t, 'resident').post(url(), body(extra))
      expect(res.statusCode, JSON.stringify(extra)).toBe(400)
      expect(res.json()).toMatchObject({ code, details: expect.arrayContaining([expect.objectContaining({ field })]) })
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/)
    }
    expect(await t.rows('petitions')).toEqual(before)

    const p = await start('resident')
    expect(p).toMatchObject({
      kind: 'villager_meeting',
      state: 'open',
      signatures: 1,
      adults: 40,
      signedAdults: 1,
      adultsNeeded: 4,
      representatives: 10,
      signedRepresentatives: 0,
      representativesNeeded: 4,
      signedByMe: true,
      mine: true,
      overdue: false,
      succeededAt: null,
      answerDueAt: null,
      signers: null,
    })
    // Residents see the counts, never who signed; the committee sees the names.
    const seen = (await as(t, 'volunteer').get(url(`/${p.id}`))).json()
    expect(seen).toMatchObject({ signatures: 1, signedByMe: false, mine: false, signers: null })
    expect(JSON.stringify(seen)).not.toContain(v.resident.name)
    const listed = (await as(t, 'volunteer').get(url())).json()
    expect(listed.find((x: { id: number }) => x.id === p.id)).toMatchObject({ signatures: 1 })
    expect(JSON.stringify(listed)).not.toContain(v.resident.name)
    const committee = (await as(t, 'committee').get(url(`/${p.id}`))).json()
    expect(committee.signers).toEqual([
      expect.objectContaining({ personId: v.resident.personId, name: v.resident.name, adult: true, recordedBy: null }),
    ])
    expect(await signaturesOf(p.id)).toEqual([
      expect.objectContaining({ person_id: v.resident.personId, user_id: v.resident.userId, recorded_by: null }),
    ])
  })

  it('each person signs once, even sent twice at once; another village’s people neither see nor sign it', async () => {
    const p = await start('resident', { title: '修村里的排水沟' })
    const signed = await sign('volunteer', p.id)
    expect(signed.statusCode, signed.body).toBe(201)
    expect(signed.json()).toMatchObject({ signatures: 2, signedByMe: true })
    const again = await sign('volunteer', p.id)
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'ALREADY_SIGNED' })
    expect(again.json().message).toMatch(/签过/)
    expect((await sign('resident', p.id)).json().code).toBe('ALREADY_SIGNED')

    // The same person twice at once: one row, one more in the count, one 201 and one 409.
    const twice = await Promise.all([sign('grid', p.id), sign('grid', p.id)])
    expect(twice.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect((await signaturesOf(p.id)).filter((s) => s.person_id === v.grid.personId)).toHaveLength(1)
    expect(await petitionRow(p.id)).toMatchObject({ signatures: 3, state: 'open' })
    expect(await signaturesOf(p.id)).toHaveLength(3)

    // 和平社区's resident: not a member here; through their own village, the petition is not there at all.
    expect((await as(t, other.resident).get(url(`/${p.id}`))).statusCode).toBe(403)
    expect((await as(t, other.resident).post(url(`/${p.id}/signatures`))).statusCode).toBe(403)
    for (const res of [
      await as(t, other.resident).get(url(`/${p.id}`, other)),
      await as(t, other.resident).post(url(`/${p.id}/signatures`, other)),
    ]) {
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ code: 'PETITION_NOT_FOUND', details: [{ field: 'petitionId' }] })
    }
    expect(await signaturesOf(p.id)).toHaveLength(3)
  })

  it('many people signing at once: the count is the rows, and it succeeds exactly once (one batch of notices)', async () => {
    const p = await start('resident', { title: '村道两边装路灯' })
    const results = await Promise.all(extras.slice(0, 6).map((m) => sign(m, p.id)))
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(201))
    const row = await petitionRow(p.id)
    expect(row.signatures).toBe(7)
    expect(await signaturesOf(p.id)).toHaveLength(7)
    expect(row.state).toBe('succeeded')
    expect(new Date(row.answer_due_at!).getTime() - new Date(row.succeeded_at!).getTime()).toBe(30 * 24 * 3600_000)

    const succeeded = (await t.rows<AuditRow>('audit_log')).filter(
      (a) => a.action === 'petition.succeeded' && Number(a.entity_id) === p.id,
    )
    expect(succeeded).toHaveLength(1)
    // The four signatures that made it (a tenth of 40 adults), each told once, and the committee once.
    const notices = await noticesOf(p.id)
    expect(notices).toHaveLength(5)
    expect(new Set(notices.map((n) => n.user_id)).size).toBe(5)
    expect(notices.filter((n) => n.user_id === v.committee.userId)).toEqual([
      expect.objectContaining({ title: '提议召开村民会议：“村道两边装路灯”' }),
    ])
    expect(notices.map((n) => n.user_id)).toContain(v.resident.userId)

    const seen = (await as(t, 'resident').get(url(`/${p.id}`))).json()
    expect(seen).toMatchObject({ state: 'succeeded', signatures: 7, signedAdults: 7, overdue: false })
    expect(new Date(seen.answerDueAt).getTime()).toBe(new Date(row.answer_due_at!).getTime())
  })

  it('the committee records the signatures of villagers without a phone: a 代表会议 by a fifth of the representatives', async () => {
    const p = await start('resident', { kind: 'representative_meeting', title: '调整村规民约' })
    expect(p).toMatchObject({ adultsNeeded: null, representativesNeeded: 2, signedRepresentatives: 0 })
    const record = (caller: Caller, personId: number) =>
      as(t, caller).post(url(`/${p.id}/signatures/recorded`), { personId })

    expect((await record('resident', representatives[0]!)).statusCode).toBe(403)
    // Nobody of another village, nobody at all: the same answer.
    const elsewhere = await record('committee', other.persons[0]!.id)
    const nowhere = await record('committee', 987_654_321)
    expect(elsewhere.statusCode).toBe(404)
    expect(elsewhere.json()).toMatchObject({ code: 'PERSON_NOT_FOUND', details: [{ field: 'personId' }] })
    expect(nowhere.json()).toEqual(elsewhere.json())

    const first = await record('committee', representatives[0]!)
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({ state: 'open', signatures: 2, signedRepresentatives: 1 })
    expect((await record('committee', representatives[0]!)).json().code).toBe('ALREADY_SIGNED')
    const row = (await signaturesOf(p.id)).find((s) => s.person_id === representatives[0])
    expect(row).toMatchObject({ user_id: null, recorded_by: v.committee.userId })

    const second = (await record('committee', representatives[1]!)).json()
    expect(second).toMatchObject({ state: 'succeeded', signatures: 3, signedRepresentatives: 2 })
    expect(second.signers).toEqual([
      expect.objectContaining({ personId: v.resident.personId, recordedBy: null }),
      expect.objectContaining({ personId: representatives[0], representative: true, recordedBy: v.committee.name }),
      expect.objectContaining({ personId: representatives[1], representative: true, recordedBy: v.committee.name }),
    ])
    // Only the resident has the app among the signers: told once; the committee once.
    expect((await noticesOf(p.id)).map((n) => n.user_id).sort()).toEqual([v.resident.userId, v.committee.userId].sort())
  })

  it('the committee answers a petition with a noticed meeting of the kind asked for; the signers are told', async () => {
    const p = await start('volunteer', { title: '村小学搬迁的事' })
    await sign('grid', p.id)
    const answer = (meetingId: number, caller: Caller = 'committee') =>
      as(t, caller).post(url(`/${p.id}/answer`), { meetingId })
    const soon = { body: { ...calledSoon(), title: '村民会议：小学搬迁' } }
    const meeting = await makeMeeting(t, v, { state: 'announced', ...soon })

    expect((await answer(meeting.id, 'volunteer')).statusCode).toBe(403)
    const reps = await makeMeeting(t, v, {
      state: 'announced',
      body: { ...calledSoon(), kind: 'representative_meeting' },
    })
    const wrongKind = await answer(reps.id)
    expect(wrongKind.statusCode).toBe(400)
    expect(wrongKind.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'meetingId' }] })
    const draft = await makeMeeting(t, v, soon)
    expect((await answer(draft.id)).json().code).toBe('MEETING_STATE')
    // Another village's meeting is as good as none.
    const theirs = await makeMeeting(t, other, { state: 'announced', ...soon })
    const [elsewhere, nowhere] = [await answer(theirs.id), await answer(987_654_321)]
    expect(elsewhere.statusCode).toBe(404)
    expect(elsewhere.json()).toMatchObject({ code: 'MEETING_NOT_FOUND', details: [{ field: 'meetingId' }] })
    expect(nowhere.json()).toEqual(elsewhere.json())
    expect(await petitionRow(p.id)).toMatchObject({ state: 'open' })

    const done = await answer(meeting.id)
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toMatchObject({ state: 'answered', meetingId: meeting.id, overdue: false })
    expect((await answer(meeting.id)).json().code).toBe('PETITION_CLOSED')
    expect((await sign('resident', p.id)).json().code).toBe('PETITION_CLOSED')
    const told = await noticesOf(p.id)
    expect(told.map((n) => n.user_id).sort()).toEqual([v.volunteer.userId, v.grid.userId].sort())
    expect(told[0]!.body).toContain('村民会议：小学搬迁')
  })

  it('the town admin sees every village’s succeeded petitions no meeting answered in time', async () => {
    const late = await start('resident', { kind: 'representative_meeting', title: '村委会账目公开' })
    for (const personId of representatives.slice(2, 4))
      await as(t, 'committee').post(url(`/${late.id}/signatures/recorded`), { personId })
    const onTime = await start('resident', { kind: 'representative_meeting', title: '修建文化广场' })
    for (const personId of representatives.slice(4, 6))
      await as(t, 'committee').post(url(`/${onTime.id}/signatures/recorded`), { personId })
    expect((await petitionRow(late.id)).state).toBe('succeeded')
    await t.database.pool.query(
      'UPDATE petitions SET answer_due_at = DATE_SUB(UTC_TIMESTAMP(3), INTERVAL 1 DAY) WHERE id = ?',
      [late.id],
    )

    const overdue = await as(t, 'townAdmin').get(`/api/towns/${v.townId}/petitions/overdue`)
    expect(overdue.statusCode, overdue.body).toBe(200)
    expect(overdue.json()).toEqual([
      expect.objectContaining({ id: late.id, villageId: v.id, villageName: v.name, title: '村委会账目公开' }),
    ])
    expect((await as(t, 'resident').get(url(`/${late.id}`))).json()).toMatchObject({ overdue: true })
    expect((await as(t, 'committee').get(`/api/towns/${v.townId}/petitions/overdue`)).statusCode).toBe(403)
    expect((await as(t, other.townAdmin).get(`/api/towns/${v.townId}/petitions/overdue`)).statusCode).toBe(403)
    expect((await as(t, other.townAdmin).get(`/api/towns/${other.townId}/petitions/overdue`)).json()).toEqual([])
  })

  it('a topic a tenth of the adults back becomes a petition for a 村民会议, with its supporters’ signatures, once', async () => {
    const topic = (
      await as(t, 'resident').post(`/api/villages/${v.id}/topics`, {
        title: '村里的垃圾站搬远一点',
        description: '垃圾站就在小学旁边，夏天味道很大。',
      })
    ).json()
    const toPetition = (caller: Caller) => as(t, caller).post(`/api/villages/${v.id}/topics/${topic.id}/petition`)
    const tooFew = await toPetition('resident')
    expect(tooFew.statusCode).toBe(409)
    expect(tooFew.json().code).toBe('TOO_FEW_SUPPORTERS')
    for (const m of ['volunteer', 'grid', extras[6]!] as const)
      expect((await as(t, m).post(`/api/villages/${v.id}/topics/${topic.id}/support`)).statusCode).toBe(200)
    expect(topic.threshold).toBe(4)
    // Someone else's topic: not theirs to turn into a petition.
    expect((await toPetition('volunteer')).statusCode).toBe(403)

    const made = await toPetition('resident')
    expect(made.statusCode, made.body).toBe(201)
    expect(made.json()).toMatchObject({
      kind: 'villager_meeting',
      topicId: topic.id,
      title: '村里的垃圾站搬远一点',
      signatures: 4,
      signedAdults: 4,
      state: 'succeeded',
      mine: true,
      signedByMe: true,
    })
    const rows = await signaturesOf(made.json().id)
    expect(rows.map((s) => s.person_id).sort()).toEqual(
      [v.resident.personId, v.volunteer.personId, v.grid.personId, extras[6]!.personId].sort(),
    )
    expect(rows.every((s) => s.user_id !== null && s.recorded_by === null)).toBe(true)
    const again = await toPetition('committee')
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('PETITION_EXISTS')
  })

  it('in a community a 居民会议 needs a fifth of the adults or of the households (城市居民委员会组织法 第十条)', async () => {
    const res = await as(t, { token: other.resident.token }).post(url('', other), body({ title: '小区停车位怎么分' }))
    expect(res.statusCode, res.body).toBe(201)
    // 8 adults in 4 households: two adults, or one household; the representatives are no way here.
    expect(res.json()).toMatchObject({
      adults: 8,
      households: 4,
      signedAdults: 1,
      signedHouseholds: 1,
      adultsNeeded: 2,
      householdsNeeded: 1,
      representativesNeeded: null,
      state: 'succeeded',
    })
    // The same count in the village law would not be enough: a tenth of its 40 adults is 4.
    const rural = await start('resident', { title: '村里停车位怎么分' })
    expect(rural).toMatchObject({ signedHouseholds: 1, householdsNeeded: null, adultsNeeded: 4, state: 'open' })
  })
})
