import { View } from '@tarojs/components'
import { useRouter, useShareAppMessage } from '@tarojs/taro'
import { meetingKindLabel, OUTCOME_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Fact, Facts } from '../../../components/Facts'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { getPublicResults } from '../../../services/meetings'
import { meetingPaths } from '../paths'
import { VoteCounts } from '../VoteCounts'
import './index.css'

/**
 * 表决结果公示: what a closed meeting decided, for anyone — a villager scanning the notice on the board,
 * or someone the result was shared with — without signing in. No names are on it.
 */
export default function MeetingResults() {
  const params = useRouter().params
  const villageId = Number(params.villageId)
  const meetingId = Number(params.meetingId)
  const { data, reload, value } = usePageData(() => getPublicResults(villageId, meetingId, true))

  useShareAppMessage(() => {
    const page = value ?? null
    const outcome = page?.results.length
      ? `：${page.results.map((r) => `${r.question}——${OUTCOME_LABEL[r.outcome]}`).join('；')}`
      : ''
    return {
      title: page ? `${page.title}${outcome}`.slice(0, 60) : '表决结果公示',
      path: meetingPaths.results(villageId, meetingId),
    }
  })

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />
  const page = data.value
  return (
    <Page className='results'>
      <View className='lr-heading'>
        {page.villageName}
        {meetingKindLabel(page.kind, page.villageKind)}表决结果公示
      </View>
      <Card title={page.title}>
        <Facts>
          <Fact label='开会时间'>{formatDateTime(page.startsAt)}</Fact>
          <Fact label='地点'>{page.place}</Fact>
          <Fact label='提前通知'>{page.noticeDays === null ? '—' : `${page.noticeDays} 天`}</Fact>
        </Facts>
      </Card>
      {page.results.length === 0 ? <View className='lr-muted results__none'>这次会议没有表决事项。</View> : null}
      {page.results.map((r, i) => (
        <Card key={r.voteId} className='results__vote'>
          <View className='lr-text results__question'>
            {i + 1}. {r.question}
          </View>
          <VoteCounts result={r} meetingKind={page.kind} />
        </Card>
      ))}
      <View className='lr-muted results__foot'>
        投票的人可以在会议页面用回执码查自己的票是否计入。有疑问请找{page.villageKind === 'urban' ? '居委会' : '村委会'}
        。
      </View>
    </Page>
  )
}
