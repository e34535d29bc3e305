import dayjs from 'dayjs'
import type { VillageKind } from '../contracts/identity.js'
import type { PetitionState, TopicState, VoteState } from '../contracts/meetings.js'
import { placeWords } from './identity.js'

/**
 * Village meetings and votes (议事与表决) under the 村民委员会组织法: who may vote, when a meeting or a
 * vote counts (quorum), and what passes. The server decides with these functions and the client shows
 * the same figures with them. Every threshold is integer arithmetic: no rounding decides a vote.
 *
 * Glossary: 村民会议 villager meeting · 村民代表会议 representative meeting · 议事协商会 deliberation ·
 * 表决 vote · 选票 ballot · 应到 eligible · 实到 present · 过半数 more than half · 三分之二以上 two thirds or more ·
 * 计票人 counter · 监票人 scrutineer · 公示 publication · 回执 receipt
 */

export const MEETING_KINDS = ['villager_meeting', 'representative_meeting', 'deliberation'] as const
export type MeetingKind = (typeof MEETING_KINDS)[number]

/** 村民会议 in a village, 居民会议 in an urban community. */
export function meetingKindLabel(kind: MeetingKind, place: VillageKind): string {
  const member = placeWords(place).member
  return kind === 'villager_meeting'
    ? `${member}会议`
    : kind === 'representative_meeting'
      ? `${member}代表会议`
      : '议事协商会'
}

export const MEETING_STATES = [
  'draft',
  'announced',
  'postponed',
  'in_session',
  'closed',
  'published',
  'cancelled',
] as const
export type MeetingState = (typeof MEETING_STATES)[number]
export const MEETING_STATE_LABEL: Record<MeetingState, string> = {
  draft: '草稿',
  announced: '已通知',
  postponed: '已延期',
  in_session: '正在开会',
  closed: '已散会',
  published: '已公布纪要',
  cancelled: '已取消',
}

/**
 * The meeting's life, in one table read by the server (which refuses what it does not allow) and by the
 * client (whose buttons come from it). Each action moves the meeting from one of `from` to `to`; only the
 * committee (permission meetings.manage) takes them; `needs` says, in the words the refusal uses, what must
 * hold besides the state.
 * - announce: the agenda is fixed and the roll frozen; the notice period holds (noticeProblem) unless the
 *   meeting is marked 紧急 with a reason.
 * - postpone: a new time and a reason, before any vote opens; the notice period runs again from now.
 * - start: not before the announced time (less the village's grace).
 * - close: every vote closed. publish: the minutes written.
 * - cancel: a reason, before any vote opens.
 */
export const MEETING_ACTIONS = ['announce', 'postpone', 'start', 'close', 'publish', 'cancel'] as const
export type MeetingAction = (typeof MEETING_ACTIONS)[number]
export const MEETING_LIFECYCLE: Record<
  MeetingAction,
  { from: readonly MeetingState[]; to: MeetingState; label: string; needs: string }
> = {
  announce: { from: ['draft'], to: 'announced', label: '发出通知', needs: '有议程，并提前通知（紧急会议写明原因）' },
  postpone: {
    from: ['announced', 'postponed'],
    to: 'postponed',
    label: '延期',
    needs: '还没有开始表决，写明新时间和原因',
  },
  start: { from: ['announced', 'postponed'], to: 'in_session', label: '开始开会', needs: '到了通知的开会时间' },
  close: { from: ['in_session'], to: 'closed', label: '散会', needs: '每项表决都已结束' },
  publish: { from: ['closed'], to: 'published', label: '公布会议纪要', needs: '写好会议纪要' },
  cancel: { from: ['announced', 'postponed'], to: 'cancelled', label: '取消会议', needs: '还没有开始表决，写明原因' },
}

/** The actions the meeting's state allows (before their other preconditions), in the table's order. */
export const meetingActions = (state: MeetingState): MeetingAction[] =>
  MEETING_ACTIONS.filter((a) => MEETING_LIFECYCLE[a].from.includes(state))

/** Whether `action` may be taken in `state`. */
export const meetingAllows = (state: MeetingState, action: MeetingAction): boolean =>
  MEETING_LIFECYCLE[action].from.includes(state)

