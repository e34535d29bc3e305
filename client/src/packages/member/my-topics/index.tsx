import { View } from '@tarojs/components'
import { TOPIC_STATE_LABEL } from '@liren/shared/rules'
import { ListLink } from '../../../components/ListLink'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listMyTopics } from '../../../services/meetings'
import { supportText, TOPIC_STATE_BADGE } from '../../meetings/labels'
import { meetingPaths } from '../../meetings/paths'
import { MyListPage } from '../MyList'
import '../my-lists.css'

/** 我的提议: the topics (说事) I raised, and what the committee made of each. */
export default function MyTopics() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => listMyTopics(villageId, true))
  return (
    <MyListPage
      name='my-topics'
      title='我的提议'
      data={data}
      onRetry={reload}
      empty={{
        text: '您还没有提过议题。有想让大家开会商量的事，可以“说事”，别人觉得有道理就会附议。',
        action: '我要说事',
        actionClassName: 'my-topics__new',
        url: meetingPaths.topicNew(villageId),
      }}
    >
      {(topics) =>
        topics.map((t) => (
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
        ))
      }
    </MyListPage>
  )
}
