import type { MeetingKind } from '@liren/shared/rules'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, makeMeeting, startWithVillages, type Caller, type Village } from '../../testing/factories.js'
import { type TestContext } from '../../testing/harness.js'

let t: TestContext
let v: Village
let other: Village

beforeAll(async () => ([t, v, other] = await startWithVillages(2)))
afterAll(() => t.close())

const url = (path = '') => `/api/villages/${v.id}/matters${path}`
const call = (method: 'GET' | 'POST', path: string, caller: Caller, payload?: object) =>
  method === 'GET' ? as(t, caller).get(url(path)) : as(t, caller).post(url(path), payload)
const stage = (id: number, stage: string, extra: object = {}) =>
  call('POST', `/${id}/stages`, 'committee', { stage, heldOn: '2026-11-20', outcome: '同意提交下一环节', ...extra })

/** A meeting of `kind` taken through to closed (no votes), to decide a matter. */
const closedMeeting = async (kind: MeetingKind) =>
  (
    await makeMeeting(t, v, {
      state: 'closed',
      body: { kind, title: '村民代表会议', online: false, agenda: [{ title: '道路硬化' }] },
    })
  ).id

describe('四议两公开 and 监督评议', () => {
  it('stages are recorded in order, once each; 决议 names a closed 村民代表会议 or 村民会议; residents see the path', async () => {
    expect(
      (await call('POST', '', 'resident', { title: '村东道路硬化', description: '800 米水泥路' })).statusCode,
    ).toBe(403)
    expect(
      (await call('POST', '', other.committee, { title: '村东道路硬化', description: '800 米水泥路' })).statusCode,
    ).toBe(403)
    const created = await call('POST', '', 'committee', {
      title: '村东道路硬化工程',
      description: '修 800 米水泥路，预算 12 万元',
    })
    expect(created.statusCode).toBe(201)
    const id = created.json().id
    expect(created.json()).toMatchObject({ stages: [], nextStage: 'proposal', canRate: false })

    const early = await stage(id, 'review')
    expect(early.json()).toMatchObject({ code: 'STAGE_ORDER', details: [{ field: 'stage' }] })
    expect(early.json().message).toContain('党支部提议')
    expect((await stage(id, 'proposal', { document: '支委会记录 2026-05' })).statusCode).toBe(200)
    expect((await stage(id, 'proposal')).json().code).toBe('STAGE_ORDER')
    expect((await stage(id, 'consultation')).statusCode).toBe(200)
    expect((await stage(id, 'review')).statusCode).toBe(200)

    const noMeeting = await stage(id, 'resolution')
    expect(noMeeting.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'meetingId' }] })
    const deliberation = await closedMeeting('deliberation')
    expect((await stage(id, 'resolution', { meetingId: deliberation })).json().code).toBe('MEETING_STATE')
    const representatives = await closedMeeting('representative_meeting')
    const decided = await stage(id, 'resolution', { meetingId: representatives, outcome: '到会代表一致同意' })
    expect(decided.statusCode, decided.body).toBe(200)

    const seen = (await call('GET', `/${id}`, 'resident')).json()
    expect(seen.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'proposal',
      'consultation',
      'review',
      'resolution',
    ])
    expect(seen.stages[0]).toMatchObject({ document: '支委会记录 2026-05', heldOn: '2026-11-20' })
    expect(seen.stages[3]).toMatchObject({ meetingId: representatives, outcome: '到会代表一致同意' })
    expect(seen).toMatchObject({ nextStage: 'resolution_public', canRate: false })
    expect((await call('POST', `/${id}/ratings`, 'resident', { rating: 'satisfied' })).json().code).toBe('NOT_RATABLE')
    expect((await stage(id, 'resolution_public')).statusCode).toBe(200)
    expect((await stage(id, 'result_public', { outcome: '道路已修好，验收合格' })).json()).toMatchObject({
      nextStage: null,
    })
  })

  it('each resident rates once; fewer than a third 满意 flags it for rework', async () => {
    const id = (await call('POST', '', 'committee', { title: '自来水入户', description: '每户接通自来水' })).json().id
    const representatives = await closedMeeting('representative_meeting')
    for (const s of ['proposal', 'consultation', 'review', 'resolution', 'resolution_public', 'result_public']) {
      expect((await stage(id, s, s === 'resolution' ? { meetingId: representatives } : {})).statusCode).toBe(200)
    }
    const rate = (caller: Caller, rating: string) => call('POST', `/${id}/ratings`, caller, { rating })
    expect((await rate('resident', 'unsatisfied')).json()).toMatchObject({
      myRating: 'unsatisfied',
      canRate: false,
      needsRework: true,
    })
    const twice = await Promise.all([
      rate('volunteer', 'basically_satisfied'),
      rate('volunteer', 'basically_satisfied'),
    ])
    expect(twice.map((r) => r.statusCode).sort()).toEqual([200, 409])
    expect(twice.find((r) => r.statusCode === 409)!.json().code).toBe('ALREADY_RATED')
    const listed = async () => (await call('GET', '', 'committee')).json().find((m: { id: number }) => m.id === id)
    expect(await listed()).toMatchObject({
      ratings: { satisfied: 0, basicallySatisfied: 1, unsatisfied: 1 },
      needsRework: true,
    })
    // One 满意 of three raters is exactly a third: no longer fewer than a third.
    expect((await rate('grid', 'satisfied')).json()).toMatchObject({
      ratings: { satisfied: 1, basicallySatisfied: 1, unsatisfied: 1 },
      needsRework: false,
    })
    expect(await listed()).toMatchObject({ needsRework: false })
    expect((await t.rows<{ matter_id: number }>('matter_ratings')).filter((r) => r.matter_id === id)).toHaveLength(3)
  })
})
