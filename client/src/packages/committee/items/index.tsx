import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { ShopItem } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { listItems } from '../../../services/points'
import { pointsAdminPaths } from '../paths'

type Data = { state: 'loading' } | { state: 'failed'; message?: string } | { state: 'ready'; items: ShopItem[] }

/** The item's state in the shop, as a villager would see it. */
function itemState(item: ShopItem): { label: string; badge: string } {
  if (!item.active) return { label: '已下架', badge: 'lr-badge--grey' }
  if (item.stock <= 0) return { label: '没有库存', badge: 'lr-badge--red' }
  if (!item.available) return { label: '不在兑换时间', badge: 'lr-badge--grey' }
  return { label: '可以兑换', badge: 'lr-badge--green' }
}

export default function Items() {
  const { villageId } = useVillageMembership()
  const [data, setData] = useState<Data>({ state: 'loading' })

  async function load() {
    try {
      setData({ state: 'ready', items: await listItems(villageId, true) })
    } catch (error) {
      setData({ state: 'failed', message: error instanceof ApiError && error.status !== 0 ? error.message : undefined })
    }
  }

  useDidShow(() => void load())

  if (data.state !== 'ready') return <NotReady data={data} onRetry={load} />

  return (
    <Page className='items'>
      <Button
        type='primary'
        size='large'
        block
        className='lr-block-button items__new'
        onClick={() => Taro.navigateTo({ url: pointsAdminPaths.item(villageId) })}
      >
        上架新商品
      </Button>
      <Card title='全部商品' className='items__list'>
        {data.items.length === 0 ? <View className='lr-muted'>还没有商品。</View> : null}
        {data.items.map((item) => {
          const state = itemState(item)
          return (
            <View
              key={item.id}
              className='lr-list-item items__item'
              onClick={() => Taro.navigateTo({ url: pointsAdminPaths.item(villageId, item.id) })}
            >
              <View className='lr-row'>
                <View className='lr-list-item__title'>{item.name}</View>
                <View className={`lr-badge ${state.badge}`}>{state.label}</View>
              </View>
              <View className='lr-muted'>
                {item.cost} 积分 · 库存 {item.stock}
                {item.perMemberLimit ? ` · 每人限 ${item.perMemberLimit} 件` : ''}
              </View>
              <View className='lr-list-item__arrow'>›</View>
            </View>
          )
        })}
      </Card>
    </Page>
  )
}
