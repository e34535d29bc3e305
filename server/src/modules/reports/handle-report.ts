import {
  ErrorCode,
  type AssignBody,
  type MergeBody,
  type NoteBody,
  type RejectReportBody,
  type ResolveBody,
} from '@liren/shared/contracts'
import { REPORT_STATE_LABEL, canAct, type ReportAction, type ReportState } from '@liren/shared/rules'
import { and, eq, sql } from 'drizzle-orm'
import type { Actor } from '../../core/audit.js'
import { transaction, type Db, type Tx } from '../../core/db.js'
import { AppError, forbidden } from '../../core/errors.js'
import { award } from '../points/index.js'
import type { VillageMember } from '../identity/index.js'
import { canSee, findReport, reportNotFound, viewerOf, type ReportRow } from './access.js'
import { attachPhotos } from '../../core/photos.js'
import { changeReport } from './events.js'
import { notify, type Notice } from '../identity/index.js'
import { reportHandlers } from './handlers.js'
import { reports } from './tables.js'

export const notAllowed = (state: ReportState, what: string) =>
  new AppError(409, ErrorCode.TRANSITION_NOT_ALLOWED, `这条上报现在是“${REPORT_STATE_LABEL[state]}”，不能${what}`, [
    { field: 'state', message: REPORT_STATE_LABEL[state] },
  ])

const WHAT: Record<ReportAction, string> = {
  accept: '受理',
  assign: '转派',
  start: '开始处理',
  resolve: '办结',
  reject: '不予受理',
  merge: '合并',
  rate: '评价',
  close: '结案',
  escalate: '上报上级',
}

type Party = 'handler' | 'reporter'

const NOT_YOURS: Record<Party, string> = {
  handler: '只有这条上报的处理人（本网格网格员、村（居）委会、镇街管理员）可以处理',
  reporter: '只有上报的人可以评价',
}

/** Locks the report and checks that the caller is its `party` and that the table allows the action now. */
async function lockFor(
  tx: Tx,
  actor: Actor,
  member: VillageMember,
  villageId: number,
  reportId: number,
  action: ReportAction,
  party: Party,
): Promise<ReportRow> {
  const report = await findReport(tx, villageId, reportId, true)
  const viewer = await viewerOf(tx, member, actor.userId, report)
  if (!canSee(report, viewer)) throw reportNotFound()
  if (!viewer[party]) throw forbidden(NOT_YOURS[party])
  if (!canAct(action, report.state, party)) throw notAllowed(report.state, WHAT[action])
  return report
}

/** Tells the reporter (and whoever filed for them) what happened. */
export const toReporter = (r: ReportRow, title: string, body: string): Notice[] =>
  [r.reporterUserId, r.filedBy]
    .filter((u): u is number => u !== null)
    .map((userId) => ({ userId, villageId: r.villageId, reportId: r.id, title, body }))

/**
 * A step on a report by one of its parties: the report locked and the caller checked (lockFor), then
 * `step` changes it, in one transaction.
 */
export function reportStep<B>(
  action: ReportAction,
  party: Party,
  step: (tx: Tx, r: ReportRow, body: B, c: { actor: Actor; villageId: number; now: Date }) => Promise<void>,
) {
  return (
    db: Db,
    actor: Actor,
    member: VillageMember,
    villageId: number,
    reportId: number,
    body: B,
    now = new Date(),
  ): Promise<void> =>
    transaction(db, async (tx) => {
      const r = await lockFor(tx, actor, member, villageId, reportId, action, party)
      await step(tx, r, body, { actor, villageId, now })
    })
}

export const acceptReport = reportStep<NoteBody>('accept', 'handler', async (tx, r, body, { actor, now }) => {
  const set = { state: 'accepted', assigneeUserId: actor.userId, acceptedAt: now, escalateAt: r.resolveDueAt } as const
  await changeReport(tx, r, set, { action: 'accept', to: 'accepted', note: body.note, actor })
  await notify(tx, toReporter(r, '您的上报已受理', body.note ?? `“${r.category}”已有人负责处理`))
})

export const assignReport = reportStep<AssignBody>('assign', 'handler', async (tx, r, body, { actor, villageId }) => {
  if (!(await reportHandlers(tx, villageId, r.gridId)).some((h) => h.userId === body.assigneeUserId)) {
    throw new AppError(400, ErrorCode.MEMBER_NOT_FOUND, '只能交给这条上报的处理人', [
      { field: 'assigneeUserId', message: '不是本网格网格员、村（居）委会成员或镇街管理员' },
    ])
  }
  const data = { assigneeUserId: body.assigneeUserId }
  await changeReport(tx, r, data, { action: 'assign', to: r.state, note: body.note, actor, data })
  await notify(tx, [
    {
      userId: body.assigneeUserId,
      villageId,
      reportId: r.id,
      title: '有一条上报交给您处理',
      body: r.description.slice(0, 60),
    },
  ])
})

