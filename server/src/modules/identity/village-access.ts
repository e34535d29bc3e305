import { ErrorCode, type Role } from '@liren/shared/contracts'
import { can, PERMISSIONS, type Action, type Permission } from '@liren/shared/rules'
import { and, eq, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Db, Executor } from '../../core/db.js'
import { AppError, forbidden, notFound } from '../../core/errors.js'
import { membershipRoles, memberships, towns, villages } from './tables.js'

export interface VillageMember {
  /** The caller's membership in this village; null for a town admin acting in a village they do not belong to. */
  membershipId: number | null
  villageId: number
  roles: Role[]
  /** The roster person the caller is here (their verified membership's link), if any. */
  personId: number | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requirePermission: who the caller is in the village of the route. */
    member: VillageMember
  }
}

export async function findVillage(db: Executor, villageId: number) {
  const [village] = await db.select().from(villages).where(eq(villages.id, villageId))
  if (!village) throw notFound(ErrorCode.VILLAGE_NOT_FOUND, '找不到这个村（社区）', 'villageId')
  return village
}

/** A town admin of a town is a verified member holding `town_admin` in any village of that town. */
export async function isTownAdmin(db: Executor, userId: number, townId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(villages, eq(villages.id, memberships.villageId))
    .innerJoin(
      membershipRoles,
      and(eq(membershipRoles.membershipId, memberships.id), eq(membershipRoles.role, 'town_admin')),
    )
    .where(and(eq(memberships.userId, userId), eq(memberships.status, 'verified'), eq(villages.townId, townId)))
    .limit(1)
  return row !== undefined
}

/** The village, the caller's membership there and its roles, in one round trip (every village route pays it). */
const lookups = new WeakMap<Db, ReturnType<typeof prepareLookup>>()
function prepareLookup(db: Db) {
  return db
    .select({
      townId: villages.townId,
      membershipId: memberships.id,
      status: memberships.status,
      personId: memberships.personId,
      roles: sql<string | null>`GROUP_CONCAT(${membershipRoles.role})`,
    })
    .from(villages)
    .leftJoin(
      memberships,
      and(eq(memberships.villageId, villages.id), eq(memberships.userId, sql.placeholder('userId'))),
    )
    .leftJoin(membershipRoles, eq(membershipRoles.membershipId, memberships.id))
    .where(eq(villages.id, sql.placeholder('villageId')))
    .groupBy(villages.id, memberships.id)
    .prepare()
}

/** A preHandler that guards a route with one action of the policy; `permission` names it (see `routePermissions`). */
export type PermissionGuard = ((req: FastifyRequest) => Promise<void>) & { permission: Action }

/**
 * preHandler factory: the caller may do `action` of the permission policy (shared/src/rules/permissions.ts)
 * in the route's village (`params.villageId`) — a verified member holding one of its roles, or, where the
 * policy says so, an admin of the village's town — or, for a town's action, administers `params.townId`.
 * Sets `request.member` for a village. Use after `app.authenticate`.
 */
export function requirePermission(db: Db, action: Action): PermissionGuard {
  const permission: Permission = PERMISSIONS[action]
  const guard = permission.scope === 'town' ? townAdminGuard(db) : villageGuard(db, action)
  return Object.assign(guard, { permission: action })
}

function villageGuard(db: Db, action: Action) {
  const permission: Permission = PERMISSIONS[action]
  let lookup = lookups.get(db)
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)))
  return async (req: FastifyRequest) => {
    const villageId = (req.params as { villageId: number }).villageId
    const [row] = await lookup.execute({ userId: req.actor.userId, villageId })
    if (!row) throw notFound(ErrorCode.VILLAGE_NOT_FOUND, '找不到这个村（社区）', 'villageId')
    const memberRoles = (row.roles ? row.roles.split(',') : []) as Role[]
    const m = row.membershipId !== null && row.status !== null ? { id: row.membershipId, status: row.status } : null
    const verified = m?.status === 'verified'
    const personId = verified ? row.personId : null
    if (can(m ? { status: m.status, roles: memberRoles } : null, action)) {
      req.member = { membershipId: m!.id, villageId, roles: memberRoles, personId }
      return
    }
    if (permission.townAdmin && (await isTownAdmin(db, req.actor.userId, row.townId))) {
      req.member = {
        membershipId: verified ? m!.id : null,
        villageId,
        roles: [...(verified ? memberRoles : []), 'town_admin'],
        personId,
      }
      return
    }
    throw forbidden('您没有这个村（社区）的相应权限')
  }
}

/** The roster person the caller is in the route's village (their membership must be linked to the roster). */
export function myPersonId(member: VillageMember): number {
  if (member.personId === null)
    throw new AppError(404, ErrorCode.NOT_ON_ROSTER, '您还没有和花名册关联，请找村（居）委会关联好了再来')
  return member.personId
}

/** The guard of a town's action (`/api/towns/:townId/…`): the caller must administer that town. */
function townAdminGuard(db: Executor) {
  return async (req: FastifyRequest) => {
    const townId = (req.params as { townId: number }).townId
    const [town] = await db.select({ id: towns.id }).from(towns).where(eq(towns.id, townId))
    if (!town) throw notFound(ErrorCode.TOWN_NOT_FOUND, '找不到这个镇（街道）', 'townId')
    if (!(await isTownAdmin(db, req.actor.userId, townId))) throw forbidden('您不是这个镇（街道）的管理员')
  }
}
