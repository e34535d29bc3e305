import { Type, type Static } from 'typebox'
import { Photo, PhotoKey, PhotoKeys } from './photos.js'
import { Id, IdempotencyKey, literals, nullable, PersonBody, PersonRef, villageItemParams, When } from './fragments.js'

/**
 * Points (积分): a double-entry ledger. Glossary: 积分 points · 积分细则 rulebook/rule · 发放 award ·
 * 扣分 penalty · 兑换 redeem · 核销 fulfil · 冲正 reversal · 星级 stars · 终身积分 lifetime score
 */

export const RuleKind = literals('earn', 'penalty')
export type RuleKind = Static<typeof RuleKind>
export const EntryKind = literals('earn', 'redeem', 'refund', 'penalty', 'transfer', 'expire', 'reversal')
export type EntryKind = Static<typeof EntryKind>

export const PointRule = Type.Object({
  id: Id,
  code: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  kind: RuleKind,
  points: Type.Integer(),
  capPerDay: nullable(Type.Integer()),
  capPerYear: nullable(Type.Integer()),
  approvalThreshold: nullable(Type.Integer()),
  active: Type.Boolean(),
})
export type PointRule = Static<typeof PointRule>
export const PointRuleList = Type.Array(PointRule)
export type PointRuleList = Static<typeof PointRuleList>

export const SaveRuleBody = Type.Object({
  code: Type.String({ minLength: 2, maxLength: 32, pattern: '^[a-z0-9_]+$', title: '细则代码' }),
  name: Type.String({ minLength: 2, maxLength: 64, title: '名称' }),
  kind: RuleKind,
  points: Type.Integer({ minimum: 1, maximum: 10000, title: '分值' }),
  capPerDay: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 100000 }), { title: '每天上限' })),
  capPerYear: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 1000000 }), { title: '每年上限' })),
  approvalThreshold: Type.Optional(
    nullable(Type.Integer({ minimum: 1, maximum: 100000 }), { title: '需要复核的分值' }),
  ),
  active: Type.Optional(Type.Boolean()),
})
export type SaveRuleBody = Static<typeof SaveRuleBody>
export const RuleParams = Type.Object({
  villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
  code: Type.String({ minLength: 2, maxLength: 32, pattern: '^[a-z0-9_]+$', title: '细则代码' }),
})
export type RuleParams = Static<typeof RuleParams>

/** How a rule's points come: by the app itself when the thing is done, or given by the committee. */
export const RuleSource = literals('report', 'meeting', 'vote', 'activity', 'committee')
export type RuleSource = Static<typeof RuleSource>

/**
 * A rule as the village's people read it (怎么挣积分): the rules in force only, without the committee's
 * codes and versions.
 */
export const EarningRule = Type.Object({
  name: Type.String(),
  kind: RuleKind,
  points: Type.Integer(),
  capPerDay: nullable(Type.Integer()),
  capPerYear: nullable(Type.Integer()),
  /** Who confirms it: the app on a finished report, meeting, vote or activity; or the committee. */
  source: RuleSource,
  /** One award or penalty above this many points needs a second committee member. */
  secondCheckAbove: nullable(Type.Integer()),
})
export type EarningRule = Static<typeof EarningRule>
export const EarningRuleList = Type.Array(EarningRule)
export type EarningRuleList = Static<typeof EarningRuleList>

export const ManualAwardBody = Type.Object({
  personId: PersonRef,
  ruleCode: Type.String({ minLength: 2, maxLength: 32, title: '积分细则' }),
  /** Defaults to the rule's points (e.g. hours × points per hour are worked out by the caller). */
  points: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, title: '分值' })),
  reason: Type.String({ minLength: 2, maxLength: 200, title: '理由' }),
  /** Photos uploaded first (`POST /api/villages/:villageId/photos`), by key. */
  evidence: Type.Optional(PhotoKeys),
  idempotencyKey: IdempotencyKey,
})
export type ManualAwardBody = Static<typeof ManualAwardBody>

export const Entry = Type.Object({
  id: Id,
  kind: EntryKind,
  /** From the account's point of view: positive in, negative out. */
  amount: Type.Integer(),
  reason: Type.String(),
  ruleCode: nullable(Type.String()),
  ruleName: nullable(Type.String()),
  ruleVersion: nullable(Type.Integer()),
  refType: nullable(Type.String()),
  refId: nullable(Type.Integer()),
  reversesEntryId: nullable(Id),
  reversed: Type.Boolean(),
  createdAt: When,
})
export type Entry = Static<typeof Entry>

