import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { Account, Entry, Membership } from '@liren/shared/contracts'
import { can, ENTRY_KIND_LABEL, placeWords } from '@liren/shared/rules'
import { Card } from '../../components/Card'
import { CommitteeContactLine } from '../../components/CommitteeContact'
import { JoinButton } from '../../components/JoinVillage'
import { NotReady } from '../../components/LoadFailed'
import { Page } from '../../components/Page'
import { WideButton } from '../../components/WideButtons'
import { formatDateTime } from '../../lib/format'
import { currentMembership } from '../../lib/membership'
import { usePageData } from '../../lib/page-hooks'
import { entryTitle, signedPoints, starText } from '../../lib/points'
import { pointsAdminPaths } from '../../packages/committee/paths'
import { pointsPaths } from '../../packages/points/paths'
import { ApiError } from '../../services/http'
import { getMe } from '../../services/identity'
import { getMyAccount } from '../../services/points'
import { goToLogin, isSignedIn } from '../../services/session'
import { useTabPage } from '../../lib/tab-badges'
import './index.css'

type Ledger =
  /** Not a verified member of any village: there is no account yet. */
  | { kind: 'no-village'; membership: Membership | null }
  /** A verified member whose account is not linked to a roster person. */
  | { kind: 'not-on-roster'; membership: Membership }
  | { kind: 'account'; membership: Membership; account: Account }

/** The ways on to the points pages, each a tile. */
const TILES: {
  page: 'earn' | 'shop' | 'activities' | 'services' | 'rankings' | 'notice'
  title: string
  note: string
}[] = [
  { page: 'earn', title: '怎么挣积分', note: '做哪些事能得积分、得几分' },
  { page: 'shop', title: '积分超市', note: '用积分换东西' },
  { page: 'activities', title: '志愿活动', note: '报名、签到、得积分' },
  { page: 'services', title: '邻里互助', note: '你帮我，我帮你' },
  { page: 'rankings', title: '排行榜', note: '看看谁的积分多' },
  { page: 'notice', title: '积分公示', note: '每月谁得了积分、为什么得，都在这里公开，也能打印张贴' },
]

/** Signed out: to the login page, and nothing to load. */
async function loadLedger(): Promise<Ledger | undefined> {
  if (!isSignedIn()) return void goToLogin()
  const membership = currentMembership(await getMe())
  if (!membership || membership.status !== 'verified') return { kind: 'no-village', membership }
  try {
    return { kind: 'account', membership, account: await getMyAccount(membership.villageId, ['NOT_ON_ROSTER']) }
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NOT_ON_ROSTER') return { kind: 'not-on-roster', membership }
    throw error
  }
}

