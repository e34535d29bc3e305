import { ErrorCode } from '@liren/shared/contracts'
import { and, eq, gte, inArray, sql } from 'drizzle-orm'
import type { Tx } from '../../../core/db.js'
import { AppError, conflict } from '../../../core/errors.js'
import { identityTables } from '../../identity/index.js'
import { findByKey, personAccount, systemAccount, transfer, type Transfer } from '../ledger/ledger.js'
import { currentRule, type RuleRow } from './rules.js'
import { pointAccounts, pointEntries, pointRules } from '../tables.js'

const { persons } = identityTables

export interface AwardRequest {
  villageId: number
  personId: number
  ruleCode: string
  /** Defaults to the rule's points. */
  points?: number
  reason?: string
  ref?: { type: string; id: number }
  /**
   * The event was reported anonymously (an anonymous 随手拍): the entry refers to it as
   * `anonymous_<type>`, and public views (the monthly notice, the rankings) count it apart, never
   * against the person or their household.
   */
  anonymous?: boolean
  /** Unique per awarded event, e.g. `report:42:valid`: awarding twice is the same award. */
  key: string
  createdBy?: number | null
  approvedBy?: number | null
}

const ANONYMOUS_REF_PREFIX = 'anonymous_'
/** SQL LIKE pattern of the ref types of anonymous events (`_` escaped). */
export const ANONYMOUS_REF_LIKE = 'anonymous\\_%'

/** Start of the day and of the year in Asia/Shanghai, as UTC instants. */
function periodStarts(now: Date) {
  const shanghai = new Date(now.getTime() + 8 * 3600_000)
  const day = new Date(
    Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate()) - 8 * 3600_000,
  )
  const year = new Date(Date.UTC(shanghai.getUTCFullYear(), 0, 1) - 8 * 3600_000)
  return { day, year }
}

async function checkCaps(tx: Tx, rule: RuleRow, accountId: number, amount: number, now: Date) {
  const { day, year } = periodStarts(now)
  const versions = tx
    .select({ id: pointRules.id })
    .from(pointRules)
    .where(and(eq(pointRules.villageId, rule.villageId), eq(pointRules.code, rule.code)))
  const column = rule.kind === 'earn' ? pointEntries.toAccountId : pointEntries.fromAccountId
  const [sums] = await tx
    .select({
      today: sql<string>`COALESCE(SUM(CASE WHEN ${pointEntries.createdAt} >= ${day} THEN ${pointEntries.amount} ELSE 0 END), 0)`,
      thisYear: sql<string>`COALESCE(SUM(${pointEntries.amount}), 0)`,
    })
    .from(pointEntries)
    .where(
      and(
        eq(column, accountId),
        inArray(pointEntries.ruleId, versions),
        eq(pointEntries.kind, rule.kind),
        gte(pointEntries.createdAt, year),
      ),
    )
    // A locking read sees awards committed since this transaction began; a plain read would not.
    .for('update')
  const today = Number(sums?.today ?? 0)
  const thisYear = Number(sums?.thisYear ?? 0)
  if (rule.capPerDay !== null && today + amount > rule.capPerDay) {
    throw conflict(ErrorCode.CAP_REACHED, `“${rule.name}”每天最多 ${rule.capPerDay} 分，今天已有 ${today} 分`)
  }
  if (rule.capPerYear !== null && thisYear + amount > rule.capPerYear) {
    throw conflict(ErrorCode.CAP_REACHED, `“${rule.name}”每年最多 ${rule.capPerYear} 分，今年已有 ${thisYear} 分`)
  }
}

/**
 * What other modules call to award (or deduct) points by rule, inside their own transaction:
 * `award(tx, { villageId, personId, ruleCode, ref, key })`. Enforces the rule's caps; the key makes
 * a repeated award of the same event return the first entry instead of paying twice. A capped rule
 * locks the member's account, then sums their entries with a locking read: a caller awarding many
 * members at once (ballots, check-ins) runs its transaction `readCommitted`, so those reads take no
 * gap locks that would deadlock one member's award with another's.
 */
export async function award(tx: Tx, req: AwardRequest, now = new Date()): Promise<number> {
  const rule = await currentRule(tx, req.villageId, req.ruleCode)
  if (!rule.active) throw conflict(ErrorCode.RULE_NOT_FOUND, `积分细则“${rule.name}”已停用`)
  const [person] = await tx
    .select({ id: persons.id })
    .from(persons)
    .where(and(eq(persons.id, req.personId), eq(persons.villageId, req.villageId)))
  if (!person)
    throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [
      { field: 'personId', message: '不是本村（社区）的人' },
    ])

  const member = await personAccount(tx, req.villageId, req.personId)
  const issuance = await systemAccount(tx, req.villageId, 'issuance')
  const amount = req.points ?? rule.points
  const t: Transfer = {
    villageId: req.villageId,
    fromAccountId: rule.kind === 'earn' ? issuance : member,
    toAccountId: rule.kind === 'earn' ? member : issuance,
    amount,
    kind: rule.kind,
    reason: req.reason ?? rule.name,
    rule: { id: rule.id, version: rule.version },
    ref: req.ref && req.anonymous ? { type: `${ANONYMOUS_REF_PREFIX}${req.ref.type}`, id: req.ref.id } : req.ref,
    createdBy: req.createdBy ?? null,
    approvedBy: req.approvedBy ?? null,
    key: req.key,
  }
  const existing = await findByKey(tx, t)
  if (existing) return existing
  if (rule.capPerDay !== null || rule.capPerYear !== null) {
    // One capped award at a time per member, so two parallel awards cannot both slip under a cap.
    await tx.select({ id: pointAccounts.id }).from(pointAccounts).where(eq(pointAccounts.id, member)).for('update')
    await checkCaps(tx, rule, member, amount, now)
  }
  return transfer(tx, t, { keyChecked: true })
}
