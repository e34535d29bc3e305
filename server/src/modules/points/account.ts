import { ErrorCode, type Account } from '@liren/shared/contracts'
import { DEFAULT_STAR_THRESHOLDS, starsFor } from '@liren/shared/rules'
import { and, desc, eq, or, sql } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { pointAccounts, pointEntries, pointRules, pointSettings } from './tables.js'

const { memberships, persons } = identityTables

/** A person's account page: balance, lifetime score, stars and the latest entries with their reasons. */
export async function getAccount(db: Executor, villageId: number, personId: number): Promise<Account> {
  const [person] = await db.select({ name: persons.name }).from(persons).where(and(eq(persons.id, personId), eq(persons.villageId, villageId)))
  if (!person) throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [{ field: 'personId', message: '不是本村（社区）的人' }])
  const [[account], [settings]] = await Promise.all([
    db.select().from(pointAccounts).where(eq(pointAccounts.personId, personId)),
    db.select({ starThresholds: pointSettings.starThresholds }).from(pointSettings).where(eq(pointSettings.villageId, villageId)),
  ])
  const lifetimeScore = account ? account.lifetimeEarned - account.lifetimePenalty : 0
  const { stars, nextStarAt } = starsFor(lifetimeScore, settings?.starThresholds ?? DEFAULT_STAR_THRESHOLDS)
  const entries = account
    ? await db
        .select({
          e: pointEntries,
          ruleCode: pointRules.code,
          ruleName: pointRules.name,
          reversed: sql<number>`EXISTS (SELECT 1 FROM ${pointEntries} r WHERE r.reverses_entry_id = ${pointEntries.id})`,
        })
        .from(pointEntries)
        .leftJoin(pointRules, eq(pointRules.id, pointEntries.ruleId))
        .where(or(eq(pointEntries.fromAccountId, account.id), eq(pointEntries.toAccountId, account.id)))
        .orderBy(desc(pointEntries.id))
        .limit(100)
    : []
  return {
    personId,
    name: person.name,
    balance: account?.balance ?? 0,
    lifetimeScore,
    stars,
    nextStarAt,
    entries: entries.map(({ e, ruleCode, ruleName, reversed }) => ({
      id: e.id,
      kind: e.kind,
      amount: e.toAccountId === account!.id ? e.amount : -e.amount,
      reason: e.reason,
      ruleCode,
      ruleName,
      ruleVersion: e.ruleVersion,
      refType: e.refType,
      refId: e.refId,
      reversesEntryId: e.reversesEntryId,
      reversed: Boolean(Number(reversed)),
      createdAt: e.createdAt.toISOString(),
    })),
  }
}

/** The roster person the signed-in user is in this village (their membership must be linked). */
export async function myPersonId(db: Executor, userId: number, villageId: number): Promise<number> {
  const [m] = await db.select({ personId: memberships.personId }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.villageId, villageId)))
  if (!m?.personId) throw new AppError(404, ErrorCode.NOT_ON_ROSTER, '您还没有和花名册关联，请找村（居）委会关联后再查看积分')
  return m.personId
}
