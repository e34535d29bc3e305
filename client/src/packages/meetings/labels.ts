import type { Meeting, Topic, VillageKind, VoteSummary } from '@liren/shared/contracts'
import { placeWords, type Electorate, type PassRule } from '@liren/shared/rules'
import { formatDateTime } from '../../lib/format'

/** Plain words for what the server sends about meetings and votes. */

export const VOTE_STATE_LABEL: Record<VoteSummary['state'], string> = { draft: '还没开始', open: '正在投票', closed: '已结束' }

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
  in_session: 'lr-badge--green',
  closed: 'lr-badge--grey',
  published: 'lr-badge--red',
}

// ---- topics (说事) ----

export const TOPIC_STATE_LABEL: Record<Topic['state'], string> = {
  open: '正在征集附议',
  accepted: '已列入会议议程',
  merged: '已并入另一议题',
  declined: '不予采纳',
}

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
