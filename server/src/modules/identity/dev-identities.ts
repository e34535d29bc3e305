import type { DevIdentity, Role } from '@liren/shared/contracts'
import { roleLabel, STATUS_LABEL } from '@liren/shared/rules'
import { asc, eq, like } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { rolesOf } from './memberships.js'
import { memberships, users, villages } from './tables.js'

const ROLE_ORDER: Role[] = ['town_admin', 'committee', 'grid_worker', 'volunteer', 'resident']

/** Development and tests only: the seeded demo people (openid `demo-*`) the H5 sign-in page offers. */
export async function listDevIdentities(db: Executor): Promise<DevIdentity[]> {
  const rows = await db
    .select({
      openid: users.openid,
      membershipId: memberships.id,
      status: memberships.status,
      realName: memberships.realName,
      village: villages.name,
      kind: villages.kind,
    })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(villages, eq(villages.id, memberships.villageId))
    .where(like(users.openid, 'demo-%'))
    .orderBy(asc(villages.id), asc(memberships.id))
  const roles = await rolesOf(
    db,
    rows.map((r) => r.membershipId),
  )
  const seen = new Set<string>()
  const identities: DevIdentity[] = []
  for (const r of rows) {
    if (seen.has(r.openid)) continue
    seen.add(r.openid)
    const top = ROLE_ORDER.find((role) => roles.get(r.membershipId)?.includes(role))
    const what = r.status === 'verified' && top ? roleLabel(top, r.kind) : STATUS_LABEL[r.status]
    identities.push({ openid: r.openid, label: `${r.village} · ${what} · ${r.realName}` })
  }
  return identities
}
