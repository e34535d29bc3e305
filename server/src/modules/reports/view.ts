import type { Report, ReportEvent, ReportSummary } from '@liren/shared/contracts'
import { shownName } from '@liren/shared/rules'
import { and, asc, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { photoUrls } from '../../core/photos.js'
import { identityTables, type VillageMember } from '../identity/index.js'
import { actionsFor, canSee, findReport, reportNotFound, viewerOf, type ReportRow } from './access.js'
import { reportEvents, reportSupports } from './tables.js'

const { grids, memberships, persons } = identityTables

/** Past the deadline its state watches. */
export function isOverdue(r: Pick<ReportRow, 'state' | 'acceptDueAt' | 'resolveDueAt'>, now: Date): boolean {
  if (r.state === 'submitted') return r.acceptDueAt < now
  if (r.state === 'accepted' || r.state === 'in_progress') return r.resolveDueAt < now
  return false
}

export function toSummary(r: ReportRow, gridName: string | null, now = new Date()): ReportSummary {
  return {
    id: r.id,
    category: r.category,
    description: r.description,
    thumbUrl: r.photos[0] ? photoUrls(r.photos[0]).thumbUrl : null,
    address: r.address,
    latitude: r.latitude,
    longitude: r.longitude,
    gridName,
    urgency: r.urgency,
    level: r.level,
    state: r.state,
    public: r.isPublic,
    supports: r.supports,
    overdue: isOverdue(r, now),
    createdAt: r.createdAt.toISOString(),
  }
}

/** A user's name in a village: their member name there (or in any village, for a town admin). */
export const memberName = (userId: AnyColumn | SQL, villageId: number) =>
  sql<
    string | null
  >`(SELECT m.real_name FROM ${memberships} m WHERE m.user_id = ${userId} ORDER BY m.village_id = ${villageId} DESC, m.id LIMIT 1)`

/** A report as the caller sees it; a private one they may not see does not exist for them. */
export async function loadReport(
  db: Executor,
  member: VillageMember,
  userId: number,
  villageId: number,
  reportId: number,
  now = new Date(),
): Promise<Report> {
  const r = await findReport(db, villageId, reportId)
  const viewer = await viewerOf(db, member, userId, r)
  if (!canSee(r, viewer)) throw reportNotFound()
  const [[grid], [reporter], [assignee], events, [supported]] = await Promise.all([
    r.gridId === null ? Promise.resolve([]) : db.select({ name: grids.name }).from(grids).where(eq(grids.id, r.gridId)),
    r.reporterPersonId === null
      ? Promise.resolve([])
      : db.select({ name: persons.name }).from(persons).where(eq(persons.id, r.reporterPersonId)),
    r.assigneeUserId === null
      ? Promise.resolve([])
      : db
          .select({ name: memberships.realName })
          .from(memberships)
          .where(eq(memberships.userId, r.assigneeUserId))
          .orderBy(sql`${memberships.villageId} = ${villageId} DESC`)
          .limit(1),
    db
      .select({ e: reportEvents, actorName: memberName(reportEvents.actorUserId, villageId) })
      .from(reportEvents)
      .where(eq(reportEvents.reportId, r.id))
      .orderBy(asc(reportEvents.id)),
    db
      .select({ userId: reportSupports.userId })
      .from(reportSupports)
      .where(and(eq(reportSupports.reportId, r.id), eq(reportSupports.userId, userId))),
  ])
  // An anonymous reporter is hidden from everyone but the handlers (and themselves); a named one is
  // masked (张*兰) for the other villagers. Handlers act for the village under their own names.
  const others = !viewer.handler && !viewer.reporter
  const hideReporter = r.anonymous && others
  const reporterUsers = new Set([r.reporterUserId, r.filedBy])
  const reporterShown = (name: string | null) => (name === null ? null : shownName(name, !others))
  return {
    ...toSummary(r, grid?.name ?? null, now),
    photos: r.photos.map(photoUrls),
    anonymous: r.anonymous,
    reporterName: hideReporter ? null : reporterShown(reporter?.name ?? null),
    onBehalf: r.reporterUserId !== r.filedBy,
    isMine: viewer.reporter,
    supportedByMe: supported !== undefined,
    assigneeName: assignee?.name ?? null,
    acceptDueAt: r.acceptDueAt.toISOString(),
    resolveDueAt: r.resolveDueAt.toISOString(),
    rating: r.rating,
    ratingComment: r.ratingComment,
    mergedInto: r.mergedIntoId,
    actions: actionsFor(r, viewer),
    events: events.map(({ e, actorName }): ReportEvent => ({
      id: e.id,
      action: e.action as ReportEvent['action'],
      fromState: e.fromState,
      toState: e.toState,
      note: e.note,
      photos: e.photos.map(photoUrls),
      actorName:
        e.actorUserId === null || (hideReporter && reporterUsers.has(e.actorUserId))
          ? null
          : reporterUsers.has(e.actorUserId)
            ? reporterShown(actorName)
            : actorName,
      createdAt: e.createdAt.toISOString(),
    })),
  }
}
