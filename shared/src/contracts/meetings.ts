import { Type, type Static } from 'typebox'
import { Photo, PhotoKey, PhotoKeys } from './photos.js'
import { Rating } from './reports.js'
import { VillageKind } from './identity.js'
import { Id, literals, nullable, PersonBody, When } from './fragments.js'
import { MEETING_STATES, OPTION_KINDS } from '../rules/meetings.js'
import { COUNTING_POINT_KINDS } from '../rules/meeting-boxes.js'

/**
 * Meetings and votes (议事与表决). Glossary: 会议 meeting · 议程 agenda item · 表决 vote · 选票 ballot ·
 * 应到 on the roll · 实到 present · 签到 check-in · 回执码 receipt code · 公示 publication.
 * Rules (quorum, tally) live in shared/src/rules/meetings.ts; these are the shapes on the wire.
 */

export const MeetingKind = Type.Union(
  [Type.Literal('villager_meeting'), Type.Literal('representative_meeting'), Type.Literal('deliberation')],
  { title: '会议类型' },
)
export const MeetingState = literals(...MEETING_STATES)
export const Electorate = Type.Union(
  [Type.Literal('adults'), Type.Literal('households'), Type.Literal('representatives')],
  { title: '谁来表决' },
)
export const PassRule = Type.Union([Type.Literal('majority'), Type.Literal('two_thirds')], { title: '通过标准' })
export const OptionKind = literals(...OPTION_KINDS)
export const VoteState = literals('draft', 'open', 'closed')
export type VoteState = Static<typeof VoteState>

export const VoteOptionBody = Type.Object({
  label: Type.String({ minLength: 1, maxLength: 40, title: '选项' }),
  kind: OptionKind,
})
export const VoteBody = Type.Object({
  question: Type.String({ minLength: 2, maxLength: 200, title: '表决事项' }),
  /** 无记名 (secret) unless the committee chooses 记名 (open). */
  secret: Type.Boolean({ default: true, title: '无记名投票' }),
  /** The meeting's electorate by default: representatives for a 村民代表会议, adults otherwise. */
  electorate: Type.Optional(Electorate),
  passRule: Type.Optional(PassRule),
  maxChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, title: '最多选几项' })),
  /** 同意 / 反对 / 弃权 when left out. */
  options: Type.Optional(Type.Array(VoteOptionBody, { minItems: 2, maxItems: 20, title: '选项' })),
})
export type VoteBody = Static<typeof VoteBody>

export const AgendaItemBody = Type.Object({
  /** Editing a draft: the item kept (with the topic put on it); without it, a new item. */
  id: Type.Optional(Type.Integer({ minimum: 1, title: '议程编号' })),
  title: Type.String({ minLength: 2, maxLength: 100, title: '议题' }),
  description: Type.Optional(Type.String({ maxLength: 2000, title: '说明' })),
  vote: Type.Optional(VoteBody),
})

export const CreateMeetingBody = Type.Object({
  kind: MeetingKind,
  title: Type.String({ minLength: 2, maxLength: 100, title: '会议名称' }),
  description: Type.Optional(Type.String({ maxLength: 2000, title: '说明' })),
  place: Type.String({ minLength: 2, maxLength: 100, title: '地点' }),
  startsAt: Type.String({ format: 'date-time', title: '开会时间' }),
  /** 征求意见 closes then (at the latest when the meeting starts, the default). */
  commentsCloseAt: Type.Optional(Type.String({ format: 'date-time', title: '征求意见截止' })),
  /** Online voting in the app is allowed while a vote is open; offline at the venue always. */
  online: Type.Boolean({ default: true, title: '可以在手机上投票' }),
  agenda: Type.Array(AgendaItemBody, { minItems: 0, maxItems: 30, title: '议程' }),
  /** 紧急: why it cannot wait for the notice period; shown on the notice, the result page and the PDF. */
  urgentReason: Type.Optional(Type.String({ minLength: 2, maxLength: 200, title: '紧急召开的原因' })),
})
export type CreateMeetingBody = Static<typeof CreateMeetingBody>
/** A draft is edited in full: the same fields as when it was made. */
export const EditMeetingBody = CreateMeetingBody
export type EditMeetingBody = CreateMeetingBody

