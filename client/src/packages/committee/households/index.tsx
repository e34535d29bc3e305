import { View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { Grid, Household } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { Page } from '../../../components/Page'
import { useVillageMembership } from '../../../lib/village'
import { listHouseholds } from '../../../services/roster'
import { listGrids } from '../../../services/setup'
import { GridFilter, ListPending, MoreButton, SearchBox, usePagedList } from '../components/PagedList'
import { rosterPaths } from '../paths'
import './index.css'

interface Filters {
  q: string
  gridId: number | null
}

export default function Households() {
  const { villageId, membership } = useVillageMembership()
  const [grids, setGrids] = useState<Grid[]>([])
  const [search, setSearch] = useState('')

  useDidShow(() => {
    listGrids(villageId, true).then(setGrids, () => undefined)
  })
  const { filters, list, applyFilters, more, retry } = usePagedList<Filters, Household>(
    { q: '', gridId: null },
    async (next, offset, limit) => {
      const query = { q: next.q.trim() || undefined, gridId: next.gridId ?? undefined, offset, limit }
      const page = await listHouseholds(villageId, query, ['FORBIDDEN'])
      return { items: page.households, total: page.total }
    },
  )

  return (
    <Page className='households'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 各户` : '各户'}</View>

      <Card title='查找'>
        <SearchBox
          block='households'
          placeholder='户号或住址'
          maxLength={40}
          value={search}
          onChange={setSearch}
          onSearch={() => applyFilters({ ...filters, q: search })}
        />
        <GridFilter
          grids={grids}
          value={filters.gridId}
          labelClassName='households__filter-label'
          onChange={(gridId) => applyFilters({ ...filters, gridId })}
        />
      </Card>

      {list.state === 'failed' && list.code === 'FORBIDDEN' ? (
        <Card title='不能查看'>
          <View className='lr-text'>{list.message}</View>
        </Card>
      ) : (
        <ListPending list={list} onRetry={retry} />
      )}
      {list.state === 'ready' ? (
        <Card title={`共 ${list.value.total} 户`} className='households__list'>
          {list.value.items.length === 0 ? (
            <View className='lr-muted'>{filters.q ? '没有找到，换个字试试。' : '还没有登记任何户。'}</View>
          ) : null}
          {list.value.items.map((household) => (
            <ListLink
              key={household.id}
              className='households__item'
              url={rosterPaths.household(villageId, household.id)}
              title={
                <>
                  {household.number}
                  {household.headName ? `\u3000户主 ${household.headName}` : ''}
                </>
              }
            >
              <View className='lr-text'>{household.address}</View>
              <View className='lr-muted'>
                {household.memberCount} 人{household.gridName ? ` · ${household.gridName}` : ''}
              </View>
            </ListLink>
          ))}
          <MoreButton shown={list.value.items.length} total={list.value.total} unit='户' onTap={more} />
        </Card>
      ) : null}
    </Page>
  )
}
