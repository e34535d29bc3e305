import { View } from '@tarojs/components'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Grid } from '@liren/shared/contracts'
import { Choices } from '../../../components/Choices'
import { LoadFailed } from '../../../components/LoadFailed'
import { usePageData } from '../../../lib/page-hooks'

export const PAGE_SIZE = 20

/** One page of a list, and how many there are in all. */
export interface Paged<T> {
  items: T[]
  total: number
}

/**
 * A list shown a page at a time under filters the person chooses. A newer search or filter wins over an
 * older one still on its way; coming back to the page reloads as many as were shown, so edits show up in place.
 */
export function usePagedList<Filters, T>(
  initial: Filters,
  fetch: (filters: Filters, offset: number, limit: number) => Promise<Paged<T>>,
) {
  const [filters, setFilters] = useState(initial)
  const list = usePageData<Paged<T>>((): Promise<Paged<T>> =>
    fetch(filters, 0, Math.min(200, Math.max(PAGE_SIZE, list.value?.items.length ?? 0))),
  )

  function applyFilters(next: Filters) {
    setFilters(next)
    void list.load(() => fetch(next, 0, PAGE_SIZE))
  }

  function more() {
    const shown = list.value
    if (!shown) return
    void list.load(async () => {
      const page = await fetch(filters, shown.items.length, PAGE_SIZE)
      return { items: [...shown.items, ...page.items], total: page.total }
    })
  }

  return { filters, list: list.data, applyFilters, more, retry: () => applyFilters(filters) }
}

/** While the list loads, or after it failed (with the default advice and a retry). */
export function ListPending({ list, onRetry }: { list: { state: string }; onRetry: () => void }) {
  if (list.state === 'loading') return <View className='lr-muted'>正在加载…</View>
  if (list.state === 'failed') return <LoadFailed onRetry={onRetry} />
  return null
}

/** "再看 20 人": the next page, while there is one. */
export function MoreButton(props: {
  shown: number
  total: number
  unit: string
  className?: string
  onTap: () => void
}) {
  if (props.shown >= props.total) return null
  return (
    <View className='lr-actions'>
      <Button size='large' block fill='outline' className={props.className} onClick={props.onTap}>
        再看 {Math.min(PAGE_SIZE, props.total - props.shown)} {props.unit}
      </Button>
    </View>
  )
}

/** The search box of a list: what is typed is searched for on 搜索 or the keyboard's search key. */
export function SearchBox(props: {
  block: string
  placeholder: string
  maxLength: number
  value: string
  buttonClassName?: string
  onChange: (text: string) => void
  onSearch: () => void
}) {
  return (
    <View className={`${props.block}__search`}>
      <Input
        className={`lr-input ${props.block}__search-input`}
        placeholder={props.placeholder}
        value={props.value}
        maxLength={props.maxLength}
        confirmType='search'
        onChange={(value: string) => props.onChange(value)}
        onConfirm={props.onSearch}
      />
      <Button type='primary' size='large' className={props.buttonClassName} onClick={props.onSearch}>
        搜索
      </Button>
    </View>
  )
}

/** Only the people or households of one grid (or all), when the village has grids. */
export function GridFilter(props: {
  grids: Grid[]
  value: number | null
  labelClassName: string
  onChange: (gridId: number | null) => void
}) {
  if (props.grids.length === 0) return null
  return (
    <>
      <View className={props.labelClassName}>网格</View>
      <Choices
        choices={[
          { value: null, label: '全部' },
          ...props.grids.map((g) => ({ value: g.id as number | null, label: g.name })),
        ]}
        value={props.value}
        onChange={props.onChange}
      />
    </>
  )
}
