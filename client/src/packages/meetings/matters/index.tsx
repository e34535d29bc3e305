import { View } from '@tarojs/components'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideLinkButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { listMatters } from '../../../services/meetings'
import { MatterBadges } from '../MatterBadges'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

/** 四议两公开: the village's major matters, newest first, each with how far it has come. */
export default function Matters() {
  const { villageId, membership, words, committee } = useMeetingsVillage()

  const { data, reload } = usePageData(() => listMatters(villageId, true))

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  return (
    <Page className='matters'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 四议两公开` : '四议两公开'}</View>
      <View className='lr-muted matters__intro'>
        {words.place}里的大事（修路、用集体的钱、集体的地等），要按顺序走六步：党支部提议、两委商议、党员大会审议、
        {words.member}代表会议或{words.member}会议决议，再公开决议、公开办理结果。每一步大家都看得到；办完后请您评一评。
      </View>
      {committee ? (
        <WideLinkButton type='primary' className='lr-block-button matters__new' url={meetingPaths.matterNew(villageId)}>
          新增重大事项
        </WideLinkButton>
      ) : null}
      {data.value.length === 0 ? (
        <Card title='还没有重大事项' className='matters__empty'>
          <View className='lr-muted'>{words.committee}记下的重大事项会显示在这里。</View>
        </Card>
      ) : (
        <Card className='matters__list'>
          {data.value.map((m) => {
            const raters = m.ratings.satisfied + m.ratings.basicallySatisfied + m.ratings.unsatisfied
            return (
              <ListLink
                key={m.id}
                className={`matters__item${m.nextStage ? '' : ' matters__item--done'}`}
                title={m.title}
                titleClassName='matters__title'
                url={meetingPaths.matter(villageId, m.id)}
              >
                <MatterBadges matter={m} block='matters'>
                  {m.canRate ? <View className='lr-badge lr-badge--red matters__to-rate'>请您评议</View> : null}
                  {m.myRating ? <View className='lr-badge lr-badge--grey'>我已评议</View> : null}
                </MatterBadges>
                {!m.nextStage ? (
                  <View className='lr-muted matters__ratings'>
                    {raters === 0 ? '还没有人评议' : `${raters} 人评议，${m.ratings.satisfied} 人满意`}
                  </View>
                ) : null}
                <View className='lr-muted'>{formatDateTime(m.createdAt)} 记下</View>
              </ListLink>
            )
          })}
        </Card>
      )}
    </Page>
  )
}
