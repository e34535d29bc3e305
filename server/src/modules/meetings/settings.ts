import { DEFAULT_MEETING_SETTINGS, type MeetingSettings } from '@liren/shared/rules'
import { eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db, type Executor } from '../../core/db.js'
import { meetingSettings } from './tables.js'

/** The village's rules for its meetings: its own, or the defaults until the committee sets them. */
export async function getMeetingSettings(db: Executor, villageId: number): Promise<Required<MeetingSettings>> {
  const [row] = await db.select().from(meetingSettings).where(eq(meetingSettings.villageId, villageId))
  if (!row) return { ...DEFAULT_MEETING_SETTINGS, proxiesAllowed: false }
  return {
    representativeNoticeDays: row.representativeNoticeDays,
    startGraceMinutes: row.startGraceMinutes,
    petitionAnswerDays: row.petitionAnswerDays,
    proxiesAllowed: row.proxiesAllowed,
  }
}

/**
 * The committee sets the village's meeting rules (audited with what they were). A save without
 * `proxiesAllowed` (from a page that does not know it) keeps it as it was.
 */
export async function saveMeetingSettings(
  db: Db,
  actor: Actor,
  villageId: number,
  body: MeetingSettings,
): Promise<Required<MeetingSettings>> {
  await transaction(db, async (tx) => {
    const before = await getMeetingSettings(tx, villageId)
    const settings = { ...body, proxiesAllowed: body.proxiesAllowed ?? before.proxiesAllowed }
    await tx
      .insert(meetingSettings)
      .values({ villageId, ...settings, updatedBy: actor.userId })
      .onDuplicateKeyUpdate({ set: { ...settings, updatedBy: actor.userId, updatedAt: new Date() } })
    await audit(tx, actor, {
      villageId,
      action: 'meetings.settings_saved',
      entity: 'village',
      entityId: villageId,
      data: { before, after: settings },
    })
  })
  return getMeetingSettings(db, villageId)
}
