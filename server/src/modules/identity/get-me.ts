import { ErrorCode, type Me } from '@liren/shared/contracts'
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { rolesColumn, toMembership } from './memberships.js'
import { memberships, users, villages } from './tables.js'

// Every screen of the app asks for this: one prepared statement, one round trip.
const prepareMe = (db: Db) =>
  db
    .select({ currentVillageId: users.currentVillageId, m: memberships, villageName: villages.name, villageKind: villages.kind, roles: rolesColumn })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .leftJoin(villages, eq(villages.id, memberships.villageId))
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
      .flatMap(({ m, villageName, villageKind, roles }) => (m && villageName && villageKind ? [toMembership({ m, villageName, villageKind, roles })] : []))
      .sort((a, b) => a.id - b.id),
  }
}
