import type { Matter, Meeting, Petition, PetitionState, Topic, VillageKind } from '@liren/shared/contracts'
import {
  MATTER_STAGE_LABEL,
  placeWords,
  type Electorate,
  type MatterStage,
  type PassRule,
  type PetitionKind,
} from '@liren/shared/rules'
import { formatDate, formatDateTime } from '../../lib/format'

/** Plain words for what the server sends about meetings and votes. */

export const PASS_RULE_LABEL: Record<PassRule, string> = {
  majority: '参加表决的人过半数同意就通过',
  two_thirds: '参加表决的人三分之二以上同意才通过',
}

export function electorateLabel(electorate: Electorate, kind: VillageKind): string {
  const member = placeWords(kind).member
  if (electorate === 'households') return '每户一票'
  if (electorate === 'representatives') return `${member}代表投票，每人一票`
  return `十八周岁以上的${member}，每人一票`
}

/** 提前 3 天通知 / 还没发通知. */
export function noticeText(meeting: Pick<Meeting, 'announcedAt' | 'noticeDays'>): string {
  if (!meeting.announcedAt) return '还没发通知'
  const days = meeting.noticeDays ?? 0
  const when = formatDateTime(meeting.announcedAt)
  return days > 0 ? `${when} 发出，提前 ${days} 天` : `${when} 发出，当天开会`
}

/** The badge colour of a meeting's state. */
export const MEETING_STATE_BADGE: Record<Meeting['state'], string> = {
  draft: 'lr-badge--grey',
  announced: 'lr-badge--blue',
  postponed: 'lr-badge--red',
  in_session: 'lr-badge--green',
  closed: 'lr-badge--grey',
  published: 'lr-badge--red',
  cancelled: 'lr-badge--grey',
}

// ---- topics (说事) ----

export const TOPIC_STATE_BADGE: Record<Topic['state'], string> = {
  open: 'lr-badge--blue',
  accepted: 'lr-badge--green',
  merged: 'lr-badge--grey',
  declined: 'lr-badge--grey',
}

/** 已有 12 人附议，满 9 人就应当提交会议 (第二十一条: a tenth of the adults). */
export function supportText(topic: Pick<Topic, 'supporters' | 'threshold' | 'mustBeHeard' | 'state'>): string {
  const have = `已有 ${topic.supporters} 人附议`
  if (topic.state !== 'open') return have
  if (topic.mustBeHeard) return `${have}，已满 ${topic.threshold} 人`
  return `${have}，满 ${topic.threshold} 人就应当提交会议`
}

/** The badge of a topic a tenth of the adults have backed. */
export function mustBeHeardText(kind: VillageKind): string {
  return `十分之一以上${placeWords(kind).member}附议，应当提交会议`
}

// ---- 四议两公开 major matters ----

/** What happens at each stage, in plain words (shown under the stage on the matter's path). */
export const MATTER_STAGE_NOTE: Record<MatterStage, string> = {
  proposal: '党支部提出要办这件事、怎么办的初步意见。',
  consultation: '村党组织和村委会一起商量，拿出具体方案。',
  review: '党员大会讨论方案，提出意见。',
  resolution: '村民代表会议或村民会议表决，过了才能办。',
  resolution_public: '把表决通过的决议张榜公布，让大家都知道。',
  result_public: '事情办完后，把办的结果公开，请大家评议。',
}

/** An example of what the committee writes as the outcome of each stage. */
export const MATTER_OUTCOME_EXAMPLE: Record<MatterStage, string> = {
  proposal: '例如：党支部会议提议硬化村东 800 米道路，预算 12 万元',
  consultation: '例如：两委会议商定用村集体收入，请施工队报价',
  review: '例如：到会党员 23 人，一致同意这个方案',
  resolution: '例如：应到代表 31 人，实到 27 人，26 人同意，通过',
  resolution_public: '例如：决议在村务公开栏张贴 7 天',
  result_public: '例如：道路已于 10 月完工，实际花费 11.6 万元，明细已张贴',
}

/** Where a matter is: 已完成 2 步，下一步：党员大会审议 / 六步都已完成. */
export function matterProgressText(matter: Pick<Matter, 'stages' | 'nextStage'>): string {
  if (!matter.nextStage) return '六步都已完成'
  const next = MATTER_STAGE_LABEL[matter.nextStage]
  return matter.stages.length === 0 ? `还没开始，第一步：${next}` : `已完成 ${matter.stages.length} 步，下一步：${next}`
}

