/**
 * Reports (随手拍 / 民情上报) as work orders: the states, who may move a report between them, and the
 * deadlines per urgency colour. The server enforces these; the client shows only the actions they allow.
 */
/** Days a closed report that is not public keeps its text and photos, unless the village sets otherwise. */
export const DEFAULT_RETENTION_DAYS = 365

export const REPORT_STATES = [
  'submitted',
  'accepted',
  'in_progress',
  'resolved',
  'closed',
  'rejected',
  'merged',
] as const
export type ReportState = (typeof REPORT_STATES)[number]

export const REPORT_STATE_LABEL: Record<ReportState, string> = {
  submitted: '待受理',
  accepted: '已受理',
  in_progress: '处理中',
  resolved: '已办结',
  closed: '已结案',
  rejected: '不予受理',
  merged: '已合并',
}

/** States in which the report is still being worked on (deadlines run, escalation applies). */
export const OPEN_STATES: readonly ReportState[] = ['submitted', 'accepted', 'in_progress']

export const URGENCIES = ['blue', 'orange', 'red'] as const
export type Urgency = (typeof URGENCIES)[number]
export const URGENCY_LABEL: Record<Urgency, string> = {
  blue: '蓝色（一般）',
  orange: '橙色（紧急）',
  red: '红色（特急）',
}

/** Hours to accept and to resolve, per colour (village-configurable; these are the defaults). */
export type Deadlines = Record<Urgency, { acceptHours: number; resolveHours: number }>
export const DEFAULT_DEADLINES: Deadlines = {
  red: { acceptHours: 2, resolveHours: 24 },
  orange: { acceptHours: 24, resolveHours: 72 },
  blue: { acceptHours: 48, resolveHours: 168 },
}

export const DEFAULT_CATEGORIES = [
  '环境卫生',
  '设施损坏',
  '治安隐患',
  '矛盾纠纷',
  '民生诉求',
  '文明劝导',
  '其他',
] as const
/** Categories whose reports are private unless the reporter makes them public. */
export const PRIVATE_BY_DEFAULT: readonly string[] = ['矛盾纠纷']

/** Escalation levels, lowest first: 小事一格解决，大事全网联动. */
export const LEVELS = ['grid', 'village', 'town'] as const
export type Level = (typeof LEVELS)[number]
export const LEVEL_LABEL: Record<Level, string> = { grid: '网格', village: '村（社区）', town: '镇（街道）' }
export const nextLevel = (level: Level): Level | null => LEVELS[LEVELS.indexOf(level) + 1] ?? null

/** Unrated resolved reports close by themselves after this many days. */
export const AUTO_CLOSE_DAYS = 7

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const
export type Rating = (typeof RATINGS)[number]
export const RATING_LABEL: Record<Rating, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
}

/** Who is acting on a report: its reporter, a handler (grid worker of its grid, committee, town admin), or the system. */
export type ReportActor = 'reporter' | 'handler' | 'system'

export const REPORT_ACTIONS = [
  'accept',
  'assign',
  'start',
  'resolve',
  'reject',
  'merge',
  'rate',
  'close',
  'escalate',
] as const
export type ReportAction = (typeof REPORT_ACTIONS)[number]

interface Transition {
  from: readonly ReportState[]
  /** The state after; null when the action does not change the state (assign, escalate) or depends on input (rate). */
  to: ReportState | null
  by: ReportActor
}

/** The transition table: the one place that says what may happen to a report, and by whom. */
export const TRANSITIONS: Record<ReportAction, Transition> = {
  accept: { from: ['submitted'], to: 'accepted', by: 'handler' },
  assign: { from: ['accepted', 'in_progress'], to: null, by: 'handler' },
  start: { from: ['accepted'], to: 'in_progress', by: 'handler' },
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved', by: 'handler' },
  reject: { from: ['submitted', 'accepted'], to: 'rejected', by: 'handler' },
  merge: { from: ['submitted', 'accepted', 'in_progress'], to: 'merged', by: 'handler' },
  // 满意 / 基本满意 close it; 不满意 sends it back to its handler.
  rate: { from: ['resolved'], to: null, by: 'reporter' },
  close: { from: ['resolved'], to: 'closed', by: 'system' },
  escalate: { from: OPEN_STATES, to: null, by: 'system' },
}

export function canAct(action: ReportAction, state: ReportState, actor: ReportActor): boolean {
  const t = TRANSITIONS[action]
  return t.by === actor && t.from.includes(state)
}

/** The state a rating leads to. */
export const stateAfterRating = (rating: Rating): ReportState => (rating === 'unsatisfied' ? 'in_progress' : 'closed')

/** The actions a handler or the reporter may take on a report now, for the buttons the client shows. */
export function allowedActions(state: ReportState, actor: ReportActor): ReportAction[] {
  return REPORT_ACTIONS.filter((a) => canAct(a, state, actor))
}

/** The deadline (hours from now) that escalation watches in a state: accepting while submitted, resolving after. */
export function watchedHours(state: ReportState, urgency: Urgency, deadlines: Deadlines): number | null {
  if (state === 'submitted') return deadlines[urgency].acceptHours
  if (state === 'accepted' || state === 'in_progress') return deadlines[urgency].resolveHours
  return null
}
