import { Type, type Static } from 'typebox'
import { Photo, PhotoKeys } from './photos.js'
import { LEVELS, RATINGS, REPORT_ACTIONS, REPORT_STATES, URGENCIES } from '../rules/reports.js'
import { GridRef, Id, IdempotencyKey, literals, nullable, villageItemParams, When } from './fragments.js'

export const ReportState = literals(...REPORT_STATES)
export const Urgency = literals(...URGENCIES)
export const Level = literals(...LEVELS)
export const Rating = literals(...RATINGS)
export const ReportAction = literals(...REPORT_ACTIONS)

// ---- filing ----
/** A map pick (latitude and longitude together, within China's range: 3°N–54°N, 73°E–136°E), an address, or both. */
export const Location = Type.Object({
  latitude: Type.Optional(Type.Number({ minimum: 3, maximum: 54, title: '纬度' })),
  longitude: Type.Optional(Type.Number({ minimum: 73, maximum: 136, title: '经度' })),
  address: Type.Optional(Type.String({ maxLength: 200, title: '地址' })),
})
export type Location = Static<typeof Location>

export const SubmitReportBody = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 20, title: '类别' }),
  description: Type.String({ minLength: 1, maxLength: 500, title: '情况描述' }),
  photos: Type.Optional(PhotoKeys),
  location: Type.Optional(Location),
  /** Defaults to the grid of the reporter's household. */
  gridId: Type.Optional(GridRef),
  urgency: Type.Optional(Urgency),
  anonymous: Type.Optional(Type.Boolean({ title: '匿名' })),
  /** Defaults to public, except for categories that are private by default (矛盾纠纷). */
  public: Type.Optional(Type.Boolean({ title: '公开' })),
  /** A grid worker filing for a villager (代办): the roster person it is for. */
  onBehalfOf: Type.Optional(Type.Integer({ minimum: 1, title: '代办的村民' })),
  idempotencyKey: IdempotencyKey,
})
export type SubmitReportBody = Static<typeof SubmitReportBody>

// ---- what people see ----
export const ReportEvent = Type.Object({
  id: Id,
  action: Type.Union([ReportAction, Type.Literal('submit'), Type.Literal('reopen')]),
  fromState: nullable(ReportState),
  toState: ReportState,
  note: nullable(Type.String()),
  photos: Type.Array(Photo),
  /** Who acted; null for the system, and for an anonymous reporter when the viewer is not a handler. */
  actorName: nullable(Type.String()),
  createdAt: When,
})
export type ReportEvent = Static<typeof ReportEvent>

const summaryFields = {
  id: Id,
  category: Type.String(),
  description: Type.String(),
  thumbUrl: nullable(Type.String()),
  address: nullable(Type.String()),
  latitude: nullable(Type.Number()),
  longitude: nullable(Type.Number()),
  gridName: nullable(Type.String()),
  urgency: Urgency,
  level: Level,
  state: ReportState,
  public: Type.Boolean(),
  supports: Type.Integer(),
  /** Past the deadline the current state watches. */
  overdue: Type.Boolean(),
  createdAt: When,
}
export const ReportSummary = Type.Object(summaryFields)
export type ReportSummary = Static<typeof ReportSummary>

export const Report = Type.Object({
  ...summaryFields,
  photos: Type.Array(Photo),
  anonymous: Type.Boolean(),
  /** Hidden (null) from everyone but handlers when the report is anonymous. */
  reporterName: nullable(Type.String()),
  /** Filed by a grid worker for a villager (代办). */
  onBehalf: Type.Boolean(),
  isMine: Type.Boolean(),
  supportedByMe: Type.Boolean(),
  assigneeName: nullable(Type.String()),
  acceptDueAt: When,
  resolveDueAt: When,
  rating: nullable(Rating),
  ratingComment: nullable(Type.String()),
  mergedInto: nullable(Id),
  /** What the viewer may do now (the transition table applied to them). */
  actions: Type.Array(ReportAction),
  events: Type.Array(ReportEvent),
})
export type Report = Static<typeof Report>

export const ReportPage = Type.Object({
  items: Type.Array(ReportSummary),
  nextCursor: nullable(Type.String()),
})
export type ReportPage = Static<typeof ReportPage>

export const FeedQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 20, title: '类别' })),
  state: Type.Optional(ReportState),
  // An id: at most 15 digits keeps it a safe integer (below 2^53).
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', title: '翻页位置' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, title: '每页条数' })),
})
export type FeedQuery = Static<typeof FeedQuery>

export const QueueName = literals('mine', 'grid', 'escalated', 'all')
export const QueueQuery = Type.Object({ queue: Type.Optional(QueueName) })
export type QueueQuery = Static<typeof QueueQuery>