/** 延期: a later time and why; 紧急 (with a reason) when the new time leaves less than the notice period. */
export const PostponeMeetingBody = Type.Object({
  startsAt: Type.String({ format: 'date-time', title: '新的开会时间' }),
  reason: Type.String({ minLength: 2, maxLength: 200, title: '延期原因' }),
  urgentReason: Type.Optional(Type.String({ minLength: 2, maxLength: 200, title: '紧急召开的原因' })),
})
export type PostponeMeetingBody = Static<typeof PostponeMeetingBody>
export const CancelMeetingBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 200, title: '取消原因' }),
})
export type CancelMeetingBody = Static<typeof CancelMeetingBody>

/** The village's rules for its meetings (the committee's; a 村民会议's ten days of notice are the law's). */
export const MeetingSettingsBody = Type.Object({
  representativeNoticeDays: Type.Integer({ minimum: 0, maximum: 30, title: '代表会议提前几天通知' }),
  startGraceMinutes: Type.Integer({ minimum: 0, maximum: 120, title: '最多提前几分钟开会' }),
  petitionAnswerDays: Type.Integer({ minimum: 1, maximum: 90, title: '提议召集后几天内开会' }),
  /** 委托投票 allowed by the village's rules (村民自治章程); always in the answer, false by default; left out of a save, kept as it was. */
  proxiesAllowed: Type.Optional(Type.Boolean({ title: '允许委托投票' })),
})
export type MeetingSettingsBody = Static<typeof MeetingSettingsBody>

export const MeetingParams = Type.Object({ villageId: Id, meetingId: Type.Integer({ minimum: 1, title: '会议编号' }) })
export type MeetingParams = Static<typeof MeetingParams>
export const VoteParams = Type.Object({ villageId: Id, voteId: Type.Integer({ minimum: 1, title: '表决编号' }) })
export type VoteParams = Static<typeof VoteParams>

export const VoteOption = Type.Object({ id: Id, label: Type.String(), kind: OptionKind })
/** Counts from the venue (举手或纸质票), entered by the committee and confirmed by two named tellers. */
export const OfflineTallyBody = Type.Object({
  counts: Type.Array(
    Type.Object({ optionId: Id, count: Type.Integer({ minimum: 0, maximum: 100000, title: '票数' }) }),
    { minItems: 1, maxItems: 20, title: '各选项票数' },
  ),
  /** 计票人 and 监票人: two different verified members of the village. */
  counterMembershipId: Type.Integer({ minimum: 1, title: '计票人' }),
  scrutineerMembershipId: Type.Integer({ minimum: 1, title: '监票人' }),
  /** Required when correcting counts entered before (a correction is a new entry, never an edit). */
  reason: Type.Optional(Type.String({ minLength: 2, maxLength: 200, title: '更正原因' })),
  /** The counting point (流动票箱, 分会场) these counts are of; the main venue (主会场) when left out. */
  countingPointId: Type.Optional(Type.Integer({ minimum: 1, title: '计票点' })),
  /**
   * How many ballots the box held. Given, a box holding more than the voters signed in there is void (kept,
   * flagged, not counted); left out, counts beyond those voters are refused as before.
   */
  ballotsCast: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, title: '票箱里的票数' })),
  /** The signed tally sheet (计票单), uploaded first; published with the result. */
  photoKey: Type.Optional(PhotoKey),
})
export type OfflineTallyBody = Static<typeof OfflineTallyBody>
export const Teller = Type.Object({ membershipId: Id, name: Type.String(), confirmed: Type.Boolean() })
export const OfflineTally = Type.Object({
  id: Id,
  /** Present at the venue, on this vote's roll, and not voting online: they took part at the venue. */
  ballots: Type.Integer(),
  counts: Type.Array(Type.Object({ optionId: Id, count: Type.Integer() })),
  counter: Teller,
  scrutineer: Teller,
  reason: nullable(Type.String()),
  createdAt: When,
  countingPointId: Id,
  /** How many ballots the box held, as the tellers counted (null: not given). */
  ballotsCast: nullable(Type.Integer()),
  /** More ballots in the box than voters signed in there: void, not counted. */
  void: Type.Boolean(),
  photo: nullable(Photo),
})
export type OfflineTally = Static<typeof OfflineTally>
export const OfflineTallyParams = Type.Object({
  villageId: Id,
  voteId: Id,
  tallyId: Type.Integer({ minimum: 1, title: '计票记录' }),
})

