import type { Matter, Meeting, Topic, VillageKind } from '@liren/shared/contracts'
import { MATTER_STAGE_LABEL, placeWords, type Electorate, type MatterStage, type PassRule } from '@liren/shared/rules'
import { formatDateTime } from '../../lib/format'

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
