import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type {
  Grid,
  Person,
  PersonQuery,
  PersonStatus,
  RosterCounts,
  RosterWarning,
  VillageKind,
  VillageMember,
} from '@liren/shared/contracts'
import { can, PERSON_STATUS_LABEL, placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Chip, Choices } from '../../../components/Choices'
import { Page } from '../../../components/Page'
import { formatDate, shanghaiToday } from '../../../lib/format'
import { useVillageMembership } from '../../../lib/village'
import { exportRoster, getRosterCounts, listPeople } from '../../../services/roster'
import { listGrids, listVillageMembers } from '../../../services/setup'
import { GridFilter, ListPending, MoreButton, SearchBox, usePagedList } from '../components/PagedList'
import { PersonRow } from '../components/PersonRow'
import { rosterPaths } from '../paths'
import './index.css'

interface Filters {
  q: string
  gridId: number | null
  adultsOnly: boolean
  representativesOnly: boolean
  status: PersonStatus | 'all'
}

const STATUS_CHOICES = [
  { value: 'resident' as const, label: PERSON_STATUS_LABEL.resident },
  { value: 'moved_out' as const, label: PERSON_STATUS_LABEL.moved_out },
  { value: 'deceased' as const, label: PERSON_STATUS_LABEL.deceased },
  { value: 'all' as const, label: '全部' },
]

function toQuery(filters: Filters, today: string, offset: number, limit: number): PersonQuery {
  return {
    q: filters.q.trim() || undefined,
    gridId: filters.gridId ?? undefined,
    adultsOn: filters.adultsOnly ? today : undefined,
    representative: filters.representativesOnly || undefined,
    status: filters.status === 'all' ? undefined : filters.status,
    offset,
    limit,
  }
}

