import { View } from '@tarojs/components'
import { useState } from 'react'
import type { PetitionList, PetitionState } from '@liren/shared/contracts'
import { meetingKindLabel } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { ListLink } from '../../../components/ListLink'
import { NotReadyHere } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideLinkButton } from '../../../components/WideButtons'
import { formatDate } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { listPetitions } from '../../../services/meetings'
import { petitionProgressText } from '../labels'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

const TABS: { value: PetitionState; label: string }[] = [
  { value: 'open', label: '正在征集签名' },
  { value: 'succeeded', label: '人数已够' },
  { value: 'answered', label: '已开会答复' },
]

/** 提议召集: the village's petitions, by where they stand. */
export default function Petitions() {
  const { villageId, membership, kind, words } = useMeetingsVillage()
  const [tab, setTab] = useState<PetitionState>('open')
  const { data, reload } = usePageData(() => listPetitions(villageId, true))

  const empty: Record<PetitionState, string> = {
    open: '现在没有正在征集签名的提议。',
    succeeded: '没有等待开会的提议。',
    answered: `还没有${words.committee}开会答复过的提议。`,
  }

  function badges(p: PetitionList[number]): [string, string][] {
    const found: [string, string][] = [[meetingKindLabel(p.kind, kind), 'lr-badge--blue']]
    if (p.overdue) found.push(['已超期', 'lr-badge--red'])
    if (p.mine) found.push(['我发起的', 'lr-badge--blue'])
    else if (p.signedByMe) found.push(['我已签名', 'lr-badge--green'])
    return found
  }

  const shown = data.state === 'ready' ? data.value.filter((p) => p.state === tab) : []
  return (
    <Page className='petitions'>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 提议召集` : '提议召集'}</View>
      <View className='lr-muted petitions__intro'>
        有要紧的事，大家可以联名提议开会。签名的人够了，{words.committee}就必须召集会议，并且要在规定的日子以前开。
      </View>
      <WideLinkButton
        type='primary'
        className='lr-block-button petitions__new'
        url={meetingPaths.petitionNew(villageId)}
      >
        提议召集开会
      </WideLinkButton>
      <Card className='petitions__filters'>
        <Choices choices={TABS} value={tab} onChange={setTab} className='petitions__tabs' />
      </Card>

      <NotReadyHere data={data} onRetry={reload} />
      {data.state === 'ready' && shown.length === 0 ? (
        <Card className='petitions__empty'>
          <View className='lr-muted'>{empty[tab]}</View>
        </Card>
      ) : null}
      {shown.length ? (
        <Card className='petitions__list'>
          {shown.map((p) => (
            <ListLink
              key={p.id}
              className={`petitions__item petitions__item--${p.state}${p.overdue ? ' petitions__item--overdue' : ''}`}
              title={p.title}
              titleClassName='petitions__title'
              url={meetingPaths.petition(villageId, p.id)}
            >
              <View className='lr-row petitions__badges'>
                {badges(p).map(([label, colour]) => (
                  <View key={label} className={`lr-badge ${colour}`}>
                    {label}
                  </View>
                ))}
              </View>
              <View className='lr-text petitions__progress'>{petitionProgressText(p, kind)}</View>
              {p.state === 'succeeded' && p.answerDueAt ? (
                <View className={p.overdue ? 'lr-error petitions__due' : 'lr-muted petitions__due'}>
                  要在 {formatDate(p.answerDueAt)} 以前开会
                  {p.overdue ? '，已经过了期限' : ''}
                </View>
              ) : null}
              <View className='lr-muted'>{formatDate(p.createdAt)} 发起</View>
            </ListLink>
          ))}
        </Card>
      ) : null}
    </Page>
  )
}