export const VoteSummary = Type.Object({
  id: Id,
  question: Type.String(),
  secret: Type.Boolean(),
  electorate: Electorate,
  passRule: PassRule,
  maxChoices: Type.Integer(),
  options: Type.Array(VoteOption),
  state: VoteState,
  openedAt: nullable(When),
  closedAt: nullable(When),
  /** Whether the caller is on this vote's roll, and has voted (for households: whether the household has). */
  eligible: Type.Boolean(),
  voted: Type.Boolean(),
  /** Units on the vote's roll. How many have voted, and how, is published with the result at the close. */
  eligibleCount: Type.Integer(),
  /**
   * The latest counts from the venue, if any; the tellers confirm them in the app. While the vote is open
   * only the committee member who entered them and the two tellers get them (null for everyone else).
   * These are the 主会场's; `boxes` has every counting point's latest counts under the same rule.
   */
  offline: nullable(OfflineTally),
  boxes: Type.Array(OfflineTally),
})
export type VoteSummary = Static<typeof VoteSummary>

export const AgendaItem = Type.Object({
  id: Id,
  position: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  vote: nullable(VoteSummary),
})

export const Meeting = Type.Object({
  id: Id,
  villageId: Id,
  kind: MeetingKind,
  title: Type.String(),
  description: Type.String(),
  place: Type.String(),
  startsAt: When,
  online: Type.Boolean(),
  state: MeetingState,
  announcedAt: nullable(When),
  /** Calendar days between the notice and the meeting. */
  noticeDays: nullable(Type.Integer()),
  /** 紧急: why it was called with less notice than the rule (null: it was not). */
  urgentReason: nullable(Type.String()),
  /** The time it was announced for before it was postponed (null: never postponed). */
  postponedFrom: nullable(When),
  /** Why it was postponed or cancelled. */
  changeReason: nullable(Type.String()),
  /** When 征求意见 closes: the committee's date, or the meeting's start. */
  commentsCloseAt: When,
  /** 应到 / 实到 of the meeting, from the roll frozen when it was announced. */
  onRoll: Type.Integer(),
  present: Type.Integer(),
  quorumMet: Type.Boolean(),
  quorumRule: Type.String(),
  /** Whether the caller is on the roll, and checked in. */
  onMyRoll: Type.Boolean(),
  checkedIn: Type.Boolean(),
  /** 会议纪要: the committee's draft after the close; everyone's once published. */
  minutes: nullable(Type.String()),
  agenda: Type.Array(AgendaItem),
})
export type Meeting = Static<typeof Meeting>
export const MeetingList = Type.Array(Type.Omit(Meeting, ['agenda', 'minutes']))
export const MinutesBody = Type.Object({ minutes: Type.String({ minLength: 10, maxLength: 5000, title: '会议纪要' }) })
export type MinutesBody = Static<typeof MinutesBody>
export type MeetingList = Static<typeof MeetingList>

export const CheckInBody = Type.Object({
  ...PersonBody.properties,
  /** Where they signed in: a 流动票箱 or 分会场 of the meeting; the main venue when left out. */
  countingPointId: Type.Optional(Type.Integer({ minimum: 1, title: '计票点' })),
})
export type CheckInBody = Static<typeof CheckInBody>
/** A member signs themself in by the meeting's code, scanned at the venue. */
export const SelfCheckInBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 64, title: '会议二维码' }) })
export type SelfCheckInBody = Static<typeof SelfCheckInBody>
/** The meeting's sign-in code for the venue: the same shape as an activity's. */
export { ActivityCode as MeetingCode } from './points.js'