// ---- 提议召集 (petitions) ----

export const PETITION_STATE_BADGE: Record<PetitionState, string> = {
  open: 'lr-badge--blue',
  succeeded: 'lr-badge--red',
  answered: 'lr-badge--green',
}

type PetitionCounts = Pick<
  Petition,
  | 'kind'
  | 'state'
  | 'signatures'
  | 'signedAdults'
  | 'signedRepresentatives'
  | 'signedHouseholds'
  | 'adultsNeeded'
  | 'representativesNeeded'
  | 'householdsNeeded'
>

/**
 * Where the signatures stand, in one line: 已有 5 人签名，满 9 人就必须开会 (a 村民会议: the adults; a 代表会议:
 * the representatives, the only ones who count for it).
 */
export function petitionProgressText(p: PetitionCounts, kind: VillageKind): string {
  const member = placeWords(kind).member
  if (p.state === 'succeeded') return `已有 ${p.signatures} 人签名，人数已经够了`
  if (p.state === 'answered') return `共有 ${p.signatures} 人签名`
  if (p.kind === 'representative_meeting')
    return p.representativesNeeded === null
      ? `已有 ${p.signedRepresentatives} 位${member}代表签名`
      : `已有 ${p.signedRepresentatives} 位${member}代表签名，满 ${p.representativesNeeded} 位就必须开会`
  return p.adultsNeeded === null
    ? `已有 ${p.signedAdults} 人签名`
    : `已有 ${p.signedAdults} 人签名，满 ${p.adultsNeeded} 人就必须开会`
}

/** The other way an open petition can succeed, or who else signed: a line under the progress, or null. */
export function petitionProgressNote(p: PetitionCounts, kind: VillageKind): string | null {
  if (p.state !== 'open') return null
  const member = placeWords(kind).member
  if (p.kind === 'villager_meeting' && p.householdsNeeded !== null)
    return `或者有 ${p.householdsNeeded} 户签名也够了（现在有 ${p.signedHouseholds} 户）`
  if (p.kind === 'villager_meeting')
    return p.representativesNeeded === null
      ? null
      : `或者有 ${p.representativesNeeded} 位${member}代表签名也够了（现在有 ${p.signedRepresentatives} 位）`
  const others = p.signatures - p.signedRepresentatives
  return others > 0 ? `另有 ${others} 位${member}签名支持；开${member}代表会议只算代表的签名` : null
}

/** How far an open petition is, 0 to 100, by whichever way it is nearer to succeeding. */
export function petitionReached(p: PetitionCounts): number {
  if (p.state !== 'open') return 100
  const part = (have: number, need: number | null) => (need ? have / need : 0)
  const best = Math.max(
    part(p.signedAdults, p.adultsNeeded),
    part(p.signedRepresentatives, p.representativesNeeded),
    part(p.signedHouseholds, p.householdsNeeded),
  )
  return Math.min(100, Math.round(best * 100))
}

/**
 * What the law says about it, in one plain sentence: 村民委员会组织法 第二十一条 and 第二十六条 in a village;
 * 城市居民委员会组织法 第十条 for a community's 居民会议 (its 居民代表会议 is a local rule, not the law's).
 */
export function petitionLawText(kind: PetitionKind, place: VillageKind): string {
  const { member, committee } = placeWords(place)
  if (place === 'urban')
    return kind === 'villager_meeting'
      ? `按《城市居民委员会组织法》第十条，五分之一以上的十八周岁以上${member}或者五分之一以上的户提议，${committee}就必须召集${member}会议。`
      : `按规定，五分之一以上的${member}代表提议，${committee}就必须召集${member}代表会议。`
  return kind === 'villager_meeting'
    ? `按《村民委员会组织法》第二十一条，十分之一以上的成年${member}或者三分之一以上的${member}代表提议，${committee}就必须召集${member}会议。`
    : `按《村民委员会组织法》第二十六条，五分之一以上的${member}代表提议，${committee}就必须召集${member}代表会议。`
}

/** 村委会要在 2026年12月9日 以前开会答复. */
export function petitionDueText(p: Pick<Petition, 'answerDueAt'>, place: VillageKind): string {
  return p.answerDueAt ? `${placeWords(place).committee}要在 ${formatDate(p.answerDueAt)} 以前开会答复` : ''
}
