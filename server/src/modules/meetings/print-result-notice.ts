import { ErrorCode } from '@liren/shared/contracts'
import type { Db } from '../../core/db.js'
import type { Storage } from '../../core/storage.js'
import { conflict } from '../../core/errors.js'
import { todayInChina } from '../../core/time.js'
import { findVillage } from '../identity/index.js'
import { resultsPage } from './access.js'
import { resultNoticePdf } from './notice-pdf.js'
import { getMeeting, type MeetingViewer } from './view.js'
import { voteResult } from './votes.js'

/**
 * 表决结果公示 of a closed meeting as an A4 PDF to print, with each counting point's signed tally sheet.
 * `siteUrl` is where this server serves the H5 app: the notice's QR code opens the public results page
 * there, no sign-in needed.
 */
export async function printResultNotice(
  db: Db,
  storage: Storage,
  villageId: number,
  meetingId: number,
  viewer: MeetingViewer,
  siteUrl: string,
): Promise<{ title: string; pdf: Buffer }> {
  const meeting = await getMeeting(db, villageId, meetingId, viewer)
  if (meeting.state !== 'closed' && meeting.state !== 'published')
    throw conflict(ErrorCode.MEETING_STATE, '散会以后才能打印表决结果公示')
  const [village, results] = await Promise.all([
    findVillage(db, villageId),
    Promise.all(
      meeting.agenda.flatMap((item) =>
        item.vote?.state === 'closed' ? [voteResult(db, villageId, item.vote.id)] : [],
      ),
    ),
  ])
  const pageUrl = `${siteUrl}/#/${resultsPage(villageId, meetingId)}`
  // The sheets as stored (re-encoded JPEG); one missing from storage is left out, its key still on the page.
  const keys = [...new Set(results.flatMap((r) => r.countingPoints.flatMap((p) => (p.photo ? [p.photo.key] : []))))]
  const sheets = new Map<string, Buffer>()
  for (const key of keys) {
    const bytes = await storage.get(`${key}.jpg`)
    if (bytes) sheets.set(key, bytes)
  }
  return {
    title: meeting.title,
    pdf: await resultNoticePdf(village, meeting, results, todayInChina(), pageUrl, sheets),
  }
}
