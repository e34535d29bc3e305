import type { Grid } from '@liren/shared/contracts'
import { and, eq, inArray } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { identityTables } from '../identity/index.js'
import { gridNotFound, gridView, lockVillage, requireVerifiedMembers } from './places.js'

const { grids, gridWorkers, membershipRoles } = identityTables

/**
 * A town admin replaces the workers of a grid. The grid_worker role follows: whoever works in some
 * grid holds it, whoever works in none any more loses it.
 */
export async function setGridWorkers(
  db: Db,
  actor: Actor,
  villageId: number,
  gridId: number,
  membershipIds: number[],
): Promise<Grid> {
  return transaction(db, async (tx) => {
    // Whether someone still works in another grid is only true while no one changes those grids meanwhile.
    await lockVillage(tx, villageId)
    const [grid] = await tx
      .select({ id: grids.id })
      .from(grids)
      .where(and(eq(grids.id, gridId), eq(grids.villageId, villageId)))
    if (!grid) throw gridNotFound()
    await requireVerifiedMembers(tx, villageId, membershipIds)

    const current = (
      await tx.select({ id: gridWorkers.membershipId }).from(gridWorkers).where(eq(gridWorkers.gridId, gridId))
    ).map((r) => r.id)
    const added = membershipIds.filter((id) => !current.includes(id))
    const removed = current.filter((id) => !membershipIds.includes(id))
    if (removed.length)
      await tx
        .delete(gridWorkers)
        .where(and(eq(gridWorkers.gridId, gridId), inArray(gridWorkers.membershipId, removed)))
    if (added.length) await tx.insert(gridWorkers).values(added.map((membershipId) => ({ gridId, membershipId })))

    let roleGranted: number[] = []
    if (membershipIds.length) {
      const holders = await tx
        .select({ id: membershipRoles.membershipId })
        .from(membershipRoles)
        .where(and(inArray(membershipRoles.membershipId, membershipIds), eq(membershipRoles.role, 'grid_worker')))
      roleGranted = membershipIds.filter((id) => !holders.some((h) => h.id === id))
      if (roleGranted.length)
        await tx
          .insert(membershipRoles)
          .values(roleGranted.map((membershipId) => ({ membershipId, role: 'grid_worker' as const })))
    }
    let roleRevoked: number[] = []
    if (removed.length) {
      const stillWorking = await tx
        .select({ id: gridWorkers.membershipId })
        .from(gridWorkers)
        .where(inArray(gridWorkers.membershipId, removed))
      roleRevoked = removed.filter((id) => !stillWorking.some((w) => w.id === id))
      if (roleRevoked.length) {
        await tx
          .delete(membershipRoles)
          .where(and(inArray(membershipRoles.membershipId, roleRevoked), eq(membershipRoles.role, 'grid_worker')))
      }
    }

    if (added.length || removed.length || roleGranted.length) {
      await audit(tx, actor, {
        villageId,
        action: 'grid.workers_set',
        entity: 'grid',
        entityId: gridId,
        data: { membershipIds, added, removed, roleGranted, roleRevoked },
      })
    }
    return gridView(tx, villageId, gridId)
  })
}
