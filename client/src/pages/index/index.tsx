import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { Me, Membership, OpenVote, Todo, Town } from '@liren/shared/contracts'
import { can, placeWords } from '@liren/shared/rules'
import { Card } from '../../components/Card'
import { CommitteeContact, CommitteeContactLine } from '../../components/CommitteeContact'
import { JOIN_PAGE, JoinButton } from '../../components/JoinVillage'
import { NotReady } from '../../components/LoadFailed'
import { LinkButton, Page } from '../../components/Page'
import { StatusTag } from '../../components/StatusTag'
import { WideLinkButton } from '../../components/WideButtons'
import { currentMembership, rolesText } from '../../lib/membership'
import { usePageData } from '../../lib/page-hooks'
import { actionable, setTabCount, useTabPage } from '../../lib/tab-badges'
import { meetingPaths } from '../../packages/meetings/paths'
import { reportPaths } from '../../packages/reports/paths'
import { getMe } from '../../services/identity'
import { listMyTowns } from '../../services/setup'
import { goToLogin, isSignedIn } from '../../services/session'
import { getTodo, getUnread } from '../../services/todo'
import './index.css'

const APPLICATIONS_PAGE = '/packages/committee/applications/index'
const ROSTER_PAGE = '/packages/committee/roster/index'
const TOWN_PAGE = '/packages/town/villages/index'
const POINTS_ADMIN_PAGE = '/packages/committee/points/index'

/** Only someone holding the town admin role somewhere can administer a town: others skip the request. */
async function townsOf(me: Me): Promise<Town[]> {
  if (!me.memberships.some((m) => can(m, 'town.administer'))) return []
  return listMyTowns(true).catch(() => [])
}

/**
 * What waits for the person in their current village (null when they have no to-do there, or it did not
 * load: the page is whole without it), and the tab bar's red numbers set from it: 首页 the things to act on,
 * 我的 the unread messages.
 */
async function todoOf(current: Membership | null): Promise<Todo | null> {
  const todo = can(current, 'todo.read') && current ? await getTodo(current.villageId).catch(() => null) : null
  setTabCount('home', todo ? actionable(todo) : 0)
  const unread = todo ? todo.unread : await getUnread().catch(() => null)
  if (unread !== null) setTabCount('mine', unread)
  return todo
}

export default function Home() {
  useTabPage('home')
  // Signed out: to the login page, and nothing to load.
  const { data, reload, value } = usePageData(async () => {
    if (!isSignedIn()) return void goToLogin()
    const me = await getMe()
    const [towns, todo] = await Promise.all([townsOf(me), todoOf(currentMembership(me))])
    return { me, towns, todo }
  })

  // A failure says only to check the network, whatever the reason.
  if (data.state === 'failed') return <NotReady data={{ state: 'failed' }} onRetry={reload} />
  if (!value) return <NotReady data={{ state: 'loading' }} onRetry={reload} />

  const { me, towns, todo } = value
  const current = currentMembership(me)
  return (
    <Page tab className='home'>
      {current ? <MembershipCard membership={current} /> : <NoVillageCard />}
      {/* What waits for this person first: votes open to them, then their work (committee, grid worker). */}
      {current && todo?.votes.length ? <VotesCard villageId={current.villageId} votes={todo.votes} /> : null}
      {can(current, 'applications.review') && current ? <CommitteeCard membership={current} todo={todo} /> : null}
      {can(current, 'roster.read') && !can(current, 'applications.review') && current ? (
        <GridWorkerCard membership={current} todo={todo} />
      ) : null}
      {current ? <CommitteeContact membership={current} /> : null}
      {current?.status === 'verified' ? <ReportsCard membership={current} /> : null}
      {current?.status === 'verified' ? <MeetingsCard membership={current} /> : null}
      {towns.length ? <TownCard towns={towns} /> : null}
      {current ? (
        <WideLinkButton fill='outline' className='lr-block-button' url={JOIN_PAGE}>
          加入其他村（社区）
        </WideLinkButton>
      ) : null}
    </Page>
  )
}

function NoVillageCard() {
  return (
    <Card title='您还没有加入村（社区）'>
      <View className='lr-text'>请先申请加入您居住的村或社区。村（居）委会审核通过后，就能使用里仁的全部功能。</View>
      <JoinButton className='home__join' />
    </Card>
  )
}

