import type { ReportEvent } from '@liren/shared/contracts'
import type { Urgency } from '@liren/shared/rules'

/** What each step on a report's timeline is called. */
export const EVENT_LABEL: Record<ReportEvent['action'], string> = {
  submit: '提交上报',
  accept: '受理',
  assign: '转派',
  start: '开始处理',
  resolve: '办结',
  reject: '不予受理',
  merge: '合并到另一条上报',
  rate: '评价',
  close: '结案',
  escalate: '超时，上报上级',
  reopen: '不满意，重新处理',
}

/** The colour word alone, for the small mark on a card. */
export const URGENCY_WORD: Record<Urgency, string> = { blue: '蓝', orange: '橙', red: '红' }

/** A deadline in hours, in words: 48 → "2 天", 36 → "36 小时". */
export function deadlineText(hours: number): string {
  return hours >= 24 && hours % 24 === 0 ? `${hours / 24} 天` : `${hours} 小时`
}

/** Who did a step, in words: the system for escalations and automatic closing, else the person. */
export function actorText(event: Pick<ReportEvent, 'action' | 'actorName'>): string {
  if (event.actorName) return event.actorName
  if (event.action === 'escalate' || event.action === 'close') return '系统自动'
  return '上报人（匿名）'
}
