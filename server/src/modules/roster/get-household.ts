import { ErrorCode, type HouseholdDetail } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { notFound } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { identityTables } from '../identity/index.js'
import { findHouseholds, findPeople } from './people.js'

const { households, persons } = identityTables

/** One household of the village with its people. */
export async function getHousehold(
  db: Executor,
  secrets: Secrets,
  villageId: number,
  householdId: number,
): Promise<HouseholdDetail> {
  const [household] = await findHouseholds(db, and(eq(households.id, householdId), eq(households.villageId, villageId)))
  if (!household) throw notFound(ErrorCode.HOUSEHOLD_NOT_FOUND, '这个村（社区）没有这一户', 'householdId')
  return { household, people: await findPeople(db, secrets, eq(persons.householdId, household.id)) }
}
