import { createHmac, timingSafeEqual } from 'node:crypto'
import { ErrorCode } from '@liren/shared/contracts'
import { AppError } from '../../core/errors.js'

/**
 * The sign-in code of an activity: `<village id>.<activity id>.<16 characters of HMAC>`, short enough
 * to be a mini-program code's scene (≤ 32 characters) and a small QR code, and enough for the page it
 * opens to know where it is. It is the same for the whole
 * activity, so the committee can print it on a poster at the venue; sign-in is only accepted while
 * the activity is open, and the signature proves the scan came from this activity's code.
 */
const sign = (secret: string, villageId: number, activityId: number) =>
  createHmac('sha256', secret).update(`activity-code:${villageId}:${activityId}`).digest('base64url').slice(0, 16)

export const activityCode = (secret: string, villageId: number, activityId: number) => `${villageId}.${activityId}.${sign(secret, villageId, activityId)}`

/** The mini-program page a scanned code opens; it receives the code as `scene`. */
export const ACTIVITY_PAGE = 'packages/points/activity/index'

const codeInvalid = (message: string) => new AppError(400, ErrorCode.CODE_INVALID, message, [{ field: 'token', message }])

export function verifyActivityCode(secret: string, token: string, villageId: number, activityId: number): void {
  const match = /^(\d{1,7})\.(\d{1,7})\.([A-Za-z0-9_-]{16})$/.exec(token.trim())
  if (!match) throw codeInvalid('活动二维码不对，请找组织者重新出示')
  const expected = Buffer.from(sign(secret, Number(match[1]), Number(match[2])))
  if (!timingSafeEqual(Buffer.from(match[3]!), expected)) throw codeInvalid('活动二维码不对，请找组织者重新出示')
  if (Number(match[1]) !== villageId || Number(match[2]) !== activityId) throw codeInvalid('这不是这个活动的二维码')
}
