import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, everyGetUrl, startTestContext, type TestContext } from '../../testing/harness.js'
import { pdfText } from '../../testing/pdf.js'
import { payQueuedAwards } from '../points/index.js'
import { calledNow } from '../../testing/factories.js'

/**
 * No one sees how a vote is going until it closes. A vote is opened with 66 voters on its roll; then 10
 * vote online (7 同意, 3 反对) and the committee enters the venue's counts (41 / 13 / 2) with two tellers.
 * Every GET route the API documents is called before and after, as a stranger, a resident of another
 * village, a resident, the town admin, a committee member who neither entered the counts nor counts
 * them, the committee member who entered them and each teller: every answer (PDFs read as text) is the
 * same before and after — the only change allowed is the venue's counts, shown to the one who entered
 * them and to the two tellers. A new route is walked too (a path parameter the walk cannot fill fails it).
 * Once the vote closes, everyone sees the result.
 */
let t: TestContext
let zhangjia: number
const ONLINE = { agree: 7, oppose: 3 }
const VENUE = { agree: 41, oppose: 13, abstain: 2 }
const VENUE_VOTERS = VENUE.agree + VENUE.oppose + VENUE.abstain

beforeAll(async () => {
  t = await startTestContext({ env: { RATE_LIMIT_PER_MINUTE: '100000' } })
  zhangjia = await t.villageId('zhangjia')
})
afterAll(() => t?.close())

const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: object) =>
  t.app.inject({ method, url, headers: token ? auth(token) : {}, payload })
async function ok(path: string, token: string, payload: object = {}) {
  const res = await call('POST', `/api/villages/${zhangjia}${path}`, token, payload)
  expect(res.statusCode, `POST ${path}: ${res.body}`).toBeLessThan(300)
  return res.json()
}

/** People for the vote, set up directly (joining is tested elsewhere): online voters with the app, venue voters without, a second committee member. */
async function villagers(): Promise<{ online: string[]; venue: number[]; secondCommittee: string }> {
  const pool = t.database.pool
  const people = 10 + VENUE_VOTERS + 1
  await pool.query(
    `INSERT INTO households (village_id, number, address) SELECT ?, CONCAT('HR-', seq), CONCAT('表决路 ', seq, ' 号') FROM seq_1_to_${people}`,
    [zhangjia],
  )
  await pool.query(
    `INSERT INTO persons (village_id, household_id, name, gender, birth_date, relation)
     SELECT ?, h.id, CONCAT('表决人', h.number), 'female', '1980-01-01', '户主' FROM households h WHERE h.village_id = ? AND h.number LIKE 'HR-%'`,
    [zhangjia, zhangjia],
  )
  const withApp = [...Array.from({ length: 10 }, (_, i) => `hr-voter-${i + 1}`), 'hr-committee']
  const numberOf = (openid: string) => (openid === 'hr-committee' ? people : Number(openid.slice('hr-voter-'.length)))
  for (const openid of withApp) {
    await pool.query('INSERT INTO users (openid) VALUES (?)', [openid])
    await pool.query(
      `INSERT INTO memberships (user_id, village_id, real_name, household_address, person_id, birth_year, status, decided_at)
       SELECT u.id, ?, p.name, '表决路', p.id, 1980, 'verified', NOW(3) FROM users u JOIN persons p ON p.village_id = ? AND p.name = ? WHERE u.openid = ?`,
      [zhangjia, zhangjia, `表决人HR-${numberOf(openid)}`, openid],
    )
    const role = openid === 'hr-committee' ? 'committee' : 'resident'
    await pool.query(
      'INSERT INTO membership_roles (membership_id, role) SELECT m.id, ? FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.openid = ?',
      [role, openid],
    )
  }
  const venueNames = Array.from({ length: VENUE_VOTERS }, (_, i) => `表决人HR-${11 + i}`)
  const [venue] = (await pool.query('SELECT id FROM persons WHERE village_id = ? AND name IN (?)', [
    zhangjia,
    venueNames,
  ])) as unknown as [{ id: number }[]]
  return {
    online: await Promise.all(withApp.slice(0, 10).map((o) => t.login(o))),
    venue: venue.map((p) => p.id),
    secondCommittee: await t.login('hr-committee'),
  }
}

