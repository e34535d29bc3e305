import { View } from '@tarojs/components'
import type { EarningRule } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideLinkButton } from '../../../components/WideButtons'
import { usePageData } from '../../../lib/page-hooks'
import { ruleCaps, ruleSourceText, signedPoints } from '../../../lib/points'
import { useVillageMembership } from '../../../lib/village'
import { listEarningRules } from '../../../services/points'
import { pointsPaths } from '../paths'
import './index.css'

/** 怎么挣积分: the village's rules in force, in plain words — what to do, how many points, how often, who confirms. */
export default function Earn() {
  const { villageId, membership } = useVillageMembership()
  const { data, reload } = usePageData(() => listEarningRules(villageId, true))
  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const words = placeWords(membership?.villageKind ?? 'rural')
  const earning = data.value.filter((r) => r.kind === 'earn')
  const penalties = data.value.filter((r) => r.kind === 'penalty')
  return (
    <Page className='earn'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 怎么挣积分` : '怎么挣积分'}</View>
      <Card title='做这些事，能得积分' className='earn__earning'>
        {earning.length === 0 ? (
          <View className='lr-muted'>{words.committee}还没有定积分细则。</View>
        ) : (
          earning.map((rule) => <RuleRow key={rule.name} rule={rule} committee={words.committee} />)
        )}
      </Card>
      {penalties.length ? (
        <Card title='做这些事，会扣积分' className='earn__penalties'>
          {penalties.map((rule) => (
            <RuleRow key={rule.name} rule={rule} committee={words.committee} />
          ))}
        </Card>
      ) : null}
      <Card title='积分怎么用' className='earn__spend'>
        <View className='lr-text'>
          积分可以到积分超市换东西：挑好东西点“兑换”，凭取货码到{words.committee}
          领取；换东西不会减少您的累计积分和星级。
        </View>
        <View className='lr-actions'>
          <WideLinkButton type='primary' className='earn__shop' url={pointsPaths.shop(villageId)}>
            去积分超市看看
          </WideLinkButton>
        </View>
      </Card>
    </Page>
  )
}

function RuleRow({ rule, committee }: { rule: EarningRule; committee: string }) {
  const penalty = rule.kind === 'penalty'
  return (
    <View className='lr-line earn__rule'>
      <View className='lr-line__main'>
        <View className='earn__name'>{rule.name}</View>
        <View className='lr-text'>
          {penalty ? `由${committee}核实后扣分` : ruleSourceText(rule.source, committee)}
          {/* The second check is for awards the committee gives by hand. */}
          {rule.source === 'committee' && rule.secondCheckAbove !== null
            ? `；一次超过 ${rule.secondCheckAbove} 分，要另一位${committee}成员复核`
            : ''}
        </View>
        {penalty ? null : <View className='lr-muted earn__caps'>{ruleCaps(rule)}</View>}
      </View>
      <View className={`earn__points ${penalty ? 'earn__points--out' : 'earn__points--in'}`}>
        {signedPoints(penalty ? -rule.points : rule.points)} 分
      </View>
    </View>
  )
}
