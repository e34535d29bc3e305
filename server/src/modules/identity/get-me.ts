import { ErrorCode, type Me } from '@liren/shared/contracts'
import { PRIVACY_GUIDE } from '@liren/shared/rules'
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { membershipColumns, toMembership } from './memberships.js'
import { memberships, persons, privacyConsents, users, villages } from './tables.js'

// Every screen of the app asks for this: one prepared statement, one round trip.
const prepareMe = (db: Db) =>
  db
    .select({
      currentVillageId: users.currentVillageId,
      consented: sql<number>`EXISTS (SELECT 1 FROM ${privacyConsents} WHERE ${privacyConsents.userId} = ${users.id} AND ${privacyConsents.version} = ${PRIVACY_GUIDE.version})`,
      ...membershipColumns,
    })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .leftJoin(villages, eq(villages.id, memberships.villageId))
    .leftJoin(persons, eq(persons.id, memberships.personId))
    // A deleted account signs in no more: its tokens are no sign-in at all.
    .where(and(eq(users.id, sql.placeholder('userId')), isNull(users.deletedAt)))
    // No ORDER BY: on MariaDB it costs a temporary table and a filesort (≈10× the query); sorted below.
    .prepare()
const prepared = new WeakMap<Db, ReturnType<typeof prepareMe>>()

export async function getMe(db: Db, secrets: Secrets, userId: number): Promise<Me> {
  let query = prepared.get(db)
  if (!query) prepared.set(db, (query = prepareMe(db)))
  const rows = await query.execute({ userId })
  // A token for a user that no longer exists is no sign-in at all.
  if (rows.length === 0) throw new AppError(401, ErrorCode.UNAUTHENTICATED, '请先登录')
  return {
    userId,
    currentVillageId: rows[0]!.currentVillageId,
    needsPrivacyConsent: !Number(rows[0]!.consented),
    memberships: rows
      .flatMap(({ m, villageName, villageKind, committeePhone, officeHours, roles, representative }) =>
        m && villageName && villageKind
          ? [toMembership({ m, villageName, villageKind, committeePhone, officeHours, roles, representative }, secrets)]
          : [],
      )
      .sort((a, b) => a.id - b.id),
  }
}
