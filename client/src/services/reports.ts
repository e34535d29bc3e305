import type {
  AssignBody,
  FeedQuery,
  Handler,
  MergeBody,
  NoteBody,
  QueueQuery,
  RateBody,
  RejectReportBody,
  FiguresQuery,
  Report,
  ReportFigures,
  ReportPage,
  ReportSettingsView,
  ReportSummary,
  ResolveBody,
  SubmitReportBody,
  Inbox,
  IssuedOpen311Key,
  Open311Key,
} from '@liren/shared/contracts'
import { download, request, villageApi, withQuery, type Handled } from './http'

const reports = villageApi('reports')
const report = (villageId: number, reportId: number) => `${reports(villageId)}/${reportId}`

/** The village's categories and the deadlines of each urgency colour. */
export function getReportSettings(villageId: number, handled?: Handled): Promise<ReportSettingsView> {
  return request<ReportSettingsView>(`${reports(villageId)}/settings`, { handled })
}

/**
 * 400 CONTENT_REJECTED (field description), CATEGORY_NOT_FOUND, PHOTO_NOT_FOUND, VALIDATION_FAILED.
 * The same idempotencyKey sent again answers with the report already filed.
 */
export function submitReport(villageId: number, body: SubmitReportBody, handled?: Handled): Promise<Report> {
  return request<Report>(reports(villageId), { method: 'POST', data: body, handled })
}

/** The village's public reports, newest first. */
export function listFeed(villageId: number, query: FeedQuery, handled?: Handled): Promise<ReportPage> {
  return request<ReportPage>(withQuery(reports(villageId), { ...query }), { handled })
}

/** My own reports (and those I filed for a villager), public or not. */
export function listMyReports(villageId: number, query: FeedQuery, handled?: Handled): Promise<ReportPage> {
  return request<ReportPage>(withQuery(`${reports(villageId)}/mine`, { ...query }), { handled })
}

/** A handler's open reports, overdue first. 403 for people who handle none. */
export function listQueue(
  villageId: number,
  queue: NonNullable<QueueQuery['queue']>,
  handled?: Handled,
): Promise<ReportSummary[]> {
  return request<ReportSummary[]>(withQuery(`${reports(villageId)}/queue`, { queue }), { handled })
}

export function getReport(villageId: number, reportId: number, handled?: Handled): Promise<Report> {
  return request<Report>(report(villageId, reportId), { handled })
}

/** Who the report can be handed to (转派). */
export function listHandlers(villageId: number, reportId: number, handled?: Handled): Promise<Handler[]> {
  return request<Handler[]>(`${report(villageId, reportId)}/handlers`, { handled })
}

/** What a step of the work order sends; each answers with the report as it now is (409 TRANSITION_NOT_ALLOWED when too late). */
export interface StepBodies {
  accept: NoteBody
  start: NoteBody
  assign: AssignBody
  resolve: ResolveBody
  reject: RejectReportBody
  merge: MergeBody
  rate: RateBody
}

export function takeStep<S extends keyof StepBodies>(
  villageId: number,
  reportId: number,
  step: S,
  body: StepBodies[S],
  handled?: Handled,
): Promise<Report> {
  return request<Report>(`${report(villageId, reportId)}/${step}`, { method: 'POST', data: body, handled })
}

/** 我也遇到: the new count. 409 ALREADY_SUPPORTED. */
export function supportReport(villageId: number, reportId: number, handled?: Handled): Promise<{ supports: number }> {
  return request<{ supports: number }>(`${report(villageId, reportId)}/support`, { method: 'POST', handled })
}

/** Open public reports that have a place, for the map. */
export function listMapReports(villageId: number, handled?: Handled): Promise<ReportSummary[]> {
  return request<ReportSummary[]>(`${reports(villageId)}/map`, { handled })
}

/** Counts and timings of the period (the last twelve months by default). Committee and town admins; 403 otherwise. */
export function getFigures(villageId: number, query: FiguresQuery, handled?: Handled): Promise<ReportFigures> {
  return request<ReportFigures>(withQuery(`${reports(villageId)}/figures`, { ...query }), { handled })
}

/** Every report of the period as a CSV file Excel opens: saved in H5, opened (to forward) in the mini-program. */
export function downloadFiguresCsv(villageId: number, query: FiguresQuery, fileName: string): Promise<void> {
  return download(withQuery(`${reports(villageId)}/figures.csv`, { ...query }), fileName)
}

/** The same figures across the town's villages (town admins only). */
export function getTownFigures(townId: number, query: FiguresQuery, handled?: Handled): Promise<ReportFigures> {
  return request<ReportFigures>(withQuery(`/api/towns/${townId}/reports/figures`, { ...query }), { handled })
}

const open311Keys = villageApi('open311/keys')

/** The committee's keys, live and revoked. */
export function listOpen311Keys(villageId: number, handled?: Handled): Promise<Open311Key[]> {
  return request<Open311Key[]>(open311Keys(villageId), { handled })
}

/** 400 VALIDATION_FAILED (field label, 1–60 characters). */
export function createOpen311Key(villageId: number, label: string, handled?: Handled): Promise<IssuedOpen311Key> {
  return request<IssuedOpen311Key>(open311Keys(villageId), { method: 'POST', data: { label }, handled })
}

/** Stops the key working at once; answers with the list as it now is (404 NOT_FOUND when already revoked). */
export function revokeOpen311Key(villageId: number, keyId: number, handled?: Handled): Promise<Open311Key[]> {
  return request<Open311Key[]>(`${open311Keys(villageId)}/${keyId}/revoke`, { method: 'POST', handled })
}

/** What I have been told (report news), newest first, with the unread count. */
export function getInbox(handled?: Handled): Promise<Inbox> {
  return request<Inbox>('/api/notifications', { handled })
}

/** Marks my messages read: all of them, or the ids given. */
export function markInboxRead(ids?: number[], handled?: Handled): Promise<Inbox> {
  return request<Inbox>('/api/notifications/read', { method: 'POST', data: ids ? { ids } : {}, handled })
}
