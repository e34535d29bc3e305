import { ErrorCode } from '@liren/shared/contracts'
import { asc, inArray } from 'drizzle-orm'
import { transaction, type Db, type Tx } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { award, type AwardRequest } from './award.js'
import { pointAwardQueue } from './tables.js'

const BATCH = 200
/** A queued award that cannot be paid (rule gone or retired, cap reached, person not found) is dropped. */
const UNPAYABLE: readonly string[] = [ErrorCode.CAP_REACHED, ErrorCode.RULE_NOT_FOUND, ErrorCode.PERSON_NOT_FOUND]

/**
 * Queues an award by rule inside the caller's transaction: it stands or falls with the event, and is
 * paid by `payQueuedAwards` soon after. For events many members cause at the same moment (a vote
 * opening), so their transactions do not queue behind one another on the village's issuance account.
 */
export async function awardLater(tx: Tx, req: Pick<AwardRequest, 'villageId' | 'personId' | 'ruleCode' | 'reason' | 'ref' | 'key'>): Promise<void> {
  await tx
    .insert(pointAwardQueue)
    .values({
      villageId: req.villageId,
      personId: req.personId,
      ruleCode: req.ruleCode,
      reason: req.reason ?? req.ruleCode,
      refType: req.ref?.type ?? null,
      refId: req.ref?.id ?? null,
      idempotencyKey: req.key,
    })
    .onDuplicateKeyUpdate({ set: { idempotencyKey: req.key } })
}

/**
 * Pays queued awards, a batch per transaction, until the queue is empty; returns how many were paid.
 * The batch is taken with a locking read, so a second server draining at once waits and then takes
 * the rows after it; and each award's key makes paying the same row twice the same award.
 */
export async function payQueuedAwards(db: Db): Promise<number> {
  let paid = 0
  for (;;) {
    const batch = await transaction(db, async (tx) => {
      const rows = await tx.select().from(pointAwardQueue).orderBy(asc(pointAwardQueue.id)).limit(BATCH).for('update')
      let n = 0
      for (const r of rows) {
        try {
          await award(tx, { villageId: r.villageId, personId: r.personId, ruleCode: r.ruleCode, reason: r.reason, ref: r.refType && r.refId ? { type: r.refType, id: r.refId } : undefined, key: r.idempotencyKey })
          n++
        } catch (err) {
          if (!(err instanceof AppError && UNPAYABLE.includes(err.code))) throw err
        }
      }
      if (rows.length > 0) await tx.delete(pointAwardQueue).where(inArray(pointAwardQueue.id, rows.map((r) => r.id)))
      return { taken: rows.length, n }
    }, { readCommitted: true })
    paid += batch.n
    if (batch.taken < BATCH) return paid
  }
}
