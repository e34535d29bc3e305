import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateGridBody,
  CreateVillageBody,
  Grid,
  GridList,
  GridParams,
  LocateQuery,
  LocateResult,
  MembershipIdsBody,
  TownList,
  TownParams,
  UpdateGridBody,
  UpdateVillageBody,
  Village,
  VillageAdminList,
  VillageContact,
  VillageMemberList,
  VillageParams,
} from '@liren/shared/contracts'
import type { Db } from '../../core/db.js'
import { requirePermission } from '../identity/index.js'
import { createGrid } from './create-grid.js'
import { createVillage } from './create-village.js'
import { listGrids } from './list-grids.js'
import { listMembers } from './list-members.js'
import { listMyTowns } from './list-my-towns.js'
import { listTownVillages } from './list-town-villages.js'
import { locateGrid } from './locate-grid.js'
import { setCommittee } from './set-committee.js'
import { setGridWorkers } from './set-grid-workers.js'
import { updateGrid } from './update-grid.js'
import { updateVillage, updateVillageContact } from './update-village.js'
import { errors } from '../../core/errors.js'
import { created, ok, signedInRoute } from '../../core/routes.js'

export interface SetupOptions {
  db: Db
}

const tags = ['setup']
const route = signedInRoute(tags)

/** Setting up places: a town admin manages villages, grids, grid workers and committees. */
export const setupRoutes: FastifyPluginAsyncTypebox<SetupOptions> = async (app, { db }) => {
  const townAdmin = [app.authenticate, requirePermission(db, 'town.administer')]
  // No village role suffices here: only an admin of the village's town.
  const villageTownAdmin = [app.authenticate, requirePermission(db, 'village.configure')]
  const gridReaders = [app.authenticate, requirePermission(db, 'grids.list')]
  const anyMember = [app.authenticate, requirePermission(db, 'grids.locate')]
  const committee = [app.authenticate, requirePermission(db, 'members.list')]

  app.get(
    '/api/towns/mine',
    route(app.authenticate, '我管理的镇（街道）', { response: { 200: TownList, ...errors(401) } }),
    async (req) => listMyTowns(db, req.actor.userId),
  )

  app.get(
    '/api/towns/:townId/villages',
    route(townAdmin, '镇（街道）的村（社区）', { params: TownParams, response: ok(VillageAdminList) }),
    async (req) => listTownVillages(db, req.params.townId),
  )

  app.post(
    '/api/towns/:townId/villages',
    route(townAdmin, '新建村（社区）', {
      params: TownParams,
      body: CreateVillageBody,
      response: created(Village, 409),
    }),
    async (req, reply) => reply.status(201).send(await createVillage(db, req.actor, req.params.townId, req.body)),
  )

  app.patch(
    '/api/villages/:villageId',
    route(villageTownAdmin, '修改村（社区）的名称或类型（代码不能改）', {
      params: VillageParams,
      body: UpdateVillageBody,
      response: ok(Village),
    }),
    async (req) => updateVillage(db, req.actor, req.params.villageId, req.body),
  )
  app.put(
    '/api/villages/:villageId/contact',
    route([app.authenticate, requirePermission(db, 'village.contact')], '设置村（居）委会电话和办公时间', {
      params: VillageParams,
      body: VillageContact,
      response: ok(VillageContact),
    }),
    async (req) => updateVillageContact(db, req.actor, req.params.villageId, req.body),
  )

  app.get(
    '/api/villages/:villageId/grids',
    route(gridReaders, '网格与网格员', { params: VillageParams, response: ok(GridList) }),
    async (req) => listGrids(db, req.params.villageId),
  )

  app.post(
    '/api/villages/:villageId/grids',
    route(villageTownAdmin, '新建网格', { params: VillageParams, body: CreateGridBody, response: created(Grid, 409) }),
    async (req, reply) => reply.status(201).send(await createGrid(db, req.actor, req.params.villageId, req.body)),
  )

  app.get(
    '/api/villages/:villageId/grids/locate',
    route(anyMember, '某个位置属于哪个网格', {
      params: VillageParams,
      querystring: LocateQuery,
      response: ok(LocateResult),
    }),
    async (req) => locateGrid(db, req.params.villageId, req.query.lng, req.query.lat),
  )

  app.patch(
    '/api/villages/:villageId/grids/:gridId',
    route(villageTownAdmin, '修改网格名称或边界', {
      params: GridParams,
      body: UpdateGridBody,
      response: ok(Grid, 409),
    }),
    async (req) => updateGrid(db, req.actor, req.params.villageId, req.params.gridId, req.body),
  )

  app.put(
    '/api/villages/:villageId/grids/:gridId/workers',
    route(villageTownAdmin, '设置网格员（替换）', { params: GridParams, body: MembershipIdsBody, response: ok(Grid) }),
    async (req) => setGridWorkers(db, req.actor, req.params.villageId, req.params.gridId, req.body.membershipIds),
  )

  app.get(
    '/api/villages/:villageId/members',
    route(committee, '已认证的成员', { params: VillageParams, response: ok(VillageMemberList) }),
    async (req) => listMembers(db, req.params.villageId),
  )

  app.put(
    '/api/villages/:villageId/committee',
    route(villageTownAdmin, '设置村（居）委会成员（替换）', {
      params: VillageParams,
      body: MembershipIdsBody,
      response: ok(VillageMemberList),
    }),
    async (req) => setCommittee(db, req.actor, req.params.villageId, req.body.membershipIds),
  )
}