export const ManualAwardResult = Type.Object({
  status: literals('done', 'pending_approval'),
  entryId: nullable(Id),
  approvalId: nullable(Id),
})
export type ManualAwardResult = Static<typeof ManualAwardResult>

export const Approval = Type.Object({
  id: Id,
  personId: Id,
  personName: Type.String(),
  ruleCode: Type.String(),
  ruleName: Type.String(),
  kind: RuleKind,
  amount: Type.Integer(),
  reason: Type.String(),
  evidence: Type.Array(Photo),
  status: literals('pending', 'approved', 'rejected'),
  createdBy: Id,
  createdAt: When,
})
export type Approval = Static<typeof Approval>
export const ApprovalList = Type.Array(Approval)
export type ApprovalList = Static<typeof ApprovalList>
export const ApprovalParams = villageItemParams('approvalId', '待复核编号')
export type ApprovalParams = Static<typeof ApprovalParams>

export const EntryParams = villageItemParams('entryId', '积分记录')
export type EntryParams = Static<typeof EntryParams>
export const ReverseBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 200, title: '冲正理由' }),
  idempotencyKey: IdempotencyKey,
})
export type ReverseBody = Static<typeof ReverseBody>

export const Account = Type.Object({
  personId: Id,
  name: Type.String(),
  balance: Type.Integer(),
  /** Earned minus penalties; redeeming does not lower it. */
  lifetimeScore: Type.Integer(),
  stars: Type.Integer(),
  /** Lifetime score needed for the next star, or null at the top. */
  nextStarAt: nullable(Type.Integer()),
  /** Whether this person's full name shows in rankings (their member's opt-in). */
  showFullName: Type.Boolean(),
  /** One page of entries, newest first (20); `hasMore` when older ones follow (ask with `before`). */
  entries: Type.Array(Entry),
  hasMore: Type.Boolean(),
})
export type Account = Static<typeof Account>
export const HistoryQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 1, title: '从哪条记录往前看' })),
})
export type HistoryQuery = Static<typeof HistoryQuery>
export const AccountParams = villageItemParams('personId', '花名册人员')
export type AccountParams = Static<typeof AccountParams>

// ---- points shop (积分超市) ----

export const ShopItem = Type.Object({
  id: Id,
  name: Type.String(),
  photo: nullable(Photo),
  description: nullable(Type.String()),
  cost: Type.Integer(),
  stock: Type.Integer(),
  perMemberLimit: nullable(Type.Integer()),
  availableFrom: nullable(When),
  availableUntil: nullable(When),
  active: Type.Boolean(),
  /** Active, in its window and in stock right now. */
  available: Type.Boolean(),
})
export type ShopItem = Static<typeof ShopItem>
export const ShopItemList = Type.Array(ShopItem)
export type ShopItemList = Static<typeof ShopItemList>

export const SaveItemBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64, title: '商品名称' }),
  /** An uploaded photo (`POST /api/villages/:villageId/photos`), by key. */
  photo: Type.Optional(nullable(PhotoKey)),
  description: Type.Optional(nullable(Type.String({ maxLength: 300, title: '商品介绍' }))),
  cost: Type.Integer({ minimum: 1, maximum: 100000, title: '所需积分' }),
  stock: Type.Integer({ minimum: 0, maximum: 1000000, title: '库存' }),
  perMemberLimit: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 1000 }), { title: '每人限兑' })),
  availableFrom: Type.Optional(nullable(When)),
  availableUntil: Type.Optional(nullable(When)),
  active: Type.Optional(Type.Boolean()),
})
export type SaveItemBody = Static<typeof SaveItemBody>
export const ItemParams = villageItemParams('itemId', '商品')
export type ItemParams = Static<typeof ItemParams>

export const RedeemBody = Type.Object({
  itemId: Type.Integer({ minimum: 1, title: '商品' }),
  /** Shop staff (committee) redeeming at the counter for a villager without the app. */
  personId: Type.Optional(PersonRef),
  idempotencyKey: IdempotencyKey,
})
export type RedeemBody = Static<typeof RedeemBody>

