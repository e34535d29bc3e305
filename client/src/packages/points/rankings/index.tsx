import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { RankingQuery } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { shanghaiNow } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { getMyAccount, getRanking, setNameVisibility } from '../../../services/points'
import './index.css'
import { SwitchCell } from '../../../components/SwitchCell'

type Query = Required<Pick<RankingQuery, 'period' | 'by'>> & { month: string }

const PERIODS = [
  { value: 'month' as const, label: '月榜' },
  { value: 'all' as const, label: '总榜' },
]
const BYS = [
  { value: 'person' as const, label: '按人' },
  { value: 'household' as const, label: '按户' },
]

/** This month and the two before it, as YYYY-MM with a label like 11月. */
function recentMonths(): { value: string; label: string }[] {
  const now = shanghaiNow()
  return [0, 1, 2].map((back) => {
    const month = now.subtract(back, 'month')
    return {
      value: month.format('YYYY-MM'),
      label: back === 0 ? `本月（${month.month() + 1}月）` : `${month.month() + 1}月`,
    }
  })
}

export default function Rankings() {
  const { villageId } = useVillageMembership()
  const months = useRef(recentMonths()).current
  const [query, setQuery] = useState<Query>({ period: 'month', by: 'person', month: months[0]!.value })
  const { data, reload } = usePageData(
    () =>
      getRanking(
        villageId,
        { period: query.period, by: query.by, month: query.period === 'month' ? query.month : undefined },
        true,
      ),
    { deps: [query] },
  )
  const [fullName, setFullName] = useState(false)

  useDidShow(() => {
    // The account says whether my full name is shown; not on the roster yet means not ranked at all.
    getMyAccount(villageId, true).then(
      (account) => setFullName(account.showFullName),
      () => undefined,
    )
  })

  async function toggleFullName(on: boolean) {
    try {
      const result = await setNameVisibility(villageId, on)
      setFullName(result.showFullName)
      void Taro.showToast({
        title: result.showFullName ? '排行榜上会显示您的全名' : '排行榜上只显示姓和最后一个字',
        icon: 'none',
        duration: 2500,
      })
      await reload()
    } catch {
      // http.ts has shown why.
    }
  }

  return (
    <Page className='rankings'>
      <Card className='rankings__switches'>
        <Choices choices={PERIODS} value={query.period} onChange={(period) => setQuery({ ...query, period })} />
        <Choices
          choices={BYS}
          value={query.by}
          onChange={(by) => setQuery({ ...query, by })}
          className='rankings__by'
        />
        {query.period === 'month' ? (
          <Choices
            choices={months}
            value={query.month}
            onChange={(month) => setQuery({ ...query, month })}
            className='rankings__months'
          />
        ) : null}
        <View className='lr-muted rankings__note'>
          {query.by === 'household' ? '一户的积分是这一户所有人的积分加起来。' : ''}
          排名按得到的积分减去扣分算，兑换东西不影响排名。
        </View>
      </Card>

      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' ? (
        <Card className='rankings__list'>
          {data.value.rows.length === 0 ? <View className='lr-muted'>这段时间还没有人得到积分。</View> : null}
          {data.value.rows.map((row) => (
            <View key={`${row.rank}-${row.name}`} className={`rankings__row${row.isMe ? ' rankings__row--me' : ''}`}>
              <View className={`rankings__rank${row.rank <= 3 ? ' rankings__rank--top' : ''}`}>{row.rank}</View>
              <View className='rankings__name'>{row.name}</View>
              {row.isMe ? (
                <View className='lr-badge lr-badge--red'>{query.by === 'household' ? '我家' : '我'}</View>
              ) : null}
              <View className='rankings__score'>{row.score} 分</View>
            </View>
          ))}
        </Card>
      ) : null}

      <Card className='rankings__privacy'>
        <SwitchCell
          className='rankings__privacy-cell'
          switchClassName='rankings__full-name'
          title='排行榜显示我的全名'
          description={fullName ? '别人能看到您的全名' : '现在别人只能看到姓和最后一个字，例如“张*明”'}
          checked={fullName}
          onChange={(on) => toggleFullName(on)}
        />
      </Card>
    </Page>
  )
}
