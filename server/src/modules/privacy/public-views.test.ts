import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, PHONE_NUMBER, startTestContext, type TestContext } from '../../testing/harness.js'
import { pdfText } from '../../testing/pdf.js'

/**
 * Walks every GET route the API documents, for a seeded village with reports (one anonymous), points,
 * a closed meeting, a topic, a comment and a roster phone, as a stranger, as a resident of another
 * village and as a resident of the village: no response shows a villager's full name (but the caller's
 * own and the officials' who act for the village), a phone number, an openid or a household's address;
 * and the anonymous reporter is nowhere, masked or not. A route the walk does not know how to call
 * fails it, so a new route is walked too. (The development sign-in door, which lists the demo people by
 * design, is not walked: a production server has no /api/dev routes, app.test.ts checks.)
 */
let t: TestContext
let zhangjia: number
const PHONE = '13912345678'

beforeAll(async () => {
  t = await startTestContext({ env: { REPORT_LIMIT_PER_MINUTE: '1000' } })
  zhangjia = await t.villageId('zhangjia')
})
afterAll(() => t?.close())

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, token?: string, payload?: object) => t.app.inject({ method, url, headers: token ? auth(token) : {}, payload })
async function ok(method: 'POST' | 'PATCH' | 'PUT', path: string, token: string, payload: object = {}) {
  const res = await call(method, `/api/villages/${zhangjia}${path}`, token, payload)
  expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300)
  return res.json()
}

