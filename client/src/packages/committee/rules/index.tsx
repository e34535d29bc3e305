import { View } from '@tarojs/components'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { BlockLinkButton } from '../../../components/WideButtons'
import { usePageData } from '../../../lib/page-hooks'
import { ruleLimits } from '../../../lib/points'
import { useVillageMembership } from '../../../lib/village'
import { listRules } from '../../../services/points'
import { pointsAdminPaths } from '../paths'
import './index.css'

export default function Rules() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => listRules(villageId, true))

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const groups = [
    { title: '加分', rules: data.value.filter((r) => r.kind === 'earn') },
    { title: '扣分', rules: data.value.filter((r) => r.kind === 'penalty') },
  ]
  return (
    <Page className='rules'>
      <View className='lr-muted rules__intro'>
        这是本村（社区）的积分细则。修改一条细则会生成新版本：以后按新版本记分，以前记的分保持不变，也查得到当时用的是哪一版。
      </View>
      <BlockLinkButton className='rules__new' url={pointsAdminPaths.rule(villageId)}>
        新增细则
      </BlockLinkButton>
      {groups.map((group) => (
        <Card key={group.title} title={group.title} className='rules__group'>
          {group.rules.length === 0 ? <View className='lr-muted'>还没有。</View> : null}
          {group.rules.map((rule) => (
            <ListLink
              key={rule.code}
              className={`rules__rule${rule.active ? '' : ' rules__rule--off'}`}
              url={pointsAdminPaths.rule(villageId, rule.code)}
              title={rule.name}
              badges={
                <>
                  <View
                    className={`rules__points ${rule.kind === 'earn' ? 'rules__points--earn' : 'rules__points--penalty'}`}
                  >
                    {rule.kind === 'earn' ? '+' : '-'}
                    {rule.points}
                  </View>
                  {rule.active ? null : <View className='lr-badge lr-badge--grey'>已停用</View>}
                </>
              }
            >
              <View className='lr-muted'>{ruleLimits(rule)}</View>
              <View className='lr-muted'>第 {rule.version} 版</View>
            </ListLink>
          ))}
        </Card>
      ))}
    </Page>
  )
}
