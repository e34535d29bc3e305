import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import type { Grid, Household } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { LoadFailed } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { listHouseholds } from '../../../services/roster'
import { listGrids } from '../../../services/setup'
import { rosterPaths } from '../paths'
import './index.css'

const PAGE_SIZE = 20

interface Filters {
  q: string
  gridId: number | null
}

type List =
  | { state: 'loading' }
  | { state: 'ready'; households: Household[]; total: number }
  | { state: 'forbidden'; message: string }
  | { state: 'failed' }

export default function Households() {
  const { villageId, membership } = useVillageMembership()
  const [grids, setGrids] = useState<Grid[]>([])
  const [filters, setFilters] = useState<Filters>({ q: '', gridId: null })
  const [search, setSearch] = useState('')
  const [list, setList] = useState<List>({ state: 'loading' })
  const latest = useRef({ filters, loaded: 0, request: 0 })

  async function load(next: Filters, offset: number, limit = PAGE_SIZE) {
    const request = ++latest.current.request
    try {
      const page = await listHouseholds(
        villageId,
        { q: next.q.trim() || undefined, gridId: next.gridId ?? undefined, offset, limit },
        ['FORBIDDEN'],
      )
      if (request !== latest.current.request) return
      setList((previous) => {
        const households =
          offset > 0 && previous.state === 'ready' ? [...previous.households, ...page.households] : page.households
        latest.current.loaded = households.length
        return { state: 'ready', households, total: page.total }
      })
    } catch (error) {
      if (request !== latest.current.request) return
      if (error instanceof ApiError && error.code === 'FORBIDDEN')
        setList({ state: 'forbidden', message: error.message })
      else setList({ state: 'failed' })
    }
  }

  function applyFilters(next: Filters) {
    latest.current.filters = next
    setFilters(next)
    void load(next, 0)
  }

  useDidShow(() => {
    listGrids(villageId, true).then(setGrids, () => undefined)
    void load(latest.current.filters, 0, Math.min(200, Math.max(PAGE_SIZE, latest.current.loaded)))
  })

  return (
    <Page className='households'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 各户` : '各户'}</View>

      <Card title='查找'>
        <View className='households__search'>
          <Input
            className='lr-input households__search-input'
            placeholder='户号或住址'
            value={search}
            maxLength={40}
            confirmType='search'
            onChange={(value: string) => setSearch(value)}
            onConfirm={() => applyFilters({ ...filters, q: search })}
          />
          <Button type='primary' size='large' onClick={() => applyFilters({ ...filters, q: search })}>
            搜索
          </Button>
        </View>
        {grids.length > 0 ? (
          <>
            <View className='households__filter-label'>网格</View>
            <Choices
              choices={[
                { value: null, label: '全部' },
                ...grids.map((g) => ({ value: g.id as number | null, label: g.name })),
              ]}
              value={filters.gridId}
              onChange={(gridId) => applyFilters({ ...filters, gridId })}
            />
          </>
        ) : null}
      </Card>

      {list.state === 'loading' ? <View className='lr-muted'>正在加载…</View> : null}
      {list.state === 'forbidden' ? (
        <Card title='不能查看'>
          <View className='lr-text'>{list.message}</View>
        </Card>
      ) : null}
      {list.state === 'failed' ? <LoadFailed onRetry={() => load(filters, 0)} /> : null}
      {list.state === 'ready' ? (
        <Card title={`共 ${list.total} 户`} className='households__list'>
          {list.households.length === 0 ? (
            <View className='lr-muted'>{filters.q ? '没有找到，换个字试试。' : '还没有登记任何户。'}</View>
          ) : null}
          {list.households.map((household) => (
            <View
              key={household.id}
              className='lr-list-item households__item'
              onClick={() => Taro.navigateTo({ url: rosterPaths.household(villageId, household.id) })}
            >
              <View className='lr-list-item__title'>
                {household.number}
                {household.headName ? `\u3000户主 ${household.headName}` : ''}
              </View>
              <View className='lr-text'>{household.address}</View>
              <View className='lr-muted'>
                {household.memberCount} 人{household.gridName ? ` · ${household.gridName}` : ''}
              </View>
              <View className='lr-list-item__arrow'>›</View>
            </View>
          ))}
          {list.households.length < list.total ? (
            <View className='lr-actions'>
              <Button size='large' block fill='outline' onClick={() => load(filters, list.households.length)}>
                再看 {Math.min(PAGE_SIZE, list.total - list.households.length)} 户
              </Button>
            </View>
          ) : null}
        </Card>
      ) : null}
    </Page>
  )
}
