import dayjs from 'dayjs'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, everyGetUrl, PHONE_NUMBER, startTestContext, type TestContext } from '../../testing/harness.js'
import { pdfText } from '../../testing/pdf.js'
import { calledSoon } from '../../testing/factories.js'

/** Every cell of every sheet of an XLSX file, as one text. */
async function workbookText(bytes: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  const cells: string[] = []
  for (const sheet of workbook.worksheets)
    sheet.eachRow((row) => (row.values as ExcelJS.CellValue[]).forEach((c) => c != null && cells.push(String(c))))
  return cells.join('\n')
}

/**
 * The privacy oracle. A village at work: 张秀兰 files a named report, proposes a topic, comments, votes
 * and rates her report; 赵小明 files an anonymous report that is resolved and earns him points, and does
 * nothing else anyone could see. Then every GET route the API documents (and the PDFs, the notifications
 * and the export among them) is read by a stranger, a resident of another village, a *different*
 * resident (who backed both reports, so the reports' news reaches them) and the author herself. No
 * response may show another villager's full name (only the officials who act for the village are named),
 * a phone number, an openid or a household's address; and the anonymous reporter is nowhere, masked or
 * not, nor his household. A route the walk does not know how to call fails it, so a new route is walked
 * too. (The development sign-in door, which lists the demo people by design, is not walked: a production
 * server has no /api/dev routes, app.test.ts checks.)
 */
let t: TestContext
let zhangjia: number
const PHONE = '13912345678'
const ANONYMOUS_PHONE = '13787654321'

beforeAll(async () => {
  t = await startTestContext({ env: { REPORT_LIMIT_PER_MINUTE: '1000' } })
  zhangjia = await t.villageId('zhangjia')
})
afterAll(() => t?.close())

const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, token?: string, payload?: object) =>
  t.app.inject({ method, url, headers: token ? auth(token) : {}, payload })
async function ok(method: 'POST' | 'PATCH' | 'PUT', path: string, token: string, payload: object = {}) {
  const res = await call(method, path.startsWith('/api/') ? path : `/api/villages/${zhangjia}${path}`, token, payload)
  expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300)
  return res.json()
}

