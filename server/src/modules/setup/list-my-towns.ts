import type { Town } from '@liren/shared/contracts'
import { and, asc, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { identityTables } from '../identity/index.js'

const { membershipRoles, memberships, towns, villages } = identityTables

/** Towns the user administers (a verified town_admin membership in any of its villages); empty for everyone else. */
export async function listMyTowns(db: Executor, userId: number): Promise<Town[]> {
  return db
    .selectDistinct({ id: towns.id, code: towns.code, name: towns.name })
    .from(towns)
    .innerJoin(villages, eq(villages.townId, towns.id))
    .innerJoin(
      memberships,
      and(eq(memberships.villageId, villages.id), eq(memberships.userId, userId), eq(memberships.status, 'verified')),
    )
    .innerJoin(
      membershipRoles,
      and(eq(membershipRoles.membershipId, memberships.id), eq(membershipRoles.role, 'town_admin')),
    )
    .orderBy(asc(towns.id))
}