export default function Points() {
  useTabPage('points')
  const { data, reload, set, value: ledger } = usePageData(loadLedger)
  const [loadingMore, setLoadingMore] = useState(false)

  /** The next page of the history, older than the last entry shown. */
  async function loadMore() {
    if (ledger?.kind !== 'account') return
    const { account } = ledger
    setLoadingMore(true)
    try {
      const older = await getMyAccount(
        ledger.membership.villageId,
        undefined,
        account.entries[account.entries.length - 1]!.id,
      )
      set({ ...ledger, account: { ...older, entries: [...account.entries, ...older.entries] } })
    } catch {
      // The request wrapper has told the user; the button stays for another try.
    } finally {
      setLoadingMore(false)
    }
  }

  if (!ledger) return <NotReady data={data.state === 'failed' ? data : { state: 'loading' }} onRetry={reload} />

  if (ledger.kind === 'no-village') {
    const waiting = ledger.membership?.status === 'pending'
    return (
      <Page tab className='points'>
        <Card title='还没有积分账户'>
          <View className='lr-text'>
            {waiting
              ? '您的加入申请正在等待审核。审核通过后，就有自己的积分账户了。'
              : '加入村（社区）并通过审核后，就有自己的积分账户：参加志愿服务、随手拍上报都能得积分，积分可以到积分超市换东西。'}
          </View>
          {ledger.membership ? null : <JoinButton className='points__join' />}
        </Card>
      </Page>
    )
  }

  const { membership } = ledger
  const words = placeWords(membership.villageKind)
  const villageId = membership.villageId
  const go = (url: string) => Taro.navigateTo({ url })
  const isCommittee = can(membership, 'points.manage')

  return (
    <Page tab className='points'>
      {ledger.kind === 'not-on-roster' ? (
        <Card title='积分账户还没有开通' className='points__not-on-roster'>
          <View className='lr-text'>
            积分记在{words.place}花名册里的每个人名下。您的账号还没有和花名册里的您对上号，所以暂时看不到积分。
          </View>
          <View className='lr-text points__not-on-roster-ask'>
            请到{words.committee}说一声，工作人员在花名册里点一下“关联账号”就好了。
          </View>
          <CommitteeContactLine membership={membership} lead={`联系${words.committee}`} />
        </Card>
      ) : (
        <Summary account={ledger.account} />
      )}

      <View className='points__tiles'>
        {TILES.map((tile) => (
          <Tile
            key={tile.page}
            className={`points__tile--${tile.page}`}
            title={tile.title}
            note={tile.note}
            onTap={() => go(pointsPaths[tile.page](villageId))}
          />
        ))}
      </View>

      {isCommittee ? (
        <WideButton
          fill='outline'
          className='lr-block-button points__admin'
          onClick={() => go(pointsAdminPaths.hub(villageId))}
        >
          积分管理（{words.committee}）
        </WideButton>
      ) : null}

      {ledger.kind === 'account' ? (
        <Card title='积分明细' className='points__history'>
          {ledger.account.entries.length === 0 ? (
            <View className='lr-muted'>还没有积分记录。参加志愿活动就能得积分。</View>
          ) : null}
          {ledger.account.entries.map((entry) => (
            <EntryRow key={entry.id} entry={entry} />
          ))}
          {ledger.account.hasMore ? (
            <View className='lr-actions'>
              <WideButton fill='outline' loading={loadingMore} disabled={loadingMore} onClick={loadMore}>
                看更早的记录
              </WideButton>
            </View>
          ) : null}
        </Card>
      ) : null}
    </Page>
  )
}

function Summary({ account }: { account: Account }) {
  return (
    <Card className='points__summary'>
      <View className='points__balance-label'>我的积分（可以用）</View>
      <View className='points__balance'>{account.balance}</View>
      <View className='points__standing'>
        <View className='points__stars'>
          {account.stars > 0 ? (
            <>
              <View className='points__star-marks'>{starText(account.stars)}</View>
              <View className='lr-text'>{account.stars} 星</View>
            </>
          ) : (
            <View className='lr-text'>还没有星</View>
          )}
        </View>
        <View className='lr-text points__lifetime'>累计积分 {account.lifetimeScore}</View>
      </View>
      <View className='lr-muted points__next-star'>
        {account.nextStarAt === null ? '已是最高星级' : `再得 ${account.nextStarAt - account.lifetimeScore} 分升一星`}
      </View>
      <View className='lr-muted'>累计积分是一共得到的积分减去扣分，换东西不会减少它；星级按累计积分评。</View>
    </Card>
  )
}

function Tile(props: { title: string; note: string; onTap: () => void; className: string }) {
  return (
    <View className={`points__tile ${props.className}`} onClick={props.onTap}>
      <View className='points__tile-title'>{props.title}</View>
      <View className='lr-muted'>{props.note}</View>
    </View>
  )
}

function EntryRow({ entry }: { entry: Entry }) {
  const showReason = entry.ruleName !== null && entry.reason !== entry.ruleName
  return (
    <View className={`lr-line points__entry${entry.reversed ? ' points__entry--reversed' : ''}`}>
      <View className='lr-line__main'>
        <View className='lr-row'>
          <View className='points__entry-title'>{entryTitle(entry)}</View>
          <View className='lr-badge lr-badge--grey'>{ENTRY_KIND_LABEL[entry.kind]}</View>
          {entry.reversed ? <View className='lr-badge lr-badge--red points__reversed'>已冲正</View> : null}
        </View>
        {showReason ? <View className='lr-text'>{entry.reason}</View> : null}
        <View className='lr-muted'>{formatDateTime(entry.createdAt)}</View>
      </View>
      <View className={`points__amount ${entry.amount > 0 ? 'points__amount--in' : 'points__amount--out'}`}>
        {signedPoints(entry.amount)}
      </View>
    </View>
  )
}
