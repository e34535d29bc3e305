import { Image, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useRef, useState } from 'react'
import type { ShopItem } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { previewPhotos } from '../../../components/PhotoPicker'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideButton, WideLinkButton } from '../../../components/WideButtons'
import { formatDate } from '../../../lib/format'
import { usePageData, useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { fileUrl } from '../../../services/http'
import { getMyAccount, listItems, redeem } from '../../../services/points'
import { pointsPaths } from '../paths'
import './index.css'

/** The shop says no: the item changed or the points are short. The list is shown afresh. */
const REFUSALS = ['INSUFFICIENT_POINTS', 'SOLD_OUT', 'LIMIT_REACHED', 'ITEM_UNAVAILABLE', 'ITEM_NOT_FOUND']

export default function Shop() {
  const { villageId, membership } = useVillageMembership()
  const { data, reload } = usePageData(async () => {
    const [items, account] = await Promise.all([
      listItems(villageId, true),
      getMyAccount(villageId, true).catch(() => null),
    ])
    return { items, balance: account?.balance ?? null }
  })
  const [chosen, setChosen] = useState<ShopItem | null>(null)
  // One key per redemption (kept after a lost answer, so trying again cannot redeem twice); another item, another.
  const redemption = useSubmit(
    [],
    (item: ShopItem, { handled, idempotencyKey }) => redeem(villageId, { itemId: item.id, idempotencyKey }, handled),
    {
      idempotency: 'redeem',
      quiet: REFUSALS,
      onRefused: async (error) => {
        setChosen(null)
        void Taro.showToast({ title: error.message, icon: 'none', duration: 3000 })
        if (REFUSALS.includes(error.code)) await reload()
      },
    },
  )
  const keyFor = useRef<number | null>(null)

  function choose(item: ShopItem) {
    if (keyFor.current !== item.id) redemption.newAttempt()
    keyFor.current = item.id
    setChosen(item)
  }

  async function confirm() {
    if (!chosen) return
    const order = await redemption.submit(chosen).finally(() => setChosen(null))
    if (order) void Taro.navigateTo({ url: pointsPaths.orders(villageId, order.id) })
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const { items, balance } = data.value
  const words = placeWords(membership?.villageKind ?? 'rural')
  const shown = items.filter((item) => item.active).sort((a, b) => Number(b.available) - Number(a.available))
  return (
    <Page className='shop'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 积分超市` : '积分超市'}</View>
      <Card className='shop__balance'>
        <View className='lr-row shop__balance-row'>
          <View className='lr-text'>我的积分</View>
          <View className='shop__balance-value'>{balance ?? '—'}</View>
        </View>
        <View className='lr-muted'>兑换后会给您一个取货码，凭取货码到{words.committee}领取。</View>
        <View className='lr-actions'>
          <WideLinkButton fill='outline' className='shop__orders' url={pointsPaths.orders(villageId)}>
            我的兑换记录
          </WideLinkButton>
        </View>
      </Card>

      {shown.length === 0 ? (
        <Card title='还没有可以兑换的东西'>
          <View className='lr-muted'>{words.committee}上架商品后会显示在这里。</View>
        </Card>
      ) : null}
      {shown.map((item) => (
        <ItemCard key={item.id} item={item} balance={balance} onRedeem={() => choose(item)} />
      ))}

      <ConfirmDialog
        className='shop__dialog'
        subject={chosen}
        title='确认兑换'
        confirmText='确定兑换'
        onConfirm={confirm}
        onDismiss={() => setChosen(null)}
      >
        {(item) => (
          <View className='lr-text'>
            用 {item.cost} 积分兑换“{item.name}”吗？
            {balance !== null ? `兑换后还剩 ${balance - item.cost} 积分。` : ''}
          </View>
        )}
      </ConfirmDialog>
    </Page>
  )
}

/** Why an item cannot be redeemed right now, in plain words; null when it can. */
function blocked(item: ShopItem, balance: number | null): string | null {
  if (item.stock <= 0) return '已经换完了'
  if (!item.available) return '现在不能兑换'
  if (balance !== null && balance < item.cost) return `积分不够，还差 ${item.cost - balance} 分`
  return null
}

function ItemCard({ item, balance, onRedeem }: { item: ShopItem; balance: number | null; onRedeem: () => void }) {
  const reason = blocked(item, balance)
  return (
    <Card className={`shop__item${reason ? ' shop__item--blocked' : ''}`}>
      <View className='shop__item-row'>
        {item.photo ? (
          <Image
            className='shop__photo'
            src={fileUrl(item.photo.thumbUrl)}
            mode='aspectFill'
            onClick={() => previewPhotos([item.photo!], 0)}
          />
        ) : (
          <View className='shop__photo shop__photo--none'>暂无照片</View>
        )}
        <View className='shop__item-main'>
          <View className='shop__item-name'>{item.name}</View>
          {item.description ? <View className='lr-text shop__description'>{item.description}</View> : null}
          <View className='lr-muted'>
            还剩 {item.stock} 件{item.perMemberLimit ? ` · 每人最多换 ${item.perMemberLimit} 件` : ''}
          </View>
          {item.availableUntil ? <View className='lr-muted'>兑换截止：{formatDate(item.availableUntil)}</View> : null}
        </View>
        <View className='shop__cost'>
          <View className='shop__cost-value'>{item.cost}</View>
          <View className='lr-muted'>积分</View>
        </View>
      </View>
      {reason ? <View className='lr-muted shop__blocked'>{reason}</View> : null}
      <View className='lr-actions'>
        <WideButton type='primary' disabled={reason !== null} className='shop__redeem' onClick={onRedeem}>
          兑换
        </WideButton>
      </View>
    </Card>
  )
}
