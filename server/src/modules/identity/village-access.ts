import { ErrorCode, type Role } from '@liren/shared/contracts'
import { hasVillageRole } from '@liren/shared/rules'
import { and, eq } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Executor } from '../../core/db.js'
import { forbidden, notFound } from '../../core/errors.js'
import { rolesOf } from './memberships.js'
import { membershipRoles, memberships, towns, villages } from './tables.js'

export interface VillageMember {
  /** The caller's membership in this village; null for a town admin acting in a village they do not belong to. */
  membershipId: number | null
  villageId: number
  roles: Role[]
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireVillageRole: who the caller is in the village of the route. */
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
    .innerJoin(membershipRoles, and(eq(membershipRoles.membershipId, memberships.id), eq(membershipRoles.role, 'town_admin')))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, 'verified'), eq(villages.townId, townId)))
    .limit(1)
  return row !== undefined
}

/**
 * preHandler factory: the caller must be a verified member of `params.villageId` holding one of `roles`
 * (or, with `townAdmin`, an admin of the village's town). Roles are per village: a committee member of
 * village A is a stranger in village B. Use after `app.authenticate`.
 */
export function requireVillageRole(db: Executor, roles: readonly Role[], opts: { townAdmin?: boolean } = {}) {
  return async (req: FastifyRequest) => {
    const villageId = (req.params as { villageId: number }).villageId
    const village = await findVillage(db, villageId)
    const [m] = await db
      .select({ id: memberships.id, status: memberships.status })
      .from(memberships)
      .where(and(eq(memberships.userId, req.actor.userId), eq(memberships.villageId, villageId)))
    const memberRoles = m ? ((await rolesOf(db, [m.id])).get(m.id) ?? []) : []
    const verified = m?.status === 'verified'
    if (hasVillageRole(m ? { status: m.status, roles: memberRoles } : null, roles)) {
      req.member = { membershipId: m!.id, villageId, roles: memberRoles }
      return
    }
    if (opts.townAdmin && (await isTownAdmin(db, req.actor.userId, village.townId))) {
      req.member = { membershipId: verified ? m!.id : null, villageId, roles: [...(verified ? memberRoles : []), 'town_admin'] }
      return
    }
    throw forbidden('您没有这个村（社区）的相应权限')
  }
}

/** preHandler factory for `/api/towns/:townId/…`: the caller must administer that town. */
export function requireTownAdmin(db: Executor) {
  return async (req: FastifyRequest) => {
    const townId = (req.params as { townId: number }).townId
    const [town] = await db.select({ id: towns.id }).from(towns).where(eq(towns.id, townId))
    if (!town) throw notFound(ErrorCode.TOWN_NOT_FOUND, '找不到这个镇（街道）', 'townId')
    if (!(await isTownAdmin(db, req.actor.userId, townId))) throw forbidden('您不是这个镇（街道）的管理员')
  }
}
