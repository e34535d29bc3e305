import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Order } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { CancelOrderDialog } from '../../../components/CancelOrderDialog'
import { Page } from '../../../components/Page'
import { formatDate, formatDateTime } from '../../../lib/format'
import { useTextWithError } from '../../../lib/form-text'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { cancelOrder, fulfilOrder, listOrders } from '../../../services/points'
import './index.css'

const isWeapp = process.env.TARO_ENV === 'weapp'
const CODE_ERRORS = ['CODE_INVALID', 'ORDER_CLOSED', 'VALIDATION_FAILED']

export default function Fulfil() {
  const { villageId, membership } = useVillageMembership()
  const code = useTextWithError()
  const [done, setDone] = useState<Order | null>(null)
  const [pending, setPending] = useState<Order[] | null>(null)
  const [cancelling, setCancelling] = useState<Order | null>(null)

  function loadPending() {
    listOrders(villageId, 'pending', true).then(setPending, () => setPending([]))
  }

  useDidShow(loadPending)

  async function fulfil(text: string) {
    const digits = text.replace(/\s+/g, '')
    setDone(null)
    if (!/^\d{6}$/.test(digits)) return code.setError('取货码是 6 位数字')
    code.setError('')
    try {
      setDone(await fulfilOrder(villageId, digits, CODE_ERRORS))
      code.setValue('')
      loadPending()
    } catch (caught) {
      if (caught instanceof ApiError && CODE_ERRORS.includes(caught.code)) code.setError(caught.message)
    }
  }

  async function scan() {
    try {
      const result = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode', 'barCode'] })
      code.setValue(result.result)
      await fulfil(result.result)
    } catch {
      // The camera was closed.
    }
  }

  async function confirmCancel() {
    if (!cancelling) return
    const order = cancelling
    setCancelling(null)
    try {
      await cancelOrder(villageId, order.id)
      void Taro.showToast({
        title: `已取消，${order.cost} 积分已退给${order.personName}`,
        icon: 'none',
        duration: 2500,
      })
    } catch {
      // http.ts has shown why.
    }
    loadPending()
  }

  const member = placeWords(membership?.villageKind ?? 'rural').member
  return (
    <Page className='fulfil'>
      <Card title='输入取货码'>
        <View className='lr-muted'>{member}来领东西时，请他出示“我的兑换”里的 6 位取货码。</View>
        {/* The number keyboard in WeChat; in a browser, text: the code may be typed as it is shown (594 182). */}
        <Input
          className='lr-input fulfil__code'
          type={isWeapp ? 'number' : 'text'}
          placeholder='6 位数字'
          value={code.value}
          maxLength={7}
          onChange={code.change}
          onConfirm={() => fulfil(code.value)}
        />
        {code.error ? <View className='lr-error fulfil__error'>{code.error}</View> : null}
        <View className='lr-actions'>
          {isWeapp ? (
            <Button size='large' fill='outline' className='fulfil__scan' onClick={scan}>
              扫码
            </Button>
          ) : null}
          <Button
            type='primary'
            size='large'
            block={!isWeapp}
            className='fulfil__submit'
            onClick={() => fulfil(code.value)}
          >
            核销
          </Button>
        </View>
      </Card>

      {done ? (
        <Card className='fulfil__done'>
          <View className='fulfil__done-title'>核销成功</View>
          <View className='lr-text'>
            请把“{done.itemName}”交给 {done.personName}。
          </View>
          <View className='lr-muted'>
            用了 {done.cost} 积分 · 兑换于 {formatDateTime(done.createdAt)}
          </View>
        </Card>
      ) : null}

      <Card title={pending ? `等待领取（${pending.length}）` : '等待领取'} className='fulfil__pending'>
        {pending === null ? <View className='lr-muted'>正在加载…</View> : null}
        {pending?.length === 0 ? <View className='lr-muted'>没有等待领取的兑换。</View> : null}
        {pending?.map((order) => (
          <View key={order.id} className='lr-line fulfil__order'>
            <View className='lr-line__main'>
              <View className='fulfil__order-title'>
                {order.personName} · {order.itemName}
              </View>
              <View className='lr-muted'>
                {order.cost} 积分 · {formatDate(order.expiresAt)}前领取
              </View>
            </View>
            <Button size='small' fill='outline' className='fulfil__cancel' onClick={() => setCancelling(order)}>
              取消
            </Button>
          </View>
        ))}
      </Card>

      <CancelOrderDialog order={cancelling} onConfirm={confirmCancel} onDismiss={() => setCancelling(null)}>
        {(order) => (
          <View className='lr-text'>
            取消 {order.personName} 兑换的“{order.itemName}”吗？{order.cost} 积分会退回给他。
          </View>
        )}
      </CancelOrderDialog>
    </Page>
  )
}
