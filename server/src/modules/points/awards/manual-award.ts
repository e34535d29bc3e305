import type { ManualAwardBody, ManualAwardResult } from '@liren/shared/contracts'
import { audit, type Actor } from '../../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../../core/db.js'
import { sameRequest } from '../../../core/village-rows.js'
import { attachPhotos } from '../../../core/photos.js'
import { requireResident } from '../../identity/index.js'
import { award } from './award.js'
import { callerKey } from '../ledger/ledger.js'
import { currentRule } from './rules.js'
import { pointApprovals } from '../tables.js'

/**
 * A committee member awards or deducts points by rule. Above the rule's approval threshold it waits
 * for a second committee member (maker ≠ checker); otherwise it is booked at once.
 */
export async function manualAward(
  db: Db,
  actor: Actor,
  villageId: number,
  body: ManualAwardBody,
): Promise<ManualAwardResult> {
  try {
    return await transaction(db, async (tx) => {
      const rule = await currentRule(tx, villageId, body.ruleCode)
      // Awarded by hand to someone on the roll only.
      await requireResident(tx, villageId, body.personId)
      const amount = body.points ?? rule.points
      const evidence = body.evidence ?? []
      await attachPhotos(tx, evidence, 'evidence')
      if (rule.approvalThreshold !== null && amount > rule.approvalThreshold) {
        const [existing] = await tx
          .select()
          .from(pointApprovals)
          .where(sameRequest(pointApprovals, pointApprovals.createdBy, villageId, actor.userId, body.idempotencyKey))
        if (existing) return { status: 'pending_approval', entryId: existing.entryId, approvalId: existing.id }
        const [{ id }] = (await tx
          .insert(pointApprovals)
          .values({
            villageId,
            personId: body.personId,
            ruleId: rule.id,
            amount,
            reason: body.reason,
            evidence,
            idempotencyKey: body.idempotencyKey,
            createdBy: actor.userId,
          })
          .$returningId()) as [{ id: number }]
        await audit(tx, actor, {
          villageId,
          action: 'points.award_proposed',
          entity: 'point_approval',
          entityId: id,
          data: { personId: body.personId, ruleCode: rule.code, amount },
        })
        return { status: 'pending_approval', entryId: null, approvalId: id }
      }
      const entryId = await award(tx, {
        villageId,
        personId: body.personId,
        ruleCode: body.ruleCode,
        points: amount,
        reason: body.reason,
        key: callerKey('award', actor.userId, body.idempotencyKey),
        createdBy: actor.userId,
      })
      await audit(tx, actor, {
        villageId,
        action: rule.kind === 'earn' ? 'points.awarded' : 'points.penalized',
        entity: 'point_entry',
        entityId: entryId,
        data: { personId: body.personId, ruleCode: rule.code, amount, evidence },
      })
      return { status: 'done', entryId, approvalId: null }
    })
  } catch (err) {
    // The same key sent twice at once: the loser's insert waited for the winner and then hit the
    // unique key; the winner's result is committed now, so answer with it.
    if (isDuplicateKey(err, 'point_entries_key_uq') || isDuplicateKey(err, 'point_approvals_key_uq'))
      return manualAward(db, actor, villageId, body)
    throw err
  }
}