/** What a caller is answered on every route: status and body (a PDF as its text; photos and spreadsheets hold no vote). */
async function walk(urls: string[], token: string | undefined): Promise<Map<string, string>> {
  const seen = new Map<string, string>()
  for (const url of urls) {
    const res = await call('GET', url, token)
    const type = String(res.headers['content-type'] ?? '')
    if (type.startsWith('image/') || type.includes('spreadsheet')) continue
    const body = type.includes('pdf') ? (await pdfText(res.rawPayload)).pages.join('\n') : res.body
    // The export is stamped with the time it was made.
    seen.set(url, `${res.statusCode} ${body.replace(/"exportedAt": ?"[^"]*"/, '"exportedAt": "…"')}`)
  }
  return seen
}

describe('results stay hidden until the close', () => {
  it('no route shows an open vote’s ballots or turnout to anyone, and the venue counts only to who entered them and the two tellers', async () => {
    const { online, venue, secondCommittee } = await villagers()
    const [committee, resident, outsider, townAdmin, counter, scrutineer] = (await Promise.all(
      [
        'demo-zhangjia-committee',
        'demo-zhangjia-resident',
        'demo-heping-resident',
        'demo-town-admin',
        'demo-zhangjia-grid',
        'demo-zhangjia-volunteer',
      ].map((o) => t.login(o)),
    )) as [string, string, string, string, string, string]

    const meeting = await ok('/meetings', committee, {
      kind: 'villager_meeting',
      title: '集体林地流转',
      place: '村委会大院',
      ...calledNow(),
      online: true,
      agenda: [{ title: '林地流转', vote: { question: '同意把后山林地流转给合作社', secret: true } }],
    })
    await ok(`/meetings/${meeting.id}/announce`, committee)
    const vote = meeting.agenda[0].vote as { id: number; options: { id: number; label: string }[] }
    const [agree, oppose, abstain] = vote.options.map((o) => o.id) as [number, number, number]
    // The venue voters sign in at the meeting before the vote opens: 实到 is the meeting's, not the vote's.
    for (const personId of venue) await ok(`/meetings/${meeting.id}/attendance`, committee, { personId })
    await ok(`/votes/${vote.id}/open`, committee)

    const topics = await call('GET', `/api/villages/${zhangjia}/topics`, resident)
    const persons = await t.rows<{ id: number; household_id: number; village_id: number }>('persons')
    const someone = persons.find((p) => p.id === venue[0])!
    const params: Record<string, (string | number)[]> = {
      villageId: [zhangjia],
      townId: [(await t.rows<{ id: number }>('towns'))[0]!.id],
      personId: [someone.id],
      householdId: [someone.household_id],
      reportId: [1],
      id: [1],
      meetingId: [meeting.id],
      voteId: [vote.id],
      topicId: [topics.json()[0]?.id ?? 1],
      matterId: [1],
      petitionId: [1],
      activityId: [1],
      code: ['AAAA-BBBB-CCCC'],
      format: ['json'],
      token: ['none'],
      name: [],
    }
    const urls = everyGetUrl(t.app, params)
    const v = `/api/villages/${zhangjia}`
    const meetingUrl = `${v}/meetings/${meeting.id}`
    for (const page of [
      meetingUrl,
      `${v}/meetings`,
      `${v}/votes/${vote.id}/result`,
      `${v}/votes/${vote.id}/receipts`,
      `${meetingUrl}/notice.pdf`,
      `/api/public/villages/${zhangjia}/meetings/${meeting.id}/results`,
      `${v}/points/rankings`,
      '/api/me/export',
    ]) {
      expect(urls, page).toContain(page)
    }
    expect(urls, 'the inbox is walked').toContain('/api/notifications')

    const callers: [string, string | undefined][] = [
      ['a stranger', undefined],
      ['a resident of another village', outsider],
      ['a resident', resident],
      ['the town admin', townAdmin],
      ['a committee member who did not enter the venue counts', secondCommittee],
      ['the committee member who enters the venue counts', committee],
      ['the counter', counter],
      ['the scrutineer', scrutineer],
    ]
    const before = new Map<string, Map<string, string>>()
    for (const [who, token] of callers) before.set(who, await walk(urls, token))
    // The walk reads real pages: the meeting, rankings and a venue voter's account are answered.
    for (const who of ['a resident', 'a committee member who did not enter the venue counts']) {
      for (const page of [meetingUrl, `${v}/points/rankings`, '/api/notifications'])
        expect(before.get(who)!.get(page), `${who} ${page}`).toMatch(/^200 /)
    }
    expect(
      before.get('a committee member who did not enter the venue counts')!.get(`${v}/points/accounts/${someone.id}`),
    ).toMatch(/^200 /)

    // The vote goes on: ballots in the app, the venue's counts entered, one teller confirms.
    const members = await t.rows<{ id: number; real_name: string; village_id: number }>('memberships')
    const membershipOf = (name: string) => members.find((m) => m.real_name === name && m.village_id === zhangjia)!.id
    const choices = [...Array<number>(ONLINE.agree).fill(agree), ...Array<number>(ONLINE.oppose).fill(oppose)]
    await Promise.all(online.map((token, i) => ok(`/votes/${vote.id}/ballots`, token, { choices: [choices[i]!] })))
    const tally = await ok(`/votes/${vote.id}/offline`, committee, {
      counts: [
        { optionId: agree, count: VENUE.agree },
        { optionId: oppose, count: VENUE.oppose },
        { optionId: abstain, count: VENUE.abstain },
      ],
      counterMembershipId: membershipOf('李梅'),
      scrutineerMembershipId: membershipOf('赵小明'),
    })
    expect(tally.ballots).toBe(VENUE_VOTERS)
    await ok(`/votes/${vote.id}/offline/${tally.id}/confirm`, counter)
    // The scheduler's payer runs meanwhile: voting points wait for the close, so no account or ranking moves.
    await payQueuedAwards(t.database.db)

    // Those who may see the venue counts see exactly them on the meeting page, and nothing else changes.
    const seesTally = ['the committee member who enters the venue counts', 'the counter', 'the scrutineer']
    const changed: string[] = []
    for (const [who, token] of callers) {
      const after = await walk(urls, token)
      const was = before.get(who)!
      for (const url of urls) {
        let now = after.get(url)
        if (now === undefined) continue
        if (seesTally.includes(who) && url === meetingUrl) {
          const body = JSON.parse(now.slice(4))
          expect(body.agenda[0].vote.offline, who).toMatchObject({
            id: tally.id,
            ballots: VENUE_VOTERS,
            counts: tally.counts,
          })
          body.agenda[0].vote.offline = null
          // The same counts among the boxes of every counting point (here the 主会场's only).
          expect(
            body.agenda[0].vote.boxes.map((b: { id: number }) => b.id),
            who,
          ).toEqual([tally.id])
          body.agenda[0].vote.boxes = []
          now = `${now.slice(0, 4)}${JSON.stringify(body)}`
        }
        const then = was.get(url) ?? ''
        if (now !== then) {
          let at = 0
          while (now[at] === then[at]) at++
          changed.push(
            `${who} · ${url}\n  before: …${then.slice(Math.max(0, at - 80), at + 200)}\n  after:  …${now.slice(Math.max(0, at - 80), at + 200)}`,
          )
        }
      }
    }
    expect(changed).toEqual([])

    // The same rule on the routes that answer with the meeting page: the committee registering a late-comer.
    const late = persons.find((p) => p.village_id === zhangjia && !venue.includes(p.id))!
    const registered = await ok(`/meetings/${meeting.id}/attendance`, secondCommittee, { personId: late.id })
    expect(registered.agenda[0].vote.offline).toBeNull()
    expect(JSON.stringify(registered.agenda[0].vote)).not.toMatch(/"(votedCount|ballots|counts)"/)

    // The close: the scrutineer confirms, the committee closes, and everyone sees the result.
    await ok(`/votes/${vote.id}/offline/${tally.id}/confirm`, scrutineer)
    const result = await ok(`/votes/${vote.id}/close`, committee)
    const counted = {
      [agree]: ONLINE.agree + VENUE.agree,
      [oppose]: ONLINE.oppose + VENUE.oppose,
      [abstain]: VENUE.abstain,
    }
    expect(result.participants).toBe(10 + VENUE_VOTERS)
    for (const c of result.counts as { optionId: number; count: number }[]) expect(c.count).toBe(counted[c.optionId])
    for (const token of [resident, secondCommittee]) {
      expect((await call('GET', `${v}/votes/${vote.id}/result`, token)).json().counts).toEqual(result.counts)
      expect((await call('GET', meetingUrl, token)).json().agenda[0].vote.offline).toMatchObject({
        ballots: VENUE_VOTERS,
        counts: tally.counts,
      })
    }
    for (const step of ['start', 'close']) await ok(`/meetings/${meeting.id}/${step}`, committee)
    const published = await call('GET', `/api/public/villages/${zhangjia}/meetings/${meeting.id}/results`)
    expect(published.json().results[0].counts).toEqual(result.counts)
    const notice = await call('GET', `${meetingUrl}/notice.pdf`, resident)
    expect((await pdfText(notice.rawPayload)).pages.join('')).toContain(`同意 ${counted[agree]} 票`)
  }, 240_000)
})
