import type { Activity } from '@liren/shared/contracts'
import type { Actor } from '../../../core/audit.js'
import type { Db } from '../../../core/db.js'
import { requireResident } from '../../identity/index.js'
import { signUp } from './activity-sign-up.js'

/** The committee signs up a villager without a phone, who must be on the roll. */
export async function signUpFor(
  db: Db,
  actor: Actor,
  villageId: number,
  activityId: number,
  personId: number,
): Promise<Activity> {
  await requireResident(db, villageId, personId)
  return signUp(db, actor, villageId, activityId, personId)
}
