import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, makeMeeting, makeVillage, startWithVillages, type Village } from '../../testing/factories.js'
import type { TestContext } from '../../testing/harness.js'
import { pdfText } from '../../testing/pdf.js'

/**
 * 到会名单 and 签到表: the committee's list of who is called to a meeting, who has arrived and how (scanned
 * the venue code, or checked in by a committee member), who took part in a vote on their phone (never
 * what they chose, and only once the vote has closed), with the meeting page's 应到 / 实到; and the A4
 * sheet to sign by hand.
 */
let t: TestContext
let v: Village
let other: Village

beforeAll(async () => {
  ;[t, v, other] = await startWithVillages([{ households: 6 }, {}], { env: { RATE_LIMIT_PER_MINUTE: '100000' } })
})
afterAll(() => t?.close())

const url = (meetingId: number, path = '/attendance', village: Village = v) =>
  `/api/villages/${village.id}/meetings/${meetingId}${path}`
const collator = new Intl.Collator('zh-Hans-CN', { numeric: true })

interface Row {
  personId: number
  name: string
  householdNumber: string
  address: string
  adult: boolean
  representative: boolean
  resident: boolean
  arrival: { way: string; recordedBy: string | null; at: string } | null
  votedOnline: number[]
}

async function attendance(meetingId: number, query = '') {
  const res = await as(t, 'committee').get(`${url(meetingId)}${query}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { onRoll: number; present: number; called: number; arrived: number; people: Row[] } & Record<
    string,
    unknown
  >
}

/** The object ids and keys anywhere in a JSON answer. */
function keysOf(x: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(x)) x.forEach((y) => keysOf(y, into))
  else if (x && typeof x === 'object')
    for (const [k, y] of Object.entries(x)) {
      into.add(k)
      keysOf(y, into)
    }
  return into
}

describe('到会名单', () => {
  it('lists the adults called to a 村民会议 by household; a scan and a committee check-in show how, by whom and when; 应到/实到 are the meeting page’s', async () => {
    const made = await makeMeeting(t, v, { state: 'announced' })
    const before = await attendance(made.id)
    const adults = v.persons.filter((p) => p.adult)
    expect(before.people.map((p) => p.personId).sort()).toEqual(adults.map((p) => p.id).sort())
    expect(before).toMatchObject({ called: adults.length, arrived: 0, onRoll: adults.length, present: 0 })
    // By household number, then name; full names, the household's address without the village's name.
    const order = [...before.people].sort(
      (a, b) => collator.compare(a.householdNumber, b.householdNumber) || collator.compare(a.name, b.name),
    )
    expect(before.people.map((p) => p.personId)).toEqual(order.map((p) => p.personId))
    const resident = before.people.find((p) => p.personId === v.resident.personId)!
    expect(resident).toMatchObject({ name: v.resident.name, householdNumber: '001', address: '1号', adult: true })
    expect(before.people.find((p) => p.personId === v.committee.personId)!.representative).toBe(true)

    // The resident scans the venue code; the committee checks in a villager without a phone.
    const code = (await as(t, 'committee').get(url(made.id, '/code'))).json().token as string
    const scanned = await as(t, 'resident').post(url(made.id, '/check-in'), { token: code })
    expect(scanned.statusCode, scanned.body).toBe(200)
    const elder = v.households[4]!.personIds[0]!
    const registered = await as(t, 'committee').post(url(made.id), { personId: elder })
    expect(registered.statusCode, registered.body).toBe(200)

    const now = await attendance(made.id)
    const row = (id: number | null) => now.people.find((p) => p.personId === id)!
    expect(row(v.resident.personId).arrival).toMatchObject({ way: 'scan', recordedBy: null })
    expect(row(elder).arrival).toMatchObject({ way: 'committee', recordedBy: v.committee.name })
    expect(Date.now() - Date.parse(row(elder).arrival!.at)).toBeLessThan(60_000)
    expect(row(v.grid.personId).arrival).toBeNull()
    const page = (await as(t, 'committee').get(url(made.id, ''))).json()
    expect(page.present).toBe(2)
    for (const key of ['onRoll', 'present', 'quorumMet', 'quorumRule'] as const) expect(now[key]).toEqual(page[key])
    expect(now).toMatchObject({ called: adults.length, arrived: 2 })

    // Filters: the counts stay the whole list's.
    const arrived = await attendance(made.id, '?status=arrived')
    expect(arrived.people.map((p) => p.personId).sort()).toEqual([v.resident.personId, elder].sort())
    const absent = await attendance(made.id, '?status=absent')
    expect(absent.people).toHaveLength(adults.length - 2)
    expect(absent.people.every((p) => p.arrival === null)).toBe(true)
    expect(absent).toMatchObject({ called: adults.length, arrived: 2 })
    expect((await attendance(made.id, '?status=all')).people).toHaveLength(adults.length)
    const wrong = await as(t, 'committee').get(`${url(made.id)}?status=late`)
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().details[0].field).toMatch(/status/)

    // Someone who moves away after the notice stays on the roll, marked.
    const moved = v.households[5]!.personIds[1]!
    await t.database.pool.query("UPDATE persons SET status = 'moved_out' WHERE id = ?", [moved])
    expect((await attendance(made.id)).people.find((p) => p.personId === moved)!.resident).toBe(false)
    await t.database.pool.query("UPDATE persons SET status = 'resident' WHERE id = ?", [moved])
  })

  it('marks who voted on their phone once the vote has closed, never what they chose', async () => {
    const made = await makeMeeting(t, v, {
      state: 'announced',
      open: true,
      votes: [
        { question: '村东道路硬化', secret: true },
        {
          question: '保洁费标准',
          secret: false,
          options: [
            { label: '六十元', kind: 'choice' },
            { label: '一百元', kind: 'choice' },
          ],
        },
      ],
    })
    const [secret, open] = made.votes as [(typeof made.votes)[0], (typeof made.votes)[0]]
    const ballot = (caller: 'resident' | 'grid', voteId: number, optionId: number) =>
      as(t, caller).post(`/api/villages/${v.id}/votes/${voteId}/ballots`, { choices: [optionId] })
    for (const res of [
      await ballot('resident', secret.id, secret.optionIds[1]!),
      await ballot('resident', open.id, open.optionIds[0]!),
      await ballot('grid', open.id, open.optionIds[1]!),
    ])
      expect(res.statusCode, res.body).toBe(201)

    // While the votes are open nobody sees who has voted, the committee included.
    const during = await attendance(made.id)
    expect(during.people.every((p) => p.votedOnline.length === 0)).toBe(true)

    for (const vote of made.votes) {
      const closed = await as(t, 'committee').post(`/api/villages/${v.id}/votes/${vote.id}/close`)
      expect(closed.statusCode, closed.body).toBe(200)
    }
    const res = await as(t, 'committee').get(url(made.id))
    const after = res.json() as { people: Row[]; votes: { id: number; question: string; state: string }[] }
    const row = (id: number | null) => after.people.find((p) => p.personId === id)!
    expect(row(v.resident.personId).votedOnline.sort()).toEqual([secret.id, open.id].sort())
    expect(row(v.grid.personId).votedOnline).toEqual([open.id])
    expect(row(v.volunteer.personId).votedOnline).toEqual([])
    expect(after.votes).toEqual([
      { id: secret.id, question: '村东道路硬化', state: 'closed' },
      { id: open.id, question: '保洁费标准', state: 'closed' },
    ])
    // No choice anywhere: no option's label, no key that could carry one.
    for (const label of ['同意', '反对', '弃权', '六十元', '一百元']) expect(res.body).not.toContain(label)
    expect([...keysOf(res.json())].filter((k) => /option|choice|receipt|count|ballot/i.test(k))).toEqual([])
  })

  it('a 村民代表会议 lists only the representatives; a 议事协商会 everyone on the roll', async () => {
    const representatives = await makeMeeting(t, v, { state: 'announced', body: { kind: 'representative_meeting' } })
    const reps = await attendance(representatives.id)
    expect(reps.people.map((p) => p.personId)).toEqual([v.committee.personId])
    expect(reps.people[0]!.representative).toBe(true)
    const page = (await as(t, 'committee').get(url(representatives.id, ''))).json()
    expect({ onRoll: reps.onRoll, present: reps.present }).toEqual({ onRoll: page.onRoll, present: page.present })
    expect(reps.onRoll).toBe(1)

    const deliberation = await makeMeeting(t, v, { state: 'announced', body: { kind: 'deliberation' } })
    const all = await attendance(deliberation.id)
    expect(all.people).toHaveLength(v.persons.length)
    expect(all.people.filter((p) => !p.adult)).toHaveLength(v.households.length)
  })

  it('a draft has no list yet; a resident is refused; another village’s meeting is not found', async () => {
    const draft = await makeMeeting(t, v)
    for (const path of ['/attendance', '/sign-in-sheet.pdf']) {
      const res = await as(t, 'committee').get(url(draft.id, path))
      expect(res.statusCode, path).toBe(409)
      expect(res.json()).toMatchObject({ code: 'MEETING_STATE', message: expect.stringContaining('还没发通知') })
    }
    const live = await makeMeeting(t, v, { state: 'announced' })
    for (const path of ['/attendance', '/sign-in-sheet.pdf']) {
      const refused = await as(t, 'resident').get(url(live.id, path))
      expect(refused.statusCode, path).toBe(403)
      expect(refused.json().code).toBe('FORBIDDEN')
    }
    const theirs = await makeMeeting(t, other, { state: 'announced' })
    for (const path of ['/attendance', '/sign-in-sheet.pdf']) {
      const missing = await as(t, 'committee').get(url(theirs.id, path))
      expect(missing.statusCode, path).toBe(404)
      expect(missing.json().code).toBe('MEETING_NOT_FOUND')
      // Their own committee gets it.
      expect((await as(t, other.committee).get(url(theirs.id, path, other))).statusCode, path).toBe(200)
    }
  })
})

describe('签到表', () => {
  it('prints everyone called, one row each, a tick for who has arrived, the head on every page, numbered pages', async () => {
    // A village of a few hundred adults: the factory's households and 240 more, each with a name of its own.
    const big = await makeVillage(t)
    const extra = 240
    await t.database.pool.query(
      `INSERT INTO households (village_id, number, address) SELECT ?, CONCAT('Q', LPAD(seq, 3, '0')), CONCAT('签到路 ', seq, ' 号') FROM seq_1_to_${extra}`,
      [big.id],
    )
    await t.database.pool.query(
      `INSERT INTO persons (village_id, household_id, name, gender, birth_date, relation)
       SELECT ?, h.id, CONCAT('签到人', SUBSTRING(h.number, 2)), 'female', '1980-01-01', '户主' FROM households h WHERE h.village_id = ? AND h.number LIKE 'Q%'`,
      [big.id, big.id],
    )
    const made = await makeMeeting(t, big, { state: 'announced', body: { title: '全村村民大会' } })
    const committee = as(t, big.committee)
    for (const n of [1, 2, 3]) {
      const [[p]] = (await t.database.pool.query('SELECT id FROM persons WHERE village_id = ? AND name = ?', [
        big.id,
        `签到人${String(n * 70).padStart(3, '0')}`,
      ])) as unknown as [{ id: number }[]]
      expect((await committee.post(url(made.id, '/attendance', big), { personId: p!.id })).statusCode).toBe(200)
    }
    const list = (await committee.get(url(made.id, '/attendance', big))).json() as { onRoll: number; people: Row[] }
    expect(list.people).toHaveLength(extra + big.persons.filter((p) => p.adult).length)

    const res = await committee.get(url(made.id, '/sign-in-sheet.pdf', big))
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toContain('filename*=')
    const { pages, size } = await pdfText(res.rawPayload)
    expect(size).toEqual([0, 0, 595, 842])
    expect(pages.length).toBeGreaterThan(5)
    const all = pages.join('\n')
    expect(pages[0]).toContain(`${big.name}村民会议签到表`)
    expect(pages[0]).toContain('全村村民大会')
    expect(pages[0]).toContain(`应到 ${list.onRoll} 人，打印时已到 3 人`)
    pages.forEach((page, i) => {
      for (const head of ['序号', '户号', '姓名', '已到', '签名']) expect(page, `page ${i + 1}`).toContain(head)
      expect(page).toContain(`第 ${i + 1} 页，共 ${pages.length} 页`)
    })
    // One row per person: each made-up name once, and the factory's adults too.
    const count = (s: string) => all.split(s).length - 1
    for (let n = 1; n <= extra; n++) expect(count(`签到人${String(n).padStart(3, '0')}`), `签到人${n}`).toBe(1)
    for (const p of big.persons.filter((p) => p.adult)) expect(all).toContain(p.name)
    expect(all).toMatch(new RegExp(`${list.people.length} ?Q240 ?签到人240`))
    // A tick for each of the three who arrived, none for anyone else.
    expect(count('√')).toBe(3)
    for (const n of [70, 140, 210]) expect(all).toMatch(new RegExp(`签到人${String(n).padStart(3, '0')} ?√`))
  })
})
