import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateServiceBody,
  NeighbourService,
  NeighbourServiceList,
  ServiceParams,
  VillageParams,
} from '@liren/shared/contracts'
import type { Db } from '../../../core/db.js'
import { myPersonId, requirePermission } from '../../identity/index.js'
import { cancelService } from './service-cancel.js'
import { completeService } from './service-complete.js'
import { createService } from './service-create.js'
import { takeService } from './service-take.js'
import { listMyServices, listServices } from './service-view.js'
import { created, ok, signedInRoute } from '../../../core/routes.js'

const tags = ['services']
const route = signedInRoute(tags)

/** Neighbour services (服务互换): post an offer or a request, take one, confirm and pay on completion. */
export const serviceRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const members = [app.authenticate, requirePermission(db, 'services.use')]
  const base = '/api/villages/:villageId/services'

  app.get(
    base,
    route(members, '服务互换', { params: VillageParams, response: ok(NeighbourServiceList) }),
    async (req) => listServices(db, req.params.villageId, req.member.personId),
  )
  app.get(
    `${base}/mine`,
    route(members, '我发布的和我接下的服务', { params: VillageParams, response: ok(NeighbourServiceList) }),
    async (req) => listMyServices(db, req.params.villageId, req.member.personId),
  )
  app.post(
    base,
    route(members, '发布服务或求助', {
      params: VillageParams,
      body: CreateServiceBody,
      response: created(NeighbourService),
    }),
    async (req, reply) => {
      const { villageId } = req.params
      return reply.status(201).send(await createService(db, req.actor, villageId, myPersonId(req.member), req.body))
    },
  )
  const actions = [
    ['take', '接单', takeService],
    ['complete', '确认完成并支付积分', completeService],
    ['cancel', '撤回', cancelService],
  ] as const
  for (const [verb, summary, useCase] of actions) {
    app.post(
      `${base}/:serviceId/${verb}`,
      route(members, summary, { params: ServiceParams, response: ok(NeighbourService, 409) }),
      async (req) => {
        const { villageId, serviceId } = req.params
        return useCase(db, req.actor, villageId, serviceId, myPersonId(req.member))
      },
    )
  }
}
