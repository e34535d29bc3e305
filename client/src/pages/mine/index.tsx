import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Cell } from '@nutui/nutui-react-taro'
import { useState, type ReactNode } from 'react'
import type { Me, Membership } from '@liren/shared/contracts'
import { Card } from '../../components/Card'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { JOIN_PAGE } from '../../components/JoinVillage'
import { Page } from '../../components/Page'
import { StatusTag } from '../../components/StatusTag'
import { WideButton } from '../../components/WideButtons'
import { setLargeText, useLargeText } from '../../lib/large-text'
import { currentMembership, rolesText } from '../../lib/membership'
import { setTabCount, useTabPage } from '../../lib/tab-badges'
import { getMe, setCurrentVillage, signOut } from '../../services/identity'
import { getInbox } from '../../services/reports'
import { memberPaths } from '../../packages/member/paths'
import { pointsPaths } from '../../packages/points/paths'
import { reportPaths } from '../../packages/reports/paths'
import { goToLogin, isSignedIn, PRIVACY_PAGE } from '../../services/session'
import './index.css'
import { SwitchCell } from '../../components/SwitchCell'

const MY_DATA_PAGE = '/packages/member/my-data/index'

export default function Mine() {
  useTabPage('mine')
  const [me, setMe] = useState<Me | null>(null)
  const [confirmSignOut, setConfirmSignOut] = useState(false)
  const [unread, setUnread] = useState(0)
  const large = useLargeText()

  useDidShow(() => {
    if (!isSignedIn()) return goToLogin()
    getMe().then(setMe, () => undefined)
    getInbox(true).then(
      (inbox) => {
        setUnread(inbox.unread)
        setTabCount('mine', inbox.unread)
      },
      () => undefined,
    )
  })

  async function choose(membership: Membership) {
    if (!me || currentMembership(me)?.villageId === membership.villageId) return
    try {
      setMe(await setCurrentVillage(membership.villageId))
      void Taro.showToast({ title: `已切换到${membership.villageName}`, icon: 'none' })
    } catch {
      // http.ts has shown the reason.
    }
  }

  async function signOutEverywhere() {
    setConfirmSignOut(false)
    await signOut()
    goToLogin(false)
  }

  const current = me ? currentMembership(me) : null
  return (
    <Page tab className='mine'>
      <Card title='我加入的村（社区）'>
        {me === null ? <View className='lr-muted'>正在加载…</View> : null}
        {me && me.memberships.length === 0 ? <View className='lr-muted'>还没有加入任何村（社区）。</View> : null}
        {me && me.memberships.length > 1 ? <View className='lr-muted'>点一下可以切换当前的村（社区）。</View> : null}
        {me?.memberships.map((membership) => (
          <Cell
            key={membership.id}
            className={`mine__membership${membership.villageId === current?.villageId ? ' mine__membership--current' : ''}`}
            clickable={me.memberships.length > 1}
            onClick={() => choose(membership)}
            title={
              <View className='lr-row'>
                <View className='mine__village'>{membership.villageName}</View>
                {membership.villageId === current?.villageId && me.memberships.length > 1 ? (
                  <View className='mine__current'>当前</View>
                ) : null}
              </View>
            }
            description={<MembershipDetail membership={membership} />}
            extra={<StatusTag status={membership.status} />}
            align='center'
          />
        ))}
        <View className='lr-actions'>
          <WideButton fill='outline' onClick={() => Taro.navigateTo({ url: JOIN_PAGE })}>
            加入其他村（社区）
          </WideButton>
        </View>
      </Card>

      {current?.status === 'verified' ? <MyThings villageId={current.villageId} /> : null}

      <Card>
        <OpenCell
          className='mine__inbox'
          title='我的消息'
          description='上报有了进展、有新的事要处理，都在这里'
          url={reportPaths.inbox}
          extra={unread ? <View className='lr-badge lr-badge--red'>{unread} 条新消息</View> : undefined}
        />
      </Card>

      <Card>
        <SwitchCell
          className='mine__setting'
          switchClassName='mine__large-switch'
          title='大字模式'
          description='字更大、按钮更大，看得更清楚'
          checked={large}
          onChange={setLargeText}
        />
      </Card>

      <Card>
        <OpenCell
          className='mine__my-data'
          title='我的数据'
          description='看看存了什么，下载或注销账号'
          url={MY_DATA_PAGE}
        />
        <OpenCell
          className='mine__privacy'
          title='隐私保护指引'
          description='里仁怎样对待您的个人信息'
          url={PRIVACY_PAGE}
        />
      </Card>

      <WideButton className='lr-block-button mine__sign-out' onClick={() => setConfirmSignOut(true)}>
        退出登录
      </WideButton>

      <ConfirmDialog
        subject={confirmSignOut || null}
        title='退出登录'
        confirmText='退出'
        cancelText='不退出'
        onConfirm={signOutEverywhere}
        onDismiss={() => setConfirmSignOut(false)}
      >
        {() => '退出后，您在所有手机上的登录都会结束，需要重新登录才能使用。确定退出吗？'}
      </ConfirmDialog>
    </Page>
  )
}

/** A row that opens another page (`url`); on its right what is new there, or 查看. */
function OpenCell(props: { className: string; title: string; description: string; url: string; extra?: ReactNode }) {
  return (
    <Cell
      className={props.className}
      title={props.title}
      description={props.description}
      extra={props.extra ?? <View className='lr-muted'>查看</View>}
      clickable
      onClick={() => Taro.navigateTo({ url: props.url })}
      align='center'
    />
  )
}

/** The lists of my own things in the current village, each opening its page. */
function MyThings({ villageId }: { villageId: number }) {
  const rows = [
    ['mine__my-reports', '我的上报', '报过的问题办到哪一步了', reportPaths.feed(villageId, true)],
    ['mine__my-orders', '我的兑换', '换过的东西和取货码', pointsPaths.orders(villageId)],
    ['mine__my-signups', '我的报名', '志愿服务和服务互换', memberPaths.mySignups(villageId)],
    ['mine__my-topics', '我的提议', '提过的议题，处理得怎样', memberPaths.myTopics(villageId)],
    ['mine__my-votes', '我的投票', '参加过的表决和回执码', memberPaths.myVotes(villageId)],
  ] as const
  return (
    <Card title='我的事' className='mine__things'>
      {rows.map(([className, title, description, url]) => (
        <OpenCell key={className} className={className} title={title} description={description} url={url} />
      ))}
    </Card>
  )
}

function MembershipDetail({ membership }: { membership: Membership }) {
  return (
    <View className='mine__detail'>
      {membership.status === 'verified' ? <View>身份：{rolesText(membership)}</View> : null}
      {membership.status === 'pending' ? <View>正在等待审核</View> : null}
      {membership.status === 'rejected' && membership.rejectReason ? (
        <View>原因：{membership.rejectReason}</View>
      ) : null}
    </View>
  )
}
