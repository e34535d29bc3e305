import { ErrorCode } from '@liren/shared/contracts'
import { and, asc, eq, inArray } from 'drizzle-orm'
import { transaction, type Db, type Tx } from '../../../core/db.js'
import { AppError } from '../../../core/errors.js'
import { award, type AwardRequest } from './award.js'
import { pointAwardQueue } from '../tables.js'

const BATCH = 200
/** A queued award that cannot be paid (rule gone or retired, cap reached, person not found) is dropped. */
const UNPAYABLE: readonly string[] = [ErrorCode.CAP_REACHED, ErrorCode.RULE_NOT_FOUND, ErrorCode.PERSON_NOT_FOUND]

type QueuedAward = Pick<AwardRequest, 'villageId' | 'personId' | 'ruleCode' | 'key'> & {
  /** What the person's history says, in words (never the rule's code). */
  reason: string
  ref: { type: string; id: number }
}

/**
 * Queues an award by rule inside the caller's transaction: it stands or falls with the event, and is
 * held until the event is over (`releaseAwards`). For events many members cause at the same moment (a
 * vote), so their transactions do not queue behind one another on the village's issuance account, and
 * so that when each member acted is not kept: the row has no id or time, and it is paid after the
 * event in person order.
 */
export async function awardLater(tx: Tx, req: QueuedAward): Promise<void> {
  await tx
    .insert(pointAwardQueue)
    .values({
      villageId: req.villageId,
      personId: req.personId,
      ruleCode: req.ruleCode,
      reason: req.reason,
      refType: req.ref.type,
      refId: req.ref.id,
      idempotencyKey: req.key,
    })
    .onDuplicateKeyUpdate({ set: { idempotencyKey: req.key } })
}

/** The event is over (a vote closed): its queued awards may be paid. */
export async function releaseAwards(tx: Tx, ref: { type: string; id: number }): Promise<void> {
  await tx
    .update(pointAwardQueue)
    .set({ held: false })
    .where(and(eq(pointAwardQueue.refType, ref.type), eq(pointAwardQueue.refId, ref.id)))
}

/**
 * Pays released awards, a batch per transaction, until none is left; returns how many were paid.
 * Sorted by event and person, never by when they were queued, so the ledger's ids, times and chain
 * follow the person, not the ballot. The batch is taken with a locking read, so a second server
 * draining at once waits and then takes the rows after it; and each award's key makes paying the
 * same row twice the same award.
 */
export async function payQueuedAwards(db: Db): Promise<number> {
  let paid = 0
  for (;;) {
    const batch = await transaction(
      db,
      async (tx) => {
        const rows = await tx
          .select()
          .from(pointAwardQueue)
          .where(eq(pointAwardQueue.held, false))
          .orderBy(asc(pointAwardQueue.refType), asc(pointAwardQueue.refId), asc(pointAwardQueue.personId))
          .limit(BATCH)
          .for('update')
        let n = 0
        for (const r of rows) {
          try {
            await award(tx, {
              villageId: r.villageId,
              personId: r.personId,
              ruleCode: r.ruleCode,
              reason: r.reason,
              ref: { type: r.refType, id: r.refId },
              key: r.idempotencyKey,
            })
            n++
          } catch (err) {
            if (!(err instanceof AppError && UNPAYABLE.includes(err.code))) throw err
          }
        }
        if (rows.length > 0)
          await tx.delete(pointAwardQueue).where(
            inArray(
              pointAwardQueue.idempotencyKey,
              rows.map((r) => r.idempotencyKey),
            ),
          )
        return { taken: rows.length, n }
      },
      { readCommitted: true },
    )
    paid += batch.n
    if (batch.taken < BATCH) return paid
  }
}
