import { ErrorCode, type Person, type PersonPatch } from '@liren/shared/contracts'
import { and, eq, inArray } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { conflict, invalid, notFound } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { identityTables } from '../identity/index.js'
import { clearHeadIf, HEAD, makeHead, representOnly } from './head.js'
import { phoneForAudit, validBirthDate } from './row-rules.js'
import { findPeople, personInVillage } from './people.js'

const { households, persons, representedHouseholds } = identityTables

/** The committee corrects a person on the roster; the change and its before/after are audited. */
export async function updatePerson(
  db: Db,
  secrets: Secrets,
  actor: Actor,
  villageId: number,
  personId: number,
  patch: PersonPatch,
  today: string,
): Promise<Person> {
  if (patch.birthDate !== undefined) {
    const problem = validBirthDate(patch.birthDate, today)
    if (problem) throw invalid('birthDate', problem)
  }
  try {
    await transaction(db, async (tx) => {
      const [row] = await tx.select().from(persons).where(personInVillage(villageId, personId)).for('update')
      if (!row) throw notFound(ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', 'personId')
      const before = { ...row, phone: secrets.decrypt(row.phone) }
      const { representedHouseholdIds, ...fields } = patch
      if (fields.householdId !== undefined) await requireHouseholds(tx, villageId, [fields.householdId], 'householdId')
      const representative = fields.representative ?? before.representative
      if (representedHouseholdIds?.length && !representative)
        throw invalid('representedHouseholdIds', '只有村民代表才能代表其他户')

      if (Object.keys(fields).length) {
        const stored = fields.phone === undefined ? fields : { ...fields, phone: secrets.encrypt(fields.phone) }
        await tx.update(persons).set(stored).where(eq(persons.id, personId))
      }
      const householdId = fields.householdId ?? before.householdId
      if (
        householdId !== before.householdId ||
        (before.relation === HEAD && fields.relation !== undefined && fields.relation !== HEAD)
      ) {
        await clearHeadIf(tx, before.householdId, personId)
      }
      if (
        (fields.relation ?? before.relation) === HEAD &&
        (fields.relation !== undefined || householdId !== before.householdId)
      )
        await makeHead(tx, householdId, personId)
      const desired = representative ? representedHouseholdIds : []
      if (desired !== undefined) {
        await requireHouseholds(tx, villageId, desired, 'representedHouseholdIds')
        await representOnly(tx, personId, desired)
        for (const householdId of desired) {
          await tx
            .insert(representedHouseholds)
            .values({ householdId, personId })
            .onDuplicateKeyUpdate({ set: { personId } })
        }
      }
      const changed = Object.fromEntries(
        Object.entries(fields)
          .filter(([k, v]) => (before as Record<string, unknown>)[k] !== v)
          .map(([k, v]) => [
            k,
            k === 'phone'
              ? { from: phoneForAudit(before.phone), to: phoneForAudit(v as string | null) }
              : { from: (before as Record<string, unknown>)[k], to: v },
          ]),
      )
      await audit(tx, actor, {
        villageId,
        action: 'person.updated',
        entity: 'person',
        entityId: personId,
        data: { changed, representedHouseholdIds: desired ?? null },
      })
    })
  } catch (err) {
    if (isDuplicateKey(err, 'persons_identity_uq'))
      throw conflict(ErrorCode.PERSON_ALREADY_ON_ROSTER, '这一户里已经有同名同生日的人')
    throw err
  }
  const [person] = await findPeople(db, secrets, personInVillage(villageId, personId))
  return person!
}

async function requireHouseholds(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  villageId: number,
  ids: number[],
  field: string,
) {
  if (ids.length === 0) return
  const found = await tx
    .select({ id: households.id })
    .from(households)
    .where(and(eq(households.villageId, villageId), inArray(households.id, ids)))
  if (found.length !== new Set(ids).size)
    throw notFound(ErrorCode.HOUSEHOLD_NOT_FOUND, '这个村（社区）没有这一户', field)
}
