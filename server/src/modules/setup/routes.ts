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
import { updateVillage } from './update-village.js'
import { errors, security } from '../../core/errors.js'

export interface SetupOptions {
  db: Db
}

const tags = ['setup']

/** Setting up places: a town admin manages villages, grids, grid workers and committees. */
export const setupRoutes: FastifyPluginAsyncTypebox<SetupOptions> = async (app, { db }) => {
  const townAdmin = requirePermission(db, 'town.administer')
  // No village role suffices here: only an admin of the village's town.
  const villageTownAdmin = requirePermission(db, 'village.configure')
  const gridReaders = requirePermission(db, 'grids.list')
  const anyMember = requirePermission(db, 'grids.locate')
  const committee = requirePermission(db, 'members.list')

  app.get(
    '/api/towns/mine',
    {
      preHandler: app.authenticate,
      schema: { tags, summary: '我管理的镇（街道）', security, response: { 200: TownList, ...errors(401) } },
    },
    async (req) => listMyTowns(db, req.actor.userId),
  )

  app.get(
    '/api/towns/:townId/villages',
    {
      preHandler: [app.authenticate, townAdmin],
      schema: {
        tags,
        summary: '镇（街道）的村（社区）',
        security,
        params: TownParams,
        response: { 200: VillageAdminList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => listTownVillages(db, req.params.townId),
  )

  app.post(
    '/api/towns/:townId/villages',
    {
      preHandler: [app.authenticate, townAdmin],
      schema: {
        tags,
        summary: '新建村（社区）',
        security,
        params: TownParams,
        body: CreateVillageBody,
        response: { 201: Village, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createVillage(db, req.actor, req.params.townId, req.body)),
  )

  app.patch(
    '/api/villages/:villageId',
    {
      preHandler: [app.authenticate, villageTownAdmin],
      schema: {
        tags,
        summary: '修改村（社区）的名称或类型（代码不能改）',
        security,
        params: VillageParams,
        body: UpdateVillageBody,
        response: { 200: Village, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => updateVillage(db, req.actor, req.params.villageId, req.body),
  )

  app.get(
    '/api/villages/:villageId/grids',
    {
      preHandler: [app.authenticate, gridReaders],
      schema: {
        tags,
        summary: '网格与网格员',
        security,
        params: VillageParams,
        response: { 200: GridList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => listGrids(db, req.params.villageId),
  )

  app.post(
    '/api/villages/:villageId/grids',
    {
      preHandler: [app.authenticate, villageTownAdmin],
      schema: {
        tags,
        summary: '新建网格',
        security,
        params: VillageParams,
        body: CreateGridBody,
        response: { 201: Grid, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createGrid(db, req.actor, req.params.villageId, req.body)),
  )

  app.get(
    '/api/villages/:villageId/grids/locate',
    {
      preHandler: [app.authenticate, anyMember],
      schema: {
        tags,
        summary: '某个位置属于哪个网格',
        security,
        params: VillageParams,
        querystring: LocateQuery,
        response: { 200: LocateResult, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => locateGrid(db, req.params.villageId, req.query.lng, req.query.lat),
  )

  app.patch(
    '/api/villages/:villageId/grids/:gridId',
    {
      preHandler: [app.authenticate, villageTownAdmin],
      schema: {
        tags,
        summary: '修改网格名称或边界',
        security,
        params: GridParams,
        body: UpdateGridBody,
        response: { 200: Grid, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateGrid(db, req.actor, req.params.villageId, req.params.gridId, req.body),
  )

  app.put(
    '/api/villages/:villageId/grids/:gridId/workers',
    {
      preHandler: [app.authenticate, villageTownAdmin],
      schema: {
        tags,
        summary: '设置网格员（替换）',
        security,
        params: GridParams,
        body: MembershipIdsBody,
        response: { 200: Grid, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => setGridWorkers(db, req.actor, req.params.villageId, req.params.gridId, req.body.membershipIds),
  )

  app.get(
    '/api/villages/:villageId/members',
    {
      preHandler: [app.authenticate, committee],
      schema: {
        tags,
        summary: '已认证的成员',
        security,
        params: VillageParams,
        response: { 200: VillageMemberList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => listMembers(db, req.params.villageId),
  )

  app.put(
    '/api/villages/:villageId/committee',
    {
      preHandler: [app.authenticate, villageTownAdmin],
      schema: {
        tags,
        summary: '设置村（居）委会成员（替换）',
        security,
        params: VillageParams,
        body: MembershipIdsBody,
        response: { 200: VillageMemberList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => setCommittee(db, req.actor, req.params.villageId, req.body.membershipIds),
  )
}
