import { ErrorCode } from '@liren/shared/contracts'
import { and, eq, ne } from 'drizzle-orm'
import { affectedRows } from '../../../core/db.js'
import { conflict } from '../../../core/errors.js'
import { serviceStep } from './service-step.js'
import { findService } from './service-view.js'
import { neighbourServices } from '../tables.js'

/** Another member takes an open service; of two at once, the conditional update lets one win. */
export const takeService = serviceStep('service.taken', async (tx, { villageId, serviceId, personId }) => {
  const taken = await tx
    .update(neighbourServices)
    .set({ status: 'taken', takerPersonId: personId })
    .where(
      and(
        eq(neighbourServices.id, serviceId),
        eq(neighbourServices.villageId, villageId),
        eq(neighbourServices.status, 'open'),
        ne(neighbourServices.posterPersonId, personId),
      ),
    )
  if (affectedRows(taken) !== 1) {
    const s = await findService(tx, villageId, serviceId)
    if (s.posterPersonId === personId) throw conflict(ErrorCode.SERVICE_NOT_OPEN, '不能接自己发布的服务')
    throw conflict(ErrorCode.SERVICE_NOT_OPEN, s.status === 'taken' ? '这条服务已经有人接了' : '这条服务已经结束了')
  }
  return { personId }
})
