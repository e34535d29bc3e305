import { View } from '@tarojs/components'
import { TOPIC_STATE_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideLinkButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listMyTopics } from '../../../services/meetings'
import { supportText, TOPIC_STATE_BADGE } from '../../meetings/labels'
import { meetingPaths } from '../../meetings/paths'
import '../my-lists.css'

/** 我的提议: the topics (说事) I raised, and what the committee made of each. */
export default function MyTopics() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => listMyTopics(villageId, true))
  return (
    <Page className='my-list my-topics'>
      <View className='lr-heading'>我的提议</View>
      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' && data.value.length === 0 ? (
        <Card className='my-topics__empty'>
          <View className='lr-muted my-list__empty'>
            您还没有提过议题。有想让大家开会商量的事，可以“说事”，别人觉得有道理就会附议。
          </View>
          <WideLinkButton fill='outline' className='my-topics__new' url={meetingPaths.topicNew(villageId)}>
            我要说事
          </WideLinkButton>
        </Card>
      ) : null}
      {data.state === 'ready' && data.value.length ? (
        <Card className='my-topics__list'>
          {data.value.map((t) => (
            <ListLink
              key={t.id}
              className='my-list__row my-topics__item'
              title={t.title}
              url={meetingPaths.topic(villageId, t.id)}
              badges={
                <View className={`lr-badge ${t.held ? 'lr-badge--grey' : TOPIC_STATE_BADGE[t.state]}`}>
                  {t.held ? '正在审核' : TOPIC_STATE_LABEL[t.state]}
                </View>
              }
            >
              <View className='lr-text'>{supportText(t)}</View>
              {t.state === 'declined' && t.declineReason ? (
                <View className='lr-text'>不采纳的原因：{t.declineReason}</View>
              ) : null}
              <View className='lr-muted'>{formatDateTime(t.createdAt)} 提出</View>
            </ListLink>
          ))}
        </Card>
      ) : null}
    </Page>
  )
}