export const ReportParams = villageItemParams('reportId', '上报编号')
export type ReportParams = Static<typeof ReportParams>

// ---- handling ----
const Note = Type.String({ minLength: 1, maxLength: 500, title: '说明' })
export const NoteBody = Type.Object({ note: Type.Optional(Note) })
export type NoteBody = Static<typeof NoteBody>
export const AssignBody = Type.Object({
  assigneeUserId: Type.Integer({ minimum: 1, title: '处理人' }),
  note: Type.Optional(Note),
})
export type AssignBody = Static<typeof AssignBody>
export const ResolveBody = Type.Object({
  note: Type.String({ minLength: 2, maxLength: 500, title: '处理结果' }),
  photos: Type.Optional(PhotoKeys),
})
export type ResolveBody = Static<typeof ResolveBody>
export const RejectReportBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 500, title: '不予受理的理由' }),
})
export type RejectReportBody = Static<typeof RejectReportBody>
export const MergeBody = Type.Object({
  intoReportId: Type.Integer({ minimum: 1, title: '合并到哪条上报' }),
  note: Type.Optional(Note),
})
export type MergeBody = Static<typeof MergeBody>
export const RateBody = Type.Object({
  rating: Rating,
  comment: Type.Optional(Type.String({ maxLength: 300, title: '评价' })),
})
export type RateBody = Static<typeof RateBody>

export const Handler = Type.Object({ userId: Id, name: Type.String(), role: Type.String() })
export const HandlerList = Type.Array(Handler)
export type Handler = Static<typeof Handler>

// ---- village settings ----
const Deadline = Type.Object({
  acceptHours: Type.Integer({ minimum: 1, maximum: 720, title: '受理时限（小时）' }),
  resolveHours: Type.Integer({ minimum: 1, maximum: 2160, title: '办结时限（小时）' }),
})
export const ReportSettings = Type.Object({
  categories: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 1, maxItems: 30, title: '类别' }),
  deadlines: Type.Object({ blue: Deadline, orange: Deadline, red: Deadline }),
  /** Days a closed report that is not public keeps its text and photos (then they are purged). */
  retentionDays: Type.Optional(Type.Integer({ minimum: 30, maximum: 3650, title: '不公开的上报办结后保存几天' })),
})
export type ReportSettings = Static<typeof ReportSettings>
/**
 * The settings as a member reads them, with the WeChat subscribe-message template the server sends report
 * news with (null: it sends none): the mini-program asks the person to subscribe to exactly that one.
 */
export const ReportSettingsView = Type.Object({
  ...ReportSettings.properties,
  subscribeTemplateId: nullable(Type.String({ minLength: 1 }), { title: '上报进展的订阅消息模板' }),
})
export type ReportSettingsView = Static<typeof ReportSettingsView>

// ---- the inbox (消息) ----
export const Notification = Type.Object({
  id: Id,
  villageId: Id,
  reportId: nullable(Id),
  /** The mini-program page it opens, for notices about anything but a report (a meeting, a topic). */
  page: nullable(Type.String()),
  title: Type.String(),
  body: Type.String(),
  read: Type.Boolean(),
  createdAt: When,
})
export type Notification = Static<typeof Notification>
export const Inbox = Type.Object({ unread: Type.Integer(), items: Type.Array(Notification) })
export type Inbox = Static<typeof Inbox>
export const MarkReadBody = Type.Object({ ids: Type.Optional(Type.Array(Id, { maxItems: 100, title: '消息' })) })
export type MarkReadBody = Static<typeof MarkReadBody>

// ---- figures (统计) ----
const Count = Type.Object({ key: Type.String(), count: Type.Integer() })
export const FiguresQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', title: '开始日期' })),
  to: Type.Optional(Type.String({ format: 'date', title: '结束日期' })),
})
export type FiguresQuery = Static<typeof FiguresQuery>
export const ReportFigures = Type.Object({
  from: Type.String(),
  to: Type.String(),
  total: Type.Integer(),
  byState: Type.Array(Count),
  byCategory: Type.Array(Count),
  byGrid: Type.Array(Count),
  byMonth: Type.Array(Count),
  /** Hours from filing to acceptance / to resolution (medians); null with nothing to measure. */
  medianAcceptHours: nullable(Type.Number()),
  medianResolveHours: nullable(Type.Number()),
  /** Share of resolved reports resolved by their deadline, 0–1. */
  onTimeRate: nullable(Type.Number()),
  /** Share of ratings that were 满意 or 基本满意, 0–1. */
  satisfactionRate: nullable(Type.Number()),
})
export type ReportFigures = Static<typeof ReportFigures>
