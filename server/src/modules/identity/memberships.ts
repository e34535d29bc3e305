import { ErrorCode, type Application, type Membership, type PersonMatch, type Role } from '@liren/shared/contracts'
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { affectedRows, type Executor } from '../../core/db.js'
import { conflict, notFound } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { membershipRoles, memberships, persons, villages } from './tables.js'

/** A membership's roles as one comma-separated column (one query instead of two). */
export const rolesColumn = sql<
  string | null
>`(SELECT GROUP_CONCAT(${membershipRoles.role}) FROM ${membershipRoles} WHERE ${membershipRoles.membershipId} = ${memberships.id})`

export interface MembershipRow {
  m: typeof memberships.$inferSelect
  villageName: string
  villageKind: 'rural' | 'urban'
  committeePhone: string | null
  officeHours: string | null
  roles: string | null
  representative: boolean | null
}

/** Columns for MembershipRow, selected from memberships joined to villages and (left) persons. */
export const membershipColumns = {
  m: memberships,
  villageName: villages.name,
  villageKind: villages.kind,
  committeePhone: villages.committeePhone,
  officeHours: villages.officeHours,
  roles: rolesColumn,
  representative: persons.representative,
}

/** A membership as the API shows it, to the member themself or their committee (it has their phone). */
export function toMembership(
  { m, villageName, villageKind, committeePhone, officeHours, roles, representative }: MembershipRow,
  secrets: Secrets,
): Membership {
  return {
    id: m.id,
    villageId: m.villageId,
    villageName,
    villageKind,
    status: m.status,
    roles: roles ? (roles.split(',') as Role[]) : [],
    representative: representative ?? false,
    realName: m.realName,
    householdAddress: m.householdAddress,
    householdId: m.householdId,
    birthYear: m.birthYear,
    rejectReason: m.rejectReason,
    appliedAt: m.appliedAt.toISOString(),
    decidedAt: m.decidedAt?.toISOString() ?? null,
    personId: m.personId,
    phone: secrets.decrypt(m.phone),
    committeePhone,
    officeHours,
  }
}

/** Memberships matching `where`, with village name and roles. */
export async function findMemberships(db: Executor, secrets: Secrets, where: SQL | undefined): Promise<Membership[]> {
  const rows = await db
    .select(membershipColumns)
    .from(memberships)
    .innerJoin(villages, eq(villages.id, memberships.villageId))
    .leftJoin(persons, eq(persons.id, memberships.personId))
    .where(where)
    .orderBy(asc(memberships.id))
  return rows.map((row) => toMembership(row, secrets))
}

export async function rolesOf(db: Executor, membershipIds: number[]): Promise<Map<number, Role[]>> {
  const byMembership = new Map<number, Role[]>()
  if (membershipIds.length === 0) return byMembership
  const rows = await db
    .select({ membershipId: membershipRoles.membershipId, role: membershipRoles.role })
    .from(membershipRoles)
    .where(inArray(membershipRoles.membershipId, membershipIds))
  for (const r of rows) byMembership.set(r.membershipId, [...(byMembership.get(r.membershipId) ?? []), r.role])
  return byMembership
}

/** An application as the committee of its village sees it (with the applicant's phone). */
export function toApplication(
  m: typeof memberships.$inferSelect,
  secrets: Secrets,
  matches: PersonMatch[] = [],
): Application {
  return {
    id: m.id,
    userId: m.userId,
    realName: m.realName,
    householdAddress: m.householdAddress,
    birthYear: m.birthYear,
    status: m.status,
    appliedAt: m.appliedAt.toISOString(),
    decidedAt: m.decidedAt?.toISOString() ?? null,
    rejectReason: m.rejectReason,
    personId: m.personId,
    phone: secrets.decrypt(m.phone),
    matches,
  }
}

/**
 * Moves a pending application to its decision with one conditional update, so two committee
 * members deciding at once cannot both win. Returns the decided row.
 */
export async function decidePendingApplication(
  tx: Executor,
  villageId: number,
  membershipId: number,
  decision: Partial<typeof memberships.$inferInsert>,
) {
  const result = await tx
    .update(memberships)
    .set(decision)
    .where(
      and(eq(memberships.id, membershipId), eq(memberships.villageId, villageId), eq(memberships.status, 'pending')),
    )
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.villageId, villageId)))
  if (!row) throw notFound(ErrorCode.APPLICATION_NOT_FOUND, '找不到这份申请', 'membershipId')
  if (affectedRows(result) === 0) throw conflict(ErrorCode.ALREADY_DECIDED, '这份申请已经处理过了')
  return row
}