export const OrderStatus = literals('pending', 'fulfilled', 'cancelled', 'expired')
export type OrderStatus = Static<typeof OrderStatus>
export const Order = Type.Object({
  id: Id,
  itemId: Id,
  itemName: Type.String(),
  personId: Id,
  personName: Type.String(),
  cost: Type.Integer(),
  /** Shown to the member (and to staff fulfilling it); a QR of it is shown at pickup. */
  pickupCode: Type.String(),
  /** The pickup code as a QR image (an SVG data URL: drawing a PNG cost 13 ms of CPU each) for staff to scan; only in the member's own orders. */
  pickupQr: nullable(Type.String()),
  status: OrderStatus,
  expiresAt: When,
  createdAt: When,
  closedAt: nullable(When),
})
export type Order = Static<typeof Order>
export const OrderList = Type.Array(Order)
export type OrderList = Static<typeof OrderList>
export const OrderQuery = Type.Object({ status: Type.Optional(OrderStatus) })
export type OrderQuery = Static<typeof OrderQuery>
export const OrderParams = villageItemParams('orderId', '订单')
export type OrderParams = Static<typeof OrderParams>
export const FulfilBody = Type.Object({ pickupCode: Type.String({ pattern: '^\\d{6}$', title: '取货码' }) })
export type FulfilBody = Static<typeof FulfilBody>

// ---- volunteer activities (志愿服务) ----
export const ActivityStatus = literals('upcoming', 'ongoing', 'ended', 'cancelled')
export const SignupStatus = literals('signed_up', 'cancelled', 'checked_in', 'checked_out', 'confirmed')
export type SignupStatus = Static<typeof SignupStatus>
export const Activity = Type.Object({
  id: Id,
  title: Type.String(),
  description: Type.String(),
  place: Type.String(),
  startsAt: When,
  endsAt: When,
  capacity: Type.Integer(),
  signedUp: Type.Integer(),
  pointsMode: literals('per_hour', 'fixed'),
  points: Type.Integer(),
  status: ActivityStatus,
  /** The caller's own sign-up, if any. */
  mySignup: nullable(SignupStatus),
})
export type Activity = Static<typeof Activity>
export const ActivityList = Type.Array(Activity)
export type ActivityList = Static<typeof ActivityList>
export const CreateActivityBody = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 64, title: '活动名称' }),
  description: Type.String({ minLength: 1, maxLength: 1000, title: '活动内容' }),
  place: Type.String({ minLength: 1, maxLength: 100, title: '地点' }),
  startsAt: Type.String({ format: 'date-time', title: '开始时间' }),
  endsAt: Type.String({ format: 'date-time', title: '结束时间' }),
  capacity: Type.Integer({ minimum: 1, maximum: 10000, title: '人数上限' }),
  pointsMode: Type.Union([Type.Literal('per_hour'), Type.Literal('fixed')], { title: '计分方式' }),
  points: Type.Integer({ minimum: 1, maximum: 10000, title: '积分' }),
})
export type CreateActivityBody = Static<typeof CreateActivityBody>
export const ActivityParams = villageItemParams('activityId', '活动')
export type ActivityParams = Static<typeof ActivityParams>
export const Signup = Type.Object({
  personId: Id,
  name: Type.String(),
  status: SignupStatus,
  checkedInAt: nullable(When),
  checkedOutAt: nullable(When),
  confirmedMinutes: nullable(Type.Integer()),
  points: nullable(Type.Integer()),
})
export type Signup = Static<typeof Signup>
export const SignupList = Type.Array(Signup)
export type SignupList = Static<typeof SignupList>
/** Check-in/out: by scanning the activity's code (`token`), or by the organiser for `personId`. */
export const AttendanceBody = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200, title: '活动二维码' })),
  personId: Type.Optional(PersonRef),
})
export type AttendanceBody = Static<typeof AttendanceBody>
export const ConfirmHoursBody = Type.Object({
  personId: PersonRef,
  minutes: Type.Integer({ minimum: 1, maximum: 24 * 60, title: '服务时长（分钟）' }),
})
export type ConfirmHoursBody = Static<typeof ConfirmHoursBody>
export const ActivityCode = Type.Object({
  /** What the codes carry (≤ 32 characters: the mini-program code's scene, the plain QR's text). */
  token: Type.String(),
  /** WeChat's mini-program code (小程序码) opening the activity with `token` as its scene, as a data URL; null when WeChat did not make one. */
  wxacode: nullable(Type.String()),
  /** A plain QR of `token` (SVG data URL), for the H5 app and any QR scanner. */
  qr: Type.String(),
})
export type ActivityCode = Static<typeof ActivityCode>

