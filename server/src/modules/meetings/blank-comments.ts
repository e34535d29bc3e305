import { sql } from 'drizzle-orm'
import type { Tx } from '../../core/db.js'

/** A member left the village: their agenda comments there keep their place but not their words. */
export async function blankComments(tx: Tx, villageId: number, userId: number): Promise<void> {
  await tx.execute(sql`
    UPDATE agenda_comments c JOIN meetings mt ON mt.id = c.meeting_id
    SET c.body = '（提意见的人已注销）' WHERE c.user_id = ${userId} AND mt.village_id = ${villageId}`)
}
