/**
 * 委托投票 (proxies) and several ballot boxes (流动票箱, 分会场): the rules both sides run. Glossary:
 * 委托人 principal · 受委托人 proxy · 计票点 counting point · 主会场 main venue · 流动票箱 mobile box ·
 * 分会场 branch venue · 计票人 counter · 监票人 scrutineer.
 */

/** A proxy may hold written authorisations of at most this many principals (for one meeting). */
export const MAX_PRINCIPALS_PER_PROXY = 3

/** Whether a proxy already holding `active` authorisations may take one more. */
export const proxyCanTakeAnother = (active: number): boolean => active < MAX_PRINCIPALS_PER_PROXY

/** Where ballots are collected and counted: the main venue, a mobile box carried to homes, a branch venue. */
export const COUNTING_POINT_KINDS = ['venue', 'mobile', 'branch'] as const
export type CountingPointKind = (typeof COUNTING_POINT_KINDS)[number]
export const COUNTING_POINT_KIND_LABEL: Record<CountingPointKind, string> = {
  venue: '主会场',
  mobile: '流动票箱',
  branch: '分会场',
}
/** The name of the main venue's point, made for every meeting the first time it is needed. */
export const MAIN_VENUE_NAME = '主会场'

/** A counting point needs at least two tellers, all different people. */
export const MIN_TELLERS = 2
export const tellersValid = (membershipIds: readonly number[]): boolean =>
  membershipIds.length >= MIN_TELLERS && new Set(membershipIds).size === membershipIds.length

/**
 * Why a box's counts do not add up to the ballots it held (null when they do): no option can have more
 * ballots than the box held, and all marks together at most `maxChoices` per ballot.
 */
export function boxCountsProblem(
  counts: readonly { count: number }[],
  ballotsCast: number,
  maxChoices: number,
): string | null {
  if (counts.some((c) => c.count > ballotsCast)) return `票箱里只有 ${ballotsCast} 张票，一个选项的票数不能比它多`
  const marks = counts.reduce((s, c) => s + c.count, 0)
  if (marks > ballotsCast * maxChoices)
    return maxChoices === 1
      ? `票箱里只有 ${ballotsCast} 张票，各选项加起来不能比它多`
      : `票箱里只有 ${ballotsCast} 张票，每张最多选 ${maxChoices} 项，各选项加起来不能超过 ${ballotsCast * maxChoices}`
  return null
}

/**
 * A box holding more ballots than the voters signed in there (on the roll, not voting online or by
 * proxy) is void: none of its ballots count, and the result says so.
 */
export const boxVoid = (ballotsCast: number, eligible: number): boolean => ballotsCast > eligible

/** Why a box was void, in words for the result and the notice. */
export const boxVoidReason = (ballotsCast: number, eligible: number): string =>
  `票箱里有 ${ballotsCast} 张票，比在这里签到、能投票的 ${eligible} 人多，这个票箱的票作废，不计入结果`
