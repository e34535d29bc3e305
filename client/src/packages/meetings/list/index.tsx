import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { MeetingList } from '@liren/shared/contracts'
import { MEETING_STATE_LABEL, meetingKindLabel } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideLinkButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { listMeetings } from '../../../services/meetings'
import { MEETING_STATE_BADGE } from '../labels'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

/** 会议与表决: the village's meetings, the ones still to come first. */
export default function Meetings() {
  const { villageId, membership, kind, words, committee } = useMeetingsVillage()

  const { data, reload } = usePageData(() => listMeetings(villageId, true))

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const live = (m: MeetingList[number]) => m.state === 'draft' || m.state === 'announced' || m.state === 'in_session'
  const shown = [...data.value].sort((a, b) => Number(live(b)) - Number(live(a)))
  return (
    <Page className='meetings'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 会议与表决` : '会议与表决'}</View>
      <View className='lr-muted meetings__intro'>
        {words.place}里的大事，大家商量、大家表决。开会前会发通知；可以到会场，也可以在手机上投票。
      </View>
      {committee ? (
        <WideLinkButton type='primary' className='lr-block-button meetings__new' url={meetingPaths.new(villageId)}>
          拟定会议
        </WideLinkButton>
      ) : null}
      <Card className='meetings__topics'>
        <View className='lr-text'>有想让大家开会商量的事？提出来，邻居们附议，够了人数就要拿到会上议。</View>
        <View className='lr-actions'>
          <WideLinkButton fill='outline' className='meetings__topics-link' url={meetingPaths.topics(villageId)}>
            说事（提议题、附议）
          </WideLinkButton>
        </View>
      </Card>
      <Card className='meetings__petitions'>
        <View className='lr-text'>
          有要紧的事要大家一起定？联名提议开会，签名的人够了，{words.committee}就必须召集会议。
        </View>
        <View className='lr-actions'>
          <WideLinkButton fill='outline' className='meetings__petitions-link' url={meetingPaths.petitions(villageId)}>
            提议召集开会
          </WideLinkButton>
        </View>
      </Card>
      <Card className='meetings__matters'>
        <View className='lr-text'>
          修路、用集体的钱这样的大事，要走“四议两公开”六步。每一步怎么定的，办得怎么样，都在这里；办完后请您评一评。
        </View>
        <View className='lr-actions'>
          <WideLinkButton fill='outline' className='meetings__matters-link' url={meetingPaths.matters(villageId)}>
            四议两公开（重大事项）
          </WideLinkButton>
        </View>
      </Card>
      {shown.length === 0 ? (
        <Card title='还没有会议' className='meetings__empty'>
          <View className='lr-muted'>{words.committee}发出会议通知后会显示在这里。</View>
        </Card>
      ) : (
        <Card className='meetings__list'>
          {shown.map((m) => (
            <View
              key={m.id}
              className={`lr-list-item meetings__item meetings__item--${m.state}`}
              onClick={() => Taro.navigateTo({ url: meetingPaths.detail(villageId, m.id) })}
            >
              <View className='lr-list-item__title'>{m.title}</View>
              <View className='lr-row meetings__badges'>
                <View className='lr-badge lr-badge--blue'>{meetingKindLabel(m.kind, kind)}</View>
                <View className={`lr-badge ${MEETING_STATE_BADGE[m.state]}`}>{MEETING_STATE_LABEL[m.state]}</View>
                {m.checkedIn ? <View className='lr-badge lr-badge--green'>我已到会</View> : null}
              </View>
              <View className='lr-text'>{formatDateTime(m.startsAt)}</View>
              <View className='lr-muted'>{m.place}</View>
              <View className='lr-list-item__arrow'>›</View>
            </View>
          ))}
        </Card>
      )}
    </Page>
  )
}
