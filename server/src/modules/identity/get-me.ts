import { ErrorCode, type Me } from '@liren/shared/contracts'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { membershipColumns, toMembership } from './memberships.js'
import { memberships, persons, users, villages } from './tables.js'

// Every screen of the app asks for this: one prepared statement, one round trip.
const prepareMe = (db: Db) =>
  db
    .select({ currentVillageId: users.currentVillageId, ...membershipColumns })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .leftJoin(villages, eq(villages.id, memberships.villageId))
    .leftJoin(persons, eq(persons.id, memberships.personId))
    .where(eq(users.id, sql.placeholder('userId')))
    // No ORDER BY: on MariaDB it costs a temporary table and a filesort (≈10× the query); sorted below.
    .prepare()
const prepared = new WeakMap<Db, ReturnType<typeof prepareMe>>()

export async function getMe(db: Db, userId: number): Promise<Me> {
  let query = prepared.get(db)
  if (!query) prepared.set(db, (query = prepareMe(db)))
  const rows = await query.execute({ userId })
  // A token for a user that no longer exists is no sign-in at all.
  if (rows.length === 0) throw new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')
  return {
    userId,
    currentVillageId: rows[0]!.currentVillageId,
    memberships: rows
      .flatMap(({ m, villageName, villageKind, roles, representative }) =>
        m && villageName && villageKind ? [toMembership({ m, villageName, villageKind, roles, representative })] : [],
      )
      .sort((a, b) => a.id - b.id),
  }
}
