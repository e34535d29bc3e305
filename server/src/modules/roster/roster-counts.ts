import type { RosterCounts } from '@liren/shared/contracts'
import { rosterCounts } from '@liren/shared/rules'
import { count, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { identityTables } from '../identity/index.js'

const { households, persons, villages } = identityTables

/** Derived counts, by the same shared rule the client uses. */
export async function getRosterCounts(db: Executor, villageId: number, on: string): Promise<RosterCounts> {
  const [people, [householdCount], [village]] = await Promise.all([
    db
      .select({
        gender: persons.gender,
        birthDate: persons.birthDate,
        status: persons.status,
        representative: persons.representative,
      })
      .from(persons)
      .where(eq(persons.villageId, villageId)),
    db.select({ n: count() }).from(households).where(eq(households.villageId, villageId)),
    db.select({ kind: villages.kind }).from(villages).where(eq(villages.id, villageId)),
  ])
  return rosterCounts(people, householdCount?.n ?? 0, on, village?.kind)
}