function MembershipCard({ membership }: { membership: Membership }) {
  const words = placeWords(membership.villageKind)
  return (
    <Card className='home__village'>
      <View className='lr-muted'>我的{words.place}</View>
      <View className='lr-row home__village-row'>
        <View className='home__village-name'>{membership.villageName}</View>
        <StatusTag status={membership.status} />
      </View>
      {membership.status === 'pending' ? (
        <View className='lr-text'>
          您的入{words.place}申请已提交，正在等待{words.committee}审核。审核通过后，就能使用全部功能。
        </View>
      ) : null}
      {membership.status === 'verified' ? (
        <View className='lr-text'>
          {membership.realName}，您好！您的身份：{rolesText(membership)}。
        </View>
      ) : null}
      {membership.status === 'verified' && membership.personId === null ? (
        <View className='lr-warning home__unlinked'>
          您还没有和{words.place}里的花名册对上，暂时没有积分账户，也不能在手机上表决。
          <CommitteeContactLine membership={membership} lead={`请找${words.committee}在花名册里关联您`} />
        </View>
      ) : null}
      {membership.status === 'rejected' ? (
        <>
          <View className='lr-text'>您的申请没有通过。</View>
          {membership.rejectReason ? <View className='lr-text'>原因：{membership.rejectReason}</View> : null}
          <View className='lr-muted'>如有疑问，请联系{words.committee}。</View>
          <View className='lr-actions'>
            <WideLinkButton type='primary' url={`${JOIN_PAGE}?villageId=${membership.villageId}`}>
              重新申请
            </WideLinkButton>
          </View>
        </>
      ) : null}
    </Card>
  )
}

function ReportsCard({ membership }: { membership: Membership }) {
  const words = placeWords(membership.villageKind)
  return (
    <Card title='看到问题，随手拍下来' className='home__reports'>
      <View className='lr-muted'>
        看到路灯坏了、垃圾没人管、有危险的地方，拍下来告诉{words.committee}，办好了会告诉您。
      </View>
      <View className='home__work-buttons'>
        <PrimaryLink className='home__report-new' url={reportPaths.new(membership.villageId)}>
          随手拍
        </PrimaryLink>
        <SecondLink className='home__report-feed' url={reportPaths.feed(membership.villageId)}>
          大家的上报
        </SecondLink>
      </View>
    </Card>
  )
}

function MeetingsCard({ membership }: { membership: Membership }) {
  const words = placeWords(membership.villageKind)
  return (
    <Card title='会议与表决' className='home__meetings'>
      <View className='lr-muted'>
        {words.place}
        里的大事开会商量、大家表决。看会议通知，在手机上投票，查表决结果；有想议的事，可以“说事”；修路这样的大事怎么定、办得怎样，看“四议两公开”。
      </View>
      <View className='lr-actions'>
        <WideLinkButton type='primary' className='home__meetings-list' url={meetingPaths.list(membership.villageId)}>
          会议与表决
        </WideLinkButton>
        <SecondLink className='home__topics' url={meetingPaths.topics(membership.villageId)}>
          说事
        </SecondLink>
      </View>
      <View className='lr-actions'>
        <WideLinkButton fill='outline' className='home__matters' url={meetingPaths.matters(membership.villageId)}>
          四议两公开（重大事项）
        </WideLinkButton>
      </View>
    </Card>
  )
}

/** Votes open to the person that they have not cast, each with its question and the way to it. */
function VotesCard({ villageId, votes }: { villageId: number; votes: OpenVote[] }) {
  return (
    <Card title='有表决等您投票' className='home__votes'>
      {votes.map((vote) => (
        <View key={vote.voteId} className='home__vote'>
          <View className='home__vote-question'>{vote.question}</View>
          <View className='lr-muted'>{vote.meetingTitle}</View>
          <View className='lr-actions'>
            <WideLinkButton
              type='primary'
              className='home__vote-go'
              url={meetingPaths.detail(villageId, vote.meetingId)}
            >
              去投票
            </WideLinkButton>
          </View>
        </View>
      ))}
    </Card>
  )
}

