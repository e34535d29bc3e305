import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { PointRule } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { ruleLimits } from '../../../lib/points'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { listRules } from '../../../services/points'
import { pointsAdminPaths } from '../paths'
import './index.css'

type Data = { state: 'loading' } | { state: 'failed'; message?: string } | { state: 'ready'; rules: PointRule[] }

export default function Rules() {
  const { villageId } = useVillageMembership()
  const [data, setData] = useState<Data>({ state: 'loading' })

  async function load() {
    try {
      setData({ state: 'ready', rules: await listRules(villageId, true) })
    } catch (error) {
      setData({ state: 'failed', message: error instanceof ApiError && error.status !== 0 ? error.message : undefined })
    }
  }

  useDidShow(() => void load())

  if (data.state !== 'ready') return <NotReady data={data} onRetry={load} />

  const groups = [
    { title: '加分', rules: data.rules.filter((r) => r.kind === 'earn') },
    { title: '扣分', rules: data.rules.filter((r) => r.kind === 'penalty') },
  ]
  return (
    <Page className='rules'>
      <View className='lr-muted rules__intro'>
        这是本村（社区）的积分细则。修改一条细则会生成新版本：以后按新版本记分，以前记的分保持不变，也查得到当时用的是哪一版。
      </View>
      <Button
        type='primary'
        size='large'
        block
        className='lr-block-button rules__new'
        onClick={() => Taro.navigateTo({ url: pointsAdminPaths.rule(villageId) })}
      >
        新增细则
      </Button>
      {groups.map((group) => (
        <Card key={group.title} title={group.title} className='rules__group'>
          {group.rules.length === 0 ? <View className='lr-muted'>还没有。</View> : null}
          {group.rules.map((rule) => (
            <View
              key={rule.code}
              className={`lr-list-item rules__rule${rule.active ? '' : ' rules__rule--off'}`}
              onClick={() => Taro.navigateTo({ url: pointsAdminPaths.rule(villageId, rule.code) })}
            >
              <View className='lr-row'>
                <View className='lr-list-item__title'>{rule.name}</View>
                <View
                  className={`rules__points ${rule.kind === 'earn' ? 'rules__points--earn' : 'rules__points--penalty'}`}
                >
                  {rule.kind === 'earn' ? '+' : '-'}
                  {rule.points}
                </View>
                {rule.active ? null : <View className='lr-badge lr-badge--grey'>已停用</View>}
              </View>
              <View className='lr-muted'>{ruleLimits(rule)}</View>
              <View className='lr-muted'>
                第 {rule.version} 版 · 代码 {rule.code}
              </View>
              <View className='lr-list-item__arrow'>›</View>
            </View>
          ))}
        </Card>
      ))}
    </Page>
  )
}
