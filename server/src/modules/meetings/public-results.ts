import { ErrorCode, type PublicMeetingResults } from '@liren/shared/contracts'
import { noticeDays } from '@liren/shared/rules'
import { and, asc, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import { findVillage } from '../identity/index.js'
import { findMeeting } from './access.js'
import { agendaItems, votes } from './tables.js'
import { voteResult } from './votes.js'

/**
 * A closed meeting's results never change (closing needs every vote closed, and a closed meeting opens
 * no vote), so each server keeps the ones it has built: the same for every server, nothing to share.
 * Kept per database handle (a test process runs several databases).
 */
const kept = new WeakMap<Executor, Map<string, PublicMeetingResults>>()
const KEPT = 5000

/** 表决结果公示 of a meeting, once it has closed: its closed votes in agenda order. */
export async function publicMeetingResults(
  db: Executor,
  villageId: number,
  meetingId: number,
): Promise<PublicMeetingResults> {
  let published = kept.get(db)
  if (!published) kept.set(db, (published = new Map()))
  const key = `${villageId}:${meetingId}`
  const known = published.get(key)
  if (known) return known
  const m = await findMeeting(db, villageId, meetingId, false)
  if (m.state !== 'closed' && m.state !== 'published')
    throw conflict(ErrorCode.RESULTS_HIDDEN, '散会以后才公示表决结果')
  const [village, closed] = await Promise.all([
    findVillage(db, villageId),
    db
      .select({ id: votes.id })
      .from(votes)
      .innerJoin(agendaItems, eq(agendaItems.id, votes.agendaItemId))
      .where(and(eq(votes.meetingId, m.id), eq(votes.state, 'closed')))
      .orderBy(asc(agendaItems.position)),
  ])
  const results = await Promise.all(closed.map((v) => voteResult(db, villageId, v.id)))
  const page: PublicMeetingResults = {
    villageName: village.name,
    villageKind: village.kind,
    meetingId: m.id,
    kind: m.kind,
    title: m.title,
    place: m.place,
    startsAt: m.startsAt.toISOString(),
    announcedAt: m.announcedAt?.toISOString() ?? null,
    noticeDays: m.announcedAt ? noticeDays(m.announcedAt, m.startsAt) : null,
    urgentReason: m.urgentReason,
    results,
  }
  if (published.size >= KEPT) published.delete(published.keys().next().value!)
  published.set(key, page)
  return page
}
