import type { Application, MembershipStatus } from '@liren/shared/contracts'
import { and, asc, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { toApplication } from './memberships.js'
import { memberships } from './tables.js'

/** Applications to a village, oldest first (pending ones by default). */
export async function listApplications(db: Executor, villageId: number, status: MembershipStatus = 'pending'): Promise<Application[]> {
  const rows = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.villageId, villageId), eq(memberships.status, status)))
    .orderBy(asc(memberships.appliedAt), asc(memberships.id))
    .limit(500)
  return rows.map(toApplication)
}
