import { Type, type Static } from 'typebox'
import { PHONE_PATTERN } from '../rules/roster.js'
import { GridRef, HouseholdRef, Id, literals, nullable, PersonBody, villageItemParams } from './fragments.js'

/**
 * The village roster (花名册): every registered villager and household, with or without the app.
 * Glossary: 花名册 roster · 户 household · 户主 head · 户号 household number · 人员 person
 * 村民代表 representative · 代表户 represented households · 党员 party member · 迁出 moved out · 去世 deceased
 */
export const Gender = literals('male', 'female')
export type Gender = Static<typeof Gender>
export const PersonStatus = literals('resident', 'moved_out', 'deceased')
export type PersonStatus = Static<typeof PersonStatus>

/** Far past any village's roster: a page beyond it is refused rather than scanned for. */
const MAX_OFFSET = 1_000_000
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', title: '日期' })
const Phone = Type.String({ pattern: PHONE_PATTERN, title: '联系电话' })

export const Person = Type.Object({
  id: Id,
  villageId: Id,
  householdId: Id,
  householdNumber: Type.String(),
  name: Type.String(),
  gender: Gender,
  birthDate: DateOnly,
  relation: Type.String({ description: '与户主关系, e.g. 户主, 配偶, 子女' }),
  phone: nullable(Type.String()),
  status: PersonStatus,
  representative: Type.Boolean(),
  partyMember: Type.Boolean(),
  /** Household numbers this representative represents. */
  representedHouseholds: Type.Array(Type.String()),
  /** The app user linked to this person, if any (their membership id). */
  membershipId: nullable(Id),
})
export type Person = Static<typeof Person>

export const PersonList = Type.Object({
  total: Type.Integer(),
  people: Type.Array(Person),
})
export type PersonList = Static<typeof PersonList>

export const PersonQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 20, title: '搜索' })),
  gridId: Type.Optional(GridRef),
  householdId: Type.Optional(HouseholdRef),
  /** Only people aged 18 or older on this date. */
  adultsOn: Type.Optional(DateOnly),
  representative: Type.Optional(Type.Boolean({ title: '村民代表' })),
  status: Type.Optional(PersonStatus),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0, title: '起始位置' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, title: '每页条数' })),
})
export type PersonQuery = Static<typeof PersonQuery>

export const PersonParams = villageItemParams('personId', '人员编号')
export type PersonParams = Static<typeof PersonParams>

export const PersonPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 20, title: '姓名' })),
    gender: Type.Optional(Gender),
    birthDate: Type.Optional(DateOnly),
    relation: Type.Optional(Type.String({ minLength: 1, maxLength: 16, title: '与户主关系' })),
    phone: Type.Optional(nullable(Phone)),
    status: Type.Optional(PersonStatus),
    representative: Type.Optional(Type.Boolean()),
    partyMember: Type.Optional(Type.Boolean()),
    householdId: Type.Optional(HouseholdRef),
    representedHouseholdIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50, title: '代表户' })),
  },
  { minProperties: 1 },
)
export type PersonPatch = Static<typeof PersonPatch>

export const Household = Type.Object({
  id: Id,
  villageId: Id,
  number: Type.String(),
  address: Type.String(),
  gridId: nullable(Id),
  gridName: nullable(Type.String()),
  headPersonId: nullable(Id),
  headName: nullable(Type.String()),
  memberCount: Type.Integer(),
})
export type Household = Static<typeof Household>
export const HouseholdList = Type.Object({ total: Type.Integer(), households: Type.Array(Household) })
export type HouseholdList = Static<typeof HouseholdList>
export const HouseholdDetail = Type.Object({ household: Household, people: Type.Array(Person) })
export type HouseholdDetail = Static<typeof HouseholdDetail>

export const HouseholdQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 40, title: '搜索' })),
  gridId: Type.Optional(GridRef),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0, title: '起始位置' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
})
export type HouseholdQuery = Static<typeof HouseholdQuery>

