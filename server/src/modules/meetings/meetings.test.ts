import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, calledNow, startWithVillages, masked, type Caller, type Village } from '../../testing/factories.js'
import { auth, type TestContext } from '../../testing/harness.js'
import { pdfText } from '../../testing/pdf.js'
import { activityCode } from '../points/index.js'
import { payQueuedAwards } from '../points/index.js'
import { type Electorate, type MeetingKind, quorum } from '@liren/shared/rules'

let t: TestContext
let base: string
let v: Village
let other: Village

beforeAll(async () => {
  ;[t, v, other] = await startWithVillages(2, { env: { RATE_LIMIT_PER_MINUTE: '100000' } })
  base = await t.app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(() => t.close())

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, caller: Caller, payload?: object) =>
  method === 'GET' ? as(t, caller).get(url) : as(t, caller)[method === 'POST' ? 'post' : 'put'](url, payload)
/** The committee creates a meeting of the village's villagers, at the village hall in a week and online too. */
const newMeeting = (fields: object) =>
  inject('POST', meetingsUrl(), 'committee', {
    kind: 'villager_meeting',
    place: '村委会',
    ...calledNow(),
    online: true,
    ...fields,
  })
/** A vote's options, each one to choose. */
const choices = (...labels: string[]) => labels.map((label) => ({ label, kind: 'choice' }))
const meetingsUrl = (villageId = v.id) => `/api/villages/${villageId}/meetings`
const voteUrl = (voteId: number, path: string, villageId = v.id) => `/api/villages/${villageId}/votes/${voteId}${path}`
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString()
const inAWeek = () => inDays(7)

/** A 村民会议 with one secret yes/no vote and one open vote, created and announced by the committee. */
async function announcedMeeting(extra: object = {}) {
  const created = await inject('POST', meetingsUrl(), 'committee', {
    kind: 'villager_meeting',
    title: '村民会议：修村道、定保洁费',
    place: '村委会大院',
    ...calledNow(),
    online: true,
    agenda: [
      {
        title: '村东道路硬化',
        description: '修 800 米水泥路',
        vote: { question: '同意用集体资金修村东道路', secret: true },
      },
      {
        title: '保洁费标准',
        vote: {
          question: '每户每年保洁费',
          secret: false,
          options: choices('60 元', '100 元'),
        },
      },
    ],
    ...extra,
  })
  expect(created.statusCode, created.body).toBe(201)
  const meeting = created.json()
  const announced = await inject('POST', `${meetingsUrl()}/${meeting.id}/announce`, 'committee')
  expect(announced.statusCode, announced.body).toBe(200)
  return announced.json() as {
    id: number
    onRoll: number
    agenda: { vote: { id: number; options: { id: number; label: string }[] } }[]
  }
}

/** The quorum as the shared rule counts it from the roll and voters' list in the database, to compare with what the close stored. */
async function quorumFromRows(meetingId: number, voteId: number, kind: MeetingKind, electorate: Electorate) {
  const roll = (
    await t.rows<{
      meeting_id: number
      person_id: number
      household_id: number
      adult: number
      representative: number
    }>('meeting_roll')
  )
    .filter((r) => r.meeting_id === meetingId)
    .map((r) => ({
      personId: r.person_id,
      householdId: r.household_id,
      adult: Boolean(r.adult),
      representative: Boolean(r.representative),
    }))
  const voters = (await t.rows<{ vote_id: number; person_id: number }>('vote_voters'))
    .filter((v) => v.vote_id === voteId)
    .map((v) => v.person_id)
  const q = quorum(kind, electorate, roll, voters)
  return { eligible: q.eligible, participants: q.present, quorumMet: q.met }
}

describe('meetings', () => {
  it('a draft exists for the committee only; announcing freezes the roll from the roster', async () => {
    // Eleven days ahead: a 村民会议's ten days of notice hold, nothing marked 紧急.
    const created = await newMeeting({
      title: '冬季防火',
      agenda: [{ title: '防火值班安排' }],
      startsAt: inDays(11),
      urgentReason: undefined,
    })
    expect(created.statusCode).toBe(201)
    const id = created.json().id
    expect(created.json()).toMatchObject({ state: 'draft', onRoll: 0, announcedAt: null })
    expect((await inject('GET', `${meetingsUrl()}/${id}`, 'resident')).statusCode).toBe(404)
    expect((await inject('GET', meetingsUrl(), 'resident')).json().map((m: { id: number }) => m.id)).not.toContain(id)

    const announced = await inject('POST', `${meetingsUrl()}/${id}/announce`, 'committee')
    expect(announced.statusCode).toBe(200)
    const residents = (await t.rows<{ village_id: number; status: string }>('persons')).filter(
      (p) => p.village_id === v.id && p.status === 'resident',
    ).length
    const roll = (await t.rows<{ meeting_id: number }>('meeting_roll')).filter((r) => r.meeting_id === id)
    expect(roll).toHaveLength(residents)
    expect(announced.json()).toMatchObject({ state: 'announced', noticeDays: 11, urgentReason: null })
    expect((await inject('GET', `${meetingsUrl()}/${id}`, 'resident')).json()).toMatchObject({
      onMyRoll: true,
      checkedIn: false,
    })
    // Members on the roll are told, with the meeting's page.
    const inbox = (await inject('GET', '/api/notifications', 'resident')).json()
    expect(inbox.items[0]).toMatchObject({
      title: '会议通知：冬季防火',
      page: `packages/meetings/detail/index?villageId=${v.id}&meetingId=${id}`,
      read: false,
    })
    // The time reads as on every page: China time, in words.
    expect(inbox.items[0].body).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 在村委会召开村民会议，请准时参加$/)
    expect(
      (await inject('GET', '/api/notifications', other.resident))
        .json()
        .items.some((n: { title: string }) => n.title === '会议通知：冬季防火'),
    ).toBe(false)

    // Someone added to the roster afterwards is not on this meeting's roll.
    const before = (await inject('GET', `${meetingsUrl()}/${id}`, 'committee')).json().onRoll
    await t.database.pool.query(
      "INSERT INTO persons (village_id, household_id, name, gender, birth_date, relation) SELECT village_id, household_id, '新来的', 'male', '1990-01-01', '其他' FROM persons WHERE village_id = ? LIMIT 1",
      [v.id],
    )
    expect((await inject('GET', `${meetingsUrl()}/${id}`, 'committee')).json().onRoll).toBe(before)
    expect((await inject('POST', `${meetingsUrl()}/${id}/announce`, 'committee')).json().code).toBe('MEETING_STATE')
  })

  it('refuses bad meetings field by field, and non-committee callers; nothing is written', async () => {
    const meetingsBefore = await t.rows('meetings')
    const cases: [object, string][] = [
      [{ title: '' }, 'title'],
      [{ kind: 'party_meeting' }, 'kind'],
      [{ startsAt: '下周三' }, 'startsAt'],
      [
        { agenda: [{ title: '议题', vote: { question: '同意吗', secret: true, maxChoices: 2 } }] },
        'agenda.0.vote.maxChoices',
      ],
      [
        {
          agenda: [
            {
              title: '议题',
              vote: {
                question: '选哪个',
                secret: true,
                options: choices('A', 'A'),
              },
            },
          ],
        },
        'agenda.0.vote.options',
      ],
    ]
    const body = {
      kind: 'villager_meeting',
      title: '会议',
      place: '村委会',
      startsAt: inAWeek(),
      online: true,
      agenda: [],
    }
    for (const [change, field] of cases) {
      const res = await inject('POST', meetingsUrl(), 'committee', { ...body, ...change })
      expect(res.statusCode, JSON.stringify(change)).toBe(400)
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field)
    }
    // 征求意见 closes before the meeting, and not in the past.
    for (const commentsCloseAt of [
      new Date(Date.now() + 8 * 24 * 3600_000).toISOString(),
      new Date(Date.now() - 60_000).toISOString(),
    ]) {
      expect((await inject('POST', meetingsUrl(), 'committee', { ...body, commentsCloseAt })).json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'commentsCloseAt' }],
      })
    }
    expect((await inject('POST', meetingsUrl(), 'resident', body)).statusCode).toBe(403)
    expect((await inject('POST', meetingsUrl(), other.committee, body)).statusCode).toBe(403)
    expect(await t.rows('meetings')).toEqual(meetingsBefore)
    const deadline = new Date(Date.now() + 3 * 24 * 3600_000).toISOString()
    const withDeadline = await inject('POST', meetingsUrl(), 'committee', { ...body, commentsCloseAt: deadline })
    expect(withDeadline.json().commentsCloseAt).toBe(deadline)

    const empty = (await inject('POST', meetingsUrl(), 'committee', body)).json()
    const announce = await inject('POST', `${meetingsUrl()}/${empty.id}/announce`, 'committee')
    expect(announce.statusCode).toBe(409)
    expect(announce.json().code).toBe('NO_AGENDA')
  })

  it('the committee checks in a villager without a phone, once; 实到 and points follow', async () => {
    const m = await announcedMeeting()
    const [elder] = (await t.rows<{ id: number; name: string; village_id: number }>('persons')).filter(
      (p) => p.village_id === v.id && p.name !== v.resident.name,
    )
    const res = await inject('POST', `${meetingsUrl()}/${m.id}/attendance`, 'committee', { personId: elder!.id })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().present).toBe(1)
    // The list counts in the database what the meeting page counts from the roll: the same figures.
    const detail = res.json()
    const listed = (await inject('GET', meetingsUrl(), 'committee')).json().find((x: { id: number }) => x.id === m.id)
    expect(listed).toMatchObject({
      onRoll: detail.onRoll,
      present: 1,
      quorumMet: detail.quorumMet,
      quorumRule: detail.quorumRule,
      onMyRoll: detail.onMyRoll,
      checkedIn: detail.checkedIn,
    })
    // 应到 is the roll's adults, as frozen at the notice.
    const rollAdults = (await t.rows<{ meeting_id: number; adult: number }>('meeting_roll')).filter(
      (r) => r.meeting_id === m.id && r.adult,
    ).length
    expect(rollAdults).toBeGreaterThan(1)
    expect(detail.onRoll).toBe(rollAdults)
    expect(detail.agenda[0].vote.eligibleCount).toBe(rollAdults)
    const again = await inject('POST', `${meetingsUrl()}/${m.id}/attendance`, 'committee', { personId: elder!.id })
    expect(again.statusCode).toBe(409)
    const entries = (await t.rows<{ ref_type: string; ref_id: number; reason: string }>('point_entries')).filter(
      (e) => e.ref_type === 'meeting' && e.ref_id === m.id,
    )
    expect(entries).toHaveLength(1)
    const stranger = (await t.rows<{ id: number; village_id: number }>('persons')).find(
      (p) => p.village_id === other.id,
    )!
    const notOnRoll = await inject('POST', `${meetingsUrl()}/${m.id}/attendance`, 'committee', {
      personId: stranger.id,
    })
    expect(notOnRoll.statusCode).toBe(404)
    expect(notOnRoll.json().code).toBe('NOT_ON_ROLL')
    expect(
      (await inject('POST', `${meetingsUrl()}/${m.id}/attendance`, 'resident', { personId: elder!.id })).statusCode,
    ).toBe(403)
  })

  it('征求意见: members comment between the notice and the meeting; names masked; risky text refused; the committee hides one with a reason', async () => {
    const m = await announcedMeeting({ startsAt: inDays(7) })
    const item = (await inject('GET', `${meetingsUrl()}/${m.id}`, 'resident')).json().agenda[0].id
    const comment = (caller: Caller, body: string, itemId = item) =>
      inject('POST', `${meetingsUrl()}/${m.id}/agenda/${itemId}/comments`, caller, { body })
    const risky = await comment('resident', '修路的钱别拿去赌博')
    expect(risky.json()).toMatchObject({ code: 'CONTENT_REJECTED', details: [{ field: 'body' }] })
    expect((await comment('resident', '')).json().details[0].field).toBe('body')
    expect((await comment(other.resident, '我也想说')).statusCode).toBe(403)
    const added = await comment('resident', '路要修宽一点，农用车能过')
    expect(added.statusCode, added.body).toBe(201)
    await comment('volunteer', '路边加排水沟，不然下雨又坏')

    const seen = (await inject('GET', `${meetingsUrl()}/${m.id}/comments`, 'volunteer')).json()
    expect(seen.map((c: { author: string; mine: boolean }) => [c.author, c.mine])).toEqual([
      [masked(v.resident.name), false],
      [masked(v.volunteer.name), true],
    ])
    const committeeView = (await inject('GET', `${meetingsUrl()}/${m.id}/comments`, 'committee')).json()
    expect(committeeView.map((c: { author: string }) => c.author)).toEqual([v.resident.name, v.volunteer.name])

    const hidden = await inject('POST', `${meetingsUrl()}/${m.id}/comments/${committeeView[1].id}/hide`, 'committee', {
      reason: '和议题无关',
    })
    expect(hidden.statusCode).toBe(200)
    expect(
      (
        await inject('POST', `${meetingsUrl()}/${m.id}/comments/${committeeView[1].id}/hide`, 'resident', {
          reason: '不想看',
        })
      ).statusCode,
    ).toBe(403)
    expect((await inject('GET', `${meetingsUrl()}/${m.id}/comments`, 'resident')).json()).toHaveLength(1)
    expect((await inject('GET', `${meetingsUrl()}/${m.id}/comments`, 'volunteer')).json()[1]).toMatchObject({
      mine: true,
      held: true,
      hiddenReason: '和议题无关',
    })

    // The committee's deadline closes the comment period before the meeting (here it has just passed).
    expect((await inject('GET', `${meetingsUrl()}/${m.id}`, 'resident')).json().commentsCloseAt).toBe(
      new Date(
        (await t.rows<{ id: number; starts_at: Date }>('meetings')).find((r) => r.id === m.id)!.starts_at,
      ).toISOString(),
    )
    await t.database.pool.query('UPDATE meetings SET comments_close_at = NOW(3) - INTERVAL 1 MINUTE WHERE id = ?', [
      m.id,
    ])
    expect((await comment('resident', '再补充一点意见')).json()).toMatchObject({
      code: 'COMMENTS_CLOSED',
      message: '征求意见已经截止了',
    })
    // And once the meeting has started (its time has come), it is over in any case.
    await t.database.pool.query('UPDATE meetings SET starts_at = NOW(3) WHERE id = ?', [m.id])
    expect((await inject('POST', `${meetingsUrl()}/${m.id}/start`, 'committee')).statusCode).toBe(200)
    expect((await comment('resident', '再补充一点意见')).json().code).toBe('MEETING_STATE')
  })

  it('a member signs in by scanning the meeting code; a wrong code, or another event’s, is refused', async () => {
    const m = await announcedMeeting()
    expect((await inject('GET', `${meetingsUrl()}/${m.id}/code`, 'resident')).statusCode).toBe(403)
    const code = (await inject('GET', `${meetingsUrl()}/${m.id}/code`, 'committee')).json()
    expect(code.token).toMatch(new RegExp(`^${v.id}\\.${m.id}\\.[A-Za-z0-9_-]{16}$`))
    expect(code.token.length).toBeLessThanOrEqual(32)
    expect(code.qr).toMatch(/^data:image\/svg\+xml/)
    expect(code.wxacode).toMatch(/^data:image\/(png|jpeg)/)

    const scan = (token: string) => inject('POST', `${meetingsUrl()}/${m.id}/check-in`, 'resident', { token })
    const forged = await scan(`${v.id}.${m.id}.AAAAAAAAAAAAAAAA`)
    expect(forged.json()).toMatchObject({ code: 'CODE_INVALID', details: [{ field: 'token' }] })
    // The same ids signed as an activity's code do not open a meeting.
    expect((await scan(activityCode('test-secret-test-secret', v.id, m.id))).json().code).toBe('CODE_INVALID')
    const ok = await scan(code.token)
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ checkedIn: true, present: 1 })
    expect((await scan(code.token)).statusCode).toBe(409)
  })
})