export const CastBallotBody = Type.Object({
  choices: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 20, title: '选项' }),
  /** 委托投票: the principal (a roster person) whose written authorisation the caller holds for this meeting. */
  onBehalfOf: Type.Optional(Type.Integer({ minimum: 1, title: '委托人' })),
})
export type CastBallotBody = Static<typeof CastBallotBody>
/** The voter keeps the code; after the vote closes its hash is in the published list. */
export const BallotReceipt = Type.Object({ receiptCode: Type.String() })
export type BallotReceipt = Static<typeof BallotReceipt>

/** What a counting point's box gave a closed vote, as published: no teller, no voter named. */
export const CountingPointResult = Type.Object({
  countingPointId: Id,
  name: Type.String(),
  kind: literals(...COUNTING_POINT_KINDS),
  /** Signed in there, on this vote's roll, not voting online or by proxy. */
  eligible: Type.Integer(),
  /** Ballots the box held, as the tellers counted (null: not given). */
  ballotsCast: nullable(Type.Integer()),
  counts: Type.Array(Type.Object({ optionId: Id, count: Type.Integer() })),
  /** Counted in the result: confirmed by both tellers and not void. */
  counted: Type.Boolean(),
  void: Type.Boolean(),
  voidReason: nullable(Type.String()),
  /** The signed tally sheet. */
  photo: nullable(Photo),
})
export type CountingPointResult = Static<typeof CountingPointResult>

export const VoteResult = Type.Object({
  voteId: Id,
  question: Type.String(),
  electorate: Electorate,
  outcome: literals('passed', 'failed', 'invalid'),
  eligible: Type.Integer(),
  participants: Type.Integer(),
  quorumMet: Type.Boolean(),
  quorumRule: Type.String(),
  passRule: PassRule,
  counts: Type.Array(Type.Object({ optionId: Id, label: Type.String(), kind: OptionKind, count: Type.Integer() })),
  adopted: Type.Array(Id),
  closedAt: When,
  /** Ballots in the online box; their receipt hashes are published page by page (ReceiptPage). */
  receiptCount: Type.Integer(),
  /** Of those, how many a proxy cast for a principal (委托投票); never which. */
  proxyBallots: Type.Integer(),
  /** Each counting point's box (主会场, 流动票箱, 分会场) that entered counts, void ones with why. */
  countingPoints: Type.Array(CountingPointResult),
})
export type VoteResult = Static<typeof VoteResult>
/**
 * 表决结果公示: what a closed meeting decided, for anyone (the village board's QR code opens it without
 * signing in). Nothing on it names a person.
 */
export const PublicMeetingResults = Type.Object({
  villageName: Type.String(),
  villageKind: VillageKind,
  meetingId: Id,
  kind: MeetingKind,
  title: Type.String(),
  place: Type.String(),
  startsAt: When,
  announcedAt: nullable(When),
  noticeDays: nullable(Type.Integer()),
  /** 紧急: why it was called with less notice than the rule. */
  urgentReason: nullable(Type.String()),
  results: Type.Array(VoteResult),
})
export type PublicMeetingResults = Static<typeof PublicMeetingResults>
export const ReceiptParams = Type.Object({
  villageId: Id,
  voteId: Id,
  code: Type.String({ pattern: '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$', title: '回执码' }),
})
export const ReceiptCheck = Type.Object({ counted: Type.Boolean() })
/**
 * 我的投票: a vote the caller took part in (the voters' list names them), online or at the venue. The receipt
 * code is not here: the server keeps only its hash, the voter's phone keeps the code.
 */
