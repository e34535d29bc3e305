import { Type, type Static } from 'typebox'

/**
 * Points (积分): a double-entry ledger. Glossary: 积分 points · 积分细则 rulebook/rule · 发放 award ·
 * 扣分 penalty · 兑换 redeem · 核销 fulfil · 冲正 reversal · 星级 stars · 终身积分 lifetime score
 */
const Id = Type.Integer({ minimum: 1 })
const Key = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9:_-]+$', title: '请求编号' })

export const RuleKind = Type.Union([Type.Literal('earn'), Type.Literal('penalty')])
export type RuleKind = Static<typeof RuleKind>
export const EntryKind = Type.Union([
  Type.Literal('earn'),
  Type.Literal('redeem'),
  Type.Literal('refund'),
  Type.Literal('penalty'),
  Type.Literal('transfer'),
  Type.Literal('expire'),
  Type.Literal('reversal'),
])
export type EntryKind = Static<typeof EntryKind>

export const PointRule = Type.Object({
  id: Id,
  code: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  kind: RuleKind,
  points: Type.Integer(),
  capPerDay: Type.Union([Type.Integer(), Type.Null()]),
  capPerYear: Type.Union([Type.Integer(), Type.Null()]),
  approvalThreshold: Type.Union([Type.Integer(), Type.Null()]),
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
  capPerDay: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()], { title: '每天上限' })),
  capPerYear: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000000 }), Type.Null()], { title: '每年上限' })),
  approvalThreshold: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()], { title: '需要复核的分值' })),
  active: Type.Optional(Type.Boolean()),
})
export type SaveRuleBody = Static<typeof SaveRuleBody>
export const RuleParams = Type.Object({
  villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
  code: Type.String({ minLength: 2, maxLength: 32, pattern: '^[a-z0-9_]+$', title: '细则代码' }),
})
export type RuleParams = Static<typeof RuleParams>

export const ManualAwardBody = Type.Object({
  personId: Type.Integer({ minimum: 1, title: '花名册人员' }),
  ruleCode: Type.String({ minLength: 2, maxLength: 32, title: '积分细则' }),
  /** Defaults to the rule's points (e.g. hours × points per hour are worked out by the caller). */
  points: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, title: '分值' })),
  reason: Type.String({ minLength: 2, maxLength: 200, title: '理由' }),
  evidence: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 9, title: '照片' })),
  idempotencyKey: Key,
})
export type ManualAwardBody = Static<typeof ManualAwardBody>

export const Entry = Type.Object({
  id: Id,
  kind: EntryKind,
  /** From the account's point of view: positive in, negative out. */
  amount: Type.Integer(),
  reason: Type.String(),
  ruleCode: Type.Union([Type.String(), Type.Null()]),
  ruleName: Type.Union([Type.String(), Type.Null()]),
  ruleVersion: Type.Union([Type.Integer(), Type.Null()]),
  refType: Type.Union([Type.String(), Type.Null()]),
  refId: Type.Union([Type.Integer(), Type.Null()]),
  reversesEntryId: Type.Union([Id, Type.Null()]),
  reversed: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Entry = Static<typeof Entry>

export const ManualAwardResult = Type.Object({
  status: Type.Union([Type.Literal('done'), Type.Literal('pending_approval')]),
  entryId: Type.Union([Id, Type.Null()]),
  approvalId: Type.Union([Id, Type.Null()]),
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
  evidence: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  createdBy: Id,
  createdAt: Type.String({ format: 'date-time' }),
})
export type Approval = Static<typeof Approval>
export const ApprovalList = Type.Array(Approval)
export type ApprovalList = Static<typeof ApprovalList>
export const ApprovalParams = Type.Object({
  villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
  approvalId: Type.Integer({ minimum: 1, title: '待复核编号' }),
})
export type ApprovalParams = Static<typeof ApprovalParams>

export const EntryParams = Type.Object({
  villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
  entryId: Type.Integer({ minimum: 1, title: '积分记录' }),
})
export type EntryParams = Static<typeof EntryParams>
export const ReverseBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 200, title: '冲正理由' }),
  idempotencyKey: Key,
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
  nextStarAt: Type.Union([Type.Integer(), Type.Null()]),
  entries: Type.Array(Entry),
})
export type Account = Static<typeof Account>
export const AccountParams = Type.Object({
  villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
  personId: Type.Integer({ minimum: 1, title: '花名册人员' }),
})
export type AccountParams = Static<typeof AccountParams>
