import type { Entry, PointRule } from '@liren/shared/contracts'

/** +10 / -5: the sign is the direction, for this account. */
export function signedPoints(amount: number): string {
  return amount > 0 ? `+${amount}` : String(amount)
}

/** The history line's title: the rule's name when there is one, else the reason. */
export function entryTitle(entry: Entry): string {
  return entry.ruleName ?? entry.reason
}

/** ★★★ for three stars; the empty string for none. */
export function starText(stars: number): string {
  return '★'.repeat(Math.max(0, stars))
}

/** 123456 → 123 456: easier to read out at the counter. */
export function spacedCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code
}

/** A rule's caps and approval threshold in a few words: "每天最多 80 分 · 每年最多 2000 分 · 超过 100 分要复核". */
export function ruleLimits(rule: Pick<PointRule, 'capPerDay' | 'capPerYear' | 'approvalThreshold'>): string {
  const parts: string[] = []
  if (rule.capPerDay !== null) parts.push(`每人每天最多 ${rule.capPerDay} 分`)
  if (rule.capPerYear !== null) parts.push(`每年最多 ${rule.capPerYear} 分`)
  if (rule.approvalThreshold !== null) parts.push(`一次超过 ${rule.approvalThreshold} 分要复核`)
  return parts.length ? parts.join(' · ') : '没有上限'
}