export const MyVote = Type.Object({
  voteId: Id,
  question: Type.String(),
  meetingId: Id,
  meetingTitle: Type.String(),
  meetingStartsAt: When,
  secret: Type.Boolean(),
  state: VoteState,
  /** proxy: a proxy cast it for the caller (委托投票). */
  channel: literals('online', 'offline', 'proxy'),
  /** What the caller chose on an open (记名) ballot online; null for a secret one, which names no voter, and at the venue. */
  myChoices: nullable(Type.Array(Type.String())),
})
export type MyVote = Static<typeof MyVote>
export const MyVoteList = Type.Array(MyVote)
export type MyVoteList = Static<typeof MyVoteList>
/** The published list: SHA-256 (hex) of every receipt code in the box, sorted, a page at a time. */
export const ReceiptPageQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', title: '从哪一条之后' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000, title: '每页条数' }),
})
export type ReceiptPageQuery = Static<typeof ReceiptPageQuery>
export const ReceiptPage = Type.Object({
  hashes: Type.Array(Type.String()),
  next: nullable(Type.String()),
})
export type ReceiptPage = Static<typeof ReceiptPage>

// ---- 到会名单: the committee's attendance view of a meeting (who is called, who came and how) ----
export const AttendanceStatus = Type.Union([Type.Literal('all'), Type.Literal('arrived'), Type.Literal('absent')], {
  title: '显示谁',
  default: 'all',
})
export type AttendanceStatus = Static<typeof AttendanceStatus>
export const AttendanceQuery = Type.Object({ status: Type.Optional(AttendanceStatus) })
export type AttendanceQuery = Static<typeof AttendanceQuery>
/**
 * How someone arrived: 扫码 (they scanned the venue code themselves), 村委会登记 (a committee member checked
 * them in, named) or 委托 (by proxy: in the type for later, never recorded yet).
 */
export const Arrival = Type.Object({
  way: literals('scan', 'committee', 'proxy'),
  /** Who recorded it, for 村委会登记 (null when their account is gone). */
  recordedBy: nullable(Type.String()),
  at: When,
})
export type Arrival = Static<typeof Arrival>
/** One person called to the meeting, by full name: only the committee sees this list. */
export const AttendancePerson = Type.Object({
  personId: Id,
  name: Type.String(),
  householdNumber: Type.String(),
  /** The household's address without the village's name (一组 3 号). */
  address: Type.String(),
  adult: Type.Boolean(),
  representative: Type.Boolean(),
  /** False for someone who moved away or died since the notice: on the frozen roll, but cannot sign in. */
  resident: Type.Boolean(),
  arrival: nullable(Arrival),
  /**
   * The closed votes they took part in on their phone (that they did, never what they chose). Who has voted
   * in an open vote is shown to no one until it closes, this list included.
   */
  votedOnline: Type.Array(Id),
})
export type AttendancePerson = Static<typeof AttendancePerson>
export const Attendance = Type.Object({
  meetingId: Id,
  kind: MeetingKind,
  title: Type.String(),
  state: MeetingState,
  startsAt: When,
  place: Type.String(),
  /** 应到 / 实到 and the quorum, as on the meeting page. */
  onRoll: Type.Integer(),
  present: Type.Integer(),
  quorumMet: Type.Boolean(),
  quorumRule: Type.String(),
  /** Those called (the whole list, whatever the filter), and how many of them have arrived. */
  called: Type.Integer(),
  arrived: Type.Integer(),
  /** The meeting's votes, to name those in `votedOnline`. */
  votes: Type.Array(Type.Object({ id: Id, question: Type.String(), state: VoteState })),
  /** By household number, then name; only those the filter asks for. */
  people: Type.Array(AttendancePerson),
})
export type Attendance = Static<typeof Attendance>

