import type { ReverseBody } from '@liren/shared/contracts'
import { audit, type Actor } from '../../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../../core/db.js'
import { callerKey } from './ledger.js'
import { reverse } from './reverse.js'

/** A committee member reverses an entry (冲正), with the reason in the audit log; returns the reversal's id. */
export async function reverseEntry(
  db: Db,
  actor: Actor,
  villageId: number,
  entryId: number,
  body: ReverseBody,
): Promise<number> {
  const run = () =>
    transaction(db, async (tx) => {
      const id = await reverse(
        tx,
        actor,
        villageId,
        entryId,
        body.reason,
        callerKey('reverse', actor.userId, body.idempotencyKey),
      )
      await audit(tx, actor, {
        villageId,
        action: 'points.reversed',
        entity: 'point_entry',
        entityId: id,
        data: { reverses: entryId, reason: body.reason },
      })
      return id
    })
  try {
    return await run()
  } catch (err) {
    // A parallel duplicate: the first one is committed now; answer with it (or its refusal).
    if (isDuplicateKey(err)) return run()
    throw err
  }
}
