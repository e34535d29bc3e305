import type { FiguresQuery, ReportFigures } from '@liren/shared/contracts'
import { REPORT_STATE_LABEL, URGENCY_LABEL, RATING_LABEL } from '@liren/shared/rules'
import dayjs from 'dayjs'
import { and, eq, gte, inArray, lt, type SQL } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { invalid } from '../../core/errors.js'
import { chinaDateTime, chinaMidnight, chinaMonth } from '../../core/time.js'
import { identityTables } from '../identity/index.js'
import { reports } from './tables.js'

const { grids, villages } = identityTables

/** The period asked for, as days in Asia/Shanghai; the last twelve months up to today by default. */
function period(q: FiguresQuery, today: string): { from: string; to: string; start: Date; end: Date } {
  // A day the database and dayjs both can hold (the contract's date format goes from year 0 to 9999).
  for (const field of ['from', 'to'] as const)
    if (q[field] !== undefined && (q[field] < '1900-01-01' || q[field] > '2999-12-31'))
      throw invalid(field, '日期超出范围')
  const to = q.to ?? today
  const from = q.from ?? dayjs(to).subtract(1, 'year').add(1, 'day').format('YYYY-MM-DD')
  if (from > to) throw invalid('from', '开始日期不能晚于结束日期')
  const start = chinaMidnight(from)
  const end = chinaMidnight(dayjs(to).add(1, 'day').format('YYYY-MM-DD'))
  return { from, to, start, end }
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return Math.round(m * 10) / 10
}
const rate = (hits: number, of: number) => (of === 0 ? null : Math.round((hits / of) * 1000) / 1000)
const counts = (keys: string[]) =>
  [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))

type Row = Awaited<ReturnType<typeof loadRows>>[number]

function loadRows(db: Executor, where: SQL | undefined) {
  return db
    .select({
      id: reports.id,
      villageName: villages.name,
      category: reports.category,
      gridName: grids.name,
      state: reports.state,
      urgency: reports.urgency,
      level: reports.level,
      createdAt: reports.createdAt,
      acceptedAt: reports.acceptedAt,
      resolvedAt: reports.resolvedAt,
      resolveDueAt: reports.resolveDueAt,
      rating: reports.rating,
      supports: reports.supports,
    })
    .from(reports)
    .innerJoin(villages, eq(villages.id, reports.villageId))
    .leftJoin(grids, eq(grids.id, reports.gridId))
    .where(where)
    .orderBy(reports.id)
}

function summarise(rows: Row[], from: string, to: string): ReportFigures {
  const hours = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 3600_000
  const accepted = rows.filter((r) => r.acceptedAt !== null)
  const resolved = rows.filter((r) => r.resolvedAt !== null)
  const rated = rows.filter((r) => r.rating !== null && r.state === 'closed')
  return {
    from,
    to,
    total: rows.length,
    byState: counts(rows.map((r) => r.state)),
    byCategory: counts(rows.map((r) => r.category)),
    byGrid: counts(rows.map((r) => r.gridName ?? '未分网格')),
    byMonth: counts(rows.map((r) => chinaMonth(r.createdAt))).sort((a, b) => a.key.localeCompare(b.key)),
    medianAcceptHours: median(accepted.map((r) => hours(r.createdAt, r.acceptedAt!))),
    medianResolveHours: median(resolved.map((r) => hours(r.createdAt, r.resolvedAt!))),
    onTimeRate: rate(resolved.filter((r) => r.resolvedAt! <= r.resolveDueAt).length, resolved.length),
    satisfactionRate: rate(rated.filter((r) => r.rating !== 'unsatisfied').length, rated.length),
  }
}

const inPeriod = (start: Date, end: Date) => and(gte(reports.createdAt, start), lt(reports.createdAt, end))

/** A village's figures (every report, public or not: the committee's own numbers). */
export async function villageFigures(
  db: Executor,
  villageId: number,
  q: FiguresQuery,
  today: string,
): Promise<ReportFigures> {
  const { from, to, start, end } = period(q, today)
  return summarise(await loadRows(db, and(eq(reports.villageId, villageId), inPeriod(start, end))), from, to)
}

/** A town's figures, across its villages. */
export async function townFigures(
  db: Executor,
  townId: number,
  q: FiguresQuery,
  today: string,
): Promise<ReportFigures> {
  const { from, to, start, end } = period(q, today)
  const ids = (await db.select({ id: villages.id }).from(villages).where(eq(villages.townId, townId))).map((v) => v.id)
  if (ids.length === 0) return summarise([], from, to)
  return summarise(await loadRows(db, and(inArray(reports.villageId, ids), inPeriod(start, end))), from, to)
}

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value)
  // Quote everything; a leading = + - @ could run as a formula in a spreadsheet.
  return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`
}
const shanghai = (d: Date | null) => (d ? chinaDateTime(d) : null)

/** Every report of the period, one row each, for Excel (UTF-8 with BOM). Reporters are not named. */
export async function figuresCsv(db: Executor, villageId: number, q: FiguresQuery, today: string): Promise<string> {
  const { start, end } = period(q, today)
  const rows = await loadRows(db, and(eq(reports.villageId, villageId), inPeriod(start, end)))
  const header = [
    '编号',
    '村（社区）',
    '类别',
    '网格',
    '状态',
    '紧急程度',
    '上报时间',
    '受理时间',
    '办结时间',
    '按时办结',
    '评价',
    '我也遇到',
  ]
  const lines = rows.map((r) =>
    [
      r.id,
      r.villageName,
      r.category,
      r.gridName,
      REPORT_STATE_LABEL[r.state],
      URGENCY_LABEL[r.urgency],
      shanghai(r.createdAt),
      shanghai(r.acceptedAt),
      shanghai(r.resolvedAt),
      r.resolvedAt ? (r.resolvedAt <= r.resolveDueAt ? '是' : '否') : null,
      r.rating ? RATING_LABEL[r.rating] : null,
      r.supports,
    ]
      .map(csvCell)
      .join(','),
  )
  return `\uFEFF${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`
}
