import { Map, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ReportPage, ReportSummary } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { Chip, Choices } from '../../../components/Choices'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { getReportSettings, listFeed, listMapReports, listMyReports } from '../../../services/reports'
import { ReportCard } from '../components/ReportCard'
import { WideButton, WideLinkButton } from '../../../components/WideButtons'
import { reportPaths } from '../paths'
import './index.css'

type Tab = 'all' | 'mine' | 'map'
interface Query {
  tab: Tab
  category: string
}

const TABS = [
  { value: 'all' as const, label: '全部' },
  { value: 'mine' as const, label: '我的上报' },
  { value: 'map' as const, label: '地图' },
]
const isWeapp = process.env.TARO_ENV === 'weapp'

export default function ReportFeed() {
  const { villageId } = useVillageMembership()
  const [query, setQuery] = useState<Query>({ tab: useRouter().params.tab === 'mine' ? 'mine' : 'all', category: '' })
  const shownQuery = useRef(query)
  shownQuery.current = query
  const [categories, setCategories] = useState<string[]>([])
  /** The first page of the chosen tab and category. */
  const { data, reload, set } = usePageData(
    async (): Promise<ReportPage> => {
      if (query.tab === 'map') return { items: await listMapReports(villageId, true), nextCursor: null }
      return (query.tab === 'mine' ? listMyReports : listFeed)(
        villageId,
        { category: query.category || undefined },
        true,
      )
    },
    { deps: [query] },
  )

  /** The page after what is shown, added to it; one that fails is toasted by http.ts and the list shown stays. */
  async function loadMore(shown: ReportPage) {
    const asked = query
    const list = asked.tab === 'mine' ? listMyReports : listFeed
    const page = await list(villageId, { category: asked.category || undefined, cursor: shown.nextCursor ?? undefined })
    // Another tab or category chosen meanwhile has its own list.
    if (asked === shownQuery.current) set({ items: [...shown.items, ...page.items], nextCursor: page.nextCursor })
  }

  useDidShow(() => {
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
      <WideLinkButton type='primary' className='lr-block-button report-feed__new' url={reportPaths.new(villageId)}>
        我也要上报（随手拍）
      </WideLinkButton>
      <Card className='report-feed__filters'>
        <Choices
          choices={TABS}
          value={query.tab}
          onChange={(tab) => setQuery({ ...query, tab })}
          className='report-feed__tabs'
        />
        {categories.length && query.tab !== 'map' ? (
          <View className='lr-muted report-feed__label'>按类别看</View>
        ) : null}
        {categories.length && query.tab !== 'map' ? (
          <View className='lr-chips report-feed__categories'>
            <Chip on={query.category === ''} onTap={() => setQuery({ ...query, category: '' })}>
              所有类别
            </Chip>
            {categories.map((category) => (
              <Chip key={category} on={query.category === category} onTap={() => setQuery({ ...query, category })}>
                {category}
              </Chip>
            ))}
          </View>
        ) : null}
      </Card>

      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' ? (
        <>
          {data.value.items.length === 0 ? (
            <Card>
              <View className='lr-muted'>{query.category ? `“${query.category}”类还没有上报。` : empty}</View>
            </Card>
          ) : null}
          {query.tab === 'mine' && data.value.items.length ? (
            <View className='lr-muted report-feed__note'>不公开的上报只有您和处理人能看到。</View>
          ) : null}
          {query.tab === 'map' && data.value.items.length ? (
            <ReportMap villageId={villageId} items={data.value.items} />
          ) : null}
          {data.value.items.map((report) => (
            <ReportCard key={report.id} villageId={villageId} report={report} />
          ))}
          {data.value.nextCursor ? (
            <WideButton
              fill='outline'
              className='lr-block-button report-feed__more'
              onClick={() => loadMore(data.value).catch(() => undefined)}
            >
              加载更多
            </WideButton>
          ) : null}
          {!data.value.nextCursor && data.value.items.length > 3 ? (
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