// ---- 委托投票 (proxies) and counting points (流动票箱, 分会场) ----
/** The committee records a principal's written authorisation of a proxy for one meeting (where the village allows it). */
export const ProxyBody = Type.Object({
  /** 委托人: a person on the meeting's roll. */
  principalPersonId: Type.Integer({ minimum: 1, title: '委托人' }),
  /** 受委托人: another adult on the roll; holds at most three principals. */
  proxyPersonId: Type.Integer({ minimum: 1, title: '受委托人' }),
  /** The signed authorisation (委托书), uploaded first. */
  photoKey: PhotoKey,
})
export type ProxyBody = Static<typeof ProxyBody>
export const ProxyParams = Type.Object({
  villageId: Id,
  meetingId: Type.Integer({ minimum: 1, title: '会议编号' }),
  principalPersonId: Type.Integer({ minimum: 1, title: '委托人' }),
})
export const MeetingProxy = Type.Object({
  principal: Type.Object({ personId: Id, name: Type.String() }),
  proxy: Type.Object({ personId: Id, name: Type.String() }),
  photo: Photo,
  createdAt: When,
  /** Cancelled by the committee, or by the principal acting in person (checking in, voting); null: in force. */
  cancelledAt: nullable(When),
})
export type MeetingProxy = Static<typeof MeetingProxy>
export const MeetingProxyList = Type.Array(MeetingProxy)
export type MeetingProxyList = Static<typeof MeetingProxyList>

export const CountingPointKind = literals(...COUNTING_POINT_KINDS)
/** A 流动票箱 or 分会场 of a meeting, with its tellers (the 主会场 is every meeting's without asking). */
export const CountingPointBody = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 40, title: '计票点名称' }),
  kind: literals('mobile', 'branch'),
  /** 计票人、监票人: two or more different verified members of the village. */
  tellerMembershipIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 10, title: '计票人、监票人' }),
})
export type CountingPointBody = Static<typeof CountingPointBody>
export const CountingPoint = Type.Object({
  id: Id,
  name: Type.String(),
  kind: CountingPointKind,
  /** Empty for the 主会场: any two verified members count there, as the venue's counts name them. */
  tellers: Type.Array(Type.Object({ membershipId: Id, name: Type.String() })),
  /** Voters signed in there. */
  present: Type.Integer(),
})
export type CountingPoint = Static<typeof CountingPoint>
export const CountingPointList = Type.Array(CountingPoint)
export type CountingPointList = Static<typeof CountingPointList>

// ---- topics (说事 / 议题征集) ----
export const TopicState = literals('open', 'accepted', 'merged', 'declined')
export type TopicState = Static<typeof TopicState>
export const ProposeTopicBody = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 60, title: '想议的事' }),
  description: Type.String({ minLength: 2, maxLength: 1000, title: '具体说说' }),
  photos: Type.Optional(PhotoKeys),
})
export type ProposeTopicBody = Static<typeof ProposeTopicBody>
export const TopicParams = Type.Object({ villageId: Id, topicId: Type.Integer({ minimum: 1, title: '议题编号' }) })
export const TopicListQuery = Type.Object({ state: Type.Optional(TopicState) })
export const Topic = Type.Object({
  id: Id,
  title: Type.String(),
  description: Type.String(),
  photos: Type.Array(Photo),
  proposerName: Type.String(),
  state: TopicState,
  /** 附议: members who back it, the proposer included. */
  supporters: Type.Integer(),
  /** A tenth of the adults on the roster (第二十一条): at or above it the committee must put it to a meeting. */
  threshold: Type.Integer(),
  mustBeHeard: Type.Boolean(),
  supportedByMe: Type.Boolean(),
  mine: Type.Boolean(),
  /** Not yet cleared by the content check: seen by its proposer and the committee only. */
  held: Type.Boolean(),
  declineReason: nullable(Type.String()),
  mergedIntoId: nullable(Id),
  /** Where an accepted topic is on an agenda. */
  meetingId: nullable(Id),
  createdAt: When,
  decidedAt: nullable(When),
})
export type Topic = Static<typeof Topic>
export const TopicList = Type.Array(Topic)
export type TopicList = Static<typeof TopicList>
/** The committee puts a topic on a draft meeting's agenda (as a new item at the end). */
export const AcceptTopicBody = Type.Object({ meetingId: Type.Integer({ minimum: 1, title: '会议' }) })
export const MergeTopicBody = Type.Object({ intoTopicId: Type.Integer({ minimum: 1, title: '并入哪个议题' }) })
export const DeclineTopicBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 200, title: '不采纳的原因' }),
})

