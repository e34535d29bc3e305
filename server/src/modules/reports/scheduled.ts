import { AUTO_CLOSE_DAYS, OPEN_STATES, nextLevel, watchedHours, LEVEL_LABEL } from '@liren/shared/rules'
import dayjs from 'dayjs'
import { and, eq, inArray, lte } from 'drizzle-orm'
import { affectedRows, transaction, type Db } from '../../core/db.js'
import { recordEvent } from './events.js'
import { notify } from '../identity/index.js'
import { handlersAt } from './handlers.js'
import { awardValidReport, toReporter } from './handle-report.js'
import { getReportSettings } from './settings.js'
import { reports } from './tables.js'

const BATCH = 200

/**
 * Overdue open reports go up one level (grid → village → town), each level once. A report is claimed by
 * a conditional update of its level: with several servers running the scheduler, only one moves it, and
 * only that one writes the event and tells the next level's handlers. Returns how many were escalated.
 */
export async function escalateOverdue(db: Db, now = new Date()): Promise<number> {
  const due = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(lte(reports.escalateAt, now), inArray(reports.state, [...OPEN_STATES])))
    .orderBy(reports.escalateAt)
    .limit(BATCH)
  let escalated = 0
  for (const { id } of due) {
    const moved = await transaction(db, async (tx) => {
      const [r] = await tx.select().from(reports).where(eq(reports.id, id))
      if (!r || r.escalateAt === null || r.escalateAt > now || !OPEN_STATES.includes(r.state)) return false
      const level = nextLevel(r.level)
      const { deadlines } = await getReportSettings(tx, r.villageId)
      const hours = watchedHours(r.state, r.urgency, deadlines)
      // At the top there is nowhere further to go: it stays overdue, and stops being looked at.
      const escalateAt =
        level === null || level === 'town' || hours === null ? null : dayjs(now).add(hours, 'hour').toDate()
      const claim = await tx
        .update(reports)
        .set({ level: level ?? r.level, escalateAt })
        .where(
          and(
            eq(reports.id, r.id),
            eq(reports.level, r.level),
            lte(reports.escalateAt, now),
            eq(reports.state, r.state),
          ),
        )
      if (affectedRows(claim) !== 1 || level === null) return false
      const missed = r.state === 'submitted' ? '受理' : '办结'
      await recordEvent(tx, {
        reportId: r.id,
        villageId: r.villageId,
        action: 'escalate',
        from: r.state,
        to: r.state,
        level,
        note: `超过${missed}时限，已上报到${LEVEL_LABEL[level]}`,
        actor: null,
      })
      const handlers = await handlersAt(tx, r.villageId, r.gridId, level)
      await notify(tx, [
        ...handlers.map((userId) => ({
          userId,
          villageId: r.villageId,
          reportId: r.id,
          title: `超时上报：${r.category}`,
          body: `超过${missed}时限，请尽快处理`,
        })),
        ...toReporter(r, '您的上报已提交上级', `超过${missed}时限，已上报到${LEVEL_LABEL[level]}`),
      ])
      return true
    })
    if (moved) escalated++
  }
  return escalated
}

/** Resolved reports nobody rated close by themselves after seven days, and earn the reporter their points. */
export async function closeUnrated(db: Db, now = new Date()): Promise<number> {
  const cutoff = dayjs(now).subtract(AUTO_CLOSE_DAYS, 'day').toDate()
  const due = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.state, 'resolved'), lte(reports.resolvedAt, cutoff)))
    .limit(BATCH)
  let closed = 0
  for (const { id } of due) {
    const done = await transaction(db, async (tx) => {
      const claim = await tx
        .update(reports)
        .set({ state: 'closed', closedAt: now })
        .where(and(eq(reports.id, id), eq(reports.state, 'resolved'), lte(reports.resolvedAt, cutoff)))
      if (affectedRows(claim) !== 1) return false
      const [r] = await tx.select().from(reports).where(eq(reports.id, id))
      await recordEvent(tx, {
        reportId: id,
        villageId: r!.villageId,
        action: 'close',
        from: 'resolved',
        to: 'closed',
        note: `办结 ${AUTO_CLOSE_DAYS} 天没有评价，自动结案`,
        actor: null,
      })
      await awardValidReport(tx, r!)
      return true
    })
    if (done) closed++
  }
  return closed
}
