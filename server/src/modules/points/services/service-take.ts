import { ErrorCode, type NeighbourService } from '@liren/shared/contracts'
import { and, eq, ne } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { affectedRows, transaction, type Db } from '../../../core/db.js'
import { conflict } from '../../../core/errors.js'
import { findService, serviceFor } from './service-view.js'
import { neighbourServices } from '../tables.js'

/** Another member takes an open service; of two at once, the conditional update lets one win. */
export async function takeService(
  db: Db,
  actor: Actor,
  villageId: number,
  serviceId: number,
  personId: number,
): Promise<NeighbourService> {
  return transaction(db, async (tx) => {
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
    await audit(tx, actor, {
      villageId,
      action: 'service.taken',
      entity: 'neighbour_service',
      entityId: serviceId,
      data: { personId },
    })
    return serviceFor(tx, villageId, serviceId, personId)
  })
}
