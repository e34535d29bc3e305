import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { payQueuedAwards } from '../points/index.js'
import { as, makeMeeting, startWithVillages, type Member, type Village } from '../../testing/factories.js'
import { type TestContext } from '../../testing/harness.js'

/**
 * Who voted is kept; when each person voted is not. Four members vote one after another, in the
 * reverse order of their person ids, with time between them; then every row of every table is read
 * for a time inside any ballot's moment, and the points paid for voting are checked to follow the
 * person, not the ballot.
 */
let t: TestContext
let village: Village

beforeAll(async () => ([t, village] = await startWithVillages(1)))
afterAll(() => t?.close())

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const DATE_TEXT = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/g

/** An instant written as text: ISO, or the database's UTC `YYYY-MM-DD hh:mm:ss.fff`. */
const instant = (text: string) => new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`).getTime()

/** Every instant a row holds: its date columns, and date-times written inside its text or JSON. */
function instantsOf(row: Record<string, unknown>): { column: string; at: number }[] {
  const found: { column: string; at: number }[] = []
  for (const [column, value] of Object.entries(row)) {
    if (value instanceof Date) found.push({ column, at: value.getTime() })
    else if (value !== null && value !== undefined) {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      for (const m of text.matchAll(DATE_TEXT)) found.push({ column, at: instant(m[0]) })
    }
  }
  return found
}

describe('the time of a ballot', () => {
  it('is kept nowhere, and the points for voting are paid at the close in person order', async () => {
    const post = async (path: string, caller: Member, payload: object = {}) => {
      const res = await as(t, caller).post(`/api/villages/${village.id}${path}`, payload)
      expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300)
      return res.json()
    }
    const meeting = await makeMeeting(t, village, {
      state: 'announced',
      votes: [{ question: '同意修村西的路', secret: true }],
      open: true,
    })
    const vote = meeting.votes[0]!

    const voters = [village.committee, village.grid, village.resident, village.volunteer].map((member) => ({
      personId: member.personId!,
      member,
    }))
    // Highest person id votes first, so voting order and person order are opposite.
    voters.sort((a, b) => b.personId - a.personId)
    await pause(50)
    const moments: { personId: number; from: number; to: number }[] = []
    for (const v of voters) {
      const from = Date.now()
      await post(`/votes/${vote.id}/ballots`, v.member, { choices: [vote.optionIds[0]!] })
      moments.push({ personId: v.personId, from, to: Date.now() })
      await pause(50)
    }

    const votePoints = async () =>
      (
        await t.rows<{ id: number; ref_type: string; ref_id: number; to_account_id: number; created_at: string }>(
          'point_entries',
        )
      ).filter((e) => e.ref_type === 'vote' && e.ref_id === vote.id)
    const noBallotTimes = async (when: string) => {
      for (const table of await t.tables()) {
        for (const row of await t.rows(table)) {
          for (const { column, at } of instantsOf(row)) {
            const during = moments.find((m) => at >= m.from && at <= m.to)
            expect(
              during,
              `${when}: ${table}.${column} holds the moment person ${during?.personId} voted: ${JSON.stringify(row)}`,
            ).toBeUndefined()
          }
        }
      }
    }
    // While the vote is open, nothing is paid for it: a payment now would be the voting order.
    await payQueuedAwards(t.database.db)
    expect(await votePoints()).toEqual([])
    await noBallotTimes('vote open')

    const closing = Date.now()
    await post(`/votes/${vote.id}/close`, village.committee)
    const closed = Date.now()
    expect(await payQueuedAwards(t.database.db)).toBeGreaterThanOrEqual(voters.length)
    // The walk reads times right: it finds the close.
    const [voteRow] = (await t.rows<{ id: number }>('votes')).filter((v) => v.id === vote.id)
    expect(instantsOf(voteRow!).some(({ column, at }) => column === 'closed_at' && at >= closing && at <= closed)).toBe(
      true,
    )
    const paid = (await votePoints()).sort((a, b) => a.id - b.id)
    const accounts = await t.rows<{ id: number; person_id: number | null }>('point_accounts')
    const paidTo = paid.map((e) => accounts.find((a) => a.id === e.to_account_id)!.person_id)
    expect(paidTo).toEqual(voters.map((v) => v.personId).sort((a, b) => a - b))
    expect(paid.every((e) => instant(e.created_at) >= closing)).toBe(true)
    expect(await t.rows('point_award_queue')).toEqual([])
    await noBallotTimes('after the close')
  })
})
