import { Type, type Static } from 'typebox'
import { PHONE_PATTERN } from '../rules/roster.js'
import { VillageKind } from './identity.js'
import { Id, literals, nullable, villageItemParams } from './fragments.js'

/** Setting up places (town admin): villages, grids with their grid workers, committees. */

export const Town = Type.Object({ id: Id, code: Type.String(), name: Type.String() })
export type Town = Static<typeof Town>
export const TownList = Type.Array(Town)
export type TownList = Static<typeof TownList>
export const TownParams = Type.Object({ townId: Type.Integer({ minimum: 1, title: '镇（街道）编号' }) })
export type TownParams = Static<typeof TownParams>

export const VillageCode = Type.String({
  minLength: 2,
  maxLength: 32,
  pattern: '^[a-z0-9][a-z0-9-]*$',
  title: '村（社区）代码',
})

export const Village = Type.Object({
  id: Id,
  townId: Id,
  code: Type.String(),
  name: Type.String(),
  kind: VillageKind,
  gridCount: Type.Integer(),
  committeeCount: Type.Integer(),
  committeePhone: nullable(Type.String()),
  officeHours: nullable(Type.String()),
})
export type Village = Static<typeof Village>
export const VillageAdminList = Type.Array(Village)
export type VillageAdminList = Static<typeof VillageAdminList>

export const CreateVillageBody = Type.Object({
  code: VillageCode,
  name: Type.String({ minLength: 2, maxLength: 64, title: '名称' }),
  kind: VillageKind,
})
export type CreateVillageBody = Static<typeof CreateVillageBody>

/** The code is stable (URLs, Open311 jurisdiction_id): it cannot be edited. */
export const UpdateVillageBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 64, title: '名称' })),
    kind: Type.Optional(VillageKind),
  },
  { minProperties: 1 },
)
export type UpdateVillageBody = Static<typeof UpdateVillageBody>

/**
 * How the village's people reach their committee: its office phone and hours (村委会电话, 办公时间), set by the
 * committee or the town admin; null where not given. Shown wherever a page tells a person to ask the committee.
 */
export const VillageContact = Type.Object({
  committeePhone: nullable(Type.String({ pattern: PHONE_PATTERN, title: '村（居）委会电话' })),
  officeHours: nullable(Type.String({ minLength: 1, maxLength: 60, title: '办公时间' })),
})
export type VillageContact = Static<typeof VillageContact>

/** [longitude, latitude] */
export const LngLat = Type.Tuple([
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Number({ minimum: -90, maximum: 90 }),
])
export type LngLat = Static<typeof LngLat>
export const Boundary = Type.Array(LngLat, { minItems: 3, maxItems: 500, title: '网格边界' })
export type Boundary = Static<typeof Boundary>

export const GridWorker = Type.Object({ membershipId: Id, realName: Type.String() })
export type GridWorker = Static<typeof GridWorker>

export const Grid = Type.Object({
  id: Id,
  villageId: Id,
  name: Type.String(),
  boundary: nullable(Boundary),
  workers: Type.Array(GridWorker),
  householdCount: Type.Integer(),
})
export type Grid = Static<typeof Grid>
export const GridList = Type.Array(Grid)
export type GridList = Static<typeof GridList>

export const GridParams = villageItemParams('gridId', '网格')
export type GridParams = Static<typeof GridParams>

export const CreateGridBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64, title: '网格名称' }),
  boundary: Type.Optional(nullable(Boundary)),
})
export type CreateGridBody = Static<typeof CreateGridBody>
export const UpdateGridBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64, title: '网格名称' })),
    boundary: Type.Optional(nullable(Boundary)),
  },
  { minProperties: 1 },
)
export type UpdateGridBody = Static<typeof UpdateGridBody>

export const MembershipIdsBody = Type.Object({
  membershipIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100, uniqueItems: true, title: '成员' }),
})
export type MembershipIdsBody = Static<typeof MembershipIdsBody>

export const LocateQuery = Type.Object({
  lng: Type.Number({ minimum: -180, maximum: 180, title: '经度' }),
  lat: Type.Number({ minimum: -90, maximum: 90, title: '纬度' }),
})
export type LocateQuery = Static<typeof LocateQuery>
export const LocateResult = Type.Object({
  gridId: nullable(Id),
  gridName: nullable(Type.String()),
})
export type LocateResult = Static<typeof LocateResult>

export const VillageMember = Type.Object({
  membershipId: Id,
  realName: Type.String(),
  /** Verified members, and applicants still waiting (a town admin may appoint one to a new village's committee). */
  status: literals('pending', 'verified'),
  roles: Type.Array(Type.String()),
  personId: nullable(Id),
})
export type VillageMember = Static<typeof VillageMember>
export const VillageMemberList = Type.Array(VillageMember)
export type VillageMemberList = Static<typeof VillageMemberList>