// ---- 提议召集: villagers make the committee convene a meeting ----
export const PetitionKind = Type.Union([Type.Literal('villager_meeting'), Type.Literal('representative_meeting')], {
  title: '提议召开的会议',
})
export const PetitionState = literals('open', 'succeeded', 'answered')
export type PetitionState = Static<typeof PetitionState>
export const StartPetitionBody = Type.Object({
  kind: PetitionKind,
  title: Type.String({ minLength: 2, maxLength: 100, title: '提议召开会议商量什么事' }),
  reason: Type.String({ minLength: 2, maxLength: 2000, title: '理由' }),
})
export type StartPetitionBody = Static<typeof StartPetitionBody>
export const PetitionParams = Type.Object({
  villageId: Id,
  petitionId: Type.Integer({ minimum: 1, title: '提议编号' }),
})
/** The committee records the signature of a villager without a phone (they signed on paper). */
export const RecordSignatureBody = PersonBody
export type RecordSignatureBody = Static<typeof RecordSignatureBody>
/** The meeting that answers a petition: of the village, of the kind asked for, noticed (not a draft, not cancelled). */
export const AnswerPetitionBody = Type.Object({ meetingId: Type.Integer({ minimum: 1, title: '会议' }) })
export type AnswerPetitionBody = Static<typeof AnswerPetitionBody>
/** A signature as the committee sees it; residents never see who signed. */
export const PetitionSigner = Type.Object({
  personId: Id,
  name: Type.String(),
  adult: Type.Boolean(),
  representative: Type.Boolean(),
  /** The committee member who recorded it for a villager without a phone; null when signed in the app. */
  recordedBy: nullable(Type.String()),
  signedAt: When,
})
export const Petition = Type.Object({
  id: Id,
  kind: PetitionKind,
  title: Type.String(),
  reason: Type.String(),
  /** The topic (说事) it grew from. */
  topicId: nullable(Id),
  state: PetitionState,
  /** Every signature, the starter's the first. */
  signatures: Type.Integer(),
  /**
   * Who counts today: the village's resident adults and representatives, and how many of them signed (people
   * who moved away since they signed no longer count).
   */
  adults: Type.Integer(),
  representatives: Type.Integer(),
  /** Households with an adult resident; signed: with an adult who signed. */
  households: Type.Integer(),
  signedAdults: Type.Integer(),
  signedRepresentatives: Type.Integer(),
  signedHouseholds: Type.Integer(),
  /**
   * The fewest signatures that make it succeed (petitionNeeds): a tenth of the adults or a third of the
   * representatives for a 村民会议 (村民委员会组织法 第二十一条); a fifth of the adults or of the households for a
   * community's 居民会议 (城市居民委员会组织法 第十条); a fifth of the representatives for a 代表会议 (第二十六条);
   * null where that way is closed.
   */
  adultsNeeded: nullable(Type.Integer()),
  representativesNeeded: nullable(Type.Integer()),
  householdsNeeded: nullable(Type.Integer()),
  succeededAt: nullable(When),
  /** The committee must hold the meeting by then (the village's petitionAnswerDays after success). */
  answerDueAt: nullable(When),
  /** Succeeded, no meeting yet, and past answerDueAt. */
  overdue: Type.Boolean(),
  /** The meeting that answers it. */
  meetingId: nullable(Id),
  signedByMe: Type.Boolean(),
  mine: Type.Boolean(),
  /** Who signed, for the committee only (null for everyone else). */
  signers: nullable(Type.Array(PetitionSigner)),
  createdAt: When,
})
export type Petition = Static<typeof Petition>
export const PetitionList = Type.Array(Type.Omit(Petition, ['signers']))
export type PetitionList = Static<typeof PetitionList>
/** For the town: a succeeded petition that no meeting answered by its due date. */
export const OverduePetition = Type.Object({
  id: Id,
  villageId: Id,
  villageName: Type.String(),
  kind: PetitionKind,
  title: Type.String(),
  signatures: Type.Integer(),
  succeededAt: When,
  answerDueAt: When,
})
export const OverduePetitionList = Type.Array(OverduePetition)
export type OverduePetitionList = Static<typeof OverduePetitionList>

