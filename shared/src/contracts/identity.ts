import { Type, type Static } from 'typebox'
import { PersonMatch } from './roster.js'
import { HouseholdRef, literals, nullable, PersonRef, villageItemParams, When } from './fragments.js'

/**
 * Glossary (one English name per Chinese word):
 * 镇/街道 town · 村/社区 village · 网格 grid · 户 household · 成员 member (membership)
 * 村民代表 representative · 村（居）委会 committee · 网格员 grid_worker · 认证 verify
 */
export const Role = literals('resident', 'volunteer', 'grid_worker', 'committee', 'town_admin')
export type Role = Static<typeof Role>
export const ROLES: readonly Role[] = ['resident', 'volunteer', 'grid_worker', 'committee', 'town_admin']

export const MembershipStatus = literals('pending', 'verified', 'rejected')
export type MembershipStatus = Static<typeof MembershipStatus>

export const VillageKind = literals('rural', 'urban')
export type VillageKind = Static<typeof VillageKind>

const Id = Type.Integer({ minimum: 1, title: '编号' })

// ---- auth ----
export const WechatLoginBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 128, title: '微信登录凭证' }),
})
export type WechatLoginBody = Static<typeof WechatLoginBody>

export const RefreshBody = Type.Object({
  refreshToken: Type.String({ minLength: 1, maxLength: 2048, title: '刷新凭证' }),
})
export type RefreshBody = Static<typeof RefreshBody>

export const TokenPair = Type.Object({
  token: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds until token expires' }),
  userId: Id,
  isNew: Type.Boolean({ description: 'true on the first sign-in of this WeChat user' }),
})
export type TokenPair = Static<typeof TokenPair>

/** 退出登录: every sign-in of the caller has ended (their refresh tokens and access tokens open nothing). */
export const SignedOut = Type.Object({ signedOut: Type.Literal(true) })
export type SignedOut = Static<typeof SignedOut>

// ---- villages ----
export const VillageSummary = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  kind: VillageKind,
  townName: Type.String(),
})
export type VillageSummary = Static<typeof VillageSummary>
export const VillageList = Type.Array(VillageSummary)
export type VillageList = Static<typeof VillageList>

export const VillageParams = Type.Object({
  villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
})
export type VillageParams = Static<typeof VillageParams>

// ---- join / applications ----
export const JoinBody = Type.Object({
  realName: Type.String({ minLength: 2, maxLength: 20, pattern: '^[\\p{L}·]+$', title: '真实姓名' }),
  householdAddress: Type.String({ minLength: 2, maxLength: 100, title: '家庭住址' }),
  birthYear: Type.Integer({ minimum: 1900, maximum: 2100, title: '出生年份' }),
  /** From WeChat's phone-number button (getPhoneNumber), only if the applicant chose to give it. */
  phoneCode: Type.Optional(Type.String({ minLength: 1, maxLength: 128, title: '手机号授权码' })),
})
export type JoinBody = Static<typeof JoinBody>

export const Membership = Type.Object({
  id: Id,
  villageId: Id,
  villageName: Type.String(),
  villageKind: VillageKind,
  status: MembershipStatus,
  roles: Type.Array(Role),
  representative: Type.Boolean(),
  realName: Type.String(),
  householdAddress: Type.String(),
  householdId: nullable(Id),
  birthYear: Type.Integer(),
  rejectReason: nullable(Type.String()),
  appliedAt: When,
  decidedAt: nullable(When),
  /** The roster person this member is, once the committee has linked them. */
  personId: nullable(Id),
  /** The phone the member gave (shown only to them and their committee). */
  phone: nullable(Type.String()),
  /** The village committee's office phone and hours (public to the village's people), null where not set. */
  committeePhone: nullable(Type.String()),
  officeHours: nullable(Type.String()),
})
export type Membership = Static<typeof Membership>

export const ApplicationParams = villageItemParams('membershipId', '申请编号')
export type ApplicationParams = Static<typeof ApplicationParams>

export const ApplicationQuery = Type.Object({
  status: Type.Optional(MembershipStatus),
})
export type ApplicationQuery = Static<typeof ApplicationQuery>

export const Application = Type.Object({
  id: Id,
  userId: Id,
  realName: Type.String(),
  householdAddress: Type.String(),
  birthYear: Type.Integer(),
  status: MembershipStatus,
  appliedAt: When,
  decidedAt: nullable(When),
  rejectReason: nullable(Type.String()),
  personId: nullable(Id),
  /** The phone the applicant gave, for the committee to call them back (null if none). */
  phone: nullable(Type.String()),
  /** Roster people who may be this applicant (pending applications only), best first. */
  matches: Type.Array(PersonMatch),
})
export type Application = Static<typeof Application>
export const ApplicationList = Type.Array(Application)
export type ApplicationList = Static<typeof ApplicationList>

export const VerifyBody = Type.Object({
  /** The roster person this applicant is; their household comes with them. */
  personId: Type.Optional(PersonRef),
  householdId: Type.Optional(HouseholdRef),
})
export type VerifyBody = Static<typeof VerifyBody>

export const RejectBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 200, title: '不通过的原因' }),
})
export type RejectBody = Static<typeof RejectBody>

// ---- me ----
export const Me = Type.Object({
  userId: Id,
  currentVillageId: nullable(Id),
  /** Whether the current privacy guide still has to be accepted (first sign-in, or a new version). */
  needsPrivacyConsent: Type.Boolean(),
  memberships: Type.Array(Membership),
})
export type Me = Static<typeof Me>

export const CurrentVillageBody = Type.Object({
  villageId: Type.Integer({ minimum: 1, title: '村（社区）编号' }),
})
export type CurrentVillageBody = Static<typeof CurrentVillageBody>

// ---- development sign-in (closed in production) ----
export const DevIdentity = Type.Object({
  openid: Type.String(),
  label: Type.String({ description: 'who this is, in Chinese, e.g. 张村 · 村委会 · 王建国' }),
})
export type DevIdentity = Static<typeof DevIdentity>
export const DevIdentityList = Type.Array(DevIdentity)
export type DevIdentityList = Static<typeof DevIdentityList>

export const DevCodeBody = Type.Object({
  openid: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', title: 'openid' }),
})
export type DevCodeBody = Static<typeof DevCodeBody>
/** Development only: a phone-number button code for a chosen mobile number. */
export const DevPhoneCodeBody = Type.Object({
  phone: Type.String({ pattern: '^1\\d{10}$', title: '手机号' }),
})
export type DevPhoneCodeBody = Static<typeof DevPhoneCodeBody>
export const DevCode = Type.Object({ code: Type.String() })
export type DevCode = Static<typeof DevCode>