/**
 * Whether the meeting is live: noticed to the roll and not over (announced, postponed or in session). Its
 * roll is frozen; people sign in, comment (until the start) and vote (once votes open) only then.
 */
export const meetingIsLive = (state: MeetingState): boolean =>
  state === 'announced' || state === 'postponed' || state === 'in_session'

/** Whether the meeting is noticed and not yet started: the agenda is fixed, 征求意见 runs, it can be moved. */
export const meetingIsNoticed = (state: MeetingState): boolean => state === 'announced' || state === 'postponed'

/** A village's rules for its meetings (meeting_settings; these defaults until the committee sets them). */
export interface MeetingSettings {
  /** 村民代表会议's notice period in days (a 村民会议's is the law's ten). */
  representativeNoticeDays: number
  /** How long before the announced time a session may start and votes open, in minutes. */
  startGraceMinutes: number
  /** Days the committee has to hold a meeting after a petition succeeds. */
  petitionAnswerDays: number
  /** 委托投票: whether a villager may authorise another in writing to vote for them (absent: not allowed). */
  proxiesAllowed?: boolean
}
export const DEFAULT_MEETING_SETTINGS: MeetingSettings = {
  representativeNoticeDays: 3,
  startGraceMinutes: 30,
  petitionAnswerDays: 30,
  proxiesAllowed: false,
}

/** 第二十一条: a 村民会议 is announced ten days before it is held. */
export const VILLAGER_MEETING_NOTICE_DAYS = 10

/** The notice period a meeting needs in calendar days: the law's ten for a 村民会议, the village's for the others. */
export function requiredNoticeDays(kind: MeetingKind, settings: MeetingSettings): number {
  if (kind === 'villager_meeting') return VILLAGER_MEETING_NOTICE_DAYS
  if (kind === 'representative_meeting') return settings.representativeNoticeDays
  return 0
}

/**
 * Why the meeting cannot be noticed now for `startsAt`, naming the rule (null when it can): too short a
 * notice, unless it is marked 紧急 with a reason; a start already past (beyond the grace) never.
 */
export function noticeProblem(
  kind: MeetingKind,
  startsAt: Date,
  now: Date,
  settings: MeetingSettings,
  urgent: boolean,
): string | null {
  if (startsAt.getTime() < now.getTime() - settings.startGraceMinutes * 60_000) return '开会时间已经过了，请改一个时间'
  if (urgent) return null
  const need = requiredNoticeDays(kind, settings)
  const days = noticeDays(now, startsAt)
  if (days >= need) return null
  return kind === 'villager_meeting'
    ? `村民会议应当在召开十天前通知（村民委员会组织法第二十一条），现在离开会只有 ${days} 天。确实紧急的，请标明紧急并写明原因`
    : `本村规定代表会议要提前 ${need} 天通知，现在离开会只有 ${days} 天。确实紧急的，请标明紧急并写明原因`
}

/** The earliest moment a session may start or a vote open: the announced time less the grace. */
export const earliestStart = (startsAt: Date, settings: MeetingSettings): Date =>
  new Date(startsAt.getTime() - settings.startGraceMinutes * 60_000)

/**
 * Who votes: every adult on the roll (one person one vote), one vote per household (户代表), or the
 * representatives (村民代表).
 */
export const ELECTORATES = ['adults', 'households', 'representatives'] as const
export type Electorate = (typeof ELECTORATES)[number]

/** The electorate a meeting's votes have unless a vote says otherwise. */
export function defaultElectorate(kind: MeetingKind): Electorate {
  return kind === 'representative_meeting' ? 'representatives' : 'adults'
}

/** 过半数: more than half of those taking part; 三分之二以上: two thirds or more (以上 includes the figure itself). */
export const PASS_RULES = ['majority', 'two_thirds'] as const
export type PassRule = (typeof PASS_RULES)[number]

/** Whether `count` of `of` meets the rule. Nobody taking part passes nothing. */
export function meetsPassRule(rule: PassRule, count: number, of: number): boolean {
  if (of <= 0) return false
  return rule === 'majority' ? count * 2 > of : count * 3 >= of * 2
}

/** One person on a meeting's roll, as frozen when the meeting was announced. */
export interface RollPerson {
  personId: number
  householdId: number
  adult: boolean
  representative: boolean
}

