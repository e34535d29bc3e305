import type { PersonList, PersonQuery } from '@liren/shared/contracts'
import { and, eq, like, or, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { identityTables } from '../identity/index.js'
import { containing, countPeople, findPeople } from './people.js'

const { households, persons } = identityTables

/** The roster, searched and filtered, a page at a time. */
export async function listPeople(
  db: Executor,
  secrets: Secrets,
  villageId: number,
  q: PersonQuery,
): Promise<PersonList> {
  const conditions: (SQL | undefined)[] = [eq(persons.villageId, villageId)]
  const text = q.q?.trim()
  if (text) {
    const pattern = containing(text)
    conditions.push(or(like(persons.name, pattern), eq(households.number, text), like(households.address, pattern)))
  }
  if (q.gridId !== undefined) conditions.push(eq(households.gridId, q.gridId))
  if (q.householdId !== undefined) conditions.push(eq(persons.householdId, q.householdId))
  // Same arithmetic as isAdultOn in shared rules: the 18th birthday on or before the day.
  if (q.adultsOn !== undefined) conditions.push(sql`DATE_ADD(${persons.birthDate}, INTERVAL 18 YEAR) <= ${q.adultsOn}`)
  if (q.representative !== undefined) conditions.push(eq(persons.representative, q.representative))
  if (q.status !== undefined) conditions.push(eq(persons.status, q.status))
  const where = and(...conditions)
  const [total, people] = await Promise.all([
    countPeople(db, where),
    findPeople(db, secrets, where, { offset: q.offset ?? 0, limit: q.limit ?? 50 }),
  ])
  return { total, people }
}
