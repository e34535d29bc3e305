import { ErrorCode } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { persons } from './tables.js'

/**
 * Refuses a `personId` (a request field) that is not on the village's roll now: a person who moved
 * away or died is a record, not someone to act for.
 */
export async function requireResident(db: Executor, villageId: number, personId: number): Promise<void> {
  const [person] = await db
    .select({ id: persons.id })
    .from(persons)
    .where(and(eq(persons.id, personId), eq(persons.villageId, villageId), eq(persons.status, 'resident')))
  if (!person)
    throw new AppError(404, ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', [
      { field: 'personId', message: '不是本村（社区）的人' },
    ])
}