/** Who on the roll is eligible for an electorate: a person id per voter (for households, the household id). */
export function eligibleUnits(roll: readonly RollPerson[], electorate: Electorate): number[] {
  if (electorate === 'households') return [...new Set(roll.filter((p) => p.adult).map((p) => p.householdId))]
  return roll.filter((p) => (electorate === 'adults' ? p.adult : p.representative)).map((p) => p.personId)
}

/** The unit a person votes as: themselves, or their household. */
export const unitOf = (person: Pick<RollPerson, 'personId' | 'householdId'>, electorate: Electorate): number =>
  electorate === 'households' ? person.householdId : person.personId

export interface Quorum {
  /** 应到: adults, households or representatives on the roll. */
  eligible: number
  /** 实到 (for a meeting) or 参加表决 (for a vote). */
  present: number
  /** Households with someone taking part: the second way a 村民会议 can be valid. */
  households: number
  presentHouseholds: number
  met: boolean
  /** How the law counts it, in words for the notice. */
  rule: string
}

/**
 * Whether enough of the roll takes part (第二十二条, 第二十六条):
 * - a 村民会议 (or any adults' vote) counts with more than half of the adults, or with people from at
 *   least two thirds of the households;
 * - a one-per-household vote counts with at least two thirds of the households;
 * - a 村民代表会议 (a representatives' vote) counts with at least two thirds of the representatives;
 * - a 议事协商会 decides nothing binding and needs no quorum.
 * `present` are person ids taking part; people not on the roll are ignored.
 */
export function quorum(
  kind: MeetingKind,
  electorate: Electorate,
  roll: readonly RollPerson[],
  present: Iterable<number>,
): Quorum {
  const here = new Set(present)
  const onRoll = roll.filter((p) => here.has(p.personId))
  const eligibleSet = new Set(eligibleUnits(roll, electorate))
  return quorumOf(kind, electorate, {
    eligible: eligibleSet.size,
    present: new Set(onRoll.map((p) => unitOf(p, electorate)).filter((u) => eligibleSet.has(u))).size,
    households: new Set(roll.filter((p) => p.adult).map((p) => p.householdId)).size,
    presentHouseholds: new Set(onRoll.filter((p) => p.adult).map((p) => p.householdId)).size,
  })
}

/** The same decision from counts already made (e.g. by the database for a list of meetings). */
export function quorumOf(kind: MeetingKind, electorate: Electorate, counts: Omit<Quorum, 'met' | 'rule'>): Quorum {
  const { eligible, present, households, presentHouseholds } = counts
  if (kind === 'deliberation') return { ...counts, met: true, rule: '议事协商会不需要达到法定人数' }
  if (electorate === 'representatives')
    return { ...counts, met: eligible > 0 && present * 3 >= eligible * 2, rule: '三分之二以上的代表参加' }
  if (electorate === 'households')
    return { ...counts, met: households > 0 && presentHouseholds * 3 >= households * 2, rule: '三分之二以上的户参加' }
  const byAdults = eligible > 0 && present * 2 > eligible
  const byHouseholds = households > 0 && presentHouseholds * 3 >= households * 2
  return {
    ...counts,
    met: byAdults || byHouseholds,
    rule: '过半数的十八周岁以上成员参加，或三分之二以上的户派代表参加',
  }
}

/** What an option means for the outcome: 同意 / 反对 / 弃权, or one of several choices (e.g. plans, candidates). */
export const OPTION_KINDS = ['agree', 'oppose', 'abstain', 'choice'] as const
export type OptionKind = (typeof OPTION_KINDS)[number]
export interface VoteOption {
  id: number
  label: string
  kind: OptionKind
}

/** The usual three options, in their usual order. */
export const DEFAULT_OPTIONS: readonly { label: string; kind: OptionKind }[] = [
  { label: '同意', kind: 'agree' },
  { label: '反对', kind: 'oppose' },
  { label: '弃权', kind: 'abstain' },
]

export type Outcome = 'passed' | 'failed' | 'invalid'
export const OUTCOME_LABEL: Record<Outcome, string> = {
  passed: '通过',
  failed: '未通过',
  invalid: '参加人数不足，表决无效',
}

