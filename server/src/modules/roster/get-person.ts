import { ErrorCode, type Person } from '@liren/shared/contracts'
import type { Executor } from '../../core/db.js'
import { notFound } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { findPeople, personInVillage } from './people.js'

/** One person of the village's roster. */
export async function getPerson(db: Executor, secrets: Secrets, villageId: number, personId: number): Promise<Person> {
  const [person] = await findPeople(db, secrets, personInVillage(villageId, personId))
  if (!person) throw notFound(ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', 'personId')
  return person
}
