import type { NeighbourService } from '@liren/shared/contracts'
import { audit, type Actor } from '../../../core/audit.js'
import { transaction, type Db, type Tx } from '../../../core/db.js'
import { serviceFor } from './service-view.js'

export interface ServiceStepContext {
  actor: Actor
  villageId: number
  serviceId: number
  personId: number
}

/**
 * A member's step on a service (take, cancel, complete): `change` makes it and returns what the audit
 * row keeps; the change, the audit row and the answer (the service as that member now sees it) share
 * one transaction.
 */
export function serviceStep(
  action: string,
  change: (tx: Tx, c: ServiceStepContext) => Promise<Record<string, unknown>>,
) {
  return (db: Db, actor: Actor, villageId: number, serviceId: number, personId: number): Promise<NeighbourService> =>
    transaction(db, async (tx) => {
      const data = await change(tx, { actor, villageId, serviceId, personId })
      await audit(tx, actor, { villageId, action, entity: 'neighbour_service', entityId: serviceId, data })
      return serviceFor(tx, villageId, serviceId, personId)
    })
}
