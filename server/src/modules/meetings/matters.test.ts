import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, startTestContext, type TestContext } from '../../testing/harness.js'

let t: TestContext
let committee: string
let resident: string // 张秀兰
let volunteer: string // 赵小明
let grid: string // 李梅
let hepingCommittee: string
let zhangjia: number

beforeAll(async () => {
  t = await startTestContext()
  committee = await t.login('demo-zhangjia-committee')
  resident = await t.login('demo-zhangjia-resident')
  volunteer = await t.login('demo-zhangjia-volunteer')
  grid = await t.login('demo-zhangjia-grid')
  hepingCommittee = await t.login('demo-heping-committee')
  zhangjia = await t.villageId('zhangjia')
})
afterAll(() => t.close())

const url = (path = '') => `/api/villages/${zhangjia}/matters${path}`
const call = (method: 'GET' | 'POST', path: string, token: string, payload?: object) =>
  t.app.inject({ method, url: url(path), headers: auth(token), payload })
const stage = (id: number, stage: string, extra: object = {}) =>
  call('POST', `/${id}/stages`, committee, { stage, heldOn: '2026-11-20', outcome: '同意提交下一环节', ...extra })

/** A meeting of `kind` taken through to closed (no votes), to decide a matter. */
async function closedMeeting(kind: string) {
  const base = `/api/villages/${zhangjia}/meetings`
  const m = (
    await t.app.inject({
      method: 'POST',
      url: base,
      headers: auth(committee),
      payload: {
        kind,
        title: '村民代表会议',
        place: '村委会',
        startsAt: new Date(Date.now() + 86400_000).toISOString(),
        online: false,
        agenda: [{ title: '道路硬化' }],
      },
    })
  ).json()
  for (const step of ['announce', 'start', 'close'])
    expect(
      (await t.app.inject({ method: 'POST', url: `${base}/${m.id}/${step}`, headers: auth(committee) })).statusCode,
    ).toBe(200)
  return m.id as number
}

describe('四议两公开 and 监督评议', () => {
  it('stages are recorded in order, once each; 决议 names a closed 村民代表会议 or 村民会议; residents see the path', async () => {
    expect((await call('POST', '', resident, { title: '村东道路硬化', description: '800 米水泥路' })).statusCode).toBe(
      403,
    )
    expect(
      (await call('POST', '', hepingCommittee, { title: '村东道路硬化', description: '800 米水泥路' })).statusCode,
    ).toBe(403)
    const created = await call('POST', '', committee, {
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

    const seen = (await call('GET', `/${id}`, resident)).json()
    expect(seen.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'proposal',
      'consultation',
      'review',
      'resolution',
    ])
    expect(seen.stages[0]).toMatchObject({ document: '支委会记录 2026-05', heldOn: '2026-11-20' })
    expect(seen.stages[3]).toMatchObject({ meetingId: representatives, outcome: '到会代表一致同意' })
    expect(seen).toMatchObject({ nextStage: 'resolution_public', canRate: false })
    expect((await call('POST', `/${id}/ratings`, resident, { rating: 'satisfied' })).json().code).toBe('NOT_RATABLE')
    expect((await stage(id, 'resolution_public')).statusCode).toBe(200)
    expect((await stage(id, 'result_public', { outcome: '道路已修好，验收合格' })).json()).toMatchObject({
      nextStage: null,
    })
  })

  it('each resident rates once; fewer than a third 满意 flags it for rework', async () => {
    const id = (await call('POST', '', committee, { title: '自来水入户', description: '每户接通自来水' })).json().id
    const representatives = await closedMeeting('representative_meeting')
    for (const s of ['proposal', 'consultation', 'review', 'resolution', 'resolution_public', 'result_public']) {
      expect((await stage(id, s, s === 'resolution' ? { meetingId: representatives } : {})).statusCode).toBe(200)
    }
    const rate = (token: string, rating: string) => call('POST', `/${id}/ratings`, token, { rating })
    expect((await rate(resident, 'unsatisfied')).json()).toMatchObject({
      myRating: 'unsatisfied',
      canRate: false,
      needsRework: true,
    })
    const twice = await Promise.all([rate(volunteer, 'basically_satisfied'), rate(volunteer, 'basically_satisfied')])
    expect(twice.map((r) => r.statusCode).sort()).toEqual([200, 409])
    expect(twice.find((r) => r.statusCode === 409)!.json().code).toBe('ALREADY_RATED')
    const listed = async () => (await call('GET', '', committee)).json().find((m: { id: number }) => m.id === id)
    expect(await listed()).toMatchObject({
      ratings: { satisfied: 0, basicallySatisfied: 1, unsatisfied: 1 },
      needsRework: true,
    })
    // One 满意 of three raters is exactly a third: no longer fewer than a third.
    expect((await rate(grid, 'satisfied')).json()).toMatchObject({
      ratings: { satisfied: 1, basicallySatisfied: 1, unsatisfied: 1 },
      needsRework: false,
    })
    expect(await listed()).toMatchObject({ needsRework: false })
    expect((await t.rows<{ matter_id: number }>('matter_ratings')).filter((r) => r.matter_id === id)).toHaveLength(3)
  })
})
