import type { EntryKind, NeighbourService, OrderStatus, RuleSource, SignupStatus } from '../contracts/points.js'

export const DEFAULT_STAR_THRESHOLDS = [50, 150, 300, 600, 1000]

/** Stars by lifetime score: one for each village threshold reached (thresholds ascending). */
export function starsFor(
  lifetimeScore: number,
  thresholds: readonly number[],
): { stars: number; nextStarAt: number | null } {
  const stars = thresholds.filter((t) => lifetimeScore >= t).length
  return { stars, nextStarAt: thresholds[stars] ?? null }
}

/** Points for confirmed service minutes: per hour (rounded to the nearest point), or a fixed amount. */
export function pointsForMinutes(
  activity: { pointsMode: 'per_hour' | 'fixed'; points: number },
  minutes: number,
): number {
  return activity.pointsMode === 'per_hour' ? Math.round((activity.points * minutes) / 60) : activity.points
}

/** Service minutes as hours for people: 90 → "1.5", 120 → "2". */
export function hoursText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}` : (minutes / 60).toFixed(1)
}

/** What each kind of ledger entry is called in the history. */
export const ENTRY_KIND_LABEL: Record<EntryKind, string> = {
  earn: '加分',
  redeem: '兑换',
  refund: '退回',
  penalty: '扣分',
  transfer: '互助',
  expire: '过期',
  reversal: '冲正',
}

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  pending: '待领取',
  fulfilled: '已领取',
  cancelled: '已取消',
  expired: '已过期',
}

export const SIGNUP_STATUS_LABEL: Record<SignupStatus, string> = {
  signed_up: '已报名',
  cancelled: '已取消报名',
  checked_in: '已签到',
  checked_out: '已签退',
  confirmed: '已确认时长',
}

/** A neighbour service (服务互换): an offer of help or a request for it, and where it stands. */
export const SERVICE_KIND_LABEL: Record<NeighbourService['kind'], string> = { offer: '能帮忙', request: '要帮忙' }
export const SERVICE_STATUS_LABEL: Record<NeighbourService['status'], string> = {
  open: '等人接',
  taken: '已有人接',
  completed: '已完成',
  cancelled: '已撤下',
}

/** The rules the app applies by itself when the thing is done, by code; every other rule is given by the committee. */
// A Map, not an object: a committee's own code such as `constructor` must not find Object's prototype.
const AUTOMATIC_RULES: ReadonlyMap<string, RuleSource> = new Map([
  ['valid_report', 'report'],
  ['meeting_attendance', 'meeting'],
  ['vote', 'vote'],
  ['volunteer_hour', 'activity'],
])

/** Who confirms a rule's points: the app, on a finished report, meeting, vote or activity; or the committee. */
export const ruleSource = (code: string): RuleSource => AUTOMATIC_RULES.get(code) ?? 'committee'