export interface TallyInput {
  kind: MeetingKind
  electorate: Electorate
  passRule: PassRule
  /** Most options one ballot may choose (1: single choice). */
  maxChoices: number
  options: readonly VoteOption[]
  roll: readonly RollPerson[]
  /** Person ids who took part (online and offline, each once). */
  voters: Iterable<number>
  /** Ballots marked for each option id (online plus offline counts). */
  counts: ReadonlyMap<number, number>
}

export interface Tally {
  quorum: Quorum
  /** 参加表决: the ballots taken part with, abstentions included. */
  participants: number
  counts: { optionId: number; label: string; kind: OptionKind; count: number }[]
  /** Options carried: for 同意/反对/弃权 at most one; for choices up to maxChoices. */
  adopted: number[]
  outcome: Outcome
}

/**
 * The result of a vote. A vote without quorum decides nothing. Otherwise an option is carried when its
 * ballots meet the pass rule against everyone who took part (an abstention counts as taking part, so it
 * weighs like a no). A motion with 同意 passes when 同意 is carried; a vote of choices passes when at
 * least one choice is carried — at most maxChoices, the most voted first; choices tied at the last
 * place are all left out (the village votes again between them).
 */
export function tally(input: TallyInput): Tally {
  return tallyWith(quorum(input.kind, input.electorate, input.roll, input.voters), input)
}

/** The same result from a quorum already counted (e.g. by the database for a town-sized roll). */
export function tallyWith(q: Quorum, input: Pick<TallyInput, 'passRule' | 'maxChoices' | 'options' | 'counts'>): Tally {
  const participants = q.present
  const counts = input.options.map((o) => ({
    optionId: o.id,
    label: o.label,
    kind: o.kind,
    count: input.counts.get(o.id) ?? 0,
  }))
  if (!q.met) return { quorum: q, participants, counts, adopted: [], outcome: 'invalid' }
  const carried = counts
    .filter((c) => c.kind !== 'abstain' && meetsPassRule(input.passRule, c.count, participants))
    .sort((a, b) => b.count - a.count)
  let adopted = carried
  if (carried.length > input.maxChoices) {
    const cut = carried[input.maxChoices - 1]!.count
    const above = carried.filter((c) => c.count > cut)
    const atCut = carried.filter((c) => c.count === cut)
    adopted = above.length + atCut.length <= input.maxChoices ? [...above, ...atCut] : above
  }
  const hasMotion = counts.some((c) => c.kind === 'agree')
  const passed = hasMotion ? adopted.some((c) => c.kind === 'agree') : adopted.length > 0
  return {
    quorum: q,
    participants,
    counts,
    adopted: adopted.map((c) => c.optionId),
    outcome: passed ? 'passed' : 'failed',
  }
}

/** A ballot's choices are valid: at least one, at most maxChoices, each an option of the vote, none twice. */
export function validChoices(optionIds: readonly number[], choices: readonly number[], maxChoices: number): boolean {
  return (
    choices.length >= 1 &&
    choices.length <= maxChoices &&
    new Set(choices).size === choices.length &&
    choices.every((c) => optionIds.includes(c))
  )
}

/**
 * 第二十一条: when a tenth or more of the adult villagers propose a matter, the committee must call a
 * meeting on it. A topic with that many supporters (the proposer included) is marked as one that must be heard.
 */
export function mustBeHeard(supporters: number, adults: number, tenths = 1): boolean {
  return adults > 0 && supporters * 10 >= adults * tenths
}

/** The fewest supporters that make a topic one that must be heard (at least one). */
export const hearingThreshold = (adults: number): number => Math.max(1, Math.ceil(adults / 10))

/** A petition (提议召集) asks the committee to convene a 村民会议 or a 村民代表会议. */
export const PETITION_KINDS = ['villager_meeting', 'representative_meeting'] as const
export type PetitionKind = (typeof PETITION_KINDS)[number]

/** Who signed a petition, and who could have: adults, households (with an adult) and representatives. */
export interface PetitionCount {
  adults: number
  representatives: number
  households: number
  signedAdults: number
  signedRepresentatives: number
  /** Households with an adult who signed. */
  signedHouseholds: number
}

