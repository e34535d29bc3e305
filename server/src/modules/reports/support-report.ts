import { ErrorCode } from '@liren/shared/contracts'
import { eq, sql } from 'drizzle-orm'
import type { Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import type { VillageMember } from '../identity/index.js'
import { canSee, findReport, reportNotFound, viewerOf } from './access.js'
import { reportSupports, reports } from './tables.js'

/** "我也遇到": another member says it affects them too; once each (the primary key sees to it). */
export async function supportReport(
  db: Db,
  actor: Actor,
  member: VillageMember,
  villageId: number,
  reportId: number,
): Promise<number> {
  try {
    return await transaction(db, async (tx) => {
      const r = await findReport(tx, villageId, reportId)
      const viewer = await viewerOf(tx, member, actor.userId, r)
      if (!canSee(r, viewer)) throw reportNotFound()
      if (viewer.reporter) throw conflict(ErrorCode.ALREADY_SUPPORTED, '这是您自己上报的')
      if (r.state === 'rejected' || r.state === 'merged')
        throw conflict(ErrorCode.TRANSITION_NOT_ALLOWED, '这条上报已经不再处理了')
      await tx.insert(reportSupports).values({ reportId: r.id, userId: actor.userId })
      await tx
        .update(reports)
        .set({ supports: sql`${reports.supports} + 1` })
        .where(eq(reports.id, r.id))
      const [after] = await tx.select({ supports: reports.supports }).from(reports).where(eq(reports.id, r.id))
      return after!.supports
    })
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY')) throw conflict(ErrorCode.ALREADY_SUPPORTED, '您已经点过“我也遇到”了')
    throw err
  }
}
