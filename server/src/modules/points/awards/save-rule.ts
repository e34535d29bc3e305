import { ErrorCode, type PointRule, type SaveRuleBody } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../../core/db.js'
import { AppError, conflict } from '../../../core/errors.js'
import { currentRule, toRule } from './rules.js'
import { pointRules } from '../tables.js'

/** A new rule (version 1). */
export async function createRule(db: Db, actor: Actor, villageId: number, body: SaveRuleBody): Promise<PointRule> {
  try {
    return await transaction(db, async (tx) => {
      const [{ id }] = (await tx
        .insert(pointRules)
        .values({ villageId, version: 1, createdBy: actor.userId, ...body })
        .$returningId()) as [{ id: number }]
      await audit(tx, actor, {
        villageId,
        action: 'points.rule_created',
        entity: 'point_rule',
        entityId: id,
        data: { ...body },
      })
      const [row] = await tx.select().from(pointRules).where(eq(pointRules.id, id))
      return toRule(row!)
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
      const [{ id }] = (await tx
        .insert(pointRules)
        .values({
          villageId,
          version: before.version + 1,
          createdBy: actor.userId,
          capPerDay: null,
          capPerYear: null,
          approvalThreshold: null,
          active: true,
          ...body,
        })
        .$returningId()) as [{ id: number }]
      await audit(tx, actor, {
        villageId,
        action: 'points.rule_updated',
        entity: 'point_rule',
        entityId: id,
        data: { from: before.version, to: before.version + 1, ...body },
      })
      const [row] = await tx
        .select()
        .from(pointRules)
        .where(and(eq(pointRules.id, id)))
      return toRule(row!)
    })
  } catch (err) {
    // Two edits at once: the version key lets one through.
    if (isDuplicateKey(err, 'point_rules_version_uq'))
      throw conflict(ErrorCode.ALREADY_DECIDED, '这条细则刚被别人修改过，请刷新后再改')
    throw err
  }
}
