import { ErrorCode, type EarningRule, type PointRule } from '@liren/shared/contracts'
import { ruleSource } from '@liren/shared/rules'
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Executor } from '../../../core/db.js'
import { AppError } from '../../../core/errors.js'
import { pointRules } from '../tables.js'

export type RuleRow = typeof pointRules.$inferSelect

export const toRule = (r: RuleRow): PointRule => ({
  id: r.id,
  code: r.code,
  version: r.version,
  name: r.name,
  kind: r.kind,
  points: r.points,
  capPerDay: r.capPerDay,
  capPerYear: r.capPerYear,
  approvalThreshold: r.approvalThreshold,
  active: r.active,
})

/** The current (highest) version of a rule. */
export async function currentRule(db: Executor, villageId: number, code: string): Promise<RuleRow> {
  const [rule] = await db
    .select()
    .from(pointRules)
    .where(and(eq(pointRules.villageId, villageId), eq(pointRules.code, code)))
    .orderBy(desc(pointRules.version))
    .limit(1)
  if (!rule)
    throw new AppError(404, ErrorCode.RULE_NOT_FOUND, '没有这条积分细则', [{ field: 'ruleCode', message: '不存在' }])
  return rule
}

/** The rulebook: the current version of every rule, in code order. */
export async function currentRules(db: Executor, villageId: number): Promise<RuleRow[]> {
  return db
    .select()
    .from(pointRules)
    .where(
      and(
        eq(pointRules.villageId, villageId),
        sql`${pointRules.version} = (SELECT MAX(r2.version) FROM ${pointRules} r2 WHERE r2.village_id = ${pointRules.villageId} AND r2.code = ${pointRules.code})`,
      ),
    )
    .orderBy(pointRules.code)
}

/** How to earn (and lose) points, as the village's people read it: the rules in force, earning ones first. */
export async function earningRules(db: Executor, villageId: number): Promise<EarningRule[]> {
  const rules = (await currentRules(db, villageId)).filter((r) => r.active)
  return [...rules.filter((r) => r.kind === 'earn'), ...rules.filter((r) => r.kind === 'penalty')].map((r) => ({
    name: r.name,
    kind: r.kind,
    points: r.points,
    capPerDay: r.capPerDay,
    capPerYear: r.capPerYear,
    source: ruleSource(r.code),
    secondCheckAbove: r.approvalThreshold,
  }))
}
