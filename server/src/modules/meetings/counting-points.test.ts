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
import { pdfText } from '../../testing/pdf.js'

/**
 * Several ballot boxes (issue 18, item 8): a meeting's 主会场 and the 流动票箱 and 分会场 the committee adds,
 * each with its own tellers. Villagers sign in at one point, once; each point's box has its own counts,
 * confirmed by its two named tellers, with a photo of the signed tally sheet; a box holding more ballots
 * than the voters signed in there (on the roll, not voting online or by proxy) is void and flagged. The
 * close sums the online box and every confirmed box that is not void, and publishes each box.
 */
let t: TestContext
let v: Village
let other: Village
let extra: Member
let m: MadeMeeting
let points: { id: number; name: string; kind: string }[]
let sheet: string

const person = (h: number, p: number) => v.households[h]!.personIds[p]!
const at = (path: string) => `/api/villages/${v.id}${path}`
const pointsUrl = () => at(`/meetings/${m.id}/counting-points`)
const pointId = (name: string) => points.find((p) => p.name === name)!.id
const checkIn = (personId: number, countingPointId?: number) =>
  as(t, v.committee).post(at(`/meetings/${m.id}/attendance`), {
    personId,
    ...(countingPointId ? { countingPointId } : {}),
  })
const option = (i: number) => m.votes[0]!.optionIds[i]!
const enter = (body: object) => as(t, v.committee).post(at(`/votes/${m.votes[0]!.id}/offline`), body)

beforeAll(async () => {
  ;[t, v, other] = await startWithVillages([{ households: 10 }, {}])
  extra = (await addResidents(t, v, 1))[0]!
  sheet = await uploadPhoto(t, v.id, 'committee')
  m = await makeMeeting(t, v, {
    state: 'announced',
    open: true,
    votes: [{ question: '同意修村东头的路', secret: true }],
  })
}, 120_000)
afterAll(() => t?.close())

