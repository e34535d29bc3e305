import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayInChina } from '../../core/time.js'
import { as, makeMeeting, startWithVillages, type Caller, type Village } from '../../testing/factories.js'
import { type TestContext } from '../../testing/harness.js'

let t: TestContext
let v: Village
let other: Village

// Enough adults that a tenth of them is more than the few members who back a topic here.
beforeAll(async () => ([t, v, other] = await startWithVillages([{ households: 20 }, {}])))
afterAll(() => t.close())

const url = (path = '') => `/api/villages/${v.id}/topics${path}`
const call = (method: 'GET' | 'POST', path: string, caller: Caller, payload?: object) =>
  method === 'GET' ? as(t, caller).get(url(path)) : as(t, caller).post(url(path), payload)
const propose = async (caller: Caller, body: object = {}) => {
  const res = await call('POST', '', caller, {
    title: '村口路灯太少',
    description: '晚上从地里回来看不清路，想请村里在村口加两盏灯。',
    ...body,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('topics (说事)', () => {
  it('a member proposes; bad input and risky text are refused field by field, nothing written', async () => {
    const before = await t.rows('topics')
    for (const [body, code, field] of [
      [{ title: '' }, 'VALIDATION_FAILED', 'title'],
      [{ description: '有人在村口赌博，想议一议怎么管' }, 'CONTENT_REJECTED', 'description'],
      [{ photos: ['a'.repeat(64)] }, 'PHOTO_NOT_FOUND', 'photos'],
    ] as const) {
      const res = await call('POST', '', 'resident', { ...{ title: '议题', description: '具体的说明' }, ...body })
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json()).toMatchObject({ code, details: [{ field }] })
    }
    expect(await t.rows('topics')).toEqual(before)
    const topic = await propose('resident')
    expect(topic).toMatchObject({
      state: 'open',
      supporters: 1,
      supportedByMe: true,
      mine: true,
      proposerName: v.resident.name,
      held: false,
      mustBeHeard: false,
    })
    expect((await call('GET', `/${topic.id}`, other.resident)).statusCode).toBe(403)
  })

  it('附议 once each, even sent at once; a tenth of the adults makes it one that must be heard', async () => {
    const topic = await propose('resident', { title: '修村东小桥' })
    const [[{ adults }]] = (await t.database.pool.query(
      "SELECT COUNT(*) AS adults FROM persons WHERE village_id = ? AND status = 'resident' AND DATE_ADD(birth_date, INTERVAL 18 YEAR) <= ?",
      [v.id, todayInChina()],
    )) as unknown as [[{ adults: number }]]
    expect(topic.threshold).toBe(Math.ceil(Number(adults) / 10))

    const own = await call('POST', `/${topic.id}/support`, 'resident')
    expect(own.statusCode).toBe(409)
    expect(own.json().code).toBe('ALREADY_SUPPORTED')
    const twice = await Promise.all([
      call('POST', `/${topic.id}/support`, 'volunteer'),
      call('POST', `/${topic.id}/support`, 'volunteer'),
    ])
    expect(twice.map((r) => r.statusCode).sort()).toEqual([200, 409])
    const after = (await call('POST', `/${topic.id}/support`, 'grid')).json()
    expect(after).toMatchObject({ supporters: 3, supportedByMe: true })
    expect((await t.rows<{ topic_id: number }>('topic_supports')).filter((s) => s.topic_id === topic.id)).toHaveLength(
      3,
    )

    // Enough backing (set up directly for the rest of the tenth): the committee's list marks it.
    await t.database.pool.query('UPDATE topics SET supporters = ? WHERE id = ?', [topic.threshold, topic.id])
    const listed = (await call('GET', '?state=open', 'committee')).json()
    expect(listed[0]).toMatchObject({ id: topic.id, mustBeHeard: true })
  })

  it('the committee puts a topic on a draft meeting’s agenda, once; declines another with a reason; merges a third', async () => {
    const topic = await propose('resident', { title: '垃圾清运改成每天一次' })
    const meeting = await makeMeeting(t, v, { body: { title: '十二月村民会议', agenda: [{ title: '年终分红' }] } })

    expect((await call('POST', `/${topic.id}/accept`, 'resident', { meetingId: meeting.id })).statusCode).toBe(403)
    const accepted = await call('POST', `/${topic.id}/accept`, 'committee', { meetingId: meeting.id })
    expect(accepted.statusCode, accepted.body).toBe(200)
    expect(accepted.json()).toMatchObject({ state: 'accepted', meetingId: meeting.id })
    const agenda = (await as(t, 'committee').get(`/api/villages/${v.id}/meetings/${meeting.id}`)).json().agenda
    expect(agenda.map((i: { position: number; title: string }) => [i.position, i.title])).toEqual([
      [1, '年终分红'],
      [2, '垃圾清运改成每天一次'],
    ])
    expect((await call('POST', `/${topic.id}/decline`, 'committee', { reason: '已经处理' })).json().code).toBe(
      'TOPIC_CLOSED',
    )
    expect((await call('POST', `/${topic.id}/support`, 'volunteer')).json().code).toBe('TOPIC_CLOSED')

    // An announced meeting's agenda is fixed.
    expect((await as(t, 'committee').post(`/api/villages/${v.id}/meetings/${meeting.id}/announce`)).statusCode).toBe(
      200,
    )
    const late = await propose('volunteer', { title: '给老人装扶手' })
    expect((await call('POST', `/${late.id}/accept`, 'committee', { meetingId: meeting.id })).json().code).toBe(
      'MEETING_STATE',
    )

    const noReason = await call('POST', `/${late.id}/decline`, 'committee', { reason: '' })
    expect(noReason.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'reason' }] })
    const declined = (await call('POST', `/${late.id}/decline`, 'committee', { reason: '镇里明年统一安装' })).json()
    expect(declined).toMatchObject({ state: 'declined', declineReason: '镇里明年统一安装' })
    expect((await call('GET', `/${late.id}`, 'volunteer')).json()).toMatchObject({
      state: 'declined',
      declineReason: '镇里明年统一安装',
      mine: true,
    })
    // The proposer is told, with the topic's page.
    const told = (await as(t, 'volunteer').get('/api/notifications')).json().items[0]
    expect(told).toMatchObject({
      title: '您提的“给老人装扶手”',
      body: '不予采纳：镇里明年统一安装',
      page: `packages/meetings/topic/index?villageId=${v.id}&topicId=${late.id}`,
    })

    const a = await propose('grid', { title: '村东路灯' })
    const b = await propose('volunteer', { title: '村东路灯又坏了' })
    expect((await call('POST', `/${b.id}/merge`, 'committee', { intoTopicId: b.id })).json().details[0].field).toBe(
      'intoTopicId',
    )
    expect((await call('POST', `/${b.id}/merge`, 'committee', { intoTopicId: a.id })).json()).toMatchObject({
      state: 'merged',
      mergedIntoId: a.id,
    })
  })
})
