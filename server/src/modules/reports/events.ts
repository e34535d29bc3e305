import { eq } from 'drizzle-orm'
import type { Level, ReportState } from '@liren/shared/rules'
import type { Actor } from '../../core/audit.js'
import { audit } from '../../core/audit.js'
import type { Tx } from '../../core/db.js'
import type { ReportRow } from './access.js'
import { reportEvents, reports } from './tables.js'

export interface EventInput {
  reportId: number
  villageId: number
  action: string
  from: ReportState | null
  to: ReportState
  note?: string | null
  photos?: string[]
  level?: Level | null
  actor: Actor | null
  data?: Record<string, unknown>
}

/** Appends a timeline event and its audit entry. */
export async function recordEvent(tx: Tx, e: EventInput): Promise<void> {
  await tx.insert(reportEvents).values({
    reportId: e.reportId,
    action: e.action,
    fromState: e.from,
    toState: e.to,
    note: e.note ?? null,
    photos: e.photos ?? [],
    level: e.level ?? null,
    actorUserId: e.actor?.userId ?? null,
  })
  await audit(tx, e.actor, {
    villageId: e.villageId,
    action: `report.${e.action}`,
    entity: 'report',
    entityId: e.reportId,
    data: { from: e.from, to: e.to, ...(e.data ?? {}) },
  })
}

/** Changes a report's row and records the event, from the state the report was in. */
export async function changeReport(
  tx: Tx,
  r: ReportRow,
  set: Partial<typeof reports.$inferInsert>,
  e: Omit<EventInput, 'reportId' | 'villageId' | 'from'>,
): Promise<void> {
  await tx.update(reports).set(set).where(eq(reports.id, r.id))
  await recordEvent(tx, { reportId: r.id, villageId: r.villageId, from: r.state, ...e })
}
