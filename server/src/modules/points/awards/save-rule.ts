import { ErrorCode, type PointRule, type SaveRuleBody } from '@liren/shared/contracts'
import { eq } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { isDuplicateKey, transaction, type Db, type Tx } from '../../../core/db.js'
import { AppError, conflict } from '../../../core/errors.js'
import { currentRule, toRule } from './rules.js'
import { pointRules } from '../tables.js'

/** Writes a version of a rule and its audit row, and answers with it. */
async function saveVersion(
  tx: Tx,
  actor: Actor,
  rule: typeof pointRules.$inferInsert & { villageId: number },
  action: string,
  data: Record<string, unknown>,
): Promise<PointRule> {
  const [{ id }] = (await tx.insert(pointRules).values(rule).$returningId()) as [{ id: number }]
  await audit(tx, actor, { villageId: rule.villageId, action, entity: 'point_rule', entityId: id, data })
  const [row] = await tx.select().from(pointRules).where(eq(pointRules.id, id))
  return toRule(row!)
}

/** A new rule (version 1). */
export async function createRule(db: Db, actor: Actor, villageId: number, body: SaveRuleBody): Promise<PointRule> {
  try {
    return await transaction(db, async (tx) => {
      const rule = { villageId, version: 1, createdBy: actor.userId, ...body }
      return saveVersion(tx, actor, rule, 'points.rule_created', { ...body })
    })
  } catch (err) {
    if (isDuplicateKey(err, 'point_rules_version_uq'))
      throw conflict(ErrorCode.RULE_CODE_TAKEN, '已经有这个代码的积分细则了')
    throw err
  }
}

/** Editing a rule makes a new version; entries already booked keep the version they applied. */
export async function updateRule(
  db: Db,
  actor: Actor,
  villageId: number,
  code: string,
  body: SaveRuleBody,
): Promise<PointRule> {
  if (body.code !== code)
    throw new AppError(400, ErrorCode.VALIDATION_FAILED, '细则代码不能修改', [{ field: 'code', message: '不能修改' }])
  try {
    return await transaction(db, async (tx) => {
      const before = await currentRule(tx, villageId, code)
      const rule = {
        villageId,
        version: before.version + 1,
        createdBy: actor.userId,
        capPerDay: null,
        capPerYear: null,
        approvalThreshold: null,
        active: true,
        ...body,
      }
      return saveVersion(tx, actor, rule, 'points.rule_updated', {
        from: before.version,
        to: before.version + 1,
        ...body,
      })
    })
  } catch (err) {
    // Two edits at once: the version key lets one through.
    if (isDuplicateKey(err, 'point_rules_version_uq'))
      throw conflict(ErrorCode.ALREADY_DECIDED, '这条细则刚被别人修改过，请刷新后再改')
    throw err
  }
}
