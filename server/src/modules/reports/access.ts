import { ErrorCode } from '@liren/shared/contracts'
import { allowedActions, can, canOnSome, type ReportAction, type ReportActor } from '@liren/shared/rules'
import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { villageRow } from '../../core/village-rows.js'
import { AppError } from '../../core/errors.js'
import { identityTables, type VillageMember } from '../identity/index.js'
import { reports } from './tables.js'

const { gridWorkers } = identityTables
export type ReportRow = typeof reports.$inferSelect

export const reportNotFound = () =>
  new AppError(404, ErrorCode.REPORT_NOT_FOUND, '找不到这条上报', [{ field: 'reportId', message: '不存在' }])

export async function findReport(db: Executor, villageId: number, reportId: number, lock = false): Promise<ReportRow> {
  const row = await villageRow(db, reports, villageId, reportId, { lock })
  if (!row) throw reportNotFound()
  return row
}

/**
 * Who the caller is to a report. Handlers: the village's committee, the town's admins, and the grid
 * workers of the report's grid. The reporter: the member it was filed as, or the grid worker who filed
 * it for a villager (代办), who acts for them.
 */
export async function viewerOf(
  db: Executor,
  member: VillageMember,
  userId: number,
  report: ReportRow,
): Promise<{ handler: boolean; reporter: boolean }> {
  const reporter = report.reporterUserId === userId || report.filedBy === userId
  if (can(member, 'reports.handle')) return { handler: true, reporter }
  // The tie the policy names for a grid worker: the report is in a grid they work.
  if (canOnSome(member, 'reports.handle') && report.gridId !== null && member.membershipId !== null) {
    const [works] = await db
      .select({ gridId: gridWorkers.gridId })
      .from(gridWorkers)
      .where(and(eq(gridWorkers.gridId, report.gridId), eq(gridWorkers.membershipId, member.membershipId)))
    if (works) return { handler: true, reporter }
  }
  return { handler: false, reporter }
}

/** Private reports are for their reporter and the handlers only; to anyone else they do not exist. */
export function canSee(report: ReportRow, viewer: { handler: boolean; reporter: boolean }): boolean {
  return report.isPublic || viewer.handler || viewer.reporter
}

export function actionsFor(report: ReportRow, viewer: { handler: boolean; reporter: boolean }): ReportAction[] {
  const as: ReportActor[] = [
    ...(viewer.handler ? (['handler'] as const) : []),
    ...(viewer.reporter ? (['reporter'] as const) : []),
  ]
  return [...new Set(as.flatMap((a) => allowedActions(report.state, a)))]
}
