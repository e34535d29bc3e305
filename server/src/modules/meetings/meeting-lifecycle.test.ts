/**
 * A meeting's life as the law runs it (issue 18): the notice period (村民委员会组织法 第二十一条 for a
 * 村民会议, the village's setting for a 代表会议) or 紧急 with a reason; nothing before the announced time;
 * a draft edited in full; an announced meeting postponed or cancelled before any vote opens; notices and
 * reminders only to those called. Through the API on a fresh database, as the committee and as villagers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, calledSoon, startWithVillages, type Caller, type Village } from '../../testing/factories.js'
import type { TestContext } from '../../testing/harness.js'
import { remindMeetings } from './meeting-state.js'

let t: TestContext
let v: Village

beforeAll(async () => {
  ;[t, v] = await startWithVillages(1, { env: { RATE_LIMIT_PER_MINUTE: '100000' } })
})
afterAll(() => t.close())

const url = (path: string) => `/api/villages/${v.id}${path}`
const post = (caller: Caller, path: string, payload: object = {}) => as(t, caller).post(url(path), payload)
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString()

/** A draft of the committee with one agenda item carrying an open (not secret) yes/no vote. */
async function draft(fields: object = {}) {
  const res = await post('committee', '/meetings', {
    kind: 'villager_meeting',
    title: '村民会议：修村道',
    place: '村委会',
    startsAt: inDays(11),
    online: true,
    agenda: [{ title: '村道硬化', vote: { question: '同意修村道', secret: false } }],
    ...fields,
  })
  expect(res.statusCode, res.body).toBe(201)
  const m = res.json()
  return { id: m.id as number, itemId: m.agenda[0].id as number, voteId: m.agenda[0].vote.id as number }
}
const meetingRow = async (id: number) =>
  (await t.rows<{ id: number; state: string; starts_at: Date; urgent_reason: string | null }>('meetings')).find(
    (m) => m.id === id,
  )!
const noticesOf = async (userId: number, title: string) =>
  (await t.rows<{ user_id: number; title: string; body: string }>('notifications')).filter(
    (n) => n.user_id === userId && n.title.includes(title),
  )
const setStart = (id: number, sql: string) =>
  t.database.pool.query(`UPDATE meetings SET starts_at = ${sql} WHERE id = ?`, [id])

