import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import type { Photo, SaveItemBody, ShopItem } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { DraftInputFields, InputField, type DraftInput } from '../../../components/InputField'
import { NotReady } from '../../../components/LoadFailed'
import { FormActions, Page } from '../../../components/Page'
import { PhotosField } from '../../../components/PhotosField'
import { TextAreaField } from '../../../components/TextAreaField'
import { draftFields, type TextKey } from '../../../lib/form-text'
import { NotFoundOnPage, usePageData, useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { createItem, listItems, updateItem } from '../../../services/points'
import './index.css'
import { SwitchCell } from '../../../components/SwitchCell'

const FIELDS = ['name', 'description', 'photo', 'cost', 'stock', 'perMemberLimit'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>

interface Draft {
  name: string
  description: string
  /** None or one. */
  photos: Photo[]
  cost: string
  stock: string
  perMemberLimit: string
  active: boolean
}

/** The numbers of an item, as the form asks for them. */
const NUMBER_INPUTS: readonly DraftInput<TextKey<Draft>>[] = [
  { key: 'cost', label: '要多少积分', inputClassName: 'item__cost', maxLength: 6 },
  { key: 'stock', label: '库存', hint: '还有几件可以换', inputClassName: 'item__stock', maxLength: 7 },
  { key: 'perMemberLimit', label: '每人最多换几件', hint: '不填表示不限', inputClassName: 'item__limit', maxLength: 4 },
]

const EMPTY: Draft = { name: '', description: '', photos: [], cost: '', stock: '', perMemberLimit: '', active: true }

function draftOf(item: ShopItem): Draft {
  return {
    name: item.name,
    description: item.description ?? '',
    photos: item.photo ? [item.photo] : [],
    cost: String(item.cost),
    stock: String(item.stock),
    perMemberLimit: item.perMemberLimit === null ? '' : String(item.perMemberLimit),
    active: item.active,
  }
}

/** The body to save; the availability window is kept as it is. */
function toBody(draft: Draft, item: ShopItem | null): { body: SaveItemBody | null; errors: Errors } {
  const errors: Errors = {}
  const whole = (text: string, min: number, max: number) => {
    const n = Number(text)
    return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null
  }
  const name = draft.name.trim()
  if (!name || name.length > 64) errors.name = '请写商品名称，最多 64 个字'
  const description = draft.description.trim()
  if (description.length > 300) errors.description = '介绍最多 300 个字'
  const cost = whole(draft.cost, 1, 100000)
  if (cost === null) errors.cost = '请填 1 到 100000 的整数'
  const stock = whole(draft.stock, 0, 1000000)
  if (stock === null) errors.stock = '请填 0 或更大的整数'
  const limit = draft.perMemberLimit.trim() === '' ? null : whole(draft.perMemberLimit, 1, 1000)
  if (draft.perMemberLimit.trim() !== '' && limit === null)
    errors.perMemberLimit = '不填表示不限；要填请填 1 到 1000 的整数'
  if (Object.keys(errors).length || cost === null || stock === null) return { body: null, errors }
  return {
    body: {
      name,
      cost,
      stock,
      perMemberLimit: limit,
      description: description || null,
      photo: draft.photos[0]?.key ?? null,
      availableFrom: item?.availableFrom ?? null,
      availableUntil: item?.availableUntil ?? null,
      active: draft.active,
    },
    errors,
  }
}

export default function ItemPage() {
  const { villageId, membership } = useVillageMembership()
  const itemId = Number(useRouter().params.itemId) || null
  const [draft, setDraft] = useState<Draft>(EMPTY)
  const { data, reload } = usePageData(
    async () => {
      const item = (await listItems(villageId, true)).find((i) => i.id === itemId)
      if (!item) throw new NotFoundOnPage('找不到这个商品。')
      setDraft(draftOf(item))
      return item
    },
    { enabled: itemId !== null, initial: null },
  )
  const form = useSubmit(FIELDS, ({ item, body }: { item: ShopItem | null; body: SaveItemBody }, { handled }) =>
    item ? updateItem(villageId, item.id, body, handled) : createItem(villageId, body, handled),
  )
  const { errors } = form

  async function save(item: ShopItem | null) {
    const { body, errors: found } = toBody(draft, item)
    if (!(await form.submit(body && { item, body }, found))) return
    void Taro.showToast({ title: item ? '已保存' : '已上架', icon: 'none', duration: 2000 })
    setTimeout(() => void Taro.navigateBack(), 800)
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const item = data.value
  const member = placeWords(membership?.villageKind ?? 'rural').member
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch })
  const { text } = draftFields(draft, setDraft, errors)
  return (
    <Page className='item'>
      <View className='lr-heading'>{item ? `修改：${item.name}` : '上架新商品'}</View>
      <Card>
        <InputField
          label='商品名称'
          hint='例如：洗衣液 1 瓶、大米 5 斤'
          maxLength={64}
          {...text('name', 'item__name')}
        />
        <TextAreaField
          label='介绍（可以不写）'
          hint='是什么、多大、什么牌子、到哪里领，写给大家看'
          textAreaClassName='item__description'
          maxLength={300}
          value={draft.description}
          error={errors.description}
          onChange={(description) => set({ description })}
        />
        <PhotosField
          label='照片（可以不拍，一张）'
          className='item__photo'
          villageId={villageId}
          max={1}
          photos={draft.photos}
          error={errors.photo}
          onChange={(photos) => set({ photos })}
        />
        <DraftInputFields inputs={NUMBER_INPUTS} type='number' bind={text} />
        {item ? (
          <SwitchCell
            className='item__active'
            title='上架'
            description={draft.active ? `${member}能看到并兑换` : `已下架，${member}看不到`}
            checked={draft.active}
            onChange={(active) => set({ active })}
          />
        ) : null}
        <FormActions form={form} className='item__save' onSubmit={() => save(item)}>
          {item ? '保存' : '上架'}
        </FormActions>
      </Card>
    </Page>
  )
}
