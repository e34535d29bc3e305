import { sql } from 'drizzle-orm'
import type { Tx } from '../../core/db.js'

/** A member left the village (注销, or retired from the roster): their reports there become anonymous. */
export async function anonymizeReports(
  tx: Tx,
  villageId: number,
  userId: number,
  personId: number | null,
): Promise<void> {
  await tx.execute(sql`
    UPDATE reports SET anonymous = 1, reporter_user_id = NULL, reporter_person_id = NULL
    WHERE village_id = ${villageId} AND (reporter_user_id = ${userId}${personId === null ? sql`` : sql` OR reporter_person_id = ${personId}`})`)
}
