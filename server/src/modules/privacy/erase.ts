import type { RetirePersonBody } from '@liren/shared/contracts'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db, type Tx } from '../../core/db.js'
import {
  clearInbox,
  eraseMembership,
  eraseUser,
  forgetLiveUser,
  lockAccount,
  retireRosterPerson,
} from '../identity/index.js'
import { blankComments } from '../meetings/index.js'
import { anonymizeReports } from '../reports/index.js'

/**
 * One membership's personal fields go: name, address, birth year and phone are replaced, the link to
 * the roster person is cut, roles end, and the member's reports in that village become anonymous.
 * What the village keeps as its records stays whole: the roster person, points accounts and entries,
 * meeting attendance and ballots, the audit log. Their comments keep their place but not their words.
 */
async function eraseMember(tx: Tx, membershipId: number, reason: string): Promise<void> {
  const m = await eraseMembership(tx, membershipId, reason)
  if (!m) return
  await anonymizeReports(tx, m.villageId, m.userId, m.personId)
  await blankComments(tx, m.villageId, m.userId)
  await clearInbox(tx, m.userId, m.villageId)
}

/**
 * The member deletes their account (注销): every membership is erased as above, the WeChat openid is
 * replaced (signing in again makes a new account), their inbox goes and every sign-in ends. Final.
 */
export async function deleteAccount(db: Db, actor: Actor): Promise<void> {
  await transaction(db, async (tx) => {
    const memberships = await lockAccount(tx, actor.userId)
    for (const id of memberships) await eraseMember(tx, id, '账号已注销')
    await eraseUser(tx, actor.userId)
    await audit(tx, actor, { villageId: null, action: 'user.deleted', entity: 'user', entityId: actor.userId })
  })
  forgetLiveUser(db, actor.userId)
}

/**
 * The committee retires a roster person who moved away (迁出) or died: the person stays on the roster
 * as the village's record with the new status and without a phone, and the membership linked to them,
 * if any, is erased as if its member had left this village (their other villages are untouched).
 */
export async function retirePerson(
  db: Db,
  actor: Actor,
  villageId: number,
  personId: number,
  status: RetirePersonBody['status'],
): Promise<void> {
  await transaction(db, async (tx) => {
    const linked = await retireRosterPerson(tx, villageId, personId, status)
    for (const id of linked) await eraseMember(tx, id, status === 'moved_out' ? '已迁出' : '已去世')
    await audit(tx, actor, {
      villageId,
      action: 'person.retired',
      entity: 'person',
      entityId: personId,
      data: { status },
    })
  })
}
