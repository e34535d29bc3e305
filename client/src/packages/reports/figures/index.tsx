import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useEffect, useState } from 'react'
import type { FiguresQuery, ReportFigures } from '@liren/shared/contracts'
import { REPORT_STATE_LABEL, type ReportState } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { formatDate, shanghaiNow } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { downloadFiguresCsv, getFigures, getTownFigures } from '../../../services/reports'
import { listMyTowns } from '../../../services/setup'
import './index.css'

type Period = 'month' | 'quarter' | 'year'
type Count = ReportFigures['byState'][number]

const PERIODS: readonly { value: Period; label: string }[] = [
  { value: 'month', label: '近一个月' },
  { value: 'quarter', label: '近三个月' },
  { value: 'year', label: '近一年' },
]
const MONTHS: Record<Period, number> = { month: 1, quarter: 3, year: 12 }

/** The period as whole days in Shanghai, ending today (the server counts the same way). */
function periodQuery(period: Period): Required<FiguresQuery> {
  const today = shanghaiNow()
  return {
    from: today.subtract(MONTHS[period], 'month').add(1, 'day').format('YYYY-MM-DD'),
    to: today.format('YYYY-MM-DD'),
  }
}

const percent = (rate: number | null) => (rate === null ? '暂无' : `${Math.round(rate * 100)}%`)

/** Up to two days in hours, longer ones in days: "5.5 小时", "3.2 天". */
function duration(hours: number | null): string {
  if (hours === null) return '暂无'
  return hours < 48 ? `${hours} 小时` : `${Math.round((hours / 24) * 10) / 10} 天`
}

const monthText = (key: string) => `${key.slice(0, 4)}年${Number(key.slice(5, 7))}月`
const stateText = (key: string) => REPORT_STATE_LABEL[key as ReportState] ?? key

/** With `?villageId=` one village's figures (and its CSV); with `?townId=` the whole town's. */
export default function ReportFiguresPage() {
  const { params } = useRouter()
  const townId = params.townId ? Number(params.townId) : null
  const { villageId, membership } = useVillageMembership()
  const [townName, setTownName] = useState('')
  const [period, setPeriod] = useState<Period>('year')
  const { data, reload } = usePageData(
    () => {
      const query = periodQuery(period)
      return townId ? getTownFigures(townId, query, true) : getFigures(villageId, query, true)
    },
    { onShow: false, deps: [period] },
  )

  useEffect(() => {
    if (townId) {
      void Taro.setNavigationBarTitle({ title: '全镇上报统计' })
      listMyTowns(true).then(
        (towns) => setTownName(towns.find((t) => t.id === townId)?.name ?? ''),
        () => undefined,
      )
    }
  }, [])

  const placeName = townId ? townName : (membership?.villageName ?? '')

  async function downloadCsv() {
    const query = periodQuery(period)
    try {
      await downloadFiguresCsv(
        villageId,
        query,
        `上报明细-${placeName ? `${placeName}-` : ''}${query.from}至${query.to}.csv`,
      )
    } catch (error) {
      // http.ts has shown why the server refused; a closed share sheet is the person's choice.
      const cancelled = /cancel/.test((error as { errMsg?: string } | null)?.errMsg ?? '')
      if (!(error instanceof ApiError) && !cancelled)
        void Taro.showToast({ title: '文件没有打开，请再试一次', icon: 'none', duration: 2500 })
    }
  }

  return (
    <Page className='figures'>
      <View className='lr-heading'>{townId ? `${townName || '全镇'}上报统计` : `${placeName}上报统计`}</View>
      <Card className='figures__periods'>
        <Choices choices={PERIODS} value={period} onChange={setPeriod} />
        {data.state === 'ready' ? (
          <View className='lr-muted figures__range'>
            {formatDate(data.value.from)} 至 {formatDate(data.value.to)}
          </View>
        ) : null}
      </Card>
      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' ? <Figures figures={data.value} wide={townId !== null} /> : null}
      {data.state === 'ready' && !townId ? (
        <Card title='下载明细' className='figures__download'>
          <View className='lr-muted'>这段时间的每一条上报一行（不含上报人姓名），可以用 Excel 或 WPS 打开、打印。</View>
          <View className='lr-actions'>
            <Button type='primary' size='large' className='figures__csv' onClick={downloadCsv}>
              下载明细（Excel 可打开）
            </Button>
          </View>
        </Card>
      ) : null}
    </Page>
  )
}

function Figures({ figures, wide }: { figures: ReportFigures; wide: boolean }) {
  return (
    <>
      <Card className='figures__numbers'>
        <View className='figures__total'>
          <View className='figures__total-label'>上报总数</View>
          <View className='figures__total-value'>{figures.total} 件</View>
        </View>
        <View className='figures__tiles'>
          <Tile label='按时办结率' value={percent(figures.onTimeRate)} hint='办结的上报里，按期限办好的' />
          <Tile label='满意率' value={percent(figures.satisfactionRate)} hint='评价里，满意和基本满意的' />
          <Tile label='受理用时中位数' value={duration(figures.medianAcceptHours)} hint='从上报到受理' />
          <Tile label='办结用时中位数' value={duration(figures.medianResolveHours)} hint='从上报到办结' />
        </View>
        <View className='lr-muted figures__note'>中位数：一半的上报比它快，一半比它慢。</View>
      </Card>
      {figures.total === 0 ? (
        <Card>
          <View className='lr-text'>这段时间{wide ? '全镇' : ''}没有上报。</View>
        </Card>
      ) : (
        <>
          <Bars title='按办理状态' counts={figures.byState} label={stateText} className='figures__by-state' />
          <Bars title='按类别' counts={figures.byCategory} className='figures__by-category' />
          <Bars title='按网格' counts={figures.byGrid} className='figures__by-grid' />
          <Bars title='按月份' counts={figures.byMonth} label={monthText} className='figures__by-month' />
        </>
      )}
    </>
  )
}

function Tile({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <View className='figures__tile'>
      <View className='figures__tile-label'>{label}</View>
      <View className={`figures__tile-value${value === '暂无' ? ' figures__tile-value--none' : ''}`}>{value}</View>
      <View className='figures__tile-hint'>{hint}</View>
    </View>
  )
}

/** A horizontal bar per value, as long as its share of the largest one. */
function Bars({
  title,
  counts,
  label,
  className,
}: {
  title: string
  counts: Count[]
  label?: (key: string) => string
  className: string
}) {
  const most = Math.max(1, ...counts.map((c) => c.count))
  return (
    <Card title={title} className={`figures__bars ${className}`}>
      {counts.map((c) => (
        <View key={c.key} className='figures__bar'>
          <View className='figures__bar-head'>
            <View className='figures__bar-label'>{label ? label(c.key) : c.key}</View>
            <View className='figures__bar-count'>{c.count} 件</View>
          </View>
          <View className='figures__bar-track'>
            <View className='figures__bar-fill' style={{ width: `${Math.max(2, (c.count / most) * 100)}%` }} />
          </View>
        </View>
      ))}
    </Card>
  )
}
