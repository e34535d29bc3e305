import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { payQueuedAwards } from '../points/index.js'
import { as, makeMeeting, startWithVillages, type Village } from '../../testing/factories.js'
import { auth, type TestContext } from '../../testing/harness.js'

/**
 * A secret ballot cannot be linked to its voter: not through any API response a committee member can
 * get, and not through any table. Three members vote differently; then every GET route is walked as
 * the committee and every table is read, looking for anything that joins a voter to a receipt, a
 * choice or a moment.
 */
let t: TestContext
let village: Village

beforeAll(async () => ([t, village] = await startWithVillages(1)))
afterAll(() => t?.close())

describe('secret ballots', () => {
  it('no API response and no table links a secret ballot to its voter', async () => {
    const committee = village.committee.token
    const post = async (path: string, token: string, payload: object = {}) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/villages/${village.id}${path}`,
        headers: auth(token),
        payload,
      })
      expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300)
      return res.json()
    }
    const made = await makeMeeting(t, village, {
      state: 'announced',
      open: true,
      body: { title: '秘密投票', agenda: [{ title: '选址', vote: { question: '同意在村东建广场', secret: true } }] },
    })
    const meeting = (await as(t, village.committee).get(`/api/villages/${village.id}/meetings/${made.id}`)).json()
    const vote = meeting.agenda[0].vote
    // Three voters, three different choices, with time between them.
    const voters = [
      { token: village.resident.token, name: village.resident.name, option: vote.options[0] },
      { token: village.volunteer.token, name: village.volunteer.name, option: vote.options[1] },
      { token: village.grid.token, name: village.grid.name, option: vote.options[2] },
    ]
    const receipts: string[] = []
    for (const v of voters) {
      receipts.push((await post(`/votes/${vote.id}/ballots`, v.token, { choices: [v.option.id] })).receiptCode)
      await new Promise((r) => setTimeout(r, 30))
    }
    await post(`/votes/${vote.id}/close`, committee)
    await payQueuedAwards(t.database.db)
    const hashes = receipts.map((c) => createHash('sha256').update(c).digest('hex'))
    const people = await t.rows<{ id: number; name: string }>('persons')
    const voterIds = voters.map((v) => people.find((p) => p.name === v.name)!.id)

    // The tables: receipts live only in the ballot box, which names no one and keeps no time.
    for (const table of await t.tables()) {
      const [rows] = (await t.database.pool.query(`SELECT * FROM \`${table}\``)) as unknown as [
        Record<string, unknown>[],
      ]
      const text = JSON.stringify(rows)
      const holdsReceipts = hashes.some((h) => text.includes(h)) || receipts.some((c) => text.includes(c))
      if (['ballots', 'ballot_choices'].includes(table)) continue
      expect(holdsReceipts, `${table} holds a receipt`).toBe(false)
    }
    const ballots = (await t.rows<{ vote_id: number; person_id: number | null }>('ballots')).filter(
      (b) => b.vote_id === vote.id,
    )
    expect(ballots).toHaveLength(3)
    expect(ballots.every((b) => b.person_id === null)).toBe(true)
    // Neither the box nor the voters' list has a time to line up with anything else.
    const [columns] = (await t.database.pool.query(
      "SELECT table_name AS t, column_name AS c, data_type AS type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name IN ('ballots', 'ballot_choices', 'vote_voters')",
    )) as unknown as [{ t: string; c: string; type: string }[]]
    expect(columns.filter((c) => ['datetime', 'timestamp', 'date', 'time'].includes(c.type))).toEqual([])
    expect(
      columns
        .filter((c) => c.t !== 'vote_voters' && /person|user|household|unit/.test(c.c))
        .map((c) => `${c.t}.${c.c}`),
    ).toEqual(['ballots.person_id'])
    // No record of the casting itself: the audit log has no ballot rows, the points for voting were
    // paid after the close in person order (ballot-time.test.ts), so their times and order say nothing of the voting order.
    expect((await t.rows<{ action: string }>('audit_log')).filter((a) => a.action.includes('ballot'))).toEqual([])
    const paid = (await t.rows<{ ref_type: string; ref_id: number; created_at: string }>('point_entries')).filter(
      (e) => e.ref_type === 'vote' && e.ref_id === vote.id,
    )
    expect(paid).toHaveLength(3)

    // The API, as the committee: every GET route with this village, meeting and vote.
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> }
    const fill: Record<string, string> = {
      villageId: String(village.id),
      meetingId: String(meeting.id),
      voteId: String(vote.id),
      code: receipts[0]!,
      format: 'json',
    }
    let walked = 0
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!('get' in ops) || path.startsWith('/api/dev/')) continue
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
      if (names.some((n) => !(n in fill))) continue
      const res = await t.app.inject({
        method: 'GET',
        url: names.reduce((u, n) => u.replace(`{${n}}`, fill[n]!), path),
        headers: auth(committee),
      })
      if (res.statusCode >= 300 || !String(res.headers['content-type']).includes('json')) continue
      walked++
      const text = res.body
      const receiptsHere = hashes.filter((h) => text.includes(h))
      // A response with the published receipts names no voter; a response naming voters holds no receipt.
      if (receiptsHere.length)
        for (const v of voters) expect(text, `${path} shows receipts and ${v.name}`).not.toContain(v.name)
      for (const c of receipts) expect(text, `${path} shows a receipt code`).not.toContain(c)
      // Nothing answers with a voter's choice: no JSON object carries a voter's person id and one of this vote's options.
      const objects: Record<string, unknown>[] = []
      const collect = (x: unknown) => {
        if (Array.isArray(x)) x.forEach(collect)
        else if (x && typeof x === 'object') {
          objects.push(x as Record<string, unknown>)
          Object.values(x).forEach(collect)
        }
      }
      collect(res.json())
      for (const o of objects) {
        const values = Object.values(o)
        const namesVoter = voterIds.some((id) => o.personId === id) || voters.some((v) => values.includes(v.name))
        const namesChoice = vote.options.some(
          (opt: { id: number }) => o.optionId === opt.id || (Array.isArray(o.choices) && o.choices.includes(opt.id)),
        )
        expect(namesVoter && namesChoice, `${path}: ${JSON.stringify(o)}`).toBe(false)
      }
    }
    expect(walked).toBeGreaterThan(15)
    // The published list has exactly the three receipts; each voter can check theirs.
    const published = await t.app.inject({
      method: 'GET',
      url: `/api/villages/${village.id}/votes/${vote.id}/receipts`,
      headers: auth(committee),
    })
    expect(new Set(published.json().hashes)).toEqual(new Set(hashes))
  })
})