// ---- 四议两公开 major matters and 监督评议 ----
export const MatterStage = Type.Union(
  [
    Type.Literal('proposal'),
    Type.Literal('consultation'),
    Type.Literal('review'),
    Type.Literal('resolution'),
    Type.Literal('resolution_public'),
    Type.Literal('result_public'),
  ],
  { title: '环节' },
)
export const CreateMatterBody = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 100, title: '事项' }),
  description: Type.String({ minLength: 2, maxLength: 2000, title: '说明' }),
})
export type CreateMatterBody = Static<typeof CreateMatterBody>
export const MatterParams = Type.Object({ villageId: Id, matterId: Type.Integer({ minimum: 1, title: '事项编号' }) })
export const RecordStageBody = Type.Object({
  stage: MatterStage,
  heldOn: Type.String({ format: 'date', title: '日期' }),
  /** Required for 决议: the closed 村民代表会议 or 村民会议 that decided it. */
  meetingId: Type.Optional(Type.Integer({ minimum: 1, title: '会议' })),
  outcome: Type.String({ minLength: 2, maxLength: 1000, title: '结果' }),
  /** A document's name or number (e.g. 会议记录第 3 号), optional. */
  document: Type.Optional(Type.String({ maxLength: 200, title: '文件' })),
})
export type RecordStageBody = Static<typeof RecordStageBody>
export const MatterStageRecord = Type.Object({
  stage: MatterStage,
  heldOn: Type.String(),
  meetingId: nullable(Id),
  outcome: Type.String(),
  document: nullable(Type.String()),
  recordedAt: When,
})
export const RateMatterBody = Type.Object({
  rating: Rating,
  comment: Type.Optional(Type.String({ maxLength: 300, title: '意见' })),
})
export type RateMatterBody = Static<typeof RateMatterBody>
export const Matter = Type.Object({
  id: Id,
  title: Type.String(),
  description: Type.String(),
  stages: Type.Array(MatterStageRecord),
  /** The stage to record next; null when the matter went through all six. */
  nextStage: nullable(MatterStage),
  ratings: Type.Object({ satisfied: Type.Integer(), basicallySatisfied: Type.Integer(), unsatisfied: Type.Integer() }),
  /** Fewer than a third 满意 among those who rated: back to the committee for rework. */
  needsRework: Type.Boolean(),
  myRating: nullable(Rating),
  canRate: Type.Boolean(),
  createdAt: When,
})
export type Matter = Static<typeof Matter>
export const MatterList = Type.Array(Matter)
export type MatterList = Static<typeof MatterList>

// ---- 征求意见: comments on agenda items between the notice and the meeting ----
export const CommentBody = Type.Object({ body: Type.String({ minLength: 2, maxLength: 500, title: '意见' }) })
export type CommentBody = Static<typeof CommentBody>
export const AgendaItemParams = Type.Object({
  villageId: Id,
  meetingId: Id,
  itemId: Type.Integer({ minimum: 1, title: '议程' }),
})
export const CommentParams = Type.Object({
  villageId: Id,
  meetingId: Id,
  commentId: Type.Integer({ minimum: 1, title: '意见编号' }),
})
export const HideCommentBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200, title: '隐藏原因' }) })
export const AgendaComment = Type.Object({
  id: Id,
  agendaItemId: Id,
  /** Masked (张*兰) for everyone but the committee. */
  author: Type.String(),
  body: Type.String(),
  mine: Type.Boolean(),
  /** Not cleared by the content check, or hidden by the committee: seen by its author and the committee only. */
  held: Type.Boolean(),
  hiddenReason: nullable(Type.String()),
  createdAt: When,
})
export type AgendaComment = Static<typeof AgendaComment>
export const AgendaCommentList = Type.Array(AgendaComment)
export type AgendaCommentList = Static<typeof AgendaCommentList>
