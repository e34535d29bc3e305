import { View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import type { Membership, QueueQuery, ReportSummary } from '@liren/shared/contracts'
import { can, holdsTie } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { LoadFailed } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { listQueue } from '../../../services/reports'
import { ReportCard } from '../components/ReportCard'
import './index.css'

type Queue = NonNullable<QueueQuery['queue']>
type Data = { state: 'loading' } | { state: 'failed'; message?: string } | { state: 'ready'; items: ReportSummary[] }

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
  const [queue, setQueue] = useState<Queue | null>(null)
  const [data, setData] = useState<Data>({ state: 'loading' })
  const latest = useRef(0)

  async function load(next: Queue) {
    const request = ++latest.current
    setQueue(next)
    try {
      const items = await listQueue(villageId, next, true)
      if (request === latest.current) setData({ state: 'ready', items })
    } catch (error) {
      if (request === latest.current)
        setData({
          state: 'failed',
          message: error instanceof ApiError && error.status !== 0 ? error.message : undefined,
        })
    }
  }

  // The first queue is chosen once the person's roles are known (with no membership here, e.g. a town
  // admin in another village of the town, everything; the server says if they may not); coming back
  // to the page refreshes it.
  useEffect(() => {
    if (loaded && queue === null) void load(membership ? firstQueue(queuesOf(membership)) : 'all')
  }, [loaded])

  useDidShow(() => {
    if (queue !== null) void load(queue)
  })

  const queues = membership ? queuesOf(membership) : []
  const overdue = data.state === 'ready' ? data.items.filter((r) => r.overdue).length : 0
  return (
    <Page className='report-queue'>
      {queues.length > 1 && queue ? (
        <Card className='report-queue__queues'>
          <Choices
            choices={queues.map((value) => ({ value, label: QUEUE_LABEL[value] }))}
            value={queue}
            onChange={load}
          />
        </Card>
      ) : null}
      {data.state === 'loading' ? <View className='lr-muted'>正在加载…</View> : null}
      {data.state === 'failed' && queue ? <LoadFailed message={data.message} onRetry={() => load(queue)} /> : null}
      {data.state === 'ready' && queue ? (
        <>
          <View className='lr-muted report-queue__summary'>
            {data.items.length ? `共 ${data.items.length} 条要处理` : EMPTY[queue]}
            {overdue ? (
              <View className='report-queue__overdue'>其中 {overdue} 条已超时，排在最前面，请尽快处理。</View>
            ) : null}
          </View>
          {data.items.map((report) => (
            <ReportCard key={report.id} villageId={villageId} report={report} />
          ))}
        </>
      ) : null}
    </Page>
  )
}
