import type { ReportSettings } from '@liren/shared/contracts'
import { DEFAULT_CATEGORIES, DEFAULT_DEADLINES, DEFAULT_RETENTION_DAYS } from '@liren/shared/rules'
import { eq } from 'drizzle-orm'
import type { Actor } from '../../core/audit.js'
import { audit } from '../../core/audit.js'
import { transaction, type Db, type Executor } from '../../core/db.js'
import { reportSettings } from './tables.js'

/** A village's categories and deadlines; the defaults (product.md) until the committee changes them. */
export async function getReportSettings(db: Executor, villageId: number): Promise<ReportSettings> {
  const [row] = await db.select().from(reportSettings).where(eq(reportSettings.villageId, villageId))
  return row
    ? { categories: row.categories, deadlines: row.deadlines, retentionDays: row.retentionDays }
    : { categories: [...DEFAULT_CATEGORIES], deadlines: DEFAULT_DEADLINES, retentionDays: DEFAULT_RETENTION_DAYS }
}

export async function saveReportSettings(
  db: Db,
  actor: Actor,
  villageId: number,
  body: ReportSettings,
): Promise<ReportSettings> {
  const categories = [...new Set(body.categories.map((c) => c.trim()).filter(Boolean))]
  await transaction(db, async (tx) => {
    await tx
      .insert(reportSettings)
      .values({
        villageId,
        categories,
        deadlines: body.deadlines,
        retentionDays: body.retentionDays ?? DEFAULT_RETENTION_DAYS,
      })
      // Left out, the retention period stays as it was.
      .onDuplicateKeyUpdate({
        set: {
          categories,
          deadlines: body.deadlines,
          ...(body.retentionDays ? { retentionDays: body.retentionDays } : {}),
        },
      })
    await audit(tx, actor, {
      villageId,
      action: 'reports.settings_saved',
      entity: 'village',
      entityId: villageId,
      data: { categories, deadlines: body.deadlines, retentionDays: body.retentionDays ?? null },
    })
  })
  return getReportSettings(db, villageId)
}
