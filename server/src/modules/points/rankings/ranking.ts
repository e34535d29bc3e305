import type { Ranking, RankingQuery } from '@liren/shared/contracts'
import { maskName } from '@liren/shared/rules'
import { and, eq, sql } from 'drizzle-orm'
import type { Executor } from '../../../core/db.js'
import { monthRange } from '../../../core/time.js'
import { identityTables } from '../../identity/index.js'
import { ANONYMOUS_REF_LIKE } from '../awards/award.js'
import { pointAccounts } from '../tables.js'

const { households, memberships, persons } = identityTables
const TOP = 50

/**
 * Rankings by score (earned minus penalties; redeeming does not lower it), this month or all time,
 * by person or by household (the sum of its members). Names are masked unless the member opted in.
 * Awards for anonymous reports are left out, so the ranking never shows who reported anonymously.
 */
export async function ranking(
  db: Executor,
  villageId: number,
  q: RankingQuery,
  myPersonId: number | null,
  thisMonth: string,
): Promise<Ranking> {
  const period = q.period ?? 'month'
  const by = q.by ?? 'person'
  const month = period === 'month' ? (q.month ?? thisMonth) : null
  // Score of an account: all time from the kept totals; for a month from its entries, reversals included.
  const score = month
    ? (() => {
        const [from, to] = monthRange(month)
        return sql<string>`(SELECT COALESCE(SUM(CASE
            WHEN e.kind = 'earn' AND e.to_account_id = ${pointAccounts.id} THEN e.amount
            WHEN e.kind = 'penalty' AND e.from_account_id = ${pointAccounts.id} THEN -e.amount
            WHEN e.kind = 'reversal' AND o.kind = 'earn' AND e.from_account_id = ${pointAccounts.id} THEN -e.amount
            WHEN e.kind = 'reversal' AND o.kind = 'penalty' AND e.to_account_id = ${pointAccounts.id} THEN e.amount
            ELSE 0 END), 0)
          FROM point_entries e LEFT JOIN point_entries o ON o.id = e.reverses_entry_id
          WHERE (e.to_account_id = ${pointAccounts.id} OR e.from_account_id = ${pointAccounts.id}) AND e.created_at >= ${from} AND e.created_at < ${to}
            AND COALESCE(o.ref_type, e.ref_type, '') NOT LIKE ${ANONYMOUS_REF_LIKE})`
      })()
    : // The kept totals, less what anonymous reports earned (and was not taken back).
      sql<string>`(${pointAccounts.lifetimeEarned} - ${pointAccounts.lifetimePenalty}
        - (SELECT COALESCE(SUM(e.amount), 0) FROM point_entries e
            WHERE e.to_account_id = ${pointAccounts.id} AND e.kind = 'earn' AND e.ref_type LIKE ${ANONYMOUS_REF_LIKE}
              AND NOT EXISTS (SELECT 1 FROM point_entries rv WHERE rv.reverses_entry_id = e.id)))`

  const rows = await db
    .select({
      personId: persons.id,
      name: persons.name,
      householdId: persons.householdId,
      householdNumber: households.number,
      headName: sql<string | null>`(SELECT hp.name FROM ${persons} hp WHERE hp.id = ${households.headPersonId})`,
      showFullName: memberships.showFullName,
      score,
    })
    .from(pointAccounts)
    .innerJoin(persons, eq(persons.id, pointAccounts.personId))
    .innerJoin(households, eq(households.id, persons.householdId))
    .leftJoin(memberships, eq(memberships.personId, persons.id))
    .where(and(eq(pointAccounts.villageId, villageId), eq(persons.status, 'resident')))

  type Row = { key: number; name: string; score: number; isMe: boolean }
  let list: Row[]
  if (by === 'person') {
    list = rows.map((r) => ({
      key: r.personId,
      name: r.showFullName ? r.name : maskName(r.name),
      score: Number(r.score),
      isMe: r.personId === myPersonId,
    }))
  } else {
    const byHousehold = new Map<number, Row>()
    for (const r of rows) {
      const h = byHousehold.get(r.householdId) ?? {
        key: r.householdId,
        name: `${r.householdNumber}（${maskName(r.headName ?? r.name)}家）`,
        score: 0,
        isMe: false,
      }
      h.score += Number(r.score)
      h.isMe ||= r.personId === myPersonId
      byHousehold.set(r.householdId, h)
    }
    list = [...byHousehold.values()]
  }
  list = list.filter((r) => r.score > 0).sort((a, b) => b.score - a.score || a.key - b.key)
  // Equal scores share a rank (1, 2, 2, 4).
  const ranked = list.map((r, i) => ({ ...r, rank: i + 1 }))
  for (let i = 1; i < ranked.length; i++)
    if (ranked[i]!.score === ranked[i - 1]!.score) ranked[i]!.rank = ranked[i - 1]!.rank
  return {
    period,
    by,
    month,
    rows: ranked.slice(0, TOP).map(({ rank, name, score, isMe }) => ({ rank, name, score, isMe })),
  }
}
