import { ErrorCode, type RateBody } from '@liren/shared/contracts'
import { RATING_LABEL, canAct, stateAfterRating } from '@liren/shared/rules'
import dayjs from 'dayjs'
import type { Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { AppError, forbidden } from '../../core/errors.js'
import type { VillageMember } from '../identity/index.js'
import { canSee, findReport, reportNotFound, viewerOf } from './access.js'
import { changeReport } from './events.js'
import { notify } from '../identity/index.js'
import { handlersAt } from './handlers.js'
import { awardValidReport, notAllowed } from './handle-report.js'
import { getReportSettings } from './settings.js'

/**
 * The reporter closes the loop: 满意 or 基本满意 closes the report (and earns the reporter points once);
 * 不满意 sends it back to its handler with a fresh deadline to resolve.
 */
export async function rateReport(
  db: Db,
  actor: Actor,
  member: VillageMember,
  villageId: number,
  reportId: number,
  body: RateBody,
  now = new Date(),
): Promise<void> {
  await transaction(db, async (tx) => {
    const r = await findReport(tx, villageId, reportId, true)
    const viewer = await viewerOf(tx, member, actor.userId, r)
    if (!canSee(r, viewer)) throw reportNotFound()
    if (!viewer.reporter) throw forbidden('只有上报的人可以评价')
    if (!canAct('rate', r.state, 'reporter')) throw notAllowed(r.state, '评价')
    const comment = body.comment?.trim() || null
    if (body.rating === 'unsatisfied' && !comment)
      throw new AppError(400, ErrorCode.VALIDATION_FAILED, '请说一说哪里不满意', [
        { field: 'comment', message: '不满意时请写明原因' },
      ])
    const to = stateAfterRating(body.rating)
    const rated = { rating: body.rating, ratingComment: comment }
    const data = { rating: body.rating }
    if (to === 'closed') {
      const note = [RATING_LABEL[body.rating], comment].filter(Boolean).join('：')
      await changeReport(tx, r, { ...rated, state: 'closed', closedAt: now }, { action: 'rate', to, note, actor, data })
      await awardValidReport(tx, r)
    } else {
      const { deadlines } = await getReportSettings(tx, villageId)
      const resolveDueAt = dayjs(now).add(deadlines[r.urgency].resolveHours, 'hour').toDate()
      const set = { ...rated, state: 'in_progress', resolvedAt: null, resolveDueAt, escalateAt: resolveDueAt } as const
      await changeReport(tx, r, set, { action: 'reopen', to, note: `不满意：${comment}`, actor, data })
      const tell = r.assigneeUserId !== null ? [r.assigneeUserId] : await handlersAt(tx, villageId, r.gridId, r.level)
      await notify(
        tx,
        tell.map((userId) => ({
          userId,
          villageId,
          reportId: r.id,
          title: '上报人不满意，请再处理',
          body: comment!.slice(0, 60),
        })),
      )
    }
  })
}
