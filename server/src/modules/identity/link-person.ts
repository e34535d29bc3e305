import { ErrorCode, type Membership } from '@liren/shared/contracts'
import { and, eq, isNull } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { villageRow } from '../../core/village-rows.js'
import { affectedRows, isDuplicateKey, transaction, type Db, type Tx } from '../../core/db.js'
import { AppError, conflict, notFound } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { findMemberships } from './memberships.js'
import { memberships, persons } from './tables.js'

/**
 * Links a membership to a roster person of the same village, inside the caller's transaction.
 * One person has at most one user (unique key) and a member is at most one person.
 */
export async function linkMembershipToPerson(
  tx: Tx,
  villageId: number,
  membershipId: number,
  personId: number,
): Promise<void> {
  const [person] = await tx
    .select({ householdId: persons.householdId })
    .from(persons)
    // A person who moved away or died is the village's record, no one to link a member to.
    .where(and(eq(persons.id, personId), eq(persons.villageId, villageId), eq(persons.status, 'resident')))
  if (!person) throw notFound(ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', 'personId')
  let linked: number
  try {
    linked = affectedRows(
      await tx
        .update(memberships)
        .set({ personId, householdId: person.householdId })
        .where(
          and(eq(memberships.id, membershipId), eq(memberships.villageId, villageId), isNull(memberships.personId)),
        ),
    )
  } catch (err) {
    if (isDuplicateKey(err, 'memberships_person_uq')) {
      throw new AppError(409, ErrorCode.PERSON_ALREADY_LINKED, '这个人已经关联了另一个用户', [
        { field: 'personId', message: '已被其他用户关联' },
      ])
    }
    throw err
  }
  if (linked === 0) {
    const m = await villageRow(tx, memberships, villageId, membershipId)
    if (!m) throw notFound(ErrorCode.MEMBER_NOT_FOUND, '找不到这位成员', 'membershipId')
    if (m.personId !== personId) throw conflict(ErrorCode.MEMBER_ALREADY_LINKED, '这位成员已经关联了花名册上的另一个人')
  }
}

/** The committee links an already verified member to their roster person. */
export async function linkPerson(
  db: Db,
  secrets: Secrets,
  actor: Actor,
  villageId: number,
  membershipId: number,
  personId: number,
): Promise<Membership> {
  await transaction(db, async (tx) => {
    const m = await villageRow(tx, memberships, villageId, membershipId)
    if (!m || m.status !== 'verified')
      throw notFound(ErrorCode.MEMBER_NOT_FOUND, '找不到这位已认证的成员', 'membershipId')
    await linkMembershipToPerson(tx, villageId, membershipId, personId)
    await audit(tx, actor, {
      villageId,
      action: 'membership.linked_person',
      entity: 'membership',
      entityId: membershipId,
      data: { personId },
    })
  })
  const [membership] = await findMemberships(db, secrets, eq(memberships.id, membershipId))
  return membership!
}
