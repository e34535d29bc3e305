import { and, eq, ne, notInArray } from 'drizzle-orm'
import type { Tx } from '../../core/db.js'
import { identityTables } from '../identity/index.js'

const { households, persons, representedHouseholds } = identityTables

export const HEAD = '户主'
export const FORMER_HEAD = '其他'

/**
 * The head of a household is the person whose relation is 户主 — one source of truth, so an exported
 * roster imports back unchanged. Making someone head turns the former head into 其他 (edit it if they
 * are, say, the spouse); a head who stops being 户主 leaves the household without one.
 */
export async function makeHead(tx: Tx, householdId: number, personId: number): Promise<void> {
  await tx
    .update(persons)
    .set({ relation: FORMER_HEAD })
    .where(and(eq(persons.householdId, householdId), eq(persons.relation, HEAD), ne(persons.id, personId)))
  await tx.update(persons).set({ relation: HEAD }).where(eq(persons.id, personId))
  await tx.update(households).set({ headPersonId: personId }).where(eq(households.id, householdId))
}

export async function clearHeadIf(tx: Tx, householdId: number, personId: number): Promise<void> {
  await tx
    .update(households)
    .set({ headPersonId: null })
    .where(and(eq(households.id, householdId), eq(households.headPersonId, personId)))
}

/** A representative stops representing every household but `householdIds` (all of them, when empty). */
export async function representOnly(tx: Tx, personId: number, householdIds: number[]): Promise<void> {
  await tx
    .delete(representedHouseholds)
    .where(
      and(
        eq(representedHouseholds.personId, personId),
        householdIds.length ? notInArray(representedHouseholds.householdId, householdIds) : undefined,
      ),
    )
}
