import type { HouseholdList, HouseholdQuery } from '@liren/shared/contracts'
import { and, eq, like, or } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { identityTables } from '../identity/index.js'
import { containing, findHouseholds } from './people.js'

const { households } = identityTables

/** The village's households, searched by number or address and filtered by grid, a page at a time. */
export async function listHouseholds(db: Executor, villageId: number, q: HouseholdQuery): Promise<HouseholdList> {
  const text = q.q?.trim()
  const pattern = text ? containing(text) : undefined
  const where = and(
    eq(households.villageId, villageId),
    q.gridId !== undefined ? eq(households.gridId, q.gridId) : undefined,
    pattern ? or(like(households.number, pattern), like(households.address, pattern)) : undefined,
  )
  const [all, page] = await Promise.all([
    findHouseholds(db, where),
    findHouseholds(db, where, { offset: q.offset ?? 0, limit: q.limit ?? 50 }),
  ])
  return { total: all.length, households: page }
}
