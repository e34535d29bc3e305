import { and, eq } from 'drizzle-orm'
import type { MySqlColumn, MySqlTable } from 'drizzle-orm/mysql-core'
import type { Executor } from './db.js'

/** A table whose rows each belong to one village. */
type VillageTable = MySqlTable & { id: MySqlColumn; villageId: MySqlColumn }

/**
 * The row `id` of `table` if it belongs to the village (another village's row is as good as missing).
 * `lock`: a locking read, holding the row for the rest of the caller's transaction and seeing what
 * others committed since it began.
 */
export async function villageRow<T extends VillageTable>(
  db: Executor,
  table: T,
  villageId: number,
  id: number,
  { lock = false } = {},
): Promise<T['$inferSelect'] | undefined> {
  const query = db
    .select()
    .from(table as MySqlTable)
    .where(and(eq(table.id, id), eq(table.villageId, villageId)))
  const [row] = lock ? await query.for('update') : await query
  return row as T['$inferSelect'] | undefined
}

/** A table of requests a caller may send again under the same idempotency key. */
type KeyedTable = MySqlTable & { villageId: MySqlColumn; idempotencyKey: MySqlColumn }

/**
 * Finds the request a user already made in the village under `key` (`by`: the column naming who
 * made it): a key is the caller's own, so another member's same key is another request.
 */
export const sameRequest = <T extends KeyedTable>(
  table: T,
  by: MySqlColumn,
  villageId: number,
  userId: number,
  key: string,
) => and(eq(table.villageId, villageId), eq(by, userId), eq(table.idempotencyKey, key))
