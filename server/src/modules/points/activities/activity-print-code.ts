import type { ActivityCode } from '@liren/shared/contracts'
import type { Db } from '../../../core/db.js'
import { printableCode } from '../../../core/venue-code.js'
import type { WechatClient } from '../../../core/wechat.js'
import { ACTIVITY_PAGE, activityCode } from './activity-code.js'
import { findActivity } from './activity-view.js'

/** The activity's sign-in code for the committee to print and put up at the venue. */
export async function printActivityCode(
  db: Db,
  wechat: WechatClient,
  codeSecret: string,
  villageId: number,
  activityId: number,
): Promise<ActivityCode> {
  const activity = await findActivity(db, villageId, activityId)
  return printableCode(wechat, activityCode(codeSecret, activity.villageId, activity.id), ACTIVITY_PAGE)
}
