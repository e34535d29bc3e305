import { ErrorCode, type Account } from '@liren/shared/contracts'
import { DEFAULT_STAR_THRESHOLDS, starsFor } from '@liren/shared/rules'
import { and, eq, or, sql } from 'drizzle-orm'
import type { Executor } from '../../../core/db.js'
import { AppError, invalid } from '../../../core/errors.js'
import { identityTables } from '../../identity/index.js'
import { pointAccounts, pointEntries, pointSettings } from '../tables.js'

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

/** Entries per page of the account history. */
export const HISTORY_PAGE = 20

/**
 * A person's account page: balance, lifetime score, stars and one page of entries with their reasons,
 * newest first; `before` (an entry id from the last page) asks for the page after it.
 */
export async function getAccount(db: Executor, villageId: number, personId: number, before?: number): Promise<Account> {
  const [head] = await db
    .select({
      name: persons.name,
      account: pointAccounts,
      starThresholds: pointSettings.starThresholds,
      showFullName: memberships.showFullName,
    })
    .from(persons)
    .leftJoin(pointAccounts, eq(pointAccounts.personId, persons.id))
    .leftJoin(pointSettings, eq(pointSettings.villageId, persons.villageId))
    .leftJoin(memberships, eq(memberships.personId, persons.id))
    .where(and(eq(persons.id, personId), eq(persons.villageId, villageId)))
  if (!head)
    throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [
      { field: 'personId', message: '不是本村（社区）的人' },
    ])
  const { account } = head
  const lifetimeScore = account ? account.lifetimeEarned - account.lifetimePenalty : 0
  const { stars, nextStarAt } = starsFor(lifetimeScore, head.starThresholds ?? DEFAULT_STAR_THRESHOLDS)
  const page = account ? await historyPage(db, account.id, before) : []
  return {
    personId,
    name: head.name,
    balance: account?.balance ?? 0,
    lifetimeScore,
    stars,
    nextStarAt,
    showFullName: head.showFullName ?? false,
    hasMore: page.length > HISTORY_PAGE,
    entries: page.slice(0, HISTORY_PAGE).map((e) => ({
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

async function historyPage(db: Executor, accountId: number, before: number | undefined): Promise<HistoryRow[]> {
  let after = sql``
  if (before !== undefined) {
    const [cursor] = await db
      .select({ createdAt: pointEntries.createdAt })
      .from(pointEntries)
      .where(
        and(
          eq(pointEntries.id, before),
          or(eq(pointEntries.fromAccountId, accountId), eq(pointEntries.toAccountId, accountId)),
        ),
      )
    if (!cursor) throw invalid('before', '没有这条积分记录')
    after = sql`AND (created_at < ${cursor.createdAt} OR (created_at = ${cursor.createdAt} AND id < ${before}))`
  }
  // Two index range scans (money out, money in) merged, rather than one OR that scans the table;
  // one row more than a page tells whether there is another page.
  const limit = HISTORY_PAGE + 1
  const [rows] = (await db.execute(sql`
    SELECT e.id, e.kind, e.amount, e.to_account_id, e.reason, e.rule_version, e.ref_type, e.ref_id, e.reverses_entry_id, e.created_at,
           r.code AS rule_code, r.name AS rule_name,
           EXISTS (SELECT 1 FROM point_entries rv WHERE rv.reverses_entry_id = e.id) AS reversed
    FROM (
      (SELECT * FROM point_entries WHERE from_account_id = ${accountId} ${after} ORDER BY created_at DESC, id DESC LIMIT ${limit})
      UNION ALL
      (SELECT * FROM point_entries WHERE to_account_id = ${accountId} ${after} ORDER BY created_at DESC, id DESC LIMIT ${limit})
    ) e
    LEFT JOIN point_rules r ON r.id = e.rule_id
    ORDER BY e.created_at DESC, e.id DESC
    LIMIT ${limit}`)) as unknown as [HistoryRow[]]
  return rows
}
