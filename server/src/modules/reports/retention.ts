import { DEFAULT_RETENTION_DAYS } from '@liren/shared/rules'
import { sql } from 'drizzle-orm'
import { affectedRows, transaction, type Db } from '../../core/db.js'

const BATCH = 200
export const PURGED_TEXT = '（已过保存期限，内容已删除）'

/**
 * Closed reports that are not public keep their text and photos for the village's retention period
 * (report_settings.retention_days, a year by default) after they close; then the text, place, photos
 * and rating comment go, and so do the notes and photos of their timeline. The report row stays (its
 * category, dates and outcome are the village's figures). A report is claimed by its conditional update,
 * so two servers purge it once; its photos are released to the unused-photo cleanup unless something
 * else still shows the same picture.
 */
export async function purgeExpiredReports(db: Db, now = new Date()): Promise<number> {
  const [due] = (await db.execute(sql`
    SELECT r.id FROM reports r LEFT JOIN report_settings s ON s.village_id = r.village_id
    WHERE r.is_public = 0 AND r.purged_at IS NULL AND r.state IN ('closed', 'rejected', 'merged')
      AND r.closed_at <= DATE_SUB(${now}, INTERVAL COALESCE(s.retention_days, ${DEFAULT_RETENTION_DAYS}) DAY)
    ORDER BY r.id LIMIT ${BATCH}`)) as unknown as [{ id: number }[]]
  let purged = 0
  for (const { id } of due) {
    const done = await transaction(db, async (tx) => {
      const [[r]] = (await tx.execute(
        sql`SELECT photos FROM reports WHERE id = ${id} AND purged_at IS NULL FOR UPDATE`,
      )) as unknown as [{ photos: string[] | string }[]]
      if (!r) return false
      const [events] = (await tx.execute(sql`SELECT photos FROM report_events WHERE report_id = ${id}`)) as unknown as [
        { photos: string[] | string }[],
      ]
      const claim = await tx.execute(sql`
        UPDATE reports SET description = ${PURGED_TEXT}, photos = JSON_ARRAY(), address = NULL, latitude = NULL, longitude = NULL, rating_comment = NULL, purged_at = ${now}
        WHERE id = ${id} AND purged_at IS NULL`)
      if (affectedRows(claim) !== 1) return false
      await tx.execute(sql`UPDATE report_events SET note = NULL, photos = JSON_ARRAY() WHERE report_id = ${id}`)
      const list = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v)
      const keys = [...new Set([...list(r.photos), ...events.flatMap((e) => list(e.photos))])]
      for (const key of keys) {
        const k = JSON.stringify(key)
        await tx.execute(sql`
          UPDATE photos SET attached_at = NULL WHERE \`key\` = ${key}
            AND NOT EXISTS (SELECT 1 FROM reports WHERE JSON_CONTAINS(photos, ${k}))
            AND NOT EXISTS (SELECT 1 FROM report_events WHERE JSON_CONTAINS(photos, ${k}))
            AND NOT EXISTS (SELECT 1 FROM topics WHERE JSON_CONTAINS(photos, ${k}))
            AND NOT EXISTS (SELECT 1 FROM point_approvals WHERE JSON_CONTAINS(evidence, ${k}))`)
      }
      return true
    })
    if (done) purged++
  }
  return purged
}
