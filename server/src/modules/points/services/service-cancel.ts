import { ErrorCode } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import { affectedRows } from '../../../core/db.js'
import { conflict, forbidden } from '../../../core/errors.js'
import { serviceStep } from './service-step.js'
import { findService } from './service-view.js'
import { neighbourServices } from '../tables.js'

/** The poster withdraws a service nobody has taken yet. */
export const cancelService = serviceStep('service.cancelled', async (tx, { villageId, serviceId, personId }) => {
  const cancelled = await tx
    .update(neighbourServices)
    .set({ status: 'cancelled' })
    .where(
      and(
        eq(neighbourServices.id, serviceId),
        eq(neighbourServices.villageId, villageId),
        eq(neighbourServices.posterPersonId, personId),
        eq(neighbourServices.status, 'open'),
      ),
    )
  if (affectedRows(cancelled) !== 1) {
    const s = await findService(tx, villageId, serviceId)
    if (s.posterPersonId !== personId) throw forbidden('只有发布的人可以撤回这条服务')
    throw conflict(ErrorCode.SERVICE_NOT_OPEN, s.status === 'taken' ? '已经有人接了，不能撤回' : '这条服务已经结束了')
  }
  return { personId }
})
