import { Map, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import type { ReportSummary } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { Chip, Choices } from '../../../components/Choices'
import { LoadFailed } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { getReportSettings, listFeed, listMapReports, listMyReports } from '../../../services/reports'
import { ReportCard } from '../components/ReportCard'
import { reportPaths } from '../paths'
import './index.css'

type Tab = 'all' | 'mine' | 'map'
interface Query {
  tab: Tab
  category: string
}
type Data =
  | { state: 'loading' }
  | { state: 'failed'; message?: string }
  | { state: 'ready'; items: ReportSummary[]; nextCursor: string | null }

const TABS = [
  { value: 'all' as const, label: '全部' },
  { value: 'mine' as const, label: '我的上报' },
  { value: 'map' as const, label: '地图' },
]
const isWeapp = process.env.TARO_ENV === 'weapp'

export default function ReportFeed() {
  const { villageId } = useVillageMembership()
  const [query, setQuery] = useState<Query>({ tab: useRouter().params.tab === 'mine' ? 'mine' : 'all', category: '' })
  const [categories, setCategories] = useState<string[]>([])
  const [data, setData] = useState<Data>({ state: 'loading' })
  const latest = useRef(0)

  /** The first page of `next`, or the page after `cursor` added to what is shown. */
  async function load(next: Query, cursor?: string) {
    const request = ++latest.current
    setQuery(next)
    try {
      if (next.tab === 'map') {
        const items = await listMapReports(villageId, true)
        if (request === latest.current) setData({ state: 'ready', items, nextCursor: null })
        return
      }
      const list = next.tab === 'mine' ? listMyReports : listFeed
      // A later page that fails is toasted by http.ts; the list shown stays.
      const page = await list(villageId, { category: next.category || undefined, cursor }, cursor ? undefined : true)
      if (request !== latest.current) return
      setData((before) => ({
        state: 'ready',
        items: cursor && before.state === 'ready' ? [...before.items, ...page.items] : page.items,
        nextCursor: page.nextCursor,
      }))
    } catch (error) {
      if (request !== latest.current || cursor) return
      setData({ state: 'failed', message: error instanceof ApiError && error.status !== 0 ? error.message : undefined })
    }
  }

  useDidShow(() => {
    void load(query)
    if (!categories.length)
      getReportSettings(villageId, true).then(
        (s) => setCategories(s.categories),
        () => undefined,
      )
  })

  const empty =
    query.tab === 'map'
      ? '还没有标了位置、没办完的公开上报。'
      : query.tab === 'mine'
        ? '您还没有上报过。看到问题，点上面的“我也要上报”就能上报。'
        : '还没有公开的上报。'
  return (
    <Page className='report-feed'>
      <Button
        type='primary'
        size='large'
        block
        className='lr-block-button report-feed__new'
        onClick={() => Taro.navigateTo({ url: reportPaths.new(villageId) })}
      >
        我也要上报（随手拍）
      </Button>
      <Card className='report-feed__filters'>
        <Choices
          choices={TABS}
          value={query.tab}
          onChange={(tab) => load({ ...query, tab })}
          className='report-feed__tabs'
        />
        {categories.length && query.tab !== 'map' ? (
          <View className='lr-muted report-feed__label'>按类别看</View>
        ) : null}
        {categories.length && query.tab !== 'map' ? (
          <View className='lr-chips report-feed__categories'>
            <Chip on={query.category === ''} onTap={() => load({ ...query, category: '' })}>
              所有类别
            </Chip>
            {categories.map((category) => (
              <Chip key={category} on={query.category === category} onTap={() => load({ ...query, category })}>
                {category}
              </Chip>
            ))}
          </View>
        ) : null}
      </Card>

      {data.state === 'loading' ? <View className='lr-muted'>正在加载…</View> : null}
      {data.state === 'failed' ? <LoadFailed message={data.message} onRetry={() => load(query)} /> : null}
      {data.state === 'ready' ? (
        <>
          {data.items.length === 0 ? (
            <Card>
              <View className='lr-muted'>{query.category ? `“${query.category}”类还没有上报。` : empty}</View>
            </Card>
          ) : null}
          {query.tab === 'mine' && data.items.length ? (
            <View className='lr-muted report-feed__note'>不公开的上报只有您和处理人能看到。</View>
          ) : null}
          {query.tab === 'map' && data.items.length ? <ReportMap villageId={villageId} items={data.items} /> : null}
          {data.items.map((report) => (
            <ReportCard key={report.id} villageId={villageId} report={report} />
          ))}
          {data.nextCursor ? (
            <Button
              size='large'
              block
              fill='outline'
              className='lr-block-button report-feed__more'
              onClick={() => load(query, data.nextCursor ?? undefined)}
            >
              加载更多
            </Button>
          ) : null}
          {!data.nextCursor && data.items.length > 3 ? (
            <View className='lr-muted report-feed__end'>没有更多了</View>
          ) : null}
        </>
      ) : null}
    </Page>
  )
}

/**
 * Open reports where they are: WeChat's map in the mini-program, a marker each, tapping one opens it.
 * The H5 build has no map component: it says so and lists the same reports.
 */
function ReportMap({ villageId, items }: { villageId: number; items: ReportSummary[] }) {
  if (!isWeapp)
    return (
      <View className='lr-muted report-feed__note'>网页版看不了地图。下面是在地图上标了位置、还没办完的上报。</View>
    )
  const placed = items.filter((r) => r.latitude !== null && r.longitude !== null)
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
  return (
    <Map
      className='report-feed__map'
      latitude={mean(placed.map((r) => r.latitude!))}
      longitude={mean(placed.map((r) => r.longitude!))}
      scale={15}
      markers={placed.map((r) => ({
        id: r.id,
        latitude: r.latitude!,
        longitude: r.longitude!,
        width: 32,
        height: 40,
        iconPath: '/assets/map/marker.png',
        callout: {
          content: `${r.category}：${r.description.slice(0, 12)}`,
          display: 'BYCLICK',
          fontSize: 16,
          padding: 8,
          borderRadius: 8,
          color: '#222222',
          bgColor: '#ffffff',
          textAlign: 'left',
          anchorX: 0,
          anchorY: 0,
          borderWidth: 0,
          borderColor: '#ffffff',
        },
      }))}
      onCalloutTap={(e) => Taro.navigateTo({ url: reportPaths.detail(villageId, Number(e.detail.markerId)) })}
      // Without the map the list below still shows every report.
      onError={() => undefined}
    />
  )
}