describe('notice as the law says', () => {
  it('a 村民会议 needs ten days: nine are refused naming 第二十一条, and nothing is written; eleven go', async () => {
    const short = await draft({ startsAt: inDays(9) })
    const before = await t.rows('notifications')
    const refused = await post('committee', `/meetings/${short.id}/announce`)
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'NOTICE_TOO_SHORT', details: [{ field: 'startsAt' }] })
    expect(refused.json().message).toContain('第二十一条')
    expect(refused.json().message).toContain('紧急')
    expect((await meetingRow(short.id)).state).toBe('draft')
    expect((await t.rows<{ meeting_id: number }>('meeting_roll')).filter((r) => r.meeting_id === short.id)).toEqual([])
    expect(await t.rows('notifications')).toEqual(before)

    const long = await draft({ startsAt: inDays(11) })
    const ok = await post('committee', `/meetings/${long.id}/announce`)
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ state: 'announced', noticeDays: 11, urgentReason: null })
  })

  it('紧急 with a reason goes with less notice, and the reason is on the notice, the meeting and the result page', async () => {
    const m = await draft({ ...calledSoon(), urgentReason: '暴雨冲坏了村道，要马上定修路的事' })
    expect((await post('committee', `/meetings/${m.id}/announce`)).statusCode).toBe(200)
    const notice = (await noticesOf(v.resident.userId, '会议通知')).at(-1)
    expect(notice?.body).toContain('紧急召开：暴雨冲坏了村道')
    const seen = await as(t, 'resident').get(url(`/meetings/${m.id}`))
    expect(seen.json().urgentReason).toBe('暴雨冲坏了村道，要马上定修路的事')
    // The vote may open (the start is ten minutes away, within the grace), not close before the start.
    expect((await post('committee', `/votes/${m.voteId}/open`)).statusCode).toBe(200)
    const early = await post('committee', `/votes/${m.voteId}/close`)
    expect(early.statusCode).toBe(409)
    expect(early.json().code).toBe('TOO_EARLY')
    expect((await t.rows<{ id: number; state: string }>('votes')).find((x) => x.id === m.voteId)?.state).toBe('open')
    await setStart(m.id, 'NOW(3) - INTERVAL 1 SECOND')
    expect((await post('committee', `/votes/${m.voteId}/close`)).statusCode).toBe(200)
    for (const step of ['start', 'close'])
      expect((await post('committee', `/meetings/${m.id}/${step}`)).statusCode).toBe(200)
    const published = await as(t, 'anon').get(`/api/public/villages/${v.id}/meetings/${m.id}/results`)
    expect(published.json().urgentReason).toBe('暴雨冲坏了村道，要马上定修路的事')
    // No result reads as decided before the meeting began.
    const vote = (await t.rows<{ id: number; closed_at: Date }>('votes')).find((x) => x.id === m.voteId)!
    expect(new Date(vote.closed_at).getTime()).toBeGreaterThanOrEqual(
      new Date((await meetingRow(m.id)).starts_at).getTime(),
    )
  })

  it("a 代表会议's notice period is the village's: three days by default, one when the committee sets it", async () => {
    const m = await draft({ kind: 'representative_meeting', startsAt: inDays(2) })
    const refused = await post('committee', `/meetings/${m.id}/announce`)
    expect(refused.json()).toMatchObject({ code: 'NOTICE_TOO_SHORT' })
    expect(refused.json().message).toContain('提前 3 天')
    expect((await as(t, 'resident').get(url('/meeting-settings'))).json()).toEqual({
      representativeNoticeDays: 3,
      startGraceMinutes: 30,
      petitionAnswerDays: 30,
      proxiesAllowed: false,
    })
    const bad = await as(t, 'committee').put(url('/meeting-settings'), {
      representativeNoticeDays: 99,
      startGraceMinutes: 30,
      petitionAnswerDays: 30,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].field).toContain('representativeNoticeDays')
    const set = { representativeNoticeDays: 1, startGraceMinutes: 30, petitionAnswerDays: 30 }
    expect((await as(t, 'resident').put(url('/meeting-settings'), set)).statusCode).toBe(403)
    expect((await as(t, 'committee').put(url('/meeting-settings'), set)).json()).toEqual({
      ...set,
      proxiesAllowed: false,
    })
    const told = async () => [
      (await noticesOf(v.committee.userId, '会议通知')).length,
      (await noticesOf(v.resident.userId, '会议通知')).length,
    ]
    const [committeeBefore, residentBefore] = await told()
    expect((await post('committee', `/meetings/${m.id}/announce`)).statusCode).toBe(200)
    // Only the representatives are told (the committee member is the village's representative; the resident is not).
    expect(await told()).toEqual([committeeBefore! + 1, residentBefore])
    await as(t, 'committee').put(url('/meeting-settings'), { ...set, representativeNoticeDays: 3 })
  })
})

describe('nothing before its time', () => {
  it('no session and no vote before the announced time less the grace', async () => {
    const m = await draft({ startsAt: inDays(11) })
    await post('committee', `/meetings/${m.id}/announce`)
    for (const path of [`/meetings/${m.id}/start`, `/votes/${m.voteId}/open`]) {
      const res = await post('committee', path)
      expect(res.statusCode, path).toBe(409)
      expect(res.json().code).toBe('TOO_EARLY')
    }
    await setStart(m.id, 'NOW(3) + INTERVAL 40 MINUTE')
    expect((await post('committee', `/votes/${m.voteId}/open`)).json().code).toBe('TOO_EARLY')
    await setStart(m.id, 'NOW(3) + INTERVAL 20 MINUTE')
    expect((await post('committee', `/votes/${m.voteId}/open`)).statusCode).toBe(200)
    expect((await post('committee', `/meetings/${m.id}/start`)).statusCode).toBe(200)
  })
})