function CommitteeCard({ membership, todo }: { membership: Membership; todo: Todo | null }) {
  const words = placeWords(membership.villageKind)
  const { villageId } = membership
  const points = (todo?.orders ?? 0) + (todo?.approvals ?? 0)
  return (
    <Card title={`${words.committee}工作`}>
      <View className='home__group-title'>待办</View>
      <View className='home__todo-buttons'>
        <TodoLink className='home__applications' url={`${APPLICATIONS_PAGE}?villageId=${villageId}`}>
          审核入{words.place}申请
          <Count n={todo?.applications} className='home__count--applications' />
        </TodoLink>
        <ReportQueueButton villageId={villageId} todo={todo} />
      </View>
      <View className='home__group-title'>{words.place}务</View>
      <View className='home__work-buttons'>
        <SecondLink className='home__roster' url={`${ROSTER_PAGE}?villageId=${villageId}`}>
          花名册
        </SecondLink>
        <SecondLink className='home__points-admin' url={`${POINTS_ADMIN_PAGE}?villageId=${villageId}`}>
          积分管理
          <Count n={points} className='home__count--points' />
        </SecondLink>
        <SecondLink className='home__meeting-new' url={meetingPaths.new(villageId)}>
          拟定会议
        </SecondLink>
      </View>
      <View className='home__group-title'>查看</View>
      <View className='home__work-buttons'>
        <SecondLink className='home__report-figures' url={reportPaths.figures(villageId)}>
          上报统计
        </SecondLink>
        <SecondLink className='home__open311' url={reportPaths.open311(villageId)}>
          对外接口
        </SecondLink>
      </View>
    </Card>
  )
}

/** The handlers' way to their report queue (committee and grid workers), with how many wait and are overdue. */
function ReportQueueButton({ villageId, todo }: { villageId: number; todo: Todo | null }) {
  const overdue = todo?.reports?.overdue ?? 0
  return (
    <TodoLink className='home__report-queue' url={reportPaths.queue(villageId)}>
      处理上报
      <Count n={todo?.reports?.open} className='home__count--reports' />
      {overdue ? <View className='home__overdue'>{overdue} 条超期</View> : null}
    </TodoLink>
  )
}

function GridWorkerCard({ membership, todo }: { membership: Membership; todo: Todo | null }) {
  const words = placeWords(membership.villageKind)
  return (
    <Card title='网格员工作'>
      <View className='lr-muted'>
        处理网格里{words.member}的上报；查看本{words.place}花名册里的每一户、每个人（只能看，不能改）。
      </View>
      <View className='home__todo-buttons'>
        <ReportQueueButton villageId={membership.villageId} todo={todo} />
      </View>
      <View className='home__work-buttons'>
        <SecondLink className='home__roster' url={`${ROSTER_PAGE}?villageId=${membership.villageId}`}>
          查看花名册
        </SecondLink>
      </View>
    </Card>
  )
}

function TownCard({ towns }: { towns: Town[] }) {
  return (
    <Card title='镇（街道）管理'>
      <View className='lr-muted'>{towns.map((t) => t.name).join('、')}：管理村（社区）、网格和村（居）委会成员。</View>
      <View className='lr-actions'>
        <WideLinkButton type='primary' className='home__town' url={TOWN_PAGE}>
          镇（街道）管理
        </WideLinkButton>
      </View>
      {towns.map((town) => (
        <View key={town.id} className='lr-actions'>
          <WideLinkButton fill='outline' className='home__town-figures' url={reportPaths.townFigures(town.id)}>
            {towns.length > 1 ? `${town.name}上报统计` : '全镇上报统计'}
          </WideLinkButton>
        </View>
      ))}
    </Card>
  )
}

type LinkProps = { className: string; url: string; children: ReactNode }

/** One of the main ways on from the home page. */
function PrimaryLink(props: LinkProps) {
  return <LinkButton type='primary' size='large' {...props} />
}

/** A way on beside a main one (in outline). */
function SecondLink(props: LinkProps) {
  return <LinkButton size='large' fill='outline' {...props} />
}

/** A way to something waiting to be done: a whole row, the primary colour, its count beside the label. */
function TodoLink(props: LinkProps) {
  return <WideLinkButton type='primary' {...props} />
}

/** How many wait, as a red dot with a number; nothing when none do (or the count did not load). */
function Count({ n, className }: { n: number | undefined; className: string }) {
  return n ? <View className={`home__count ${className}`}>{n > 99 ? '99+' : n}</View> : null
}
