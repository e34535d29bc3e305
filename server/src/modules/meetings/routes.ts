import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  AcceptTopicBody,
  AgendaCommentList,
  AgendaItemParams,
  CommentBody,
  CommentParams,
  HideCommentBody,
  BallotReceipt,
  DeclineTopicBody,
  MergeTopicBody,
  ProposeTopicBody,
  Topic,
  TopicList,
  TopicListQuery,
  TopicParams,
  CastBallotBody,
  CheckInBody,
  CreateMatterBody,
  Matter,
  MatterList,
  MatterParams,
  RateMatterBody,
  RecordStageBody,
  MeetingCode,
  SelfCheckInBody,
  OfflineTally,
  OfflineTallyBody,
  OfflineTallyParams,
  CancelMeetingBody,
  CreateMeetingBody,
  EditMeetingBody,
  Meeting,
  MeetingSettingsBody,
  PostponeMeetingBody,
  MeetingList,
  MeetingParams,
  MyVoteList,
  PublicMeetingResults,
  MinutesBody,
  ReceiptCheck,
  ReceiptPage,
  ReceiptPageQuery,
  ReceiptParams,
  VillageParams,
  VoteParams,
  VoteResult,
  AnswerPetitionBody,
  Attendance,
  AttendanceQuery,
  OverduePetitionList,
  Petition,
  PetitionList,
  PetitionParams,
  RecordSignatureBody,
  StartPetitionBody,
  TownParams,
  CountingPointBody,
  CountingPointList,
  MeetingProxyList,
  ProxyBody,
  ProxyParams,
} from '@liren/shared/contracts'
import type { MeetingAction } from '@liren/shared/rules'
import { Type, type Static, type TSchema } from 'typebox'
import type { Db } from '../../core/db.js'
import { errors } from '../../core/errors.js'
import { created, download, ok, signedInRoute } from '../../core/routes.js'
import { binaryFile } from '../../core/files.js'
import { verifyVenueCode } from '../../core/venue-code.js'
import { limiter, type Limit } from '../../core/rate-limits.js'
import type { WechatClient } from '../../core/wechat.js'
import type { Storage } from '../../core/storage.js'
import { myPersonId, requirePermission } from '../identity/index.js'
import { checkIn } from './check-in.js'
import { getAttendance } from './attendance.js'
import { signInSheet } from './sign-in-sheet-pdf.js'
import { addComment, hideComment, listComments } from './comments.js'
import { createMeeting, editMeeting } from './create-meeting.js'
import { createMatter, getMatter, listMatters, rateMatter, recordStage } from './matters.js'
import { advanceMeeting, cancelMeeting, postponeMeeting, saveMinutes } from './meeting-state.js'
import { getMeetingSettings, saveMeetingSettings } from './settings.js'
import { confirmOfflineTally, enterOfflineTally } from './offline-tally.js'
import { decideTopic, getTopic, listMyTopics, listTopics, proposeTopic, supportTopic, viewerOf } from './topics.js'
import {
  answerPetition,
  getPetition,
  listPetitions,
  overduePetitions,
  petitionFromTopic,
  petitionViewerOf,
  signPetition,
  startPetition,
} from './petitions.js'
import { printMeetingCode } from './print-meeting-code.js'
import { printResultNotice } from './print-result-notice.js'
import { getMeeting, listMeetings, meetingViewer } from './view.js'
import { publicMeetingResults } from './public-results.js'
import { listMyVotes } from './my-votes.js'
import { cancelProxy, listProxies, recordProxy } from './proxies.js'
import { createCountingPoint, listCountingPoints } from './counting-points.js'
import { castBallot, checkReceipt, closeVote, openVote, receiptPage, voteResult } from './votes.js'

type TopicDecision = Parameters<typeof decideTopic>[4]