describe('votes', () => {
  it('one ballot each, final; a secret ballot keeps no voter; results stay hidden until the close; receipts check', async () => {
    const m = await announcedMeeting()
    const secret = m.agenda[0]!.vote
    const open = m.agenda[1]!.vote
    const agree = secret.options.find((o) => o.label === '同意')!.id

    const early = await inject('POST', voteUrl(secret.id, '/ballots'), 'resident', { choices: [agree] })
    expect(early.statusCode).toBe(409)
    expect(early.json().code).toBe('VOTE_NOT_OPEN')
    expect((await inject('POST', voteUrl(secret.id, '/open'), 'resident')).statusCode).toBe(403)
    expect((await inject('POST', voteUrl(secret.id, '/open'), 'committee')).statusCode).toBe(200)
    expect((await inject('POST', voteUrl(open.id, '/open'), 'committee')).statusCode).toBe(200)
    expect(
      (await inject('GET', '/api/notifications', 'resident')).json().items.map((n: { title: string }) => n.title),
    ).toContain('开始表决：同意用集体资金修村东道路')

    // Bad ballots: nothing is written.
    const wrong = await inject('POST', voteUrl(secret.id, '/ballots'), 'resident', { choices: [open.options[0]!.id] })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json()).toMatchObject({ code: 'INVALID_CHOICES', details: [{ field: 'choices' }] })
    const two = await inject('POST', voteUrl(secret.id, '/ballots'), 'resident', {
      choices: secret.options.slice(0, 2).map((o) => o.id),
    })
    expect(two.json().code).toBe('INVALID_CHOICES')
    expect((await inject('POST', voteUrl(secret.id, '/ballots'), 'resident', { choices: 'agree' })).statusCode).toBe(
      400,
    )
    expect((await inject('POST', voteUrl(secret.id, '/ballots'), 'applicant', { choices: [agree] })).statusCode).toBe(
      403,
    )
    expect(
      (await inject('POST', voteUrl(secret.id, '/ballots'), other.resident, { choices: [agree] })).statusCode,
    ).toBe(403)
    expect(
      (await inject('POST', voteUrl(secret.id, '/ballots', other.id), other.resident, { choices: [agree] })).statusCode,
    ).toBe(404)
    expect((await t.rows<{ vote_id: number }>('ballots')).filter((b) => b.vote_id === secret.id)).toHaveLength(0)

    const cast = await inject('POST', voteUrl(secret.id, '/ballots'), 'resident', { choices: [agree] })
    expect(cast.statusCode, cast.body).toBe(201)
    const { receiptCode } = cast.json()
    expect(receiptCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
    const twice = await inject('POST', voteUrl(secret.id, '/ballots'), 'resident', { choices: [agree] })
    expect(twice.statusCode).toBe(409)
    expect(twice.json().code).toBe('ALREADY_VOTED')
    expect(
      (await inject('POST', voteUrl(open.id, '/ballots'), 'resident', { choices: [open.options[1]!.id] })).statusCode,
    ).toBe(201)

    // The secret ballot has no voter and no time; the open one names its voter. The log never holds a choice.
    const box = await t.rows<{ vote_id: number; person_id: number | null; receipt_hash: string }>('ballots')
    const mine = box.find((b) => b.vote_id === secret.id)!
    expect(mine).toEqual({
      receipt_hash: createHash('sha256').update(receiptCode).digest('hex'),
      vote_id: secret.id,
      person_id: null,
    })
    expect(
      (await t.rows<{ vote_id: number; option_id: number; receipt_hash: string }>('ballot_choices')).filter(
        (c) => c.vote_id === secret.id,
      ),
    ).toEqual([{ vote_id: secret.id, option_id: agree, receipt_hash: mine.receipt_hash }])
    expect(box.find((b) => b.vote_id === open.id)!.person_id).not.toBeNull()
    const logged = (await t.rows<{ action: string; data: unknown }>('audit_log')).filter(
      (a) => a.action === 'vote.ballot_cast',
    )
    expect(JSON.stringify(logged)).not.toContain('choices')

    const meeting = (await inject('GET', `${meetingsUrl()}/${m.id}`, 'resident')).json()
    // The voter sees that they have voted; how many have is published with the result.
    expect(meeting.agenda[0].vote).toMatchObject({ voted: true, eligible: true })
    expect(meeting.agenda[0].vote).not.toHaveProperty('votedCount')
    const hidden = await inject('GET', voteUrl(secret.id, '/result'), 'resident')
    expect(hidden.statusCode).toBe(409)
    expect(hidden.json().code).toBe('RESULTS_HIDDEN')
    expect(JSON.stringify(meeting)).not.toContain('"count"')

    const closed = await inject('POST', voteUrl(secret.id, '/close'), 'committee')
    expect(closed.statusCode, closed.body).toBe(200)
    const late = await inject('POST', voteUrl(secret.id, '/ballots'), 'committee', { choices: [agree] })
    expect(late.json().code).toBe('VOTE_NOT_OPEN')

    const result = (await inject('GET', voteUrl(secret.id, '/result'), 'resident')).json()
    // One of the whole roll took part: far from a quorum, so the vote decides nothing.
    expect(result).toMatchObject({ participants: 1, quorumMet: false, outcome: 'invalid' })
    expect(result.counts.find((c: { optionId: number }) => c.optionId === agree).count).toBe(1)
    expect(result.receiptCount).toBe(1)
    const published = (await inject('GET', voteUrl(secret.id, '/receipts'), 'resident')).json()
    expect(published).toEqual({ hashes: [createHash('sha256').update(receiptCode).digest('hex')], next: null })
    expect(JSON.stringify(result)).not.toContain(v.resident.name)
    expect((await inject('GET', voteUrl(secret.id, `/receipts/${receiptCode}`), 'resident')).json()).toEqual({
      counted: true,
    })
    expect((await inject('GET', voteUrl(secret.id, '/receipts/AAAA-BBBB-CCCC'), 'resident')).json()).toEqual({
      counted: false,
    })

    // The meeting closes only once every vote has; the printed notice only after that.
    expect((await inject('POST', `${meetingsUrl()}/${m.id}/start`, 'committee')).statusCode).toBe(200)
    expect((await inject('GET', `${meetingsUrl()}/${m.id}/notice.pdf`, 'resident')).json().code).toBe('MEETING_STATE')
    const publicUrl = (village = v.id) => `/api/public/villages/${village}/meetings/${m.id}/results`
    expect((await inject('GET', publicUrl(), 'anon')).json().code).toBe('RESULTS_HIDDEN')
    const closing = await inject('POST', `${meetingsUrl()}/${m.id}/close`, 'committee')
    expect(closing.statusCode).toBe(409)
    await inject('POST', voteUrl(open.id, '/close'), 'committee')
    expect((await inject('POST', `${meetingsUrl()}/${m.id}/close`, 'committee')).statusCode).toBe(200)

    // 表决结果公示 for anyone, without signing in: each closed vote's published result, no names.
    const board = await inject('GET', publicUrl(), 'anon')
    expect(board.statusCode).toBe(200)
    expect(board.headers['cache-control']).toBe('public, max-age=300')
    expect(board.json()).toMatchObject({
      villageName: v.name,
      meetingId: m.id,
      title: '村民会议：修村道、定保洁费',
      noticeDays: expect.any(Number),
    })
    expect(board.json().results).toEqual([
      result,
      (await inject('GET', voteUrl(open.id, '/result'), 'resident')).json(),
    ])
    expect(board.body).not.toContain(v.resident.name)
    expect((await inject('GET', publicUrl(other.id), 'anon')).json().code).toBe('MEETING_NOT_FOUND')

    const notice = await inject('GET', `${meetingsUrl()}/${m.id}/notice.pdf`, 'resident')
    expect(notice.statusCode).toBe(200)
    expect(notice.headers['content-type']).toBe('application/pdf')
    expect(notice.headers['content-disposition']).toContain(`filename="meeting-${m.id}-results.pdf"`)
    const { pages, size, images } = await pdfText(notice.rawPayload)
    expect(size).toEqual([0, 0, 595, 842]) // A4
    const printed = pages.join('')
    expect(printed).toContain(`${v.name}村民会议表决结果公示`)
    expect(printed).toContain('同意用集体资金修村东道路')
    expect(printed).toContain('同意 1 票，反对 0 票，弃权 0 票')
    expect(printed).toContain('参加人数不足，表决无效')
    expect(printed).toContain('每户每年保洁费')
    expect(printed).toContain('公示时间')
    expect(printed).toContain(`${v.name}村委会`)
    expect(printed).not.toContain(v.resident.name)
    expect(images).toBe(1) // the QR code back to the meeting's page
    expect(
      (await inject('GET', `/api/villages/${other.id}/meetings/${m.id}/notice.pdf`, other.resident)).statusCode,
    ).toBe(404)

    // Minutes: written after the close, required to publish, public from then on and no longer changed.
    const minutesUrl = `${meetingsUrl()}/${m.id}/minutes`
    expect((await inject('POST', `${meetingsUrl()}/${m.id}/publish`, 'committee')).json()).toMatchObject({
      code: 'MEETING_STATE',
      message: expect.stringContaining('会议纪要'),
    })
    const short = await inject('PUT', minutesUrl, 'committee', { minutes: '太短' })
    expect(short.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'minutes' }] })
    const text =
      '会议于 12 月 8 日上午召开。表决修村东道路：参加人数不足，表决无效，下次会议再议。保洁费按每户每年 100 元执行。'
    expect((await inject('PUT', minutesUrl, 'resident', { minutes: text })).statusCode).toBe(403)
    expect((await inject('PUT', minutesUrl, 'committee', { minutes: text })).json().minutes).toBe(text)
    expect((await inject('GET', `${meetingsUrl()}/${m.id}`, 'resident')).json().minutes).toBeNull()
    expect((await inject('POST', `${meetingsUrl()}/${m.id}/publish`, 'committee')).json().state).toBe('published')
    expect((await inject('GET', `${meetingsUrl()}/${m.id}`, 'resident')).json().minutes).toBe(text)
    expect((await inject('PUT', minutesUrl, 'committee', { minutes: `${text}补充。` })).json().code).toBe(
      'MEETING_STATE',
    )
  })

  it('counts from the venue: checked-in villagers who did not vote online, two tellers who both confirm, corrections kept', async () => {
    const m = await announcedMeeting()
    const vote = m.agenda[0]!.vote
    const [agree, oppose] = vote.options.map((o) => o.id)
    await inject('POST', voteUrl(vote.id, '/open'), 'committee')
    expect((await inject('POST', voteUrl(vote.id, '/ballots'), 'resident', { choices: [agree!] })).statusCode).toBe(201)

    const people = await t.rows<{ id: number; name: string; village_id: number }>('persons')
    const personOf = (name: string) => people.find((p) => p.name === name && p.village_id === v.id)!.id
    // An adult on the roll who is not in the app.
    const members = [v.committee, v.grid, v.resident, v.volunteer, v.townAdmin].map((x) => x.personId)
    const elder = v.persons.find((p) => p.adult && !members.includes(p.id))!
    for (const id of [personOf(v.resident.name), personOf(v.volunteer.name), elder.id]) {
      expect(
        (await inject('POST', `${meetingsUrl()}/${m.id}/attendance`, 'committee', { personId: id })).statusCode,
      ).toBe(200)
    }
    const memberships = await t.rows<{ id: number; real_name: string; village_id: number }>('memberships')
    const membershipOf = (name: string, village = v.id) =>
      memberships.find((x) => x.real_name === name && x.village_id === village)!.id
    const tellers = {
      counterMembershipId: membershipOf(v.committee.name),
      scrutineerMembershipId: membershipOf(v.grid.name),
    }
    const offline = (body: object) => inject('POST', voteUrl(vote.id, '/offline'), 'committee', { ...tellers, ...body })

    // The resident voted online, so the venue has two voters: the volunteer and the elder.
    const tooMany = await offline({ counts: [{ optionId: agree, count: 3 }] })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json()).toMatchObject({ code: 'OFFLINE_EXCEEDS_ROLL', details: [{ field: 'counts' }] })
    const same = await offline({
      counts: [{ optionId: agree, count: 1 }],
      scrutineerMembershipId: tellers.counterMembershipId,
    })
    expect(same.json()).toMatchObject({ code: 'TELLER_INVALID', details: [{ field: 'scrutineerMembershipId' }] })
    const stranger = await offline({
      counts: [{ optionId: agree, count: 1 }],
      scrutineerMembershipId: membershipOf(other.committee.name, other.id),
    })
    expect(stranger.json().code).toBe('TELLER_INVALID')
    expect(
      (
        await inject('POST', voteUrl(vote.id, '/offline'), 'resident', {
          ...tellers,
          counts: [{ optionId: agree, count: 1 }],
        })
      ).statusCode,
    ).toBe(403)
    expect(await t.rows('offline_tallies')).toHaveLength(0)

    const first = await offline({ counts: [{ optionId: agree, count: 2 }] })
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({
      ballots: 2,
      counter: { name: v.committee.name, confirmed: false },
      scrutineer: { name: v.grid.name, confirmed: false },
    })
    // Counted at the venue: no second ballot in the app.
    const online = await inject('POST', voteUrl(vote.id, '/ballots'), 'volunteer', { choices: [oppose!] })
    expect(online.json().code).toBe('ALREADY_VOTED')

    const noReason = await offline({
      counts: [
        { optionId: agree, count: 1 },
        { optionId: oppose, count: 1 },
      ],
    })
    expect(noReason.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'reason' }] })
    const corrected = await offline({
      counts: [
        { optionId: agree, count: 1 },
        { optionId: oppose, count: 1 },
      ],
      reason: '重新数了一遍举手',
    })
    expect(corrected.statusCode).toBe(201)
    expect(await t.rows('offline_tallies')).toHaveLength(2)

    const unconfirmed = await inject('POST', voteUrl(vote.id, '/close'), 'committee')
    expect(unconfirmed.json().code).toBe('OFFLINE_UNCONFIRMED')
    const confirm = (caller: Caller, id = corrected.json().id) =>
      inject('POST', voteUrl(vote.id, `/offline/${id}/confirm`), caller)
    expect((await confirm('resident')).statusCode).toBe(403)
    expect((await confirm('committee', first.json().id)).statusCode).toBe(404)
    expect((await confirm('committee')).json().counter.confirmed).toBe(true)
    expect((await confirm('committee')).statusCode).toBe(409)
    expect((await confirm('grid')).json().scrutineer.confirmed).toBe(true)

    const closed = await inject('POST', voteUrl(vote.id, '/close'), 'committee')
    expect(closed.statusCode, closed.body).toBe(200)
    const result = closed.json()
    expect(result.participants).toBe(3)
    expect(result.counts.find((c: { optionId: number }) => c.optionId === agree).count).toBe(2)
    expect(result.counts.find((c: { optionId: number }) => c.optionId === oppose).count).toBe(1)
    const voters = (await t.rows<{ vote_id: number; channel: string }>('vote_voters')).filter(
      (v) => v.vote_id === vote.id,
    )
    expect(voters.map((v) => v.channel).sort()).toEqual(['offline', 'offline', 'online'])
  })

  it('500 voters at once, each sending twice, while the committee closes the vote: one ballot each, the tally equals the box', async () => {
    // 500 villagers in 250 households, each with the app and verified (set up directly: sign-up is tested elsewhere).
    const pool = t.database.pool
    await pool.query(
      "INSERT INTO households (village_id, number, address) SELECT ?, CONCAT('T-', seq), CONCAT('测试路 ', seq, ' 号') FROM seq_1_to_250",
      [v.id],
    )
    await pool.query(
      `INSERT INTO persons (village_id, household_id, name, gender, birth_date, relation)
       SELECT ?, h.id, CONCAT('投票人', p.seq), IF(p.seq % 2, 'male', 'female'), '1980-01-01', IF(p.seq % 2, '户主', '配偶')
       FROM seq_1_to_500 p JOIN households h ON h.village_id = ? AND h.number = CONCAT('T-', CEIL(p.seq / 2))`,
      [v.id, v.id],
    )
    await pool.query("INSERT INTO users (openid) SELECT CONCAT('voter-', seq) FROM seq_1_to_500")
    await pool.query(
      `INSERT INTO memberships (user_id, village_id, real_name, household_address, person_id, birth_year, status, decided_at)
       SELECT u.id, ?, p.name, '测试路', p.id, 1980, 'verified', NOW(3) FROM users u JOIN persons p ON p.village_id = ? AND p.name = CONCAT('投票人', SUBSTRING(u.openid, 7))
       WHERE u.openid LIKE 'voter-%'`,
      [v.id, v.id],
    )
    await pool.query(
      "INSERT INTO membership_roles (membership_id, role) SELECT m.id, 'resident' FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.openid LIKE 'voter-%'",
    )
    const [users] = (await pool.query("SELECT id FROM users WHERE openid LIKE 'voter-%'")) as unknown as [
      { id: number }[],
    ]
    const tokens = await t.tokensFor(users.map((u) => u.id))
    expect(tokens).toHaveLength(500)

    const m = await announcedMeeting()
    const vote = m.agenda[0]!.vote
    await inject('POST', voteUrl(vote.id, '/open'), 'committee')
    let accepted2 = 0
    let closing: (() => void) | undefined
    const closeStarted = new Promise<void>((r) => (closing = r))
    let close: ReturnType<typeof inject> | undefined
    const ballot = (token: string, i: number) =>
      fetch(`${base}${voteUrl(vote.id, '/ballots')}`, {
        method: 'POST',
        headers: { ...auth(token), 'content-type': 'application/json' },
        body: JSON.stringify({ choices: [vote.options[i % 3]!.id] }),
      }).then(async (r) => {
        // In the second wave, the committee closes the vote while ballots are still being counted in.
        if (i >= 200 && i < 400 && r.status === 201 && ++accepted2 === 20) {
          close = inject('POST', voteUrl(vote.id, '/close'), 'committee')
          closing!()
        }
        return { status: r.status, body: (await r.json()) as { code?: string; receiptCode?: string } }
      })
    const send = (from: number, to: number) =>
      tokens.slice(from, to).flatMap((token, i) => [ballot(token, from + i), ballot(token, from + i)])
    // 200 voters, each sending twice; then 200 more, during which the vote closes; then 100 too late.
    const answers = await Promise.all(send(0, 200))
    const second = send(200, 400)
    await closeStarted
    answers.push(...(await Promise.all([...second, ...send(400, 500)])))
    expect((await close!).statusCode).toBe(200)
    expect(answers.filter((a) => a.body.code === 'VOTE_NOT_OPEN').length).toBeGreaterThan(0)
    expect(answers.filter((a) => a.body.code === 'ALREADY_VOTED').length).toBeGreaterThan(0)

    const accepted = answers.filter((a) => a.status === 201)
    expect(
      answers
        .filter((a) => a.status !== 201)
        .every((a) => a.status === 409 && ['ALREADY_VOTED', 'VOTE_NOT_OPEN'].includes(a.body.code ?? '')),
    ).toBe(true)
    expect(accepted.length).toBeGreaterThan(0)
    expect(accepted.length).toBeLessThanOrEqual(500)
    const box = (await t.rows<{ vote_id: number; receipt_hash: string }>('ballots')).filter(
      (b) => b.vote_id === vote.id,
    )
    const voters = (await t.rows<{ vote_id: number }>('vote_voters')).filter((v) => v.vote_id === vote.id)
    expect(box).toHaveLength(accepted.length)
    expect(voters).toHaveLength(accepted.length)
    expect(new Set(accepted.map((a) => a.body.receiptCode)).size).toBe(accepted.length)

    const result = (await inject('GET', voteUrl(vote.id, '/result'), 'resident')).json()
    expect(result.participants).toBe(accepted.length)
    expect({ eligible: result.eligible, participants: result.participants, quorumMet: result.quorumMet }).toEqual(
      await quorumFromRows(m.id, vote.id, 'villager_meeting', 'adults'),
    )
    expect(result.counts.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBe(accepted.length)
    expect(result.receiptCount).toBe(accepted.length)
    // The published list pages through every receipt once.
    const listed: string[] = []
    let after: string | null = null
    do {
      const page: { hashes: string[]; next: string | null } = (
        await inject('GET', voteUrl(vote.id, `/receipts?limit=37${after ? `&after=${after}` : ''}`), 'resident')
      ).json()
      listed.push(...page.hashes)
      after = page.next
    } while (after)
    expect(listed).toHaveLength(accepted.length)
    expect(new Set(listed)).toEqual(
      new Set(accepted.map((a) => createHash('sha256').update(a.body.receiptCode!).digest('hex'))),
    )
    // Voting earns the rule's point once per voter: queued with each ballot, released by the close, paid
    // by the scheduler. Two servers paying at once (and once more afterwards) still pay each voter once.
    const votePoints = async () =>
      (await t.rows<{ ref_type: string; ref_id: number }>('point_entries')).filter(
        (e) => e.ref_type === 'vote' && e.ref_id === vote.id,
      )
    expect(await votePoints()).toHaveLength(0)
    const queued = async () =>
      (await t.rows<{ ref_type: string; ref_id: number; held: number }>('point_award_queue')).filter(
        (e) => e.ref_type === 'vote' && e.ref_id === vote.id,
      )
    expect((await queued()).filter((e) => !e.held)).toHaveLength(accepted.length)
    const waiting = (await t.rows<{ held: number }>('point_award_queue')).filter((e) => !e.held).length // with the earlier tests' closed votes
    const [paidHere, paidThere] = await Promise.all([payQueuedAwards(t.database.db), payQueuedAwards(t.database.db)])
    expect(paidHere + paidThere).toBe(waiting)
    expect(await payQueuedAwards(t.database.db)).toBe(0)
    expect(await votePoints()).toHaveLength(accepted.length)
    expect(await queued()).toHaveLength(0)
  })

  it('a ballot still being cast when the committee closes the vote is counted: the close waits for it', async () => {
    const m = await announcedMeeting()
    const vote = m.agenda[0]!.vote
    await inject('POST', voteUrl(vote.id, '/open'), 'committee')
    expect(
      (await inject('POST', voteUrl(vote.id, '/ballots'), 'resident', { choices: [vote.options[0]!.id] })).statusCode,
    ).toBe(201)
    // Another ballot, half-way: its transaction holds the vote as a ballot does, and has written its rows.
    const conn = await t.database.pool.getConnection()
    try {
      const [[voter]] = (await conn.query(
        'SELECT id, household_id AS householdId FROM persons WHERE village_id = ? AND name = ?',
        [v.id, v.volunteer.name],
      )) as unknown as [[{ id: number; householdId: number }]]
      await conn.beginTransaction()
      await conn.query('SELECT state FROM votes WHERE id = ? LOCK IN SHARE MODE', [vote.id])
      await conn.query(
        "INSERT INTO vote_voters (vote_id, unit_id, person_id, household_id, channel) VALUES (?, ?, ?, ?, 'online')",
        [vote.id, voter!.id, voter!.id, voter!.householdId],
      )
      await conn.query('INSERT INTO ballots (receipt_hash, vote_id) VALUES (?, ?)', ['f'.repeat(64), vote.id])
      await conn.query('INSERT INTO ballot_choices (vote_id, option_id, receipt_hash) VALUES (?, ?, ?)', [
        vote.id,
        vote.options[1]!.id,
        'f'.repeat(64),
      ])
      const close = inject('POST', voteUrl(vote.id, '/close'), 'committee')
      await new Promise((r) => setTimeout(r, 300))
      await conn.commit()
      const result = (await close).json()
      expect(result.participants).toBe(2)
      expect(result.counts.map((c: { count: number }) => c.count)).toEqual([1, 1, 0])
      expect(result.receiptCount).toBe(2)
    } finally {
      conn.release()
    }
  })

  it('one vote per household: the second member of a household is told their household has voted', async () => {
    const created = await newMeeting({
      title: '户代表会议：自来水入户',
      agenda: [
        {
          title: '自来水入户',
          vote: { question: '同意每户出资 300 元接自来水', secret: true, electorate: 'households' },
        },
      ],
    })
    const m = created.json()
    await inject('POST', `${meetingsUrl()}/${m.id}/announce`, 'committee')
    const vote = m.agenda[0].vote
    await inject('POST', voteUrl(vote.id, '/open'), 'committee')
    // 投票人1 and 投票人2 share household T-1.
    const [pair] = (await t.database.pool.query(
      "SELECT u.id FROM users u WHERE u.openid IN ('voter-1', 'voter-2') ORDER BY u.openid",
    )) as unknown as [{ id: number }[]]
    const [first, second] = await t.tokensFor(pair.map((u) => u.id))
    expect(
      (await inject('POST', voteUrl(vote.id, '/ballots'), { token: first! }, { choices: [vote.options[0].id] }))
        .statusCode,
    ).toBe(201)
    const again = await inject(
      'POST',
      voteUrl(vote.id, '/ballots'),
      { token: second! },
      { choices: [vote.options[1].id] },
    )
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'ALREADY_VOTED', message: expect.stringContaining('每户一票') })
    const seen = (await inject('GET', `${meetingsUrl()}/${m.id}`, { token: second! })).json()
    expect(seen.agenda[0].vote).toMatchObject({ voted: true, eligible: true })
    // The close counts households in the database as the shared rule counts them.
    const result = (await inject('POST', voteUrl(vote.id, '/close'), 'committee')).json()
    expect(result.participants).toBe(1)
    expect({ eligible: result.eligible, participants: result.participants, quorumMet: result.quorumMet }).toEqual(
      await quorumFromRows(m.id, vote.id, 'villager_meeting', 'households'),
    )
  })
})
