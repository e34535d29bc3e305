import { View } from '@tarojs/components'
import type { ShopItem } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { BlockLinkButton } from '../../../components/WideButtons'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listItems } from '../../../services/points'
import { pointsAdminPaths } from '../paths'

/** The item's state in the shop, as a villager would see it. */
function itemState(item: ShopItem): { label: string; badge: string } {
  if (!item.active) return { label: '已下架', badge: 'lr-badge--grey' }
  if (item.stock <= 0) return { label: '没有库存', badge: 'lr-badge--red' }
  if (!item.available) return { label: '不在兑换时间', badge: 'lr-badge--grey' }
  return { label: '可以兑换', badge: 'lr-badge--green' }
}

export default function Items() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => listItems(villageId, true))

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  return (
    <Page className='items'>
      <BlockLinkButton className='items__new' url={pointsAdminPaths.item(villageId)}>
        上架新商品
      </BlockLinkButton>
      <Card title='全部商品' className='items__list'>
        {data.value.length === 0 ? <View className='lr-muted'>还没有商品。</View> : null}
        {data.value.map((item) => {
          const state = itemState(item)
          return (
            <ListLink
              key={item.id}
              className='items__item'
              url={pointsAdminPaths.item(villageId, item.id)}
              title={item.name}
              badges={<View className={`lr-badge ${state.badge}`}>{state.label}</View>}
            >
              <View className='lr-muted'>
                {item.cost} 积分 · 库存 {item.stock}
                {item.perMemberLimit ? ` · 每人限 ${item.perMemberLimit} 件` : ''}
              </View>
            </ListLink>
          )
        })}
      </Card>
    </Page>
  )
}
