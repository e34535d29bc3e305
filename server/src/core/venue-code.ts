import { createHmac, timingSafeEqual } from 'node:crypto'
import { ErrorCode, type ActivityCode } from '@liren/shared/contracts'
import { AppError } from './errors.js'
import { qrDataUrl } from './qr.js'
import type { WechatClient } from './wechat.js'

/**
 * The sign-in code of a place people come to (a volunteer activity, a village meeting):
 * `<village id>.<id>.<16 characters of HMAC>`, short enough to be a mini-program code's scene
 * (≤ 32 characters) and a small QR code, and enough for the page it opens to know where it is. It is
 * the same for the whole event, so the committee can print it for the venue; the signature (which
 * covers what kind of event it is) proves the scan came from this event's code.
 */
export type VenuePurpose = 'activity' | 'meeting'

const sign = (secret: string, purpose: VenuePurpose, villageId: number, id: number) =>
  createHmac('sha256', secret).update(`${purpose}-code:${villageId}:${id}`).digest('base64url').slice(0, 16)

export const venueCode = (secret: string, purpose: VenuePurpose, villageId: number, id: number) =>
  `${villageId}.${id}.${sign(secret, purpose, villageId, id)}`

const WHAT: Record<VenuePurpose, string> = { activity: '活动', meeting: '会议' }

export function verifyVenueCode(
  secret: string,
  purpose: VenuePurpose,
  token: string,
  villageId: number,
  id: number,
): void {
  const invalid = (message: string) => new AppError(400, ErrorCode.CODE_INVALID, message, [{ field: 'token', message }])
  const match = /^(\d{1,7})\.(\d{1,7})\.([A-Za-z0-9_-]{16})$/.exec(token.trim())
  const wrong = `${WHAT[purpose]}二维码不对，请找组织者重新出示`
  if (!match) throw invalid(wrong)
  const expected = Buffer.from(sign(secret, purpose, Number(match[1]), Number(match[2])))
  if (!timingSafeEqual(Buffer.from(match[3]!), expected)) throw invalid(wrong)
  if (Number(match[1]) !== villageId || Number(match[2]) !== id) throw invalid(`这不是这个${WHAT[purpose]}的二维码`)
}

/** A venue's code to print: the token, the mini-program code opening `page` with it, and a plain QR code of it. */
export async function printableCode(wechat: WechatClient, token: string, page: string): Promise<ActivityCode> {
  const [wxacode, qr] = await Promise.all([wechat.miniProgramCode(token, page), qrDataUrl(token)])
  return { token, wxacode, qr }
}