export default function Roster() {
  const { villageId, membership } = useVillageMembership()
  const today = shanghaiToday()
  const [counts, setCounts] = useState<RosterCounts | null>(null)
  const [grids, setGrids] = useState<Grid[]>([])
  const [unlinked, setUnlinked] = useState<VillageMember[]>([])
  const [search, setSearch] = useState('')
  const [showFilters, setShowFilters] = useState(false)

  useDidShow(() => {
    getRosterCounts(villageId, today, true).then(setCounts, () => undefined)
    listGrids(villageId, true).then(setGrids, () => undefined)
    // The committee's: verified members nobody has found on the roster yet (a grid worker may not list members).
    listVillageMembers(villageId, true).then(
      (members) => setUnlinked(members.filter((m) => m.status === 'verified' && m.personId === null)),
      () => undefined,
    )
  })
  const { filters, list, applyFilters, more, retry } = usePagedList<Filters, Person>(
    { q: '', gridId: null, adultsOnly: false, representativesOnly: false, status: 'resident' },
    async (next, offset, limit) => {
      const page = await listPeople(villageId, toQuery(next, today, offset, limit), ['FORBIDDEN'])
      return { items: page.people, total: page.total }
    },
  )

  const kind: VillageKind = membership?.villageKind ?? 'rural'
  const words = placeWords(kind)
  const canEdit = can(membership, 'roster.edit')
  const go = (url: string) => Taro.navigateTo({ url })

  return (
    <Page className='roster'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 花名册` : '花名册'}</View>
      {membership && !canEdit ? (
        <View className='lr-muted roster__intro'>您是网格员，可以查看花名册，不能修改。</View>
      ) : null}

      {list.state === 'failed' && list.code === 'FORBIDDEN' ? (
        <Card title='不能查看'>
          <View className='lr-text'>{list.message}</View>
        </Card>
      ) : (
        <>
          <CountsCard counts={counts} kind={kind} />
          {canEdit && unlinked.length ? <UnlinkedCard members={unlinked} /> : null}

          <Card className='roster__tools'>
            <View className='roster__tool-buttons'>
              {canEdit ? (
                <Button
                  type='primary'
                  size='large'
                  className='roster__import'
                  onClick={() => go(rosterPaths.import(villageId))}
                >
                  导入花名册
                </Button>
              ) : null}
              {canEdit ? (
                <Button
                  size='large'
                  fill='outline'
                  className='roster__export'
                  onClick={() => membership && exportRoster(villageId, membership.villageName).catch(() => undefined)}
                >
                  导出 Excel
                </Button>
              ) : null}
              <Button
                size='large'
                fill='outline'
                className='roster__households'
                onClick={() => go(rosterPaths.households(villageId))}
              >
                按户查看
              </Button>
            </View>
          </Card>

          <Card title='查找' className='roster__filters'>
            <SearchBox
              block='roster'
              placeholder='姓名、户号或住址'
              maxLength={20}
              value={search}
              buttonClassName='roster__search-button'
              onChange={setSearch}
              onSearch={() => applyFilters({ ...filters, q: search })}
            />
            {filters.q ? (
              <View className='lr-row roster__searching'>
                <View className='lr-text'>正在找“{filters.q}”</View>
                <Chip
                  on={false}
                  onTap={() => {
                    setSearch('')
                    applyFilters({ ...filters, q: '' })
                  }}
                >
                  不找了
                </Chip>
              </View>
            ) : null}

            <View className='roster__filter-summary'>
              <View className='lr-text roster__filter-text'>{filterSummary(filters, grids, words.member)}</View>
              <Chip on={showFilters} onTap={() => setShowFilters(!showFilters)} className='roster__filter-toggle'>
                {showFilters ? '收起' : '筛选'}
              </Chip>
            </View>
            {showFilters ? (
              <View className='roster__filter-panel'>
                <GridFilter
                  grids={grids}
                  value={filters.gridId}
                  labelClassName='roster__filter-label'
                  onChange={(gridId) => applyFilters({ ...filters, gridId })}
                />
                <View className='roster__filter-label'>状态</View>
                <Choices
                  choices={STATUS_CHOICES}
                  value={filters.status}
                  onChange={(status) => applyFilters({ ...filters, status })}
                />
                <View className='roster__filter-label'>只看</View>
                <View className='lr-chips'>
                  <Chip
                    on={filters.adultsOnly}
                    onTap={() => applyFilters({ ...filters, adultsOnly: !filters.adultsOnly })}
                  >
                    18 岁以上
                  </Chip>
                  <Chip
                    on={filters.representativesOnly}
                    onTap={() => applyFilters({ ...filters, representativesOnly: !filters.representativesOnly })}
                  >
                    {words.member}代表
                  </Chip>
                </View>
              </View>
            ) : null}
          </Card>

          <ListPending list={list} onRetry={retry} />
          {list.state === 'ready' ? (
            <Card className='roster__people' title={`共 ${list.value.total} 人`}>
              {list.value.items.length === 0 ? (
                <View className='lr-muted'>
                  {filters.q ? '没有找到，换个字试试。' : '花名册里还没有人。可以先导入花名册。'}
                </View>
              ) : null}
              {list.value.items.map((person) => (
                <PersonRow
                  key={person.id}
                  person={person}
                  kind={kind}
                  today={today}
                  onTap={() => go(rosterPaths.person(villageId, person.id))}
                />
              ))}
              <MoreButton
                shown={list.value.items.length}
                total={list.value.total}
                unit='人'
                className='roster__more'
                onTap={more}
              />
            </Card>
          ) : null}
        </>
      )}
    </Page>
  )
}

/** The filters in force, in a few words: "在册 · 一组网格 · 18 岁以上". */
function filterSummary(filters: Filters, grids: Grid[], member: string): string {
  const parts = [filters.status === 'all' ? '全部状态' : PERSON_STATUS_LABEL[filters.status]]
  parts.push(grids.find((g) => g.id === filters.gridId)?.name ?? '全部网格')
  if (filters.adultsOnly) parts.push('18 岁以上')
  if (filters.representativesOnly) parts.push(`${member}代表`)
  return parts.join(' · ')
}

/** What the committee can do about each warning, in plain words. */
const WHAT_TO_DO: Record<RosterWarning['code'], (member: string) => string> = {
  TOO_FEW_REPRESENTATIVES: (member) =>
    `按规定每 5 到 15 户推选 1 名${member}代表。如果已经选出，请在花名册里把他们标为代表；还没选的，请组织推选。`,
  TOO_MANY_REPRESENTATIVES: (member) => `按规定每 5 到 15 户推选 1 名${member}代表。请核对花名册里的代表标记是否有误。`,
  TOO_FEW_WOMEN_REPRESENTATIVES: () => '按规定妇女代表应占代表总数的三分之一以上。下次推选时请留意。',
}

/** Verified members not yet linked to their roster person: they have no points account and cannot vote online. */
function UnlinkedCard({ members }: { members: VillageMember[] }) {
  return (
    <Card title='还没对上花名册的人' className='roster__unlinked'>
      <View className='lr-text roster__unlinked-names'>{members.map((m) => m.realName).join('、')}</View>
      <View className='lr-warning'>
        他们已通过审核，但还没和花名册里的人对上：暂时没有积分账户，也不能在手机上表决。请在下面找到这个人，打开后点“关联已认证的账号”；花名册里没有的，先把他们的户导入花名册，再关联。
      </View>
    </Card>
  )
}

function CountsCard({ counts, kind }: { counts: RosterCounts | null; kind: VillageKind }) {
  const words = placeWords(kind)
  if (!counts) {
    return (
      <Card className='roster__counts'>
        <View className='lr-muted'>正在统计…</View>
      </Card>
    )
  }
  const figures = [
    { label: '户数', value: counts.households },
    { label: '人数', value: counts.people },
    { label: '18 岁以上', value: counts.adults },
    { label: `${words.member}代表`, value: counts.representatives },
    { label: '妇女代表', value: counts.womenRepresentatives },
  ]
  return (
    <Card className='roster__counts'>
      <View className='roster__figures'>
        {figures.map((figure) => (
          <View key={figure.label} className='roster__figure'>
            <View className='roster__figure-value'>{figure.value}</View>
            <View className='roster__figure-label'>{figure.label}</View>
          </View>
        ))}
      </View>
      <View className='lr-muted'>按{formatDate(counts.on)}算，迁出和去世的人不计在内。</View>
      {counts.warnings.map((warning) => (
        <View key={warning.code} className='lr-warning roster__warning'>
          <View className='roster__warning-message'>{warning.message}。</View>
          <View>{WHAT_TO_DO[warning.code](words.member)}</View>
        </View>
      ))}
    </Card>
  )
}
