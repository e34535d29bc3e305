import { ErrorCode, type RateBody } from '@liren/shared/contracts'
import { RATING_LABEL, stateAfterRating } from '@liren/shared/rules'
import dayjs from 'dayjs'
import { AppError } from '../../core/errors.js'
import { changeReport } from './events.js'
import { notify } from '../identity/index.js'
import { handlersAt } from './handlers.js'
import { awardValidReport, reportStep } from './handle-report.js'
import { getReportSettings } from './settings.js'

/**
 * The reporter closes the loop: 满意 or 基本满意 closes the report (and earns the reporter points once);
 * 不满意 sends it back to its handler with a fresh deadline to resolve.
 */
export const rateReport = reportStep<RateBody>('rate', 'reporter', async (tx, r, body, { actor, villageId, now }) => {
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