describe('counting points', () => {
  it('the committee adds a 流动票箱 and a 分会场 with two or more different verified tellers; the 主会场 is there already', async () => {
    const body = (name: string, kind: string, tellers: number[]) => ({ name, kind, tellerMembershipIds: tellers })
    const byResident = await as(t, v.resident).post(
      pointsUrl(),
      body('流动票箱一', 'mobile', [v.grid.membershipId, v.volunteer.membershipId]),
    )
    expect(byResident.statusCode).toBe(403)
    const refused: [object, number, string][] = [
      [body('流动票箱一', 'mobile', [v.grid.membershipId, v.grid.membershipId]), 400, 'TELLER_INVALID'],
      [body('流动票箱一', 'mobile', [v.grid.membershipId, other.grid.membershipId]), 400, 'TELLER_INVALID'],
      [body('流动票箱一', 'mobile', [v.grid.membershipId, v.applicant.membershipId]), 400, 'TELLER_INVALID'],
      [body('流动票箱一', 'mobile', [v.grid.membershipId]), 400, 'VALIDATION_FAILED'],
      [body('主会场', 'branch', [v.grid.membershipId, v.volunteer.membershipId]), 400, 'VALIDATION_FAILED'],
    ]
    for (const [payload, status, code] of refused) {
      const res = await as(t, v.committee).post(pointsUrl(), payload)
      expect(res.statusCode, res.body).toBe(status)
      expect(res.json().code).toBe(code)
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/)
    }
    expect(await t.rows('meeting_counting_points')).toEqual([])

    const mobile = await as(t, v.committee).post(
      pointsUrl(),
      body('流动票箱一', 'mobile', [v.grid.membershipId, v.volunteer.membershipId, v.committee.membershipId]),
    )
    expect(mobile.statusCode, mobile.body).toBe(201)
    const branch = await as(t, v.committee).post(
      pointsUrl(),
      body('第二分会场', 'branch', [v.resident.membershipId, extra.membershipId]),
    )
    expect(branch.statusCode, branch.body).toBe(201)
    const twice = await as(t, v.committee).post(
      pointsUrl(),
      body('第二分会场', 'branch', [v.resident.membershipId, extra.membershipId]),
    )
    expect(twice.statusCode).toBe(409)
    points = branch.json()
    expect(points.map((p) => [p.name, p.kind])).toEqual([
      ['主会场', 'venue'],
      ['流动票箱一', 'mobile'],
      ['第二分会场', 'branch'],
    ])
    expect(branch.json()[1].tellers.map((x: { name: string }) => x.name)).toEqual([
      v.committee.name,
      v.grid.name,
      v.volunteer.name,
    ])
    expect((await as(t, v.committee).get(pointsUrl())).json()).toEqual(branch.json())
  })

  it('each villager signs in at one point, once: a second point refuses them', async () => {
    // 主会场: two; 流动票箱一: three; 第二分会场: one, and the resident, who has voted online already.
    expect(
      (await as(t, v.resident).post(at(`/votes/${m.votes[0]!.id}/ballots`), { choices: [option(0)] })).statusCode,
    ).toBe(201)
    for (const p of [person(5, 0), person(5, 1)]) expect((await checkIn(p)).statusCode).toBe(200)
    for (const p of [person(6, 0), person(6, 1), person(7, 0)])
      expect((await checkIn(p, pointId('流动票箱一'))).statusCode).toBe(200)
    for (const p of [person(7, 1), v.resident.personId!])
      expect((await checkIn(p, pointId('第二分会场'))).statusCode).toBe(200)

    const again = await checkIn(person(6, 0), pointId('第二分会场'))
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain('已经签过到了')
    expect((await checkIn(person(6, 0))).statusCode).toBe(409)
    // Another meeting's point is no point of this one.
    const elsewhere = await makeMeeting(t, v, { state: 'announced' })
    const theirs = await as(t, v.committee).post(at(`/meetings/${elsewhere.id}/counting-points`), {
      name: '流动票箱一',
      kind: 'mobile',
      tellerMembershipIds: [v.grid.membershipId, v.volunteer.membershipId],
    })
    const wrong = await checkIn(person(8, 0), theirs.json()[1].id)
    expect(wrong.statusCode).toBe(404)
    expect(wrong.json()).toMatchObject({ code: 'COUNTING_POINT_NOT_FOUND', details: [{ field: 'countingPointId' }] })

    const rows = await t.rows<{ meeting_id: number; person_id: number; counting_point_id: number | null }>(
      'meeting_attendance',
    )
    const here = rows.filter((r) => r.meeting_id === m.id)
    expect(here).toHaveLength(7)
    expect(here.filter((r) => r.counting_point_id === null)).toHaveLength(2)
    const listed = (await as(t, v.committee).get(pointsUrl())).json()
    expect(listed.map((p: { present: number }) => p.present)).toEqual([2, 3, 2])
  })

  it('a point’s counts are named by two of its own tellers, and must fit the ballots its box held', async () => {
    const notTheirs = await enter({
      countingPointId: pointId('流动票箱一'),
      counts: [{ optionId: option(0), count: 1 }],
      counterMembershipId: v.resident.membershipId,
      scrutineerMembershipId: extra.membershipId,
      ballotsCast: 1,
    })
    expect(notTheirs.statusCode).toBe(400)
    expect(notTheirs.json()).toMatchObject({ code: 'TELLER_INVALID', details: [{ field: 'counterMembershipId' }] })
    const tooMany = await enter({
      countingPointId: pointId('流动票箱一'),
      counts: [
        { optionId: option(0), count: 2 },
        { optionId: option(1), count: 2 },
      ],
      counterMembershipId: v.grid.membershipId,
      scrutineerMembershipId: v.volunteer.membershipId,
      ballotsCast: 3,
    })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'counts' }] })
    expect(await t.rows('offline_tallies')).toEqual([])
    expect((await t.rows<{ channel: string }>('vote_voters')).filter((r) => r.channel === 'offline')).toEqual([])
  })

  it('two boxes entered at once both land, each its own row; a box with more ballots than its voters is void', async () => {
    const [mobile, branch] = await Promise.all([
      enter({
        countingPointId: pointId('流动票箱一'),
        counts: [
          { optionId: option(0), count: 2 },
          { optionId: option(1), count: 1 },
        ],
        counterMembershipId: v.grid.membershipId,
        scrutineerMembershipId: v.volunteer.membershipId,
        ballotsCast: 3,
        photoKey: sheet,
      }),
      // One voter there (the resident voted online), two ballots in the box.
      enter({
        countingPointId: pointId('第二分会场'),
        counts: [{ optionId: option(0), count: 2 }],
        counterMembershipId: v.resident.membershipId,
        scrutineerMembershipId: extra.membershipId,
        ballotsCast: 2,
      }),
    ])
    expect(mobile.statusCode, mobile.body).toBe(201)
    expect(branch.statusCode, branch.body).toBe(201)
    expect(mobile.json()).toMatchObject({
      countingPointId: pointId('流动票箱一'),
      ballots: 3,
      ballotsCast: 3,
      void: false,
      photo: { key: sheet },
    })
    expect(branch.json()).toMatchObject({ countingPointId: pointId('第二分会场'), ballots: 1, void: true, photo: null })
    // The 主会场 through the route as it always was: no point named, counts within its voters.
    const main = await enter({
      counts: [
        { optionId: option(0), count: 1 },
        { optionId: option(1), count: 1 },
      ],
      counterMembershipId: v.grid.membershipId,
      scrutineerMembershipId: v.volunteer.membershipId,
    })
    expect(main.statusCode, main.body).toBe(201)
    expect(main.json()).toMatchObject({ countingPointId: pointId('主会场'), ballots: 2, ballotsCast: null })

    const rows = await t.rows<{ counting_point_id: number; ballots: number; void: number }>('offline_tallies')
    const byPoint = (a: (number | boolean)[], b: (number | boolean)[]) => Number(a[0]) - Number(b[0])
    expect(rows.map((r) => [r.counting_point_id, r.ballots, Boolean(r.void)]).sort(byPoint)).toEqual(
      [
        [pointId('主会场'), 2, false],
        [pointId('流动票箱一'), 3, false],
        [pointId('第二分会场'), 1, true],
      ].sort(byPoint),
    )
    // Each voter once on the list: 1 online, 2 + 3 + 1 at the points.
    const list = (await t.rows<{ vote_id: number; channel: string }>('vote_voters')).filter(
      (r) => r.vote_id === m.votes[0]!.id,
    )
    expect(list.map((r) => r.channel).sort()).toEqual([
      'offline',
      'offline',
      'offline',
      'offline',
      'offline',
      'offline',
      'online',
    ])
  })

  it('the close waits for every box’s two tellers; then sums online and the boxes that count, and says which was void', async () => {
    const close = () => as(t, v.committee).post(at(`/votes/${m.votes[0]!.id}/close`))
    const early = await close()
    expect(early.statusCode).toBe(409)
    expect(early.json().code).toBe('OFFLINE_UNCONFIRMED')
    // Closing failed: the vote is still open.
    expect((await t.rows<{ id: number; state: string }>('votes')).find((x) => x.id === m.votes[0]!.id)!.state).toBe(
      'open',
    )

    const meeting = (await as(t, v.committee).get(at(`/meetings/${m.id}`))).json()
    const boxes = meeting.agenda[0].vote.boxes as { id: number; countingPointId: number }[]
    expect(boxes).toHaveLength(3)
    expect(meeting.agenda[0].vote.offline.countingPointId).toBe(pointId('主会场'))
    const tally = (name: string) => boxes.find((b) => b.countingPointId === pointId(name))!.id
    const confirm = (who: Member, id: number) => as(t, who).post(at(`/votes/${m.votes[0]!.id}/offline/${id}/confirm`))
    // A teller of the 分会场 is nobody at the 流动票箱.
    expect((await confirm(v.resident, tally('流动票箱一'))).statusCode).toBe(403)
    for (const [who, name] of [
      [v.grid, '流动票箱一'],
      [v.volunteer, '流动票箱一'],
      [v.grid, '主会场'],
      [v.volunteer, '主会场'],
      [v.resident, '第二分会场'],
    ] as const)
      expect((await confirm(who, tally(name))).statusCode).toBe(200)
    const stillOne = await close()
    expect(stillOne.statusCode).toBe(409)
    expect(stillOne.json().message).toContain('第二分会场')
    expect((await confirm(extra, tally('第二分会场'))).statusCode).toBe(200)

    const closed = await close()
    expect(closed.statusCode, closed.body).toBe(200)
    const result = closed.json()
    // Online 1 同意; 主会场 1 同意 1 反对; 流动票箱一 2 同意 1 反对; 第二分会场 void.
    expect(result.counts.map((c: { count: number }) => c.count)).toEqual([4, 2, 0])
    expect(result.participants).toBe(6)
    expect(result.countingPoints).toEqual([
      expect.objectContaining({ name: expect.any(String) }),
      expect.objectContaining({ name: expect.any(String) }),
      expect.objectContaining({ name: expect.any(String) }),
    ])
    const byName = (name: string) => result.countingPoints.find((p: { name: string }) => p.name === name)
    expect(byName('流动票箱一')).toMatchObject({
      kind: 'mobile',
      eligible: 3,
      ballotsCast: 3,
      counted: true,
      void: false,
      voidReason: null,
      photo: { key: sheet, url: `/files/${sheet}.jpg` },
    })
    expect(byName('第二分会场')).toMatchObject({
      kind: 'branch',
      eligible: 1,
      ballotsCast: 2,
      counted: false,
      void: true,
    })
    expect(byName('第二分会场').voidReason).toContain('作废')
    expect(byName('主会场')).toMatchObject({ kind: 'venue', eligible: 2, counted: true })
  })

  it('the public results and the printed notice carry each box, the void one with why, and the tally sheet', async () => {
    for (const step of ['start', 'close'])
      expect((await as(t, v.committee).post(at(`/meetings/${m.id}/${step}`))).statusCode).toBe(200)
    const page = await t.app.inject({ method: 'GET', url: `/api/public/villages/${v.id}/meetings/${m.id}/results` })
    expect(page.statusCode, page.body).toBe(200)
    const published = page.json().results[0]
    expect(published.countingPoints.map((p: { name: string; void: boolean }) => [p.name, p.void]).sort()).toEqual([
      ['主会场', false],
      ['流动票箱一', false],
      ['第二分会场', true],
    ])
    expect(published.countingPoints.find((p: { name: string }) => p.name === '流动票箱一').photo.key).toBe(sheet)
    const pdf = await as(t, v.resident).get(at(`/meetings/${m.id}/notice.pdf`))
    expect(pdf.statusCode).toBe(200)
    const { pages, images } = await pdfText(pdf.rawPayload)
    const text = pages.join('')
    // The QR code and the 流动票箱's signed tally sheet.
    expect(images).toBe(2)
    expect(text).toContain('流动票箱一')
    expect(text).toContain('第二分会场')
    expect(text).toContain('作废')
    expect(text).toContain('计票单')
  })
})
