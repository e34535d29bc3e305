import type { MeetingCode } from '@liren/shared/contracts'
import type { Db } from '../../core/db.js'
import { printableCode, venueCode } from '../../core/venue-code.js'
import type { WechatClient } from '../../core/wechat.js'
import { findMeeting, MEETING_PAGE } from './access.js'

/** The meeting's sign-in code for the committee to print and put up at the venue. */
export async function printMeetingCode(
  db: Db,
  wechat: WechatClient,
  codeSecret: string,
  villageId: number,
  meetingId: number,
): Promise<MeetingCode> {
  const m = await findMeeting(db, villageId, meetingId, true)
  return printableCode(wechat, venueCode(codeSecret, 'meeting', m.villageId, m.id), MEETING_PAGE)
}
