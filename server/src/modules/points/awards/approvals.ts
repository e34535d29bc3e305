import { ErrorCode, type Approval } from '@liren/shared/contracts'
import { and, asc, eq, ne, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { villageRow } from '../../../core/village-rows.js'
import { affectedRows, transaction, type Db, type Executor } from '../../../core/db.js'
import { AppError, conflict } from '../../../core/errors.js'
import { photoUrls } from '../../../core/photos.js'
import { identityTables } from '../../identity/index.js'
import { award } from './award.js'
import { pointApprovals, pointRules } from '../tables.js'

const { persons } = identityTables

export async function listApprovals(db: Executor, villageId: number): Promise<Approval[]> {
  const rows = await db
    .select({
      a: pointApprovals,
      personName: persons.name,
      ruleCode: pointRules.code,
      ruleName: pointRules.name,
      kind: pointRules.kind,
    })
    .from(pointApprovals)
    .innerJoin(persons, eq(persons.id, pointApprovals.personId))
    .innerJoin(pointRules, eq(pointRules.id, pointApprovals.ruleId))
    .where(and(eq(pointApprovals.villageId, villageId), eq(pointApprovals.status, 'pending')))
    .orderBy(asc(pointApprovals.id))
  return rows.map(({ a, personName, ruleCode, ruleName, kind }) => ({
    id: a.id,
    personId: a.personId,
    personName,
    ruleCode,
    ruleName,
    kind,
    amount: a.amount,
    reason: a.reason,
    evidence: (a.evidence ?? []).map(photoUrls),
    status: a.status,
    createdBy: a.createdBy,
    createdAt: a.createdAt.toISOString(),
  }))
}

/** How many proposed awards wait for this committee member to check: the pending ones someone else proposed. */
export async function countApprovalsToCheck(db: Executor, villageId: number, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(pointApprovals)
    .where(
      and(
        eq(pointApprovals.villageId, villageId),
        eq(pointApprovals.status, 'pending'),
        ne(pointApprovals.createdBy, userId),
      ),
    )
  return Number(row?.n ?? 0)
}

/** A second committee member approves (books the points) or rejects a proposed award; never the proposer. */
export async function decideApproval(
  db: Db,
  actor: Actor,
  villageId: number,
  approvalId: number,
  approve: boolean,
): Promise<{ status: 'approved' | 'rejected'; entryId: number | null }> {
  return transaction(db, async (tx) => {
    const a = await villageRow(tx, pointApprovals, villageId, approvalId, { lock: true })
    if (!a)
      throw new AppError(404, ErrorCode.APPROVAL_NOT_FOUND, '找不到这条待复核的积分', [
        { field: 'approvalId', message: '不存在' },
      ])
    if (a.createdBy === actor.userId)
      throw new AppError(403, ErrorCode.MAKER_CHECKER, '提出的人不能自己复核，请另一位委员复核')
    if (a.status !== 'pending') throw conflict(ErrorCode.ALREADY_DECIDED, '这条已经复核过了')
    let entryId: number | null = null
    if (approve) {
      const [rule] = await tx.select({ code: pointRules.code }).from(pointRules).where(eq(pointRules.id, a.ruleId))
      entryId = await award(tx, {
        villageId,
        personId: a.personId,
        ruleCode: rule!.code,
        points: a.amount,
        reason: a.reason,
        key: `approval:${a.id}`,
        createdBy: a.createdBy,
        approvedBy: actor.userId,
      })
    }
    const res = await tx
      .update(pointApprovals)
      .set({ status: approve ? 'approved' : 'rejected', decidedBy: actor.userId, entryId })
      .where(and(eq(pointApprovals.id, a.id), eq(pointApprovals.status, 'pending')))
    if (affectedRows(res) !== 1) throw conflict(ErrorCode.ALREADY_DECIDED, '这条已经复核过了')
    await audit(tx, actor, {
      villageId,
      action: approve ? 'points.award_approved' : 'points.award_rejected',
      entity: 'point_approval',
      entityId: a.id,
      data: { entryId },
    })
    return { status: approve ? 'approved' : 'rejected', entryId }
  })
}