// ---- neighbour services (服务互换) ----
export const NeighbourService = Type.Object({
  id: Id,
  kind: literals('offer', 'request'),
  title: Type.String(),
  description: Type.String(),
  points: Type.Integer(),
  /** Masked (张*明) for others. */
  posterName: Type.String(),
  takerName: nullable(Type.String()),
  status: literals('open', 'taken', 'completed', 'cancelled'),
  mine: Type.Boolean(),
  takenByMe: Type.Boolean(),
  createdAt: When,
})
export type NeighbourService = Static<typeof NeighbourService>
export const NeighbourServiceList = Type.Array(NeighbourService)
export type NeighbourServiceList = Static<typeof NeighbourServiceList>
export const CreateServiceBody = Type.Object({
  kind: Type.Union([Type.Literal('offer'), Type.Literal('request')], { title: '提供还是需要' }),
  title: Type.String({ minLength: 2, maxLength: 64, title: '标题' }),
  description: Type.String({ minLength: 1, maxLength: 500, title: '说明' }),
  points: Type.Integer({ minimum: 1, maximum: 1000, title: '积分' }),
})
export type CreateServiceBody = Static<typeof CreateServiceBody>
export const ServiceParams = villageItemParams('serviceId', '服务')
export type ServiceParams = Static<typeof ServiceParams>

// ---- standings ----
export const RankingQuery = Type.Object({
  period: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('all')], { default: 'month' })),
  by: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('household')], { default: 'person' })),
  month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', title: '月份' })),
})
export type RankingQuery = Static<typeof RankingQuery>
export const RankingRow = Type.Object({
  rank: Type.Integer(),
  /** A person's masked name (张*明) unless they opted in; a household's number and masked head. */
  name: Type.String(),
  score: Type.Integer(),
  isMe: Type.Boolean(),
})
export type RankingRow = Static<typeof RankingRow>
export const Ranking = Type.Object({
  period: literals('month', 'all'),
  by: literals('person', 'household'),
  month: nullable(Type.String()),
  rows: Type.Array(RankingRow),
})
export type Ranking = Static<typeof Ranking>
export const NameVisibilityBody = Type.Object({ showFullName: Type.Boolean({ title: '排行榜显示全名' }) })
export type NameVisibilityBody = Static<typeof NameVisibilityBody>
/** The committee signs up a villager without a phone (members sign themselves up with no body). */
export const SignupForBody = PersonBody
export type SignupForBody = Static<typeof SignupForBody>

// ---- monthly notice (积分公示) ----
export const NoticeQuery = Type.Object({
  month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', title: '月份' })),
})
export type NoticeQuery = Static<typeof NoticeQuery>
export const NoticeItem = Type.Object({ rule: Type.String(), times: Type.Integer(), points: Type.Integer() })
export const NoticeRow = Type.Object({
  householdNumber: Type.String(),
  /** Always masked (张*明): a list of people on the village board (opting in to a full name is for the rankings only). */
  name: Type.String(),
  /** Points added this month (earned, less any reversed); penalties and anonymous reports' awards are not published per person. */
  points: Type.Integer(),
  items: Type.Array(NoticeItem),
})
export type NoticeRow = Static<typeof NoticeRow>
export const PointsNotice = Type.Object({
  villageName: Type.String(),
  month: Type.String(),
  title: Type.String(),
  /** Who publishes it, e.g. 张家村村民委员会. */
  publisher: Type.String(),
  totals: Type.Object({
    points: Type.Integer(),
    people: Type.Integer(),
    /** Penalties booked this month (not reversed), counted only: names are not published. */
    penalties: Type.Integer(),
    /** Awards for anonymous reports (随手拍) this month (not reversed), counted only: the reporters are not named. */
    anonymousAwards: Type.Integer(),
    anonymousPoints: Type.Integer(),
    serviceMinutes: Type.Integer(),
    redeemedOrders: Type.Integer(),
    redeemedPoints: Type.Integer(),
  }),
  rows: Type.Array(NoticeRow),
  /** Days residents have to raise an objection, from the day it is printed. */
  objectionDays: Type.Integer(),
})
export type PointsNotice = Static<typeof PointsNotice>