export const HouseholdParams = villageItemParams('householdId', '户')
export type HouseholdParams = Static<typeof HouseholdParams>

export const HouseholdPatch = Type.Object(
  {
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 200, title: '住址' })),
    gridId: Type.Optional(nullable(Type.Integer({ minimum: 1 }), { title: '网格' })),
    headPersonId: Type.Optional(nullable(Type.Integer({ minimum: 1 }), { title: '户主' })),
  },
  { minProperties: 1 },
)
export type HouseholdPatch = Static<typeof HouseholdPatch>

// ---- counts (computed by shared/src/rules/roster.ts on both sides) ----
export const RosterWarning = Type.Object({
  code: literals('TOO_FEW_REPRESENTATIVES', 'TOO_MANY_REPRESENTATIVES', 'TOO_FEW_WOMEN_REPRESENTATIVES'),
  message: Type.String(),
})
export type RosterWarning = Static<typeof RosterWarning>

export const RosterCounts = Type.Object({
  on: DateOnly,
  households: Type.Integer(),
  people: Type.Integer({ description: 'residents (not moved out, not deceased)' }),
  adults: Type.Integer({ description: 'residents aged 18 or older on `on`' }),
  representatives: Type.Integer(),
  womenRepresentatives: Type.Integer(),
  warnings: Type.Array(RosterWarning),
})
export type RosterCounts = Static<typeof RosterCounts>
export const CountsQuery = Type.Object({ on: Type.Optional(DateOnly) })
export type CountsQuery = Static<typeof CountsQuery>

// ---- import ----
export const ImportQuery = Type.Object({
  commit: Type.Optional(Type.Boolean({ default: false, title: '确认导入' })),
})
export type ImportQuery = Static<typeof ImportQuery>

export const ImportAction = literals('create', 'update', 'unchanged', 'error')
export type ImportAction = Static<typeof ImportAction>

export const ImportChange = Type.Object({ field: Type.String(), from: Type.String(), to: Type.String() })
export type ImportChange = Static<typeof ImportChange>

export const ImportRow = Type.Object({
  /** Spreadsheet row number (the header is row 1). */
  row: Type.Integer(),
  name: Type.String(),
  householdNumber: Type.String(),
  action: ImportAction,
  /** Field-by-field changes for `update`; what the household gets for `create`. */
  changes: Type.Array(ImportChange),
  /** Chinese reasons, for `error`. */
  errors: Type.Array(Type.String()),
})
export type ImportRow = Static<typeof ImportRow>

export const ImportSummary = Type.Object({
  rows: Type.Integer(),
  peopleCreated: Type.Integer(),
  peopleUpdated: Type.Integer(),
  peopleUnchanged: Type.Integer(),
  householdsCreated: Type.Integer(),
  householdsUpdated: Type.Integer(),
  errors: Type.Integer(),
})
export type ImportSummary = Static<typeof ImportSummary>

export const ImportReport = Type.Object({
  committed: Type.Boolean(),
  summary: ImportSummary,
  /** Problems with the file as a whole (wrong columns, empty file). */
  fileErrors: Type.Array(Type.String()),
  rows: Type.Array(ImportRow),
})
export type ImportReport = Static<typeof ImportReport>

// ---- linking app users to roster people ----
export const PersonMatch = Type.Object({
  personId: Id,
  name: Type.String(),
  birthDate: DateOnly,
  householdNumber: Type.String(),
  address: Type.String(),
  /** Why it was suggested, in Chinese: 姓名相同, 出生年份相同, 住址相近. */
  reasons: Type.Array(Type.String()),
  /** Already linked to another app user (cannot be chosen). */
  linked: Type.Boolean(),
})
export type PersonMatch = Static<typeof PersonMatch>

export const LinkPersonBody = PersonBody
export type LinkPersonBody = Static<typeof LinkPersonBody>
export const MemberParams = villageItemParams('membershipId', '成员编号')
export type MemberParams = Static<typeof MemberParams>
