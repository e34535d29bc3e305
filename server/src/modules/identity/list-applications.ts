import type { Application, MembershipStatus } from '@liren/shared/contracts'
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { matchApplicants } from './match-applicants.js'
import { toApplication } from './memberships.js'
import { memberships } from './tables.js'

/**
 * Applications to a village, oldest first (pending ones by default), pending ones with their roster
 * matches. For that village's committee only: they carry the applicants' phones.
 */
export async function listApplications(
  db: Executor,
  secrets: Secrets,
  villageId: number,
  status: MembershipStatus = 'pending',
): Promise<Application[]> {
  const rows = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.villageId, villageId), eq(memberships.status, status)))
    .orderBy(asc(memberships.appliedAt), asc(memberships.id))
    .limit(500)
  const matches = status === 'pending' ? await matchApplicants(db, villageId, rows) : []
  return rows.map((m, i) => toApplication(m, secrets, matches[i] ?? []))
}

/** How many applications to a village wait for the committee (its 待办). */
export async function countPendingApplications(db: Executor, villageId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(memberships)
    .where(and(eq(memberships.villageId, villageId), eq(memberships.status, 'pending')))
  return Number(row?.n ?? 0)
}
