import type { Household, Person } from '@liren/shared/contracts'
import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { identityTables } from '../identity/index.js'

const { grids, households, memberships, persons, representedHouseholds } = identityTables

const representedColumn = sql<
  string | null
>`(SELECT GROUP_CONCAT(rh_h.number ORDER BY rh_h.number SEPARATOR ',') FROM ${representedHouseholds} rh JOIN ${households} rh_h ON rh_h.id = rh.household_id WHERE rh.person_id = ${persons.id})`

/** People of the roster as the API shows them (to the committee and grid workers: with phones), matching `where`, in household order. */
export async function findPeople(
  db: Executor,
  secrets: Secrets,
  where: SQL | undefined,
  page?: { offset: number; limit: number },
): Promise<Person[]> {
  const query = db
    .select({
      p: persons,
      householdNumber: households.number,
      membershipId: memberships.id,
      represented: representedColumn,
    })
    .from(persons)
    .innerJoin(households, eq(households.id, persons.householdId))
    .leftJoin(memberships, eq(memberships.personId, persons.id))
    .where(where)
    .orderBy(asc(households.number), asc(persons.id))
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query
  return rows.map(({ p, householdNumber, membershipId, represented }) => ({
    id: p.id,
    villageId: p.villageId,
    householdId: p.householdId,
    householdNumber,
    name: p.name,
    gender: p.gender,
    birthDate: p.birthDate,
    relation: p.relation,
    phone: secrets.decrypt(p.phone),
    status: p.status,
    representative: p.representative,
    partyMember: p.partyMember,
    representedHouseholds: represented ? represented.split(',') : [],
    membershipId,
  }))
}

export async function countPeople(db: Executor, where: SQL | undefined): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(persons)
    .innerJoin(households, eq(households.id, persons.householdId))
    .where(where)
  return row?.n ?? 0
}

/** Households as the API shows them, matching `where`, by household number. */
export async function findHouseholds(
  db: Executor,
  where: SQL | undefined,
  page?: { offset: number; limit: number },
): Promise<Household[]> {
  const head = sql<string | null>`(SELECT hp.name FROM ${persons} hp WHERE hp.id = ${households.headPersonId})`
  const members = sql<number>`(SELECT COUNT(*) FROM ${persons} mp WHERE mp.household_id = ${households.id} AND mp.status = 'resident')`
  const query = db
    .select({ h: households, gridName: grids.name, headName: head, memberCount: members })
    .from(households)
    .leftJoin(grids, eq(grids.id, households.gridId))
    .where(where)
    .orderBy(asc(households.number))
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query
  return rows.map(({ h, gridName, headName, memberCount }) => ({
    id: h.id,
    villageId: h.villageId,
    number: h.number,
    address: h.address,
    gridId: h.gridId,
    gridName,
    headPersonId: h.headPersonId,
    headName,
    memberCount: Number(memberCount),
  }))
}

export const inVillage = (villageId: number) => eq(persons.villageId, villageId)
export const personInVillage = (villageId: number, personId: number) =>
  and(eq(persons.villageId, villageId), eq(persons.id, personId))

/** A LIKE pattern matching `text` anywhere, LIKE's own wildcards in it taken literally. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
