import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { VoteResult } from '@liren/shared/contracts'
import { type MeetingKind, OUTCOME_LABEL } from '@liren/shared/rules'
import { formatDateTime } from '../../lib/format'
import './VoteCounts.css'

/** A closed vote's published result: the outcome, the counts with bars, who took part, the quorum (and what the page adds below). */
export function VoteCounts({
  result,
  meetingKind,
  children,
}: {
  result: VoteResult
  meetingKind: MeetingKind
  children?: ReactNode
}) {
  const most = Math.max(1, result.participants, ...result.counts.map((c) => c.count))
  const unit = result.electorate === 'households' ? '户' : '人'
  return (
    <View className='vote__result'>
      <View className={`vote__outcome vote__outcome--${result.outcome}`}>{OUTCOME_LABEL[result.outcome]}</View>
      <View className='vote__counts'>
        {result.counts.map((c) => (
          <View key={c.optionId} className={`vote__count vote__count--${c.kind}`}>
            <View className='vote__count-row'>
              <View className='vote__count-label'>
                {c.label}
                {result.adopted.includes(c.optionId) && c.kind === 'choice' ? '（当选）' : ''}
              </View>
              <View className='vote__count-number'>{c.count} 票</View>
            </View>
            <View className='vote__bar'>
              <View className='vote__bar-fill' style={{ width: `${Math.round((c.count / most) * 100)}%` }} />
            </View>
          </View>
        ))}
      </View>
      <View className='lr-text vote__participants'>
        参加表决 {result.participants} {unit}，应参加 {result.eligible} {unit}
      </View>
      <View className={`vote__quorum ${result.quorumMet ? 'vote__quorum--met' : 'vote__quorum--not-met'}`}>
        {meetingKind === 'deliberation'
          ? result.quorumRule
          : `${result.quorumMet ? '参加人数够了' : '参加人数不够'}（要求：${result.quorumRule}）`}
      </View>
      <View className='lr-muted'>表决结束：{formatDateTime(result.closedAt)}</View>
      {children}
    </View>
  )
}