/**
 * Whether a petition has enough signatures. In a village (村民委员会组织法): to convene a 村民会议, a tenth of
 * the adult villagers or a third of the representatives (第二十一条); a 村民代表会议, a fifth of the
 * representatives (第二十六条). In a community (城市居民委员会组织法 第十条): a 居民会议, a fifth of the adult
 * residents or a fifth of the households (its third way, a third of the 居民小组, is not kept in Liren); a
 * 居民代表会议, as a village's, a fifth of the representatives.
 */
export function petitionSucceeds(kind: PetitionKind, c: PetitionCount, place: VillageKind = 'rural'): boolean {
  const needs = petitionNeeds(kind, c, place)
  const meets = (have: number, need: number | null) => need !== null && have >= need
  return (
    meets(c.signedAdults, needs.adults) ||
    meets(c.signedRepresentatives, needs.representatives) ||
    meets(c.signedHouseholds, needs.households)
  )
}

/**
 * The fewest signatures that make a petition succeed, one figure per way it can (petitionSucceeds): adults,
 * representatives, households; null where that way is closed (nobody to count, or not a way for this meeting).
 */
export function petitionNeeds(
  kind: PetitionKind,
  c: Pick<PetitionCount, 'adults' | 'representatives' | 'households'>,
  place: VillageKind = 'rural',
): { adults: number | null; representatives: number | null; households: number | null } {
  const part = (of: number, divisor: number) => (of > 0 ? Math.ceil(of / divisor) : null)
  if (kind === 'representative_meeting')
    return { adults: null, representatives: part(c.representatives, 5), households: null }
  if (place === 'urban') return { adults: part(c.adults, 5), representatives: null, households: part(c.households, 5) }
  return { adults: part(c.adults, 10), representatives: part(c.representatives, 3), households: null }
}

/** Where a petition stands: 征集签名 while open, 已达到法定人数 once it succeeds, 已召集会议 once a meeting is called to answer it. */
export const PETITION_STATE_LABEL: Record<PetitionState, string> = {
  open: '正在征集签名',
  succeeded: '已达到法定人数，等待召开会议',
  answered: '已召集会议',
}

/** Whole days between the notice and the meeting, as people count them in China (calendar days). */
export function noticeDays(announcedAt: Date, startsAt: Date): number {
  const china = (d: Date) => dayjs(d.getTime() + 8 * 3600_000).format('YYYY-MM-DD')
  return dayjs(china(startsAt)).diff(dayjs(china(announcedAt)), 'day')
}

/** 监督评议: a matter rated 满意 by fewer than a third of those who rated it goes back for rework. */
export function needsRework(satisfied: number, raters: number): boolean {
  return raters > 0 && satisfied * 3 < raters
}

/**
 * 四议两公开: a major matter (重大事项) goes through these stages, in this order: 提议 (the party branch
 * proposes), 商议 (the two committees discuss), 审议 (party members review), 决议 (a 村民代表会议 or
 * 村民会议 votes), 决议公开 (the decision is published), 实施结果公开 (the result of carrying it out is published).
 */
export const MATTER_STAGES = [
  'proposal',
  'consultation',
  'review',
  'resolution',
  'resolution_public',
  'result_public',
] as const
export type MatterStage = (typeof MATTER_STAGES)[number]
export const MATTER_STAGE_LABEL: Record<MatterStage, string> = {
  proposal: '党支部提议',
  consultation: '两委商议',
  review: '党员大会审议',
  resolution: '村民代表会议或村民会议决议',
  resolution_public: '决议公开',
  result_public: '实施结果公开',
}
/** The stage to record next, given those recorded so far (in order); null when all are done. */
export function nextMatterStage(recorded: readonly MatterStage[]): MatterStage | null {
  return MATTER_STAGES[recorded.length] ?? null
}
/** Residents rate a matter (监督评议) once its result has been published. */
export const ratable = (recorded: readonly MatterStage[]): boolean => recorded.includes('result_public')

export const VOTE_STATE_LABEL: Record<VoteState, string> = {
  draft: '还没开始',
  open: '正在投票',
  closed: '已结束',
}

/** Where a topic (说事) stands. */
export const TOPIC_STATE_LABEL: Record<TopicState, string> = {
  open: '正在征集附议',
  accepted: '已列入会议议程',
  merged: '已并入另一议题',
  declined: '不予采纳',
}