describe('what others see', () => {
  it('no public view shows an unmasked name, a phone, an openid or an address; the anonymous reporter is nowhere', async () => {
    const [committee, resident, volunteer, outsider] = (await Promise.all(['demo-zhangjia-committee', 'demo-zhangjia-resident', 'demo-zhangjia-volunteer', 'demo-heping-resident'].map((o) => t.login(o)))) as [string, string, string, string]
    const persons = await t.rows<{ id: number; name: string; village_id: number; household_id: number }>('persons')
    const households = await t.rows<{ id: number; address: string; village_id: number }>('households')
    const users = await t.rows<{ openid: string }>('users')
    const personOf = async (token: string) => {
      const personId = (await call('GET', '/api/me', token)).json().memberships[0].personId
      return persons.find((p) => p.id === personId)!
    }
    const self = await personOf(resident)
    const addressOf = (p: { household_id: number }) => households.find((h) => h.id === p.household_id)!.address
    const outsiderAddress = addressOf(await personOf(outsider))
    const officials = ['王建国', '李梅', '周涛', '陈静'] // committee, grid worker, town admin: they act for the village by name

    // The village at work: reports (one anonymous), points, a topic, a meeting with a closed vote and a comment, a phone on the roster.
    const shown = await ok('POST', '/reports', resident, { category: '环境卫生', description: '村口垃圾堆了三天没人清', idempotencyKey: 'walk-report-1', location: { latitude: 39.9, longitude: 116.4, address: '村口' } })
    const hidden = await ok('POST', '/reports', volunteer, { category: '设施损坏', description: '路灯坏了好几天', anonymous: true, public: true, idempotencyKey: 'walk-report-2' })
    await ok('POST', `/reports/${shown.id}/accept`, committee, { note: '马上派人' })
    await ok('POST', '/points/rules', committee, { code: 'walk', name: '打扫卫生', kind: 'earn', points: 5 })
    const neighbour = persons.find((p) => p.village_id === zhangjia && p.name === '孙福来')!
    for (const [i, p] of [self, neighbour].entries()) await ok('POST', '/points/awards', committee, { personId: p.id, ruleCode: 'walk', reason: '打扫村口', idempotencyKey: `walk-award-${i}` })
    const topic = await ok('POST', '/topics', resident, { title: '村里装路灯', description: '晚上太黑了，老人出门不方便' })
    const startsAt = new Date(Date.now() + 3 * 24 * 3600_000).toISOString()
    const meeting = await ok('POST', '/meetings', committee, { kind: 'villager_meeting', title: '路灯安装议事', place: '村委会', startsAt, online: true, agenda: [{ title: '装路灯', vote: { question: '同意装路灯', secret: false } }] })
    await ok('POST', `/meetings/${meeting.id}/announce`, committee)
    const vote = meeting.agenda[0].vote
    await ok('POST', `/meetings/${meeting.id}/agenda/${meeting.agenda[0].id}/comments`, resident, { body: '装在村口和小学门口' })
    await ok('POST', `/votes/${vote.id}/open`, committee)
    await ok('POST', `/votes/${vote.id}/ballots`, resident, { choices: [vote.options[0].id] })
    await ok('POST', `/votes/${vote.id}/close`, committee)
    for (const step of ['start', 'close']) await ok('POST', `/meetings/${meeting.id}/${step}`, committee)
    await ok('PATCH', `/roster/people/${neighbour.id}`, committee, { phone: PHONE })
    const townId = (await t.rows<{ id: number }>('towns'))[0]!.id

    // How to call each route: its path parameters.
    const reportIds = [shown.id, hidden.id]
    const params: Record<string, (string | number)[]> = {
      villageId: [zhangjia],
      townId: [townId],
      personId: [neighbour.id],
      householdId: [neighbour.household_id],
      reportId: reportIds,
      id: reportIds,
      meetingId: [meeting.id],
      voteId: [vote.id],
      topicId: [topic.id],
      matterId: [1],
      activityId: [1],
      code: ['AAAA-BBBB-CCCC'],
      format: ['json'],
      token: ['none'],
      name: [],
    }
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> }
    const urls: string[] = []
    for (const [path, ops] of Object.entries(doc.paths)) {
      // The development sign-in door lists the demo identities by design; production has no such routes.
      if (!('get' in ops) || path.startsWith('/api/dev/')) continue
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
      const unknown = names.filter((n) => !(n in params))
      expect(unknown, `the walk does not know how to fill ${unknown.join(', ')} in ${path}`).toEqual([])
      let expanded = [path]
      for (const n of names) expanded = expanded.flatMap((u) => params[n]!.map((v) => u.replace(`{${n}}`, String(v))))
      // Open311 names the village by its code in the query.
      urls.push(...expanded.map((u) => (u.startsWith('/open311/') ? `${u}?jurisdiction_id=zhangjia` : u)))
    }
    expect(urls.length).toBeGreaterThan(60)

    const villagers = persons.filter((p) => p.village_id === zhangjia && !officials.includes(p.name)).map((p) => p.name)
    const addresses = households.map((h) => h.address)
    const openids = users.map((u) => u.openid)
    const callers: [string, string | undefined, string[]][] = [
      ['a stranger', undefined, [...villagers, ...addresses]],
      ['a resident of another village', outsider, [...villagers, ...addresses.filter((a) => a !== outsiderAddress)]],
      ['a resident', resident, [...villagers.filter((n) => n !== self.name), ...addresses.filter((a) => a !== addressOf(self))]],
    ]
    const leaks: string[] = []
    const answered = new Set<string>()
    for (const [who, token, names] of callers) {
      for (const url of urls) {
        const res = await call('GET', url, token)
        const type = String(res.headers['content-type'] ?? '')
        if (type.startsWith('image/') || type.includes('spreadsheet')) {
          // Photos and the committee's roster files: the files are the committee's and must be refused to others.
          if (url.includes('/roster/')) expect(res.statusCode, `${who}: ${url}`).toBeGreaterThanOrEqual(400)
          continue
        }
        if (res.statusCode < 300) answered.add(`${who} ${url}`)
        const text = type.includes('pdf') ? (await pdfText(res.rawPayload)).pages.join('') : res.body
        for (const n of names) if (text.includes(n)) leaks.push(`${who} · ${url} (${res.statusCode}): name or address ${n}`)
        for (const o of openids) if (text.includes(o)) leaks.push(`${who} · ${url} (${res.statusCode}): openid ${o}`)
        if (PHONE_NUMBER.test(text)) leaks.push(`${who} · ${url} (${res.statusCode}): a phone number`)
        // The anonymous reporter, masked or not (赵*明).
        if (text.includes('赵小明') || text.includes('赵*明')) leaks.push(`${who} · ${url} (${res.statusCode}): the anonymous reporter`)
      }
    }
    expect(leaks).toEqual([])
    // The walk saw real pages: the feed, both reports, rankings, the notice, comments, topics, the results, Open311, the export.
    const v = `/api/villages/${zhangjia}`
    for (const page of [`${v}/reports`, `${v}/reports/${shown.id}`, `${v}/reports/${hidden.id}`, `${v}/points/rankings`, `${v}/points/notice`, `${v}/meetings/${meeting.id}/comments`, `${v}/topics/${topic.id}`, `${v}/votes/${vote.id}/result`, '/api/me/export']) {
      expect(answered, page).toContain(`a resident ${page}`)
    }
    for (const page of [`/api/public/villages/${zhangjia}/meetings/${meeting.id}/results`, '/open311/v2/requests.json?jurisdiction_id=zhangjia', `/open311/v2/requests/${shown.id}.json?jurisdiction_id=zhangjia`, '/api/privacy']) expect(answered, page).toContain(`a stranger ${page}`)
    // The committee does see the phone where it needs it (the roster), so the check above could fail.
    expect((await call('GET', `/api/villages/${zhangjia}/roster/people/${neighbour.id}`, committee)).body).toContain(PHONE)
  })
})
