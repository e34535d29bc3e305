import type { DemoTown } from '@liren/mocks/seed'
import { count, eq } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import {
  gridWorkers,
  grids,
  households,
  membershipRoles,
  memberships,
  persons,
  representedHouseholds,
  towns,
  users,
  villages,
} from './tables.js'

type Inserted = [{ id: number }]

/** Inserts the demo town in one transaction. Returns false (and writes nothing) when any town exists. */
export async function seedDemoTown(db: Db, town: DemoTown): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [{ n }] = (await tx.select({ n: count() }).from(towns)) as [{ n: number }]
    if (n > 0) return false
    const [{ id: townId }] = (await tx
      .insert(towns)
      .values({ code: town.code, name: town.name })
      .$returningId()) as Inserted
    const userIds = new Map<string, number>()
    for (const v of town.villages) {
      const [{ id: villageId }] = (await tx
        .insert(villages)
        .values({
          townId,
          code: v.code,
          name: v.name,
          kind: v.kind,
          committeePhone: v.committeePhone,
          officeHours: v.officeHours,
        })
        .$returningId()) as Inserted
      const gridIds = new Map<string, number>()
      for (const name of v.grids) {
        const [{ id }] = (await tx.insert(grids).values({ villageId, name }).$returningId()) as Inserted
        gridIds.set(name, id)
      }

      // The roster: households, their people, heads and represented households.
      const householdIds = new Map<string, { id: number; address: string }>()
      const personIds = new Map<string, number>() // `${household}/${name}` → id
      for (const h of v.households) {
        const [{ id }] = (await tx
          .insert(households)
          .values({ villageId, gridId: gridIds.get(h.grid) ?? null, number: h.number, address: h.address })
          .$returningId()) as Inserted
        householdIds.set(h.number, { id, address: h.address })
        for (const p of h.people) {
          const [{ id: personId }] = (await tx
            .insert(persons)
            .values({
              villageId,
              householdId: id,
              name: p.name,
              gender: p.gender,
              birthDate: p.birthDate,
              relation: p.relation,
              representative: p.representative ?? false,
              partyMember: p.partyMember ?? false,
            })
            .$returningId()) as Inserted
          personIds.set(`${h.number}/${p.name}`, personId)
          if (p.relation === '户主')
            await tx.update(households).set({ headPersonId: personId }).where(eq(households.id, id))
        }
      }
      for (const h of v.households) {
        for (const p of h.people) {
          for (const number of p.represents ?? []) {
            const household = householdIds.get(number)
            if (household)
              await tx
                .insert(representedHouseholds)
                .values({ householdId: household.id, personId: personIds.get(`${h.number}/${p.name}`)! })
          }
        }
      }

      const membershipIds = new Map<string, number>()
      for (const m of v.members) {
        let userId = userIds.get(m.openid)
        if (!userId) {
          ;[{ id: userId }] = (await tx
            .insert(users)
            .values({ openid: m.openid, currentVillageId: villageId })
            .$returningId()) as Inserted
          userIds.set(m.openid, userId)
        }
        const household = householdIds.get(m.household)
        const verified = m.status === 'verified'
        const personId = verified ? (personIds.get(`${m.household}/${m.realName}`) ?? null) : null
        const [{ id: membershipId }] = (await tx
          .insert(memberships)
          .values({
            userId,
            villageId,
            realName: m.realName,
            householdAddress: household?.address ?? '',
            householdId: personId ? (household?.id ?? null) : null,
            personId,
            birthYear: m.birthYear,
            status: m.status,
            decidedAt: verified ? new Date() : null,
          })
          .$returningId()) as Inserted
        membershipIds.set(m.openid, membershipId)
        if (m.roles.length) await tx.insert(membershipRoles).values(m.roles.map((role) => ({ membershipId, role })))
      }
      for (const [grid, openids] of Object.entries(v.gridWorkers ?? {})) {
        for (const openid of openids)
          await tx.insert(gridWorkers).values({ gridId: gridIds.get(grid)!, membershipId: membershipIds.get(openid)! })
      }
    }
    return true
  })
}
