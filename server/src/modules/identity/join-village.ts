import { ErrorCode, type JoinBody, type Membership } from '@liren/shared/contracts'
import { birthYearProblem } from '@liren/shared/rules'
import { and, eq, isNull } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db, type Tx } from '../../core/db.js'
import { conflict, invalid } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import type { WechatClient } from '../../core/wechat.js'
import { findMemberships } from './memberships.js'
import { memberships, users } from './tables.js'
import { findVillage } from './village-access.js'

/**
 * A signed-in user applies to join a village. A rejected applicant may apply again
 * (the same row goes back to pending with the new details); pending or verified members may not.
 * With a code from WeChat's phone-number button, the number is asked of WeChat (before anything is
 * written, outside the transaction) and kept encrypted; an application without one keeps no phone.
 */
export async function joinVillage(
  db: Db,
  wechat: WechatClient,
  secrets: Secrets,
  actor: Actor,
  villageId: number,
  body: JoinBody,
  now = new Date(),
): Promise<Membership> {
  const realName = body.realName.trim()
  const householdAddress = body.householdAddress.trim()
  const problem = birthYearProblem(body.birthYear, now.getFullYear())
  if (problem) throw invalid('birthYear', problem)
  const phone = body.phoneCode === undefined ? null : await wechat.phoneNumber(body.phoneCode)

  const details = {
    realName,
    householdAddress,
    birthYear: body.birthYear,
    phone: secrets.encrypt(phone),
    appliedAt: now,
  }
  let membershipId: number
  try {
    // Insert first and let the unique (user, village) key decide between parallel applications.
    membershipId = await transaction(db, async (tx) => {
      await findVillage(tx, villageId)
      const [{ id }] = (await tx
        .insert(memberships)
        .values({ userId: actor.userId, villageId, ...details })
        .$returningId()) as [{ id: number }]
      await afterApplying(tx, actor, villageId, id, 'membership.applied')
      return id
    })
  } catch (err) {
    if (!isDuplicateKey(err, 'memberships_user_village_uq')) throw err
    // Already there: only a rejected application may be made again. A fresh transaction, so the
    // locking read sees the committed row and holds no shared lock from the failed insert.
    membershipId = await transaction(db, async (tx) => {
      const [existing] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, actor.userId), eq(memberships.villageId, villageId)))
        .for('update')
      if (existing?.status === 'verified') throw conflict(ErrorCode.ALREADY_MEMBER, '您已经是这里的认证成员了')
      if (existing?.status !== 'rejected') throw conflict(ErrorCode.ALREADY_APPLIED, '您已经申请过了，请等待审核')
      await tx
        .update(memberships)
        .set({ ...details, status: 'pending', rejectReason: null, decidedAt: null, decidedBy: null })
        .where(eq(memberships.id, existing.id))
      await afterApplying(tx, actor, villageId, existing.id, 'membership.reapplied')
      return existing.id
    })
  }
  const [membership] = await findMemberships(db, secrets, eq(memberships.id, membershipId))
  return membership!
}

async function afterApplying(tx: Tx, actor: Actor, villageId: number, membershipId: number, action: string) {
  // The first village a user applies to becomes the one the app shows.
  await tx
    .update(users)
    .set({ currentVillageId: villageId })
    .where(and(eq(users.id, actor.userId), isNull(users.currentVillageId)))
  await audit(tx, actor, { villageId, action, entity: 'membership', entityId: membershipId })
}
