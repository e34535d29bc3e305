import type { Handler } from '@liren/shared/contracts'
import type { Level } from '@liren/shared/rules'
import { sql } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { forbidden } from '../../core/errors.js'
import type { VillageMember } from '../identity/index.js'
import { canSee, findReport, reportNotFound, viewerOf } from './access.js'

type HandlerRole = 'grid_worker' | 'committee' | 'town_admin'
const ROLE_LABEL: Record<HandlerRole, string> = {
  grid_worker: '网格员',
  committee: '村（居）委会',
  town_admin: '镇街管理员',
}
const ROLE_OF_LEVEL: Record<Level, HandlerRole> = { grid: 'grid_worker', village: 'committee', town: 'town_admin' }

/**
 * Who handles the reports of a grid in a village: the grid's workers, the village's committee and the
 * town's admins (verified members, each once, in that order). The one definition of "a handler".
 */
export async function reportHandlers(
  db: Executor,
  villageId: number,
  gridId: number | null,
): Promise<{ userId: number; name: string; role: HandlerRole }[]> {
  const [rows] = (await db.execute(sql`
    SELECT m.user_id AS userId, m.real_name AS name, mr.role AS role
    FROM memberships m JOIN membership_roles mr ON mr.membership_id = m.id
    WHERE m.status = 'verified' AND (
      (m.village_id = ${villageId} AND mr.role = 'committee')
      OR (mr.role = 'grid_worker' AND m.id IN (SELECT gw.membership_id FROM grid_workers gw WHERE gw.grid_id = ${gridId ?? 0}))
      OR (mr.role = 'town_admin' AND m.village_id IN (SELECT v2.id FROM villages v1 JOIN villages v2 ON v2.town_id = v1.town_id WHERE v1.id = ${villageId}))
    )
    ORDER BY FIELD(mr.role, 'grid_worker', 'committee', 'town_admin'), m.real_name`)) as unknown as [
    { userId: number; name: string; role: HandlerRole }[],
  ]
  const seen = new Set<number>()
  return rows.map((h) => ({ ...h, userId: Number(h.userId) })).filter((h) => !seen.has(h.userId) && seen.add(h.userId))
}

/** The handlers at a level, to tell: a grid without workers falls to the committee. */
export async function handlersAt(
  db: Executor,
  villageId: number,
  gridId: number | null,
  level: Level,
): Promise<number[]> {
  const all = await reportHandlers(db, villageId, gridId)
  const at = (role: HandlerRole) => all.filter((h) => h.role === role).map((h) => h.userId)
  const found = at(ROLE_OF_LEVEL[level])
  return found.length > 0 || level !== 'grid' ? found : at('committee')
}

/** The people a report can be handed to (转派), for one of its handlers. */
export async function handlersOf(
  db: Executor,
  member: VillageMember,
  userId: number,
  villageId: number,
  reportId: number,
): Promise<Handler[]> {
  const r = await findReport(db, villageId, reportId)
  const viewer = await viewerOf(db, member, userId, r)
  if (!canSee(r, viewer)) throw reportNotFound()
  if (!viewer.handler) throw forbidden('只有处理人可以转派')
  return (await reportHandlers(db, villageId, r.gridId)).map((h) => ({
    userId: h.userId,
    name: h.name,
    role: ROLE_LABEL[h.role],
  }))
}
