import { View } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { PointsNotice } from '@liren/shared/contracts'
import { hoursText } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { Fact, Facts } from '../../../components/Facts'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideButton } from '../../../components/WideButtons'
import { shanghaiNow } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { downloadNotice, getNotice } from '../../../services/points'
import './index.css'

/** This month so far (what opens first), last month and the month before it. */
function noticeMonths(): { value: string; label: string }[] {
  const now = shanghaiNow()
  return [0, 1, 2].map((back) => {
    const month = now.subtract(back, 'month')
    return { value: month.format('YYYY-MM'), label: back === 0 ? `本月（到今天）` : `${month.month() + 1}月` }
  })
}

export default function Notice() {
  const { villageId } = useVillageMembership()
  const months = useRef(noticeMonths()).current
  const [month, setMonth] = useState(months[0]!.value)
  const { data, reload } = usePageData(() => getNotice(villageId, month, true), { deps: [month] })
  const [printing, setPrinting] = useState(false)

  async function print(notice: PointsNotice) {
    setPrinting(true)
    try {
      await downloadNotice(villageId, notice.month, notice.title)
    } catch {
      // http.ts has shown why.
    } finally {
      setPrinting(false)
    }
  }

  return (
    <Page className='notice'>
      <Card className='notice__months'>
        <Choices choices={months} value={month} onChange={setMonth} />
      </Card>

      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' ? (
        <>
          <View className='lr-heading notice__title'>{data.value.title}</View>
          <Card className='notice__totals'>
            <Facts>
              <Fact label='得积分的人'>{data.value.totals.people} 人</Fact>
              <Fact label='发出积分'>{data.value.totals.points} 分</Fact>
              <Fact label='志愿服务'>{hoursText(data.value.totals.serviceMinutes)} 小时</Fact>
              <Fact label='超市兑换'>
                {data.value.totals.redeemedOrders} 件，用去 {data.value.totals.redeemedPoints} 分
              </Fact>
              <Fact label='扣分'>{data.value.totals.penalties} 人次</Fact>
              <Fact label='匿名随手拍'>
                {data.value.totals.anonymousAwards} 次，{data.value.totals.anonymousPoints} 分
              </Fact>
            </Facts>
            <View className='lr-muted notice__privacy'>
              扣分的名单和匿名上报的人不公示，本人可以在“积分”里看到。名单上只显示姓和最后一个字。
            </View>
          </Card>

          <Card title='加分名单' className='notice__rows'>
            {data.value.rows.length === 0 ? <View className='lr-muted'>这个月还没有人得到积分。</View> : null}
            {data.value.rows.map((row, i) => (
              <View key={`${row.householdNumber}-${i}`} className='notice__row'>
                <View className='notice__row-head'>
                  <View className='notice__name'>{row.name}</View>
                  <View className='lr-muted notice__household'>{row.householdNumber} 户</View>
                  <View className='notice__points'>+{row.points} 分</View>
                </View>
                {row.items.map((item) => (
                  <View key={item.rule} className='lr-muted notice__item'>
                    {item.rule}：{item.times} 次，{item.points} 分
                  </View>
                ))}
              </View>
            ))}
          </Card>

          <Card className='notice__print'>
            <View className='lr-text'>
              公示 {data.value.objectionDays} 天。有不同意见，请在公示期内找{data.value.publisher}。
            </View>
            <View className='lr-actions'>
              <WideButton
                type='primary'
                loading={printing}
                disabled={printing}
                className='notice__download'
                onClick={() => print(data.value)}
              >
                下载打印版（A4 纸）
              </WideButton>
            </View>
          </Card>
        </>
      ) : null}
    </Page>
  )
}
