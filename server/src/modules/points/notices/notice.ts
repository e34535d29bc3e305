import type { NoticeRow, PointsNotice } from '@liren/shared/contracts'
import { maskName } from '@liren/shared/rules'
import dayjs from 'dayjs'
import { sql } from 'drizzle-orm'
import type { Executor } from '../../../core/db.js'
import { monthRange } from '../../../core/time.js'
import { findVillage } from '../../identity/index.js'
import { ANONYMOUS_REF_LIKE } from '../awards/award.js'

/** Days a notice stays up for objections (村务公开: at least seven days). */
export const OBJECTION_DAYS = 7

/** The month before the one `today` (YYYY-MM-DD) is in: the last complete month, what a notice is about by default. */
export const lastMonth = (today: string) => dayjs(today).subtract(1, 'month').format('YYYY-MM')

interface ItemRow {
  person_id: number
  name: string
  household_number: string
  rule: string
  times: number | string
  points: number | string
}

/**
 * The monthly points notice (积分公示) for the village board: who was given points that month and
 * for what, per person in household order, and the month's totals. Earned points are published less
 * any reversed; penalties and the awards of anonymous reports are counted in the totals but not listed
 * against anyone, and every name is masked (a member's opt-in to a full name is for the rankings).
 */
export async function monthlyNotice(db: Executor, villageId: number, month: string): Promise<PointsNotice> {
  const village = await findVillage(db, villageId)
  const [from, to] = monthRange(month)
  const [items] = (await db.execute(sql`
    SELECT p.id AS person_id, p.name, h.number AS household_number,
           COALESCE(MAX(r.name), '其他') AS rule,
           SUM(CASE WHEN e.kind = 'earn' THEN 1 ELSE -1 END) AS times,
           SUM(CASE WHEN e.kind = 'earn' THEN e.amount ELSE -e.amount END) AS points
    FROM point_entries e
    LEFT JOIN point_entries o ON o.id = e.reverses_entry_id
    JOIN point_accounts a ON a.id = CASE WHEN e.kind = 'earn' THEN e.to_account_id ELSE e.from_account_id END
    JOIN persons p ON p.id = a.person_id
    JOIN households h ON h.id = p.household_id
    LEFT JOIN point_rules r ON r.id = COALESCE(e.rule_id, o.rule_id)
    WHERE e.village_id = ${villageId} AND e.created_at >= ${from} AND e.created_at < ${to}
      AND (e.kind = 'earn' OR (e.kind = 'reversal' AND o.kind = 'earn'))
      AND COALESCE(o.ref_type, e.ref_type, '') NOT LIKE ${ANONYMOUS_REF_LIKE}
    GROUP BY p.id, p.name, h.number, COALESCE(r.code, '')
    ORDER BY h.number, p.id, points DESC`)) as unknown as [ItemRow[]]

  const [[totals]] = (await db.execute(sql`
    SELECT
      (SELECT COUNT(*) FROM point_entries e
        WHERE e.village_id = ${villageId} AND e.kind = 'penalty' AND e.created_at >= ${from} AND e.created_at < ${to}
          AND NOT EXISTS (SELECT 1 FROM point_entries rv WHERE rv.reverses_entry_id = e.id)) AS penalties,
      (SELECT COUNT(*) FROM point_entries e
        WHERE e.village_id = ${villageId} AND e.kind = 'earn' AND e.ref_type LIKE ${ANONYMOUS_REF_LIKE} AND e.created_at >= ${from} AND e.created_at < ${to}
          AND NOT EXISTS (SELECT 1 FROM point_entries rv WHERE rv.reverses_entry_id = e.id)) AS anonymous_awards,
      (SELECT COALESCE(SUM(e.amount), 0) FROM point_entries e
        WHERE e.village_id = ${villageId} AND e.kind = 'earn' AND e.ref_type LIKE ${ANONYMOUS_REF_LIKE} AND e.created_at >= ${from} AND e.created_at < ${to}
          AND NOT EXISTS (SELECT 1 FROM point_entries rv WHERE rv.reverses_entry_id = e.id)) AS anonymous_points,
      (SELECT COALESCE(SUM(s.confirmed_minutes), 0) FROM activity_signups s JOIN point_entries e ON e.id = s.entry_id
        WHERE e.village_id = ${villageId} AND e.created_at >= ${from} AND e.created_at < ${to}) AS service_minutes,
      (SELECT COUNT(*) FROM shop_orders o
        WHERE o.village_id = ${villageId} AND o.status = 'fulfilled' AND o.closed_at >= ${from} AND o.closed_at < ${to}) AS redeemed_orders,
      (SELECT COALESCE(SUM(o.cost), 0) FROM shop_orders o
        WHERE o.village_id = ${villageId} AND o.status = 'fulfilled' AND o.closed_at >= ${from} AND o.closed_at < ${to}) AS redeemed_points`)) as unknown as [
    [
      {
        penalties: number | string
        anonymous_awards: number | string
        anonymous_points: number | string
        service_minutes: number | string
        redeemed_orders: number | string
        redeemed_points: number | string
      },
    ],
  ]

  const rows = new Map<number, NoticeRow>()
  for (const item of items) {
    const points = Number(item.points)
    if (points <= 0) continue // wholly reversed
    const row = rows.get(item.person_id) ?? {
      householdNumber: item.household_number,
      name: maskName(item.name),
      points: 0,
      items: [],
    }
    row.points += points
    row.items.push({ rule: item.rule, times: Number(item.times), points })
    rows.set(item.person_id, row)
  }
  const list = [...rows.values()].sort((a, b) =>
    a.householdNumber.localeCompare(b.householdNumber, 'zh-CN', { numeric: true }),
  )
  const [year, mm] = month.split('-') as [string, string]
  return {
    villageName: village.name,
    month,
    title: `${village.name}${year}年${Number(mm)}月积分公示`,
    publisher: `${village.name}${village.kind === 'rural' ? '村民委员会' : '居民委员会'}`,
    totals: {
      points: list.reduce((sum, r) => sum + r.points, 0),
      people: list.length,
      penalties: Number(totals.penalties),
      anonymousAwards: Number(totals.anonymous_awards),
      anonymousPoints: Number(totals.anonymous_points),
      serviceMinutes: Number(totals.service_minutes),
      redeemedOrders: Number(totals.redeemed_orders),
      redeemedPoints: Number(totals.redeemed_points),
    },
    rows: list,
    objectionDays: OBJECTION_DAYS,
  }
}