export const startReport = reportStep<NoteBody>('start', 'handler', async (tx, r, body, { actor }) => {
  await changeReport(tx, r, { state: 'in_progress' }, { action: 'start', to: 'in_progress', note: body.note, actor })
  await notify(tx, toReporter(r, '您的上报正在处理', body.note ?? '处理人已经开始处理'))
})

export const resolveReport = reportStep<ResolveBody>('resolve', 'handler', async (tx, r, body, { actor, now }) => {
  const photos = body.photos ?? []
  await attachPhotos(tx, photos, 'photos')
  const set = {
    state: 'resolved',
    resolvedAt: now,
    escalateAt: null,
    assigneeUserId: r.assigneeUserId ?? actor.userId,
  } as const
  await changeReport(tx, r, set, { action: 'resolve', to: 'resolved', note: body.note.trim(), photos, actor })
  await notify(tx, toReporter(r, '您的上报已办结，请评价', body.note.slice(0, 60)))
})

export const rejectReport = reportStep<RejectReportBody>('reject', 'handler', async (tx, r, body, { actor, now }) => {
  const set = { state: 'rejected', closedAt: now, escalateAt: null } as const
  await changeReport(tx, r, set, { action: 'reject', to: 'rejected', note: body.reason.trim(), actor })
  await notify(tx, toReporter(r, '您的上报不予受理', body.reason.slice(0, 60)))
})

/** A duplicate goes into the report it repeats: its reporter follows that one, and counts as a "我也遇到". */
export async function mergeReport(
  db: Db,
  actor: Actor,
  member: VillageMember,
  villageId: number,
  reportId: number,
  body: MergeBody,
  now = new Date(),
): Promise<void> {
  await transaction(db, async (tx) => {
    if (body.intoReportId === reportId)
      throw new AppError(400, ErrorCode.VALIDATION_FAILED, '不能合并到它自己', [
        { field: 'intoReportId', message: '是同一条上报' },
      ])
    // Both rows locked, the lower id first, so two merges the other way round cannot deadlock.
    for (const id of [reportId, body.intoReportId].sort((a, b) => a - b)) {
      await tx
        .select({ id: reports.id })
        .from(reports)
        .where(and(eq(reports.id, id), eq(reports.villageId, villageId)))
        .for('update')
    }
    const r = await lockFor(tx, actor, member, villageId, reportId, 'merge', 'handler')
    // The caller must handle the report merged into as well; one they do not is answered as one that does
    // not exist, so a merge tells nothing about private reports of other grids.
    const [into] = await tx
      .select()
      .from(reports)
      .where(and(eq(reports.id, body.intoReportId), eq(reports.villageId, villageId)))
    if (!into || !(await viewerOf(tx, member, actor.userId, into)).handler) {
      throw new AppError(404, ErrorCode.REPORT_NOT_FOUND, '要合并到的上报不存在', [
        { field: 'intoReportId', message: '不是本村（社区）您处理的上报' },
      ])
    }
    if (into.state === 'rejected' || into.state === 'merged')
      throw new AppError(
        409,
        ErrorCode.TRANSITION_NOT_ALLOWED,
        `要合并到的上报是“${REPORT_STATE_LABEL[into.state]}”，不能合并进去`,
        [{ field: 'intoReportId', message: REPORT_STATE_LABEL[into.state] }],
      )
    await tx
      .update(reports)
      .set({ supports: sql`${reports.supports} + 1` })
      .where(eq(reports.id, into.id))
    const note = body.note?.trim() || `与第 ${into.id} 号上报是同一件事，合并处理`
    const set = { state: 'merged', mergedIntoId: into.id, closedAt: now, escalateAt: null } as const
    await changeReport(tx, r, set, { action: 'merge', to: 'merged', note, actor, data: { into: into.id } })
    await notify(tx, [
      ...toReporter(r, '您的上报已合并', `和第 ${into.id} 号上报一起处理，请关注那一条`),
      ...toReporter(into, '有人上报了同一件事', `第 ${r.id} 号上报已合并到您的上报`),
    ])
  })
}

/**
 * A valid report (resolved and closed) earns its reporter points once, by the village's 随手拍 rule, in
 * the caller's transaction. A rule switched off, missing, or at its cap means no points, not a failure.
 */
export async function awardValidReport(tx: Tx, r: ReportRow): Promise<void> {
  if (r.reporterPersonId === null) return
  try {
    await award(tx, {
      villageId: r.villageId,
      personId: r.reporterPersonId,
      ruleCode: 'valid_report',
      reason: `随手拍有效上报：${r.category}`,
      ref: { type: 'report', id: r.id },
      anonymous: r.anonymous,
      key: `report:${r.id}:valid`,
    })
  } catch (err) {
    if (err instanceof AppError && (err.code === ErrorCode.CAP_REACHED || err.code === ErrorCode.RULE_NOT_FOUND)) return
    throw err
  }
}
