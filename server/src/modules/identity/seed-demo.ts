import type { DemoTown } from '@liren/mocks/seed'
import { count } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import { grids, households, membershipRoles, memberships, towns, users, villages } from './tables.js'

/** Inserts the demo town in one transaction. Returns false (and writes nothing) when any town exists. */
export async function seedDemoTown(db: Db, town: DemoTown): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [{ n }] = (await tx.select({ n: count() }).from(towns)) as [{ n: number }]
    if (n > 0) return false
    const [{ id: townId }] = (await tx.insert(towns).values({ code: town.code, name: town.name }).$returningId()) as [{ id: number }]
    const userIds = new Map<string, number>()
    for (const v of town.villages) {
      const [{ id: villageId }] = (await tx.insert(villages).values({ townId, code: v.code, name: v.name, kind: v.kind }).$returningId()) as [{ id: number }]
      const gridIds = new Map<string, number>()
      for (const name of v.grids) {
        const [{ id }] = (await tx.insert(grids).values({ villageId, name }).$returningId()) as [{ id: number }]
        gridIds.set(name, id)
      }
      const householdIds = new Map<string, { id: number; address: string }>()
      for (const h of v.households) {
        const [{ id }] = (await tx
          .insert(households)
          .values({ villageId, gridId: gridIds.get(h.grid) ?? null, number: h.number, address: h.address })
          .$returningId()) as [{ id: number }]
        householdIds.set(h.number, { id, address: h.address })
      }
      for (const m of v.members) {
        let userId = userIds.get(m.openid)
        if (!userId) {
          ;[{ id: userId }] = (await tx.insert(users).values({ openid: m.openid, currentVillageId: villageId }).$returningId()) as [{ id: number }]
          userIds.set(m.openid, userId)
        }
        const household = householdIds.get(m.household)
        const [{ id: membershipId }] = (await tx
          .insert(memberships)
          .values({
            userId,
            villageId,
            realName: m.realName,
            householdAddress: household?.address ?? '',
            householdId: m.status === 'verified' ? (household?.id ?? null) : null,
            birthYear: m.birthYear,
            status: m.status,
            representative: m.representative ?? false,
            decidedAt: m.status === 'verified' ? new Date() : null,
          })
          .$returningId()) as [{ id: number }]
        if (m.roles.length) await tx.insert(membershipRoles).values(m.roles.map((role) => ({ membershipId, role })))
      }
    }
    return true
  })
}
