import type { CreateServiceBody, NeighbourService } from '@liren/shared/contracts'
import { audit, type Actor } from '../../../core/audit.js'
import { transaction, type Db } from '../../../core/db.js'
import { serviceFor } from './service-view.js'
import { neighbourServices } from '../tables.js'

/** A member posts an offer (I can help) or a request (I need help) for the agreed points. */
export async function createService(
  db: Db,
  actor: Actor,
  villageId: number,
  personId: number,
  body: CreateServiceBody,
): Promise<NeighbourService> {
  return transaction(db, async (tx) => {
    const [{ id }] = (await tx
      .insert(neighbourServices)
      .values({
        villageId,
        kind: body.kind,
        title: body.title,
        description: body.description,
        points: body.points,
        posterPersonId: personId,
      })
      .$returningId()) as [{ id: number }]
    await audit(tx, actor, {
      villageId,
      action: 'service.posted',
      entity: 'neighbour_service',
      entityId: id,
      data: { kind: body.kind, points: body.points, personId },
    })
    return serviceFor(tx, villageId, id, personId)
  })
}