const tags = ['meetings']
const route = signedInRoute(tags)
const STEPS = ['announce', 'start', 'close', 'publish'] as const satisfies readonly MeetingAction[]
const StepParams = Type.Object({
  ...MeetingParams.properties,
  step: Type.Union(
    STEPS.map((k) => Type.Literal(k)),
    { title: '操作' },
  ),
})

/** Meetings and votes (议事与表决): the committee runs them; members see them and vote. */
export const meetingRoutes: FastifyPluginAsyncTypebox<{
  db: Db
  wechat: WechatClient
  /** Where the signed tally sheets are, printed on the result notice. */
  storage: Storage
  codeSecret: string
  limits: { comment: Limit; topic: Limit }
}> = async (app, { db, wechat, storage, codeSecret, limits }) => {
  const members = [app.authenticate, requirePermission(db, 'meetings.read')]
  const takePart = requirePermission(db, 'meetings.take-part')
  const participants = [app.authenticate, takePart]
  const [comments, proposals] = [limiter(app, 'comment', limits.comment), limiter(app, 'topic', limits.topic)]
  // A petition is limited as a topic is, on counters of its own.
  const petitionsStarted = limiter(app, 'petition', limits.topic)
  const committee = [app.authenticate, requirePermission(db, 'meetings.manage')]
  const base = '/api/villages/:villageId/meetings'
  const vote = '/api/villages/:villageId/votes/:voteId'
  const viewer = (req: FastifyRequest) => meetingViewer(req.member, req.actor.userId)

  app.post(
    base,
    route(committee, '拟定会议（村委会）', {
      params: VillageParams,
      body: CreateMeetingBody,
      response: created(Meeting),
    }),
    async (req, reply) => {
      const id = await createMeeting(db, req.actor, req.params.villageId, req.body)
      return reply.status(201).send(await getMeeting(db, req.params.villageId, id, viewer(req)))
    },
  )
  app.get(
    base,
    route(members, '本村（社区）的会议', { params: VillageParams, response: ok(MeetingList) }),
    async (req) => listMeetings(db, req.member),
  )
  app.get(
    `${base}/:meetingId`,
    route(members, '会议详情：议程、表决、应到实到', { params: MeetingParams, response: ok(Meeting) }),
    async (req) => getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req)),
  )
  app.post(
    `${base}/:meetingId/:step`,
    route(committee, '通知（冻结名单）、开会、散会、公布（村委会）', {
      params: StepParams,
      response: ok(Meeting, 409),
    }),
    async (req) => {
      const step = req.params.step as (typeof STEPS)[number]
      await advanceMeeting(db, req.actor, req.params.villageId, req.params.meetingId, step)
      return getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req))
    },
  )
  app.put(
    `${base}/:meetingId`,
    route(committee, '修改会议草稿（通知以前，全部可改）', {
      params: MeetingParams,
      body: EditMeetingBody,
      response: ok(Meeting, 409),
    }),
    async (req) => {
      await editMeeting(db, req.actor, req.params.villageId, req.params.meetingId, req.body)
      return getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req))
    },
  )
  app.post(
    `${base}/:meetingId/postpone`,
    route(committee, '会议延期（开始表决以前；重新通知）', {
      params: MeetingParams,
      body: PostponeMeetingBody,
      response: ok(Meeting, 409),
    }),
    async (req) => {
      await postponeMeeting(db, req.actor, req.params.villageId, req.params.meetingId, req.body)
      return getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req))
    },
  )
  app.post(
    `${base}/:meetingId/cancel`,
    route(committee, '取消会议（开始表决以前；写明原因）', {
      params: MeetingParams,
      body: CancelMeetingBody,
      response: ok(Meeting, 409),
    }),
    async (req) => {
      await cancelMeeting(db, req.actor, req.params.villageId, req.params.meetingId, req.body.reason)
      return getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req))
    },
  )
  app.get(
    '/api/villages/:villageId/meeting-settings',
    route(members, '本村开会的规定（通知天数、提前开会的分钟数、提议召集的期限）', {
      params: VillageParams,
      response: ok(MeetingSettingsBody),
    }),
    async (req) => getMeetingSettings(db, req.params.villageId),
  )
  app.put(
    '/api/villages/:villageId/meeting-settings',
    route(committee, '修改本村开会的规定（村委会）', {
      params: VillageParams,
      body: MeetingSettingsBody,
      response: ok(MeetingSettingsBody),
    }),
    async (req) => saveMeetingSettings(db, req.actor, req.params.villageId, req.body),
  )
  app.post(
    `${base}/:meetingId/agenda/:itemId/comments`,
    {
      onRequest: comments.perIp,
      ...route([app.authenticate, comments.perUser, takePart], '对议程提意见（通知后、开会前）', {
        params: AgendaItemParams,
        body: CommentBody,
        response: created(AgendaCommentList, 409, 429),
      }),
    },
    async (req, reply) => {
      const { villageId, meetingId, itemId } = req.params
      await addComment(db, wechat, req.actor, villageId, meetingId, itemId, myPersonId(req.member), req.body.body)
      return reply.status(201).send(await listComments(db, villageId, meetingId, req.member))
    },
  )
  app.get(
    `${base}/:meetingId/comments`,
    route(members, '会议议程的意见', { params: MeetingParams, response: ok(AgendaCommentList) }),
    async (req) => listComments(db, req.params.villageId, req.params.meetingId, req.member),
  )
  app.post(
    `${base}/:meetingId/comments/:commentId/hide`,
    route(committee, '隐藏一条意见（村委会，写明原因）', {
      params: CommentParams,
      body: HideCommentBody,
      response: ok(AgendaCommentList),
    }),
    async (req) => {
      await hideComment(
        db,
        req.actor,
        req.params.villageId,
        req.params.meetingId,
        req.params.commentId,
        req.body.reason,
      )
      return listComments(db, req.params.villageId, req.params.meetingId, req.member)
    },
  )
  app.put(
    `${base}/:meetingId/minutes`,
    route(committee, '写会议纪要（散会后、公布前）', {
      params: MeetingParams,
      body: MinutesBody,
      response: ok(Meeting, 409),
    }),
    async (req) => {
      await saveMinutes(db, req.actor, req.params.villageId, req.params.meetingId, req.body.minutes)
      return getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req))
    },
  )
  app.post(
    `${base}/:meetingId/attendance`,
    route(committee, '登记到会（为没有手机的村民签到）', {
      params: MeetingParams,
      body: CheckInBody,
      response: ok(Meeting, 409),
    }),
    async (req) => {
      const { villageId, meetingId } = req.params
      await checkIn(db, req.actor, villageId, meetingId, req.body.personId, req.body.countingPointId)
      return getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req))
    },
  )

  // 到会名单 and 签到表: the clerk's view of who is called, who came and how, and the sheet to sign by hand.
  app.get(
    `${base}/:meetingId/attendance`,
    route(committee, '到会名单：应到的人，谁到了、怎么签到的，谁在手机上投了票（村委会）', {
      params: MeetingParams,
      querystring: AttendanceQuery,
      response: ok(Attendance, 409),
    }),
    async (req) => getAttendance(db, req.params.villageId, req.params.meetingId, req.query.status),
  )
  app.get(
    `${base}/:meetingId/sign-in-sheet.pdf`,
    route(committee, '签到表（A4 打印版 PDF，给没有手机的村民签字）', {
      params: MeetingParams,
      produces: ['application/pdf'],
      response: ok(binaryFile('A4 PDF'), 409),
    }),
    async (req, reply) => {
      const { villageId, meetingId } = req.params
      const { title, pdf } = await signInSheet(db, villageId, meetingId)
      return download(reply, 'application/pdf', `${title}-签到表.pdf`, `meeting-${meetingId}-sign-in.pdf`, pdf)
    },
  )

  app.get(
    `${base}/:meetingId/notice.pdf`,
    route(members, '表决结果公示（A4 打印版 PDF，散会后）', {
      params: MeetingParams,
      produces: ['application/pdf'],
      response: ok(binaryFile('A4 PDF'), 409),
    }),
    async (req, reply) => {
      const { villageId, meetingId } = req.params
      // The H5 app is served by this server.
      const site = `${req.protocol}://${req.headers.host}`
      const { title, pdf } = await printResultNotice(db, storage, villageId, meetingId, viewer(req), site)
      return download(reply, 'application/pdf', `${title}-表决结果公示.pdf`, `meeting-${meetingId}-results.pdf`, pdf)
    },
  )
  // 表决结果公示 for anyone, signed in or not: the village board's QR code and the share card open it.
  app.get(
    '/api/public/villages/:villageId/meetings/:meetingId/results',
    {
      schema: {
        tags,
        summary: '表决结果公示（公开，散会后；不需要登录）',
        params: MeetingParams,
        response: { 200: PublicMeetingResults, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const page = await publicMeetingResults(db, req.params.villageId, req.params.meetingId)
      return reply.header('cache-control', 'public, max-age=300').send(page)
    },
  )
  app.get(
    `${base}/:meetingId/code`,
    route(committee, '会议签到二维码（打印出来贴在会场）', { params: MeetingParams, response: ok(MeetingCode) }),
    async (req) => printMeetingCode(db, wechat, codeSecret, req.params.villageId, req.params.meetingId),
  )
  app.post(
    `${base}/:meetingId/check-in`,
    route(participants, '扫会议二维码签到', {
      params: MeetingParams,
      body: SelfCheckInBody,
      response: ok(Meeting, 409),
    }),
    async (req) => {
      verifyVenueCode(codeSecret, 'meeting', req.body.token, req.params.villageId, req.params.meetingId)
      await checkIn(db, req.actor, req.params.villageId, req.params.meetingId, myPersonId(req.member))
      return getMeeting(db, req.params.villageId, req.params.meetingId, viewer(req))
    },
  )

  // Topics (说事 / 议题征集)
  const topicsUrl = '/api/villages/:villageId/topics'
  app.post(
    topicsUrl,
    {
      onRequest: proposals.perIp,
      ...route([app.authenticate, proposals.perUser, takePart], '提出议题（说事）', {
        params: VillageParams,
        body: ProposeTopicBody,
        response: created(Topic, 429),
      }),
    },
    async (req, reply) => {
      const id = await proposeTopic(db, wechat, req.actor, req.params.villageId, myPersonId(req.member), req.body)
      return reply.status(201).send(await getTopic(db, req.params.villageId, id, viewerOf(req.member)))
    },
  )
  app.get(
    topicsUrl,
    route(members, '本村（社区）的议题', {
      params: VillageParams,
      querystring: TopicListQuery,
      response: ok(TopicList),
    }),
    async (req) => listTopics(db, req.params.villageId, viewerOf(req.member), req.query.state),
  )
  app.get(
    `${topicsUrl}/mine`,
    route(members, '我提出的议题', { params: VillageParams, response: ok(TopicList) }),
    async (req) => listMyTopics(db, req.params.villageId, viewerOf(req.member)),
  )
  app.get(
    `${topicsUrl}/:topicId`,
    route(members, '议题详情', { params: TopicParams, response: ok(Topic) }),
    async (req) => getTopic(db, req.params.villageId, req.params.topicId, viewerOf(req.member)),
  )
  app.post(
    `${topicsUrl}/:topicId/support`,
    route(participants, '附议', { params: TopicParams, response: ok(Topic, 409) }),
    async (req) => {
      myPersonId(req.member)
      await supportTopic(db, req.actor, req.params.villageId, req.params.topicId, viewerOf(req.member))
      return getTopic(db, req.params.villageId, req.params.topicId, viewerOf(req.member))
    },
  )
  // The committee's decisions on a topic, each from its own body; each answers with the topic as it now stands.
  const decision = <B extends TSchema>(
    verb: string,
    summary: string,
    body: B,
    decide: (b: Static<B>) => TopicDecision,
  ) =>
    app.post(
      `${topicsUrl}/:topicId/${verb}`,
      route(committee, summary, { params: TopicParams, body, response: ok(Topic, 409) }),
      async (req) => {
        await decideTopic(db, req.actor, req.params.villageId, req.params.topicId, decide(req.body as Static<B>))
        return getTopic(db, req.params.villageId, req.params.topicId, viewerOf(req.member))
      },
    )
  decision('accept', '列入会议议程（村委会）', AcceptTopicBody, (b) => ({ to: 'accepted', meetingId: b.meetingId }))
  decision('merge', '并入另一个议题（村委会）', MergeTopicBody, (b) => ({ to: 'merged', intoTopicId: b.intoTopicId }))
  decision('decline', '不予采纳（村委会，写明原因）', DeclineTopicBody, (b) => ({ to: 'declined', reason: b.reason }))

  // 提议召集: a tenth of the adults or a third of the representatives make the committee convene a 村民会议
  // (第二十一条), a fifth of the representatives a 村民代表会议 (第二十六条).
  const petitionsUrl = '/api/villages/:villageId/petitions'
  const petitionOf = (req: FastifyRequest) => petitionViewerOf(req.member, req.actor.userId)
  app.post(
    `${topicsUrl}/:topicId/petition`,
    route(participants, '议题附议的人够了：提议召开村民会议（提出人或村委会）', {
      params: TopicParams,
      response: created(Petition, 409),
    }),
    async (req, reply) => {
      const { villageId, topicId } = req.params
      const id = await petitionFromTopic(db, req.actor, villageId, topicId, viewerOf(req.member))
      return reply.status(201).send(await getPetition(db, villageId, id, petitionOf(req)))
    },
  )
  app.post(
    petitionsUrl,
    {
      onRequest: petitionsStarted.perIp,
      ...route(
        [app.authenticate, petitionsStarted.perUser, takePart],
        '提议召开村民会议或村民代表会议（发起人先签名）',
        {
          params: VillageParams,
          body: StartPetitionBody,
          response: created(Petition, 409, 429),
        },
      ),
    },
    async (req, reply) => {
      const { villageId } = req.params
      const id = await startPetition(db, wechat, req.actor, villageId, myPersonId(req.member), req.body)
      return reply.status(201).send(await getPetition(db, villageId, id, petitionOf(req)))
    },
  )
  app.get(
    petitionsUrl,
    route(members, '本村（社区）的提议召集', { params: VillageParams, response: ok(PetitionList) }),
    async (req) => listPetitions(db, req.params.villageId, petitionOf(req)),
  )
  app.get(
    `${petitionsUrl}/:petitionId`,
    route(members, '提议详情：签名人数、还差多少、期限', { params: PetitionParams, response: ok(Petition) }),
    async (req) => getPetition(db, req.params.villageId, req.params.petitionId, petitionOf(req)),
  )
  app.post(
    `${petitionsUrl}/:petitionId/signatures`,
    route(participants, '在提议上签名（每人一次）', { params: PetitionParams, response: created(Petition, 409) }),
    async (req, reply) => {
      const { villageId, petitionId } = req.params
      await signPetition(db, req.actor, villageId, petitionId, myPersonId(req.member), false)
      return reply.status(201).send(await getPetition(db, villageId, petitionId, petitionOf(req)))
    },
  )
  app.post(
    `${petitionsUrl}/:petitionId/signatures/recorded`,
    route(committee, '为没有手机的村民登记签名（村委会）', {
      params: PetitionParams,
      body: RecordSignatureBody,
      response: created(Petition, 409),
    }),
    async (req, reply) => {
      const { villageId, petitionId } = req.params
      await signPetition(db, req.actor, villageId, petitionId, req.body.personId, true)
      return reply.status(201).send(await getPetition(db, villageId, petitionId, petitionOf(req)))
    },
  )
  app.post(
    `${petitionsUrl}/:petitionId/answer`,
    route(committee, '召集会议答复提议（村委会）', {
      params: PetitionParams,
      body: AnswerPetitionBody,
      response: ok(Petition, 409),
    }),
    async (req) => {
      const { villageId, petitionId } = req.params
      await answerPetition(db, req.actor, villageId, petitionId, req.body.meetingId)
      return getPetition(db, villageId, petitionId, petitionOf(req))
    },
  )
  app.get(
    '/api/towns/:townId/petitions/overdue',
    route([app.authenticate, requirePermission(db, 'town.administer')], '全镇（街道）过期未召集会议的提议', {
      params: TownParams,
      response: ok(OverduePetitionList),
    }),
    async (req) => overduePetitions(db, req.params.townId),
  )

  // 四议两公开 major matters and 监督评议
  const mattersUrl = '/api/villages/:villageId/matters'
  app.post(
    mattersUrl,
    route(committee, '登记重大事项（四议两公开）', {
      params: VillageParams,
      body: CreateMatterBody,
      response: created(Matter),
    }),
    async (req, reply) => {
      const id = await createMatter(db, req.actor, req.params.villageId, req.body)
      return reply.status(201).send(await getMatter(db, req.params.villageId, id, req.member.personId))
    },
  )
  app.get(
    mattersUrl,
    route(members, '重大事项（四议两公开）', { params: VillageParams, response: ok(MatterList) }),
    async (req) => listMatters(db, req.params.villageId, req.member.personId),
  )
  app.get(
    `${mattersUrl}/:matterId`,
    route(members, '事项详情：每个环节和评议', { params: MatterParams, response: ok(Matter) }),
    async (req) => getMatter(db, req.params.villageId, req.params.matterId, req.member.personId),
  )
  app.post(
    `${mattersUrl}/:matterId/stages`,
    route(committee, '记录下一个环节（按顺序）', {
      params: MatterParams,
      body: RecordStageBody,
      response: ok(Matter, 409),
    }),
    async (req) => {
      await recordStage(db, req.actor, req.params.villageId, req.params.matterId, req.body)
      return getMatter(db, req.params.villageId, req.params.matterId, req.member.personId)
    },
  )
  app.post(
    `${mattersUrl}/:matterId/ratings`,
    route(participants, '监督评议（实施结果公开后，每人一次）', {
      params: MatterParams,
      body: RateMatterBody,
      response: ok(Matter, 409),
    }),
    async (req) => {
      await rateMatter(db, req.actor, req.params.villageId, req.params.matterId, myPersonId(req.member), req.body)
      return getMatter(db, req.params.villageId, req.params.matterId, req.member.personId)
    },
  )

  const VoteStep = Type.Object({
    ...VoteParams.properties,
    step: Type.Union([Type.Literal('open'), Type.Literal('close')], { title: '操作' }),
  })
  app.get(
    '/api/villages/:villageId/votes/mine',
    route(members, '我参加过的表决（无记名投票不记我投了什么）', { params: VillageParams, response: ok(MyVoteList) }),
    async (req) => listMyVotes(db, req.params.villageId, req.member.personId),
  )
  app.post(
    `${vote}/:step`,
    route(committee, '开始或结束表决（村委会）', {
      params: VoteStep,
      response: {
        200: Type.Union([VoteResult, Type.Object({ opened: Type.Boolean() })]),
        ...errors(400, 401, 403, 404, 409),
      },
    }),
    async (req) => {
      if (req.params.step === 'open') {
        await openVote(db, req.actor, req.params.villageId, req.params.voteId)
        return { opened: true }
      }
      return closeVote(db, req.actor, req.params.villageId, req.params.voteId)
    },
  )
  app.post(
    `${vote}/ballots`,
    route(participants, '投票（每人一票，投了不能改；受委托人替委托人投，一人一张）', {
      params: VoteParams,
      body: CastBallotBody,
      response: created(BallotReceipt, 409),
    }),
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await castBallot(
            db,
            req.actor,
            req.params.villageId,
            req.params.voteId,
            myPersonId(req.member),
            req.body.choices,
            req.body.onBehalfOf,
          ),
        ),
  )
  app.post(
    `${vote}/offline`,
    route(committee, '录入现场票数（举手或纸质票，两名计票人、监票人）', {
      params: VoteParams,
      body: OfflineTallyBody,
      response: created(OfflineTally, 409),
    }),
    async (req, reply) =>
      reply.status(201).send(await enterOfflineTally(db, req.actor, req.params.villageId, req.params.voteId, req.body)),
  )
  app.post(
    `${vote}/offline/:tallyId/confirm`,
    route(participants, '计票人、监票人确认现场票数', { params: OfflineTallyParams, response: ok(OfflineTally, 409) }),
    async (req) =>
      confirmOfflineTally(db, req.actor, req.member, req.params.villageId, req.params.voteId, req.params.tallyId),
  )
  app.get(
    `${vote}/result`,
    route(members, '表决结果（结束后公布）', { params: VoteParams, response: ok(VoteResult, 409) }),
    async (req) => voteResult(db, req.params.villageId, req.params.voteId),
  )
  app.get(
    `${vote}/receipts`,
    route(members, '公布的回执（哈希值，按页）', {
      params: VoteParams,
      querystring: ReceiptPageQuery,
      response: ok(ReceiptPage, 409),
    }),
    async (req) => receiptPage(db, req.params.villageId, req.params.voteId, req.query),
  )
  app.get(
    `${vote}/receipts/:code`,
    route(members, '用回执码查自己的票是否计入', { params: ReceiptParams, response: ok(ReceiptCheck) }),
    async (req) => checkReceipt(db, req.params.villageId, req.params.voteId, req.params.code),
  )
  // 委托投票 (proxies) and counting points (流动票箱, 分会场)
  app.post(
    `${base}/:meetingId/proxies`,
    route(committee, '登记委托投票（书面委托书，村里章程允许时）', {
      params: MeetingParams,
      body: ProxyBody,
      response: created(MeetingProxyList, 409),
    }),
    async (req, reply) => {
      const { villageId, meetingId } = req.params
      await recordProxy(db, req.actor, villageId, meetingId, req.body)
      return reply.status(201).send(await listProxies(db, villageId, meetingId))
    },
  )
  app.get(
    `${base}/:meetingId/proxies`,
    route(committee, '这次会议的委托投票登记（村委会）', { params: MeetingParams, response: ok(MeetingProxyList) }),
    async (req) => listProxies(db, req.params.villageId, req.params.meetingId),
  )
  app.post(
    `${base}/:meetingId/proxies/:principalPersonId/cancel`,
    route(committee, '撤销委托（委托人收回，或登记错了）', { params: ProxyParams, response: ok(MeetingProxyList) }),
    async (req) => {
      const { villageId, meetingId, principalPersonId } = req.params
      await cancelProxy(db, req.actor, villageId, meetingId, principalPersonId)
      return listProxies(db, villageId, meetingId)
    },
  )
  app.post(
    `${base}/:meetingId/counting-points`,
    route(committee, '加一个流动票箱或分会场（两个以上计票人、监票人）', {
      params: MeetingParams,
      body: CountingPointBody,
      response: created(CountingPointList, 409),
    }),
    async (req, reply) => {
      const { villageId, meetingId } = req.params
      await createCountingPoint(db, req.actor, villageId, meetingId, req.body)
      return reply.status(201).send(await listCountingPoints(db, villageId, meetingId))
    },
  )
  app.get(
    `${base}/:meetingId/counting-points`,
    route(committee, '这次会议的计票点：主会场、流动票箱、分会场（村委会）', {
      params: MeetingParams,
      response: ok(CountingPointList),
    }),
    async (req) => listCountingPoints(db, req.params.villageId, req.params.meetingId),
  )
}
