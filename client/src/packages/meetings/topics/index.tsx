import { View } from '@tarojs/components'
import { useState } from 'react'
import type { TopicList, TopicState } from '@liren/shared/contracts'
import { TOPIC_STATE_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ListLink } from '../../../components/ListLink'
import { Choices } from '../../../components/Choices'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideLinkButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { listTopics } from '../../../services/meetings'
import { mustBeHeardText, supportText, TOPIC_STATE_BADGE } from '../labels'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

const TABS: { value: TopicState; label: string }[] = [
  { value: 'open', label: '正在征集' },
  { value: 'accepted', label: '已列入议程' },
  { value: 'declined', label: '不予采纳' },
  { value: 'merged', label: '已合并' },
]

const EMPTY: Record<TopicState, string> = {
  open: '现在没有正在征集附议的事。有想让大家商量的事，点上面的“我要说事”。',
  accepted: '还没有列入会议议程的事。',
  declined: '没有不予采纳的事。',
  merged: '没有合并过的事。',
}

/** 说事: matters residents want a meeting to take up, and what became of them. */
export default function Topics() {
  const { villageId, membership, words } = useMeetingsVillage()
  const [tab, setTab] = useState<TopicState>('open')
  const { data, reload } = usePageData(() => listTopics(villageId, tab, true), { deps: [tab] })

  /** What to flag on a topic in the list: its decision, 应当提交会议, being checked, mine or backed. */
  function badges(t: TopicList[number]): [string, string][] {
    const found: [string, string][] = []
    if (t.state !== 'open') found.push([TOPIC_STATE_LABEL[t.state], TOPIC_STATE_BADGE[t.state]])
    if (t.state === 'open' && t.mustBeHeard)
      found.push([mustBeHeardText(membership?.villageKind ?? 'rural'), 'lr-badge--red'])
    if (t.held) found.push(['正在审核', 'lr-badge--grey'])
    if (t.mine) found.push(['我提的', 'lr-badge--blue'])
    else if (t.supportedByMe) found.push(['我已附议', 'lr-badge--green'])
    return found
  }

  return (
    <Page className='topics'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 说事` : '说事'}</View>
      <View className='lr-muted topics__intro'>
        有想让大家开会商量的事，可以在这里提出来，别人觉得有道理就点“附议”。有十分之一以上的{words.member}附议，
        {words.committee}就应当提交会议讨论。
      </View>
      <WideLinkButton type='primary' className='lr-block-button topics__new' url={meetingPaths.topicNew(villageId)}>
        我要说事
      </WideLinkButton>
      <Card className='topics__filters'>
        <Choices choices={TABS} value={tab} onChange={setTab} className='topics__tabs' />
      </Card>

      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' && data.value.length === 0 ? (
        <Card className='topics__empty'>
          <View className='lr-muted'>{EMPTY[tab]}</View>
        </Card>
      ) : null}
      {data.state === 'ready' && data.value.length ? (
        <Card className='topics__list'>
          {data.value.map((t) => (
            <ListLink
              key={t.id}
              className={`topics__item topics__item--${t.state}`}
              title={t.title}
              titleClassName='topics__title'
              url={meetingPaths.topic(villageId, t.id)}
            >
              {badges(t).length ? (
                <View className='lr-row topics__badges'>
                  {badges(t).map(([label, colour]) => (
                    <View
                      key={label}
                      className={`lr-badge ${colour}${colour === 'lr-badge--red' ? ' topics__must' : ''}`}
                    >
                      {label}
                    </View>
                  ))}
                </View>
              ) : null}
              <View className='lr-text topics__supporters'>{supportText(t)}</View>
              <View className='lr-muted'>
                {t.proposerName} 提出 · {formatDateTime(t.createdAt)}
              </View>
            </ListLink>
          ))}
        </Card>
      ) : null}
    </Page>
  )
}
