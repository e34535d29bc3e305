import { ErrorCode, type Account } from '@liren/shared/contracts'
import { DEFAULT_STAR_THRESHOLDS, starsFor } from '@liren/shared/rules'
import { and, eq, sql } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { pointAccounts, pointSettings } from './tables.js'

const { memberships, persons } = identityTables

interface HistoryRow {
  id: number
  kind: Account['entries'][number]['kind']
  amount: number
  to_account_id: number
  reason: string
  rule_code: string | null
  rule_name: string | null
  rule_version: number | null
  ref_type: string | null
  ref_id: number | null
  reverses_entry_id: number | null
  reversed: number
  created_at: Date | string
}

/** A person's account page: balance, lifetime score, stars and the latest entries with their reasons. */
export async function getAccount(db: Executor, villageId: number, personId: number): Promise<Account> {
  const [person] = await db.select({ name: persons.name }).from(persons).where(and(eq(persons.id, personId), eq(persons.villageId, villageId)))
  if (!person) throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [{ field: 'personId', message: '不是本村（社区）的人' }])
  const [[account], [settings], [member]] = await Promise.all([
    db.select().from(pointAccounts).where(eq(pointAccounts.personId, personId)),
    db.select({ starThresholds: pointSettings.starThresholds }).from(pointSettings).where(eq(pointSettings.villageId, villageId)),
    db.select({ showFullName: memberships.showFullName }).from(memberships).where(eq(memberships.personId, personId)),
  ])
  const lifetimeScore = account ? account.lifetimeEarned - account.lifetimePenalty : 0
  const { stars, nextStarAt } = starsFor(lifetimeScore, settings?.starThresholds ?? DEFAULT_STAR_THRESHOLDS)
  // Two index range scans (money out, money in) merged, rather than one OR that scans the table.
  const history = account
    ? (
        (await db.execute(sql`
          SELECT e.*, r.code AS rule_code, r.name AS rule_name,
                 EXISTS (SELECT 1 FROM point_entries rv WHERE rv.reverses_entry_id = e.id) AS reversed
          FROM (
            (SELECT * FROM point_entries WHERE from_account_id = ${account.id} ORDER BY created_at DESC, id DESC LIMIT 100)
            UNION ALL
            (SELECT * FROM point_entries WHERE to_account_id = ${account.id} ORDER BY created_at DESC, id DESC LIMIT 100)
          ) e
          LEFT JOIN point_rules r ON r.id = e.rule_id
          ORDER BY e.created_at DESC, e.id DESC
          LIMIT 100`)) as unknown as [HistoryRow[]]
      )[0]
    : []
  return {
    personId,
    name: person.name,
    balance: account?.balance ?? 0,
    lifetimeScore,
    stars,
    nextStarAt,
    showFullName: member?.showFullName ?? false,
    entries: history.map((e) => ({
      id: Number(e.id),
      kind: e.kind,
      amount: Number(e.to_account_id) === account!.id ? e.amount : -e.amount,
      reason: e.reason,
      ruleCode: e.rule_code,
      ruleName: e.rule_name,
      ruleVersion: e.rule_version,
      refType: e.ref_type,
      refId: e.ref_id === null ? null : Number(e.ref_id),
      reversesEntryId: e.reverses_entry_id === null ? null : Number(e.reverses_entry_id),
      reversed: Boolean(Number(e.reversed)),
      createdAt: new Date(e.created_at).toISOString(),
    })),
  }
}

/** The roster person the signed-in user is in this village (their membership must be linked). */
export async function myPersonId(db: Executor, userId: number, villageId: number): Promise<number> {
  const [m] = await db.select({ personId: memberships.personId }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.villageId, villageId)))
  if (!m?.personId) throw new AppError(404, ErrorCode.NOT_ON_ROSTER, '您还没有和花名册关联，请找村（居）委会关联后再查看积分')
  return m.personId
}
