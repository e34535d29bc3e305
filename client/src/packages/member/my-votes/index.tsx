import { Text, View } from '@tarojs/components'
import type { MyVote } from '@liren/shared/contracts'
import { VOTE_STATE_LABEL } from '@liren/shared/rules'
import { ListLink } from '../../../components/ListLink'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listMyVotes, storedReceipt } from '../../../services/meetings'
import { meetingPaths } from '../../meetings/paths'
import { MyListPage } from '../MyList'
import '../my-lists.css'

/** 我的投票: the votes I took part in; for a ballot cast on this phone, its receipt code. */
export default function MyVotes() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => listMyVotes(villageId, true))
  return (
    <MyListPage
      name='my-votes'
      title='我的投票'
      intro='无记名投票不记您投了什么，只有投票时给您的回执码能查到您的票。点一项，到会议页面可以查票是否计入。'
      data={data}
      onRetry={reload}
      empty={{
        text: '您还没有参加过表决。开会表决时，可以在会议页面上投票。',
        action: '看看会议',
        actionClassName: 'my-votes__meetings',
        url: meetingPaths.list(villageId),
      }}
    >
      {(votes) =>
        votes.map((v) => (
          <ListLink
            key={v.voteId}
            className='my-list__row my-votes__item'
            title={v.question}
            url={meetingPaths.detail(villageId, v.meetingId)}
            badges={
              <View className={`lr-badge ${v.state === 'open' ? 'lr-badge--blue' : 'lr-badge--grey'}`}>
                {VOTE_STATE_LABEL[v.state]}
              </View>
            }
          >
            <View className='lr-muted'>
              {v.meetingTitle} · {formatDateTime(v.meetingStartsAt)}
            </View>
            <View className='lr-text'>
              {v.secret ? '无记名投票' : '记名投票'} · {v.channel === 'online' ? '在手机上投的' : '在会场投的'}
            </View>
            {v.myChoices ? <View className='lr-text my-votes__choice'>我选的：{v.myChoices.join('、')}</View> : null}
            {v.channel === 'online' ? <Receipt vote={v} /> : null}
          </ListLink>
        ))
      }
    </MyListPage>
  )
}

/** The receipt code this phone kept when the ballot was cast; another phone has none. */
function Receipt({ vote }: { vote: MyVote }) {
  const code = storedReceipt(vote.voteId)
  return code ? (
    <View className='lr-text my-votes__receipt'>
      回执码：<Text className='my-votes__code'>{code}</Text>
    </View>
  ) : (
    <View className='lr-muted my-votes__receipt'>这部手机上没有回执码（投票用的是别的手机，或清理过）。</View>
  )
}
