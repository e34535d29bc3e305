import { View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { Page } from '../../../components/Page'
import { useVillageMembership } from '../../../lib/village'
import { getTodo } from '../../../services/todo'
import { pointsAdminPaths } from '../paths'

interface Entry {
  key: string
  title: string
  note: string
  url: string
  count?: number | null
}

export default function PointsAdmin() {
  const { villageId, membership } = useVillageMembership()
  const [approvals, setApprovals] = useState<number | null>(null)
  const [orders, setOrders] = useState<number | null>(null)

  // The same counts as 首页's (a proposal of one's own waits for another member, so it is not counted).
  useDidShow(() => {
    getTodo(villageId).then(
      (todo) => {
        setApprovals(todo.approvals ?? 0)
        setOrders(todo.orders ?? 0)
      },
      () => undefined,
    )
  })

  const words = placeWords(membership?.villageKind ?? 'rural')
  const sections: { title: string; entries: Entry[] }[] = [
    {
      title: '加分扣分',
      entries: [
        {
          key: 'award',
          title: '加分 / 扣分',
          note: `给${words.member}按细则加分或扣分`,
          url: pointsAdminPaths.award(villageId),
        },
        {
          key: 'approvals',
          title: '待复核',
          note: '分值较大的，要另一位成员复核',
          url: pointsAdminPaths.approvals(villageId),
          count: approvals,
        },
        { key: 'rules', title: '积分细则', note: '每件事加几分、扣几分', url: pointsAdminPaths.rules(villageId) },
      ],
    },
    {
      title: '志愿服务',
      entries: [
        {
          key: 'activities',
          title: '志愿活动',
          note: '发布活动、签到二维码、确认时长',
          url: pointsAdminPaths.activities(villageId),
        },
      ],
    },
    {
      title: '积分超市',
      entries: [
        {
          key: 'fulfil',
          title: '兑换核销',
          note: `${words.member}来领东西时，输入取货码`,
          url: pointsAdminPaths.fulfil(villageId),
          count: orders,
        },
        { key: 'items', title: '商品管理', note: '上架、修改商品和库存', url: pointsAdminPaths.items(villageId) },
      ],
    },
  ]

  return (
    <Page className='points-admin'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 积分管理` : '积分管理'}</View>
      {sections.map((section) => (
        <Card key={section.title} title={section.title}>
          {section.entries.map((entry) => (
            <ListLink
              key={entry.key}
              className={`points-admin__entry points-admin__entry--${entry.key}`}
              url={entry.url}
              title={entry.title}
              badges={entry.count ? <View className='lr-badge lr-badge--red'>{entry.count} 件</View> : null}
            >
              <View className='lr-muted'>{entry.note}</View>
            </ListLink>
          ))}
        </Card>
      ))}
    </Page>
  )
}