describe('what others see', () => {
  it('no view shows another villager unmasked, a phone, an openid or an address; the anonymous reporter and his household are nowhere', async () => {
    const [committee, author, anonymous, outsider] = (await Promise.all(
      ['demo-zhangjia-committee', 'demo-zhangjia-resident', 'demo-zhangjia-volunteer', 'demo-heping-resident'].map(
        (o) => t.login(o),
      ),
    )) as [string, string, string, string]
    const persons = await t.rows<{
      id: number
      name: string
      village_id: number
      household_id: number
      birth_date: Date | string
    }>('persons')
    const households = await t.rows<{ id: number; number: string; address: string; village_id: number }>('households')
    const users = await t.rows<{ openid: string }>('users')
    const personOf = async (token: string) => {
      const personId = (await call('GET', '/api/me', token)).json().memberships[0].personId
      return persons.find((p) => p.id === personId)!
    }
    const householdOf = (p: { household_id: number }) => households.find((h) => h.id === p.household_id)!
    const [self, hidden, outsiderPerson] = await Promise.all([
      personOf(author),
      personOf(anonymous),
      personOf(outsider),
    ])
    const officials = ['王建国', '李梅', '周涛', '陈静'] // committee, grid worker, town admin: they act for the village by name

    // A different resident: a villager on the roster who joins with the app now and is verified as that person.
    const neighbour = persons.find((p) => p.village_id === zhangjia && p.name === '孙福来')!
    const readerPerson = persons.find(
      (p) =>
        p.village_id === zhangjia &&
        ![self.id, hidden.id, neighbour.id].includes(p.id) &&
        !officials.includes(p.name) &&
        householdOf(p).number.startsWith('ZJ-0') &&
        Number(householdOf(p).number.slice(3)) >= 10,
    )!
    const readerOpenid = 'walk-other-resident'
    const reader = await t.login(readerOpenid)
    const application = await ok('POST', '/applications', reader, {
      realName: readerPerson.name,
      householdAddress: householdOf(readerPerson).address,
      birthYear: dayjs(readerPerson.birth_date).year(),
    })
    await ok('POST', `/applications/${application.id}/verify`, committee, { personId: readerPerson.id })

    // The village at work. 张秀兰's named report, resolved and rated by her; 赵小明's anonymous one, resolved and rated: his points.
    const shown = await ok('POST', '/reports', author, {
      category: '环境卫生',
      description: '村口垃圾堆了三天没人清',
      idempotencyKey: 'walk-report-1',
      location: { latitude: 39.9, longitude: 116.4, address: '村口' },
    })
    const secret = await ok('POST', '/reports', anonymous, {
      category: '设施损坏',
      description: '路灯坏了好几天',
      anonymous: true,
      public: true,
      idempotencyKey: 'walk-report-2',
    })
    for (const r of [shown, secret]) {
      await ok('POST', `/reports/${r.id}/support`, reader)
      await ok('POST', `/reports/${r.id}/accept`, committee, { note: '马上派人' })
      await ok('POST', `/reports/${r.id}/start`, committee)
      await ok('POST', `/reports/${r.id}/resolve`, committee, { note: '已经处理好了' })
    }
    await ok('POST', `/reports/${shown.id}/rate`, author, { rating: 'satisfied', comment: '很快' })
    await ok('POST', `/reports/${secret.id}/rate`, anonymous, { rating: 'satisfied' })
    await ok('PATCH', `/roster/people/${hidden.id}`, committee, { phone: ANONYMOUS_PHONE })
    // Points by hand for the author and a neighbour; the author would like her full name on the rankings (and only there).
    await ok('POST', '/points/rules', committee, { code: 'walk', name: '打扫卫生', kind: 'earn', points: 5 })
    for (const [i, p] of [self, neighbour].entries())
      await ok('POST', '/points/awards', committee, {
        personId: p.id,
        ruleCode: 'walk',
        reason: '打扫村口',
        idempotencyKey: `walk-award-${i}`,
      })
    await ok('PUT', '/points/name-visibility', author, { showFullName: true })
    // A topic, a meeting with a comment and a closed open vote.
    const topic = await ok('POST', '/topics', author, {
      title: '村里装路灯',
      description: '晚上太黑了，老人出门不方便',
    })
    await ok('POST', `/topics/${topic.id}/support`, reader)
    const meeting = await ok('POST', '/meetings', committee, {
      kind: 'villager_meeting',
      title: '路灯安装议事',
      place: '村委会',
      ...calledSoon(),
      online: true,
      agenda: [{ title: '装路灯', vote: { question: '同意装路灯', secret: false } }],
    })
    await ok('POST', `/meetings/${meeting.id}/announce`, committee)
    const vote = meeting.agenda[0].vote
    await ok('POST', `/meetings/${meeting.id}/agenda/${meeting.agenda[0].id}/comments`, author, {
      body: '装在村口和小学门口',
    })
    await ok('POST', `/votes/${vote.id}/open`, committee)
    await ok('POST', `/votes/${vote.id}/ballots`, author, { choices: [vote.options[0].id] })
    // The venue's count, 张秀兰 counting and the grid worker checking it (tellers are named to other villagers masked).
    await ok('POST', `/meetings/${meeting.id}/attendance`, committee, { personId: neighbour.id })
    const memberships = await t.rows<{ id: number; person_id: number | null; real_name: string }>('memberships')
    const counter = memberships.find((m) => m.person_id === self.id)!.id
    const scrutineer = memberships.find((m) => m.real_name === '李梅')!.id
    const tally = await ok('POST', `/votes/${vote.id}/offline`, committee, {
      counts: [{ optionId: vote.options[0].id, count: 1 }],
      counterMembershipId: counter,
      scrutineerMembershipId: scrutineer,
    })
    for (const teller of [author, await t.login('demo-zhangjia-grid')])
      await ok('POST', `/votes/${vote.id}/offline/${tally.id}/confirm`, teller)
    // The meeting's time comes (its comments were made before it): the vote may now close.
    await t.database.pool.query('UPDATE meetings SET starts_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [meeting.id])
    await ok('POST', `/votes/${vote.id}/close`, committee)
    for (const step of ['start', 'close']) await ok('POST', `/meetings/${meeting.id}/${step}`, committee)
    await ok('PATCH', `/roster/people/${neighbour.id}`, committee, { phone: PHONE })
    const townId = (await t.rows<{ id: number }>('towns'))[0]!.id

    // How to call each route: its path parameters, and the queries that show more than the default.
    const reportIds = [shown.id, secret.id]
    const params: Record<string, (string | number)[]> = {
      villageId: [zhangjia],
      townId: [townId],
      personId: [neighbour.id, hidden.id],
      householdId: [neighbour.household_id, hidden.household_id],
      reportId: reportIds,
      id: reportIds,
      meetingId: [meeting.id],
      voteId: [vote.id],
      topicId: [topic.id],
      matterId: [1],
      activityId: [1],
      code: ['AAAA-BBBB-CCCC'],
      format: ['json', 'xml'],
      token: ['none'],
      name: [],
    }
    const thisMonth = dayjs().format('YYYY-MM')
    const queries: Record<string, string[]> = {
      '/api/villages/{villageId}/points/notice': [`month=${thisMonth}`],
      '/api/villages/{villageId}/points/notice.pdf': [`month=${thisMonth}`],
      '/api/villages/{villageId}/points/rankings': ['period=all', 'by=household', 'period=all&by=household'],
      '/api/villages/{villageId}/topics': ['state=open'],
    }
    const urls = everyGetUrl(t.app, params, { queries })
    expect(urls.length).toBeGreaterThan(60)

    const villagers = persons.filter((p) => p.village_id === zhangjia && !officials.includes(p.name)).map((p) => p.name)
    const addresses = households.map((h) => h.address)
    const openids = users.map((u) => u.openid).concat(readerOpenid)
    const anonymousTraces = [
      hidden.name,
      `${[...hidden.name][0]}*${[...hidden.name].at(-1)}`,
      householdOf(hidden).number,
      householdOf(hidden).address,
      ANONYMOUS_PHONE,
    ]
    const callers: [string, string | undefined, string[]][] = [
      ['a stranger', undefined, [...villagers, ...addresses]],
      [
        'a resident of another village',
        outsider,
        [...villagers, ...addresses.filter((a) => a !== householdOf(outsiderPerson).address)],
      ],
      [
        'another resident',
        reader,
        [
          ...villagers.filter((n) => n !== readerPerson.name),
          ...addresses.filter((a) => a !== householdOf(readerPerson).address),
        ],
      ],
      [
        'the author',
        author,
        [...villagers.filter((n) => n !== self.name), ...addresses.filter((a) => a !== householdOf(self).address)],
      ],
    ]
    const leaks: string[] = []
    const answered = new Map<string, string>()
    for (const [who, token, names] of callers) {
      for (const url of urls) {
        const res = await call('GET', url, token)
        const type = String(res.headers['content-type'] ?? '')
        if (type.startsWith('image/') || (type.includes('spreadsheet') && url.includes('/roster/'))) {
          // Photos and the committee's roster files: the files are the committee's and must be refused to others.
          if (url.includes('/roster/')) expect(res.statusCode, `${who}: ${url}`).toBeGreaterThanOrEqual(400)
          continue
        }
        const text = type.includes('pdf')
          ? (await pdfText(res.rawPayload)).pages.join('')
          : type.includes('spreadsheet')
            ? await workbookText(res.rawPayload)
            : res.body
        if (res.statusCode < 300) answered.set(`${who} ${url}`, text)
        // A member's opt-in to a full name holds on the rankings, and nowhere else.
        const allowed = url.includes('/points/rankings') ? [self.name] : []
        for (const n of names)
          if (text.includes(n) && !allowed.includes(n))
            leaks.push(`${who} · ${url} (${res.statusCode}): name or address ${n}`)
        for (const o of openids) if (text.includes(o)) leaks.push(`${who} · ${url} (${res.statusCode}): openid ${o}`)
        if (PHONE_NUMBER.test(text)) leaks.push(`${who} · ${url} (${res.statusCode}): a phone number`)
        // The anonymous reporter, masked or not (赵*明), his household, his address, his phone.
        for (const a of anonymousTraces)
          if (text.includes(a)) leaks.push(`${who} · ${url} (${res.statusCode}): the anonymous reporter (${a})`)
      }
    }
    expect(leaks).toEqual([])

    // The walk saw real pages: the feed, both reports, rankings, the notices, comments, topics, the results, the inbox, Open311, the export.
    const v = `/api/villages/${zhangjia}`
    for (const page of [
      `${v}/reports`,
      `${v}/reports/${shown.id}`,
      `${v}/reports/${secret.id}`,
      `${v}/points/rankings?period=all`,
      `${v}/points/notice?month=${thisMonth}`,
      `${v}/points/notice.pdf?month=${thisMonth}`,
      `${v}/meetings/${meeting.id}/comments`,
      `${v}/topics/${topic.id}`,
      `${v}/votes/${vote.id}/result`,
      '/api/notifications',
      '/api/me/export',
      '/api/me/export.xlsx',
    ]) {
      expect([...answered.keys()], page).toContain(`another resident ${page}`)
    }
    for (const page of [
      `/api/public/villages/${zhangjia}/meetings/${meeting.id}/results`,
      '/open311/v2/requests.json?jurisdiction_id=zhangjia',
      `/open311/v2/requests/${shown.id}.json?jurisdiction_id=zhangjia`,
      '/api/privacy',
    ]) {
      expect([...answered.keys()], page).toContain(`a stranger ${page}`)
    }
    // What the other resident sees instead: 张秀兰 masked where she is named, her opt-in honoured on the rankings only.
    const seen = (page: string) => JSON.parse(answered.get(`another resident ${v}${page}`)!)
    expect(seen(`/reports/${shown.id}`).reporterName).toBe('张*兰')
    expect(seen(`/reports/${shown.id}`).events.find((e: { action: string }) => e.action === 'rate').actorName).toBe(
      '张*兰',
    )
    expect(seen(`/reports/${secret.id}`).reporterName).toBeNull()
    expect(seen(`/topics/${topic.id}`).proposerName).toBe('张*兰')
    expect(seen(`/meetings/${meeting.id}/comments`)[0].author).toBe('张*兰')
    expect(seen(`/meetings/${meeting.id}`).agenda[0].vote.offline.counter.name).toBe('张*兰')
    expect(seen(`/points/rankings?period=all`).rows.map((r: { name: string }) => r.name)).toContain('张秀兰')
    const notice = seen(`/points/notice?month=${thisMonth}`)
    expect(notice.rows.map((r: { name: string }) => r.name)).toContain('张*兰')
    // The anonymous award is counted apart, as penalties are.
    expect(notice.totals).toMatchObject({ anonymousAwards: 1, anonymousPoints: 2 })
    // The checks above could fail: the handlers still see who reported, the committee sees the phone where it needs it.
    expect((await call('GET', `${v}/reports/${secret.id}`, committee)).json().reporterName).toBe(hidden.name)
    expect((await call('GET', `${v}/reports/${shown.id}`, committee)).json().reporterName).toBe(self.name)
    expect((await call('GET', `${v}/topics/${topic.id}`, committee)).json().proposerName).toBe(self.name)
    expect(
      (await call('GET', `${v}/meetings/${meeting.id}`, committee)).json().agenda[0].vote.offline.counter.name,
    ).toBe(self.name)
    expect((await call('GET', `${v}/roster/people/${neighbour.id}`, committee)).body).toContain(PHONE)
    // And the anonymous reporter has his points: his balance and history show them to him.
    const own = (await call('GET', `${v}/points/me`, anonymous)).json()
    expect(own.balance).toBe(2)
    expect(own.entries[0]).toMatchObject({ ruleCode: 'valid_report', refId: secret.id })
  })
})
