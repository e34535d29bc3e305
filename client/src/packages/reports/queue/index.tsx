import { View } from '@tarojs/components'
import { useState } from 'react'
import type { Membership, QueueQuery, ReportSummary } from '@liren/shared/contracts'
import { can, holdsTie } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { type PageData, usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listQueue } from '../../../services/reports'
import { ReportCard } from '../components/ReportCard'
import './index.css'

type Queue = NonNullable<QueueQuery['queue']>

const QUEUE_LABEL: Record<Queue, string> = {
  mine: '我负责的',
  grid: '我的网格',
  escalated: '上报到我这里的',
  all: '全部',
}
const EMPTY: Record<Queue, string> = {
  mine: '没有交给您处理的上报。',
  grid: '您的网格里没有要处理的上报。',
  escalated: '没有超时上报上来的事。',
  all: '没有要处理的上报。',
}

/** The queues that mean something to this person: a grid worker's grid, the committee's (and town's) escalations and everything. */
function queuesOf(membership: Membership): Queue[] {
  const grid = holdsTie(membership, 'reports.handle')
  const wide = can(membership, 'reports.handle')
  return ['mine', ...(grid ? (['grid'] as const) : []), ...(wide ? (['escalated', 'all'] as const) : [])]
}

/** New reports are nobody's yet: a grid worker starts with their grid, the committee with everything. */
function firstQueue(queues: Queue[]): Queue {
  return queues.includes('grid') ? 'grid' : queues.includes('all') ? 'all' : 'mine'
}

export default function ReportQueue() {
  const { villageId, membership, loaded } = useVillageMembership()
  const [chosen, setQueue] = useState<Queue | null>(null)
  // The first queue is known once the person's roles are (with no membership here, e.g. a town admin in
  // another village of the town, everything; the server says if they may not). Until then nothing loads.
  const queue = chosen ?? (loaded ? (membership ? firstQueue(queuesOf(membership)) : 'all') : null)
  const { data: loadedData, reload } = usePageData(async () => (queue ? listQueue(villageId, queue, true) : null), {
    deps: [queue],
  })
  const data: PageData<ReportSummary[]> =
    loadedData.state === 'ready' && !loadedData.value ? { state: 'loading' } : (loadedData as PageData<ReportSummary[]>)

  const queues = membership ? queuesOf(membership) : []
  const overdue = data.state === 'ready' ? data.value.filter((r) => r.overdue).length : 0
  return (
    <Page className='report-queue'>
      {queues.length > 1 && queue ? (
        <Card className='report-queue__queues'>
          <Choices
            choices={queues.map((value) => ({ value, label: QUEUE_LABEL[value] }))}
            value={queue}
            onChange={setQueue}
          />
        </Card>
      ) : null}
      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' && queue ? (
        <>
          <View className='lr-muted report-queue__summary'>
            {data.value.length ? `共 ${data.value.length} 条要处理` : EMPTY[queue]}
            {overdue ? (
              <View className='report-queue__overdue'>其中 {overdue} 条已超时，排在最前面，请尽快处理。</View>
            ) : null}
          </View>
          {data.value.map((report) => (
            <ReportCard key={report.id} villageId={villageId} report={report} />
          ))}
        </>
      ) : null}
    </Page>
  )
}
