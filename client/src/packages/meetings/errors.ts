import { ApiError } from '../../services/http'

/** Words for the errors this page shows in place; anything else shows the server's own message. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return '没有成功，请再试一次'
  const words: Record<string, string> = {
    NO_AGENDA: '会议还没有议程，不能发通知。',
    ALREADY_CONFIRMED: '已经登记过了。',
    NOT_ON_ROLL: '这个人不在这次会议的名单上（发通知时不在花名册上）。',
    OFFLINE_UNCONFIRMED: '现场票数还没有经计票人和监票人都确认，不能结束表决。',
    TELLER_INVALID: '计票人和监票人要是两个不同的、已审核的成员。',
    ALREADY_VOTED: '您已经投过票了，每人只能投一次。',
  }
  // The server says how many may vote at the venue; the page adds what to do about it.
  if (error.code === 'OFFLINE_EXCEEDS_ROLL') return `${error.message}。请再数一遍；到了会场还没登记的人，请先登记到会。`
  return words[error.code] ?? error.message
}
