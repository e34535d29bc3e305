import { Image, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import type { Order, OrderStatus } from '@liren/shared/contracts'
import { ORDER_STATUS_LABEL, placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { CancelOrderDialog } from '../../../components/CancelOrderDialog'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideButton } from '../../../components/WideButtons'
import { formatDate, formatDateTime } from '../../../lib/format'
import { spacedCode } from '../../../lib/points'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { cancelOrder, listMyOrders } from '../../../services/points'
import './index.css'

const STATUS_BADGE: Record<OrderStatus, string> = {
  pending: 'lr-badge--blue',
  fulfilled: 'lr-badge--green',
  cancelled: 'lr-badge--grey',
  expired: 'lr-badge--grey',
}

export default function Orders() {
  const { villageId, membership } = useVillageMembership()
  const justMade = Number(useRouter().params.orderId) || null
  const [cancelling, setCancelling] = useState<Order | null>(null)

  const { data, reload } = usePageData(() => listMyOrders(villageId, true))

  async function confirmCancel() {
    if (!cancelling) return
    try {
      await cancelOrder(villageId, cancelling.id, ['ORDER_CLOSED'])
      void Taro.showToast({ title: `已取消，${cancelling.cost} 积分已退回`, icon: 'none', duration: 2500 })
    } catch (error) {
      if (error instanceof ApiError && error.code === 'ORDER_CLOSED')
        void Taro.showToast({ title: error.message, icon: 'none', duration: 2500 })
    }
    setCancelling(null)
    await reload()
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const words = placeWords(membership?.villageKind ?? 'rural')

  // Waiting ones first (the one just made on top), then the rest, newest first.
  const orders = [...data.value].sort(
    (a, b) =>
      Number(b.id === justMade) - Number(a.id === justMade) ||
      Number(b.status === 'pending') - Number(a.status === 'pending') ||
      b.createdAt.localeCompare(a.createdAt),
  )
  return (
    <Page className='orders'>
      {orders.length === 0 ? (
        <Card title='还没有兑换过'>
          <View className='lr-muted'>在积分超市用积分换东西后，取货码会显示在这里。</View>
        </Card>
      ) : null}
      {orders.map((order) => (
        <Card key={order.id} className={`orders__order orders__order--${order.status}`}>
          {order.id === justMade && order.status === 'pending' ? (
            <View className='orders__done'>兑换成功！</View>
          ) : null}
          <View className='lr-row orders__title-row'>
            <View className='orders__item'>{order.itemName}</View>
            <View className={`lr-badge ${STATUS_BADGE[order.status]} orders__status`}>
              {ORDER_STATUS_LABEL[order.status]}
            </View>
          </View>
          <View className='lr-muted'>
            用了 {order.cost} 积分 · {formatDateTime(order.createdAt)}
          </View>
          {order.status === 'pending' ? (
            <>
              <View className='orders__code-box'>
                <View className='lr-text'>取货码</View>
                <View className='orders__code'>{spacedCode(order.pickupCode)}</View>
                {order.pickupQr ? <Image className='orders__qr' src={order.pickupQr} mode='scaleToFill' /> : null}
                <View className='lr-muted'>
                  请在 {formatDate(order.expiresAt)}前，凭这个取货码到{words.committee}领取。
                  {membership?.officeHours ? `办公时间：${membership.officeHours}。` : ''}
                </View>
              </View>
              <View className='lr-actions'>
                <WideButton fill='outline' className='orders__cancel' onClick={() => setCancelling(order)}>
                  不要了，取消兑换
                </WideButton>
              </View>
            </>
          ) : null}
          {order.status === 'fulfilled' && order.closedAt ? (
            <View className='lr-text'>领取时间：{formatDateTime(order.closedAt)}</View>
          ) : null}
          {order.status === 'cancelled' || order.status === 'expired' ? (
            <View className='lr-text'>积分已退回</View>
          ) : null}
        </Card>
      ))}

      <CancelOrderDialog order={cancelling} onConfirm={confirmCancel} onDismiss={() => setCancelling(null)}>
        {(order) => (
          <View className='lr-text'>
            取消“{order.itemName}”的兑换吗？{order.cost} 积分会退回给您。
          </View>
        )}
      </CancelOrderDialog>
    </Page>
  )
}