describe('edit, postpone, cancel', () => {
  it('a draft is edited in full: an item kept by its id keeps its topic; one left out sends its topic back', async () => {
    const m = await draft()
    const topic = (
      await post('resident', '/topics', { title: '村口装路灯', description: '晚上太黑，老人出门不方便' })
    ).json()
    expect((await post('committee', `/topics/${topic.id}/accept`, { meetingId: m.id })).statusCode).toBe(200)
    const withTopic = (await as(t, 'committee').get(url(`/meetings/${m.id}`))).json().agenda[1]
    const edit = (agenda: object[]) =>
      as(t, 'committee').put(url(`/meetings/${m.id}`), {
        kind: 'villager_meeting',
        title: '村民会议：修村道、装路灯',
        place: '村委会大院',
        startsAt: inDays(12),
        online: false,
        agenda,
      })
    const kept = await edit([
      { id: withTopic.id, title: '村口装路灯（改）' },
      { id: m.itemId, title: '村道硬化', vote: { question: '同意修村道（改）', secret: true } },
      { title: '新加的一项' },
    ])
    expect(kept.statusCode, kept.body).toBe(200)
    expect(kept.json()).toMatchObject({ title: '村民会议：修村道、装路灯', place: '村委会大院', online: false })
    expect(kept.json().agenda.map((a: { title: string }) => a.title)).toEqual([
      '村口装路灯（改）',
      '村道硬化',
      '新加的一项',
    ])
    expect(kept.json().agenda[1].vote).toMatchObject({ question: '同意修村道（改）', secret: true })
    expect((await as(t, 'committee').get(url(`/topics/${topic.id}`))).json().state).toBe('accepted')
    // Another meeting's item is not this one's.
    const elsewhere = await draft()
    const wrong = await edit([{ id: elsewhere.itemId, title: '别的会的议程' }])
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().details[0].field).toBe('agenda.0.id')
    // The topic's item left out: the topic goes back to the queue.
    expect((await edit([{ id: m.itemId, title: '村道硬化' }])).statusCode).toBe(200)
    expect((await as(t, 'committee').get(url(`/topics/${topic.id}`))).json().state).toBe('open')
    // Announced, it can no longer be edited.
    await post('committee', `/meetings/${m.id}/announce`)
    expect((await edit([{ id: m.itemId, title: '村道硬化' }])).json().code).toBe('MEETING_STATE')
  })

  it('postponed to a later time with a reason: a new notice period, everyone called told, reminders again', async () => {
    const m = await draft({ startsAt: inDays(11) })
    await post('committee', `/meetings/${m.id}/announce`)
    const was = (await meetingRow(m.id)).starts_at
    const earlier = await post('committee', `/meetings/${m.id}/postpone`, { startsAt: inDays(10), reason: '下大雨' })
    expect(earlier.statusCode).toBe(400)
    expect(earlier.json().details[0].field).toBe('startsAt')
    // The new time is more than ten days from this new notice.
    const later = await post('committee', `/meetings/${m.id}/postpone`, { startsAt: inDays(11.5), reason: '下大雨' })
    expect(later.statusCode).toBe(200)
    const again = await post('committee', `/meetings/${m.id}/postpone`, {
      startsAt: new Date(Date.now() + 11.6 * 86400_000).toISOString(),
      reason: '还是下雨',
    })
    expect(again.json()).toMatchObject({ state: 'postponed', changeReason: '还是下雨' })
    expect(new Date(again.json().postponedFrom).getTime()).toBeGreaterThan(new Date(was).getTime())
    const told = await noticesOf(v.resident.userId, '会议延期')
    expect(told.length).toBeGreaterThanOrEqual(2)
    expect(told.at(-1)?.body).toContain('还是下雨')
    // A postponement to 5 days from now is short of the ten days unless 紧急.
    const m2 = await draft({ ...calledSoon(), urgentReason: '急事' })
    await post('committee', `/meetings/${m2.id}/announce`)
    const short5 = await post('committee', `/meetings/${m2.id}/postpone`, { startsAt: inDays(5), reason: '人不齐' })
    expect(short5.json()).toMatchObject({ code: 'NOTICE_TOO_SHORT' })
    const urgent5 = await post('committee', `/meetings/${m2.id}/postpone`, {
      startsAt: inDays(5),
      reason: '人不齐',
      urgentReason: '赶在雨季前',
    })
    expect(urgent5.json()).toMatchObject({ state: 'postponed', urgentReason: '赶在雨季前' })
  })

  it('once a vote is open, the meeting can be neither postponed nor cancelled', async () => {
    const m = await draft({ ...calledSoon(), urgentReason: '急事' })
    await post('committee', `/meetings/${m.id}/announce`)
    expect((await post('committee', `/votes/${m.voteId}/open`)).statusCode).toBe(200)
    const postpone = await post('committee', `/meetings/${m.id}/postpone`, { startsAt: inDays(20), reason: '改期' })
    const cancel = await post('committee', `/meetings/${m.id}/cancel`, { reason: '不开了' })
    for (const res of [postpone, cancel]) {
      expect(res.statusCode).toBe(409)
      expect(res.json().message).toContain('已经开始表决')
    }
  })

  it('postponing while the vote is being opened: one of the two wins, never both', async () => {
    for (let round = 0; round < 5; round++) {
      const m = await draft({ ...calledSoon(), urgentReason: '急事' })
      await post('committee', `/meetings/${m.id}/announce`)
      const [postponed, opened] = await Promise.all([
        post('committee', `/meetings/${m.id}/postpone`, { startsAt: inDays(1), reason: '改期', urgentReason: '急事' }),
        post('committee', `/votes/${m.voteId}/open`),
      ])
      expect([postponed.statusCode, opened.statusCode].sort()).toEqual([200, 409])
      const state = (await meetingRow(m.id)).state
      const vote = (await t.rows<{ id: number; state: string }>('votes')).find((x) => x.id === m.voteId)!
      if (postponed.statusCode === 200) expect([state, vote.state]).toEqual(['postponed', 'draft'])
      else expect([state, vote.state]).toEqual(['announced', 'open'])
    }
  })

  it('cancelled with a reason: everyone called told, its topics back in the queue, nothing more can happen', async () => {
    const m = await draft()
    const topic = (await post('resident', '/topics', { title: '修水渠', description: '水渠漏水，地里浇不上水' })).json()
    await post('committee', `/topics/${topic.id}/accept`, { meetingId: m.id })
    await post('committee', `/meetings/${m.id}/announce`)
    expect((await post('committee', `/meetings/${m.id}/cancel`, { reason: '' })).statusCode).toBe(400)
    expect((await post('resident', `/meetings/${m.id}/cancel`, { reason: '不想开' })).statusCode).toBe(403)
    const cancelled = await post('committee', `/meetings/${m.id}/cancel`, { reason: '水渠已经修好了' })
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', changeReason: '水渠已经修好了' })
    expect((await as(t, 'committee').get(url(`/topics/${topic.id}`))).json().state).toBe('open')
    expect((await noticesOf(v.resident.userId, '会议取消')).at(-1)?.body).toContain('水渠已经修好了')
    for (const path of [`/meetings/${m.id}/start`, `/votes/${m.voteId}/open`, `/meetings/${m.id}/cancel`]) {
      expect((await post('committee', path, { reason: '再取消' })).statusCode, path).toBe(409)
    }
  })
})

describe('reminders', () => {
  it('the day before and an hour before, once each, to those called; a postponement reminds again', async () => {
    const m = await draft({ ...calledSoon(), urgentReason: '急事', title: '冬季防火会' })
    await post('committee', `/meetings/${m.id}/announce`)
    const count = async () => (await noticesOf(v.resident.userId, '开会提醒：冬季防火会')).length
    const before = await count()
    // Ten minutes away: both reminders are due; they go once however often the scheduler runs.
    await Promise.all([remindMeetings(t.database.db), remindMeetings(t.database.db)])
    await remindMeetings(t.database.db)
    expect((await count()) - before).toBe(2)
    await post('committee', `/meetings/${m.id}/postpone`, {
      startsAt: inDays(0.5),
      reason: '改期',
      urgentReason: '急事',
    })
    await remindMeetings(t.database.db)
    expect((await count()) - before).toBe(3) // the day-before one for the new time; the hour one is not due yet
  })
})
