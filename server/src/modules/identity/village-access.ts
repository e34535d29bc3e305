import { ErrorCode, type Role } from '@liren/shared/contracts'
import { hasVillageRole } from '@liren/shared/rules'
import { and, eq } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Executor } from '../../core/db.js'
import { forbidden, notFound } from '../../core/errors.js'
import { rolesOf } from './memberships.js'
import { memberships, villages } from './tables.js'

export interface VillageMember {
  membershipId: number
  villageId: number
  roles: Role[]
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireVillageRole: the caller's verified membership in the village of the route. */
    member: VillageMember
  }
}

export async function findVillage(db: Executor, villageId: number) {
  const [village] = await db.select().from(villages).where(eq(villages.id, villageId))
  if (!village) throw notFound(ErrorCode.VILLAGE_NOT_FOUND, '找不到这个村（社区）', 'villageId')
  return village
}

/**
 * preHandler factory: the caller must be a verified member of `params.villageId` holding one of `roles`.
 * Roles are per village: a committee member of village A is a stranger in village B.
 * Use after `app.authenticate`.
 */
export function requireVillageRole(db: Executor, roles: readonly Role[]) {
  return async (req: FastifyRequest) => {
    const villageId = (req.params as { villageId: number }).villageId
    await findVillage(db, villageId)
    const [m] = await db
      .select({ id: memberships.id, status: memberships.status })
      .from(memberships)
      .where(and(eq(memberships.userId, req.actor.userId), eq(memberships.villageId, villageId)))
    const memberRoles = m ? ((await rolesOf(db, [m.id])).get(m.id) ?? []) : []
    if (!m || !hasVillageRole({ status: m.status, roles: memberRoles }, roles)) {
      throw forbidden('您没有这个村（社区）的相应权限')
    }
    req.member = { membershipId: m.id, villageId, roles: memberRoles }
  }
}
