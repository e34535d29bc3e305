import type { EarningRule, Entry, PointRule, RuleSource } from '@liren/shared/contracts'

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

/** Who confirms a rule's points, in plain words (`committee` is 村委会 or 居委会). */
export function ruleSourceText(source: RuleSource, committee: string): string {
  const text: Record<RuleSource, string> = {
    report: '您随手拍上报的问题办好了、您点了“满意”，自动记分',
    meeting: '到会场扫码签到，或由工作人员登记到会，自动记分',
    vote: '在手机上或会场投了票，自动记分',
    activity: `志愿活动结束，组织人确认您的服务时长后记分，每个活动的分数写在活动里`,
    committee: `由${committee}核实后记分`,
  }
  return text[source]
}

/** How often a rule counts, for the person earning: "每天最多算 10 分，每年最多算 300 分" or "不限次数". */
export function ruleCaps(rule: Pick<EarningRule, 'capPerDay' | 'capPerYear'>): string {
  const parts: string[] = []
  if (rule.capPerDay !== null) parts.push(`每天最多算 ${rule.capPerDay} 分`)
  if (rule.capPerYear !== null) parts.push(`每年最多算 ${rule.capPerYear} 分`)
  return parts.length ? parts.join('，') : '不限次数'
}
