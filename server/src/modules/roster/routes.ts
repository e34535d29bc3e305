import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CountsQuery,
  HouseholdDetail,
  HouseholdList,
  HouseholdParams,
  HouseholdPatch,
  HouseholdQuery,
  Household,
  ImportQuery,
  ImportReport,
  LinkPersonBody,
  MemberParams,
  Membership,
  Person,
  PersonList,
  PersonParams,
  PersonPatch,
  PersonQuery,
  RosterCounts,
  VillageParams,
} from '@liren/shared/contracts'
import type { Db } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { errors } from '../../core/errors.js'
import { download, ok, signedInRoute } from '../../core/routes.js'
import { binaryFile, readUploadedFile, XLSX } from '../../core/files.js'
import { todayInChina } from '../../core/time.js'
import { linkPerson, requirePermission } from '../identity/index.js'
import { exportRoster, rosterTemplate } from './export-roster.js'
import { getHousehold } from './get-household.js'
import { getPerson } from './get-person.js'
import { importRoster } from './import-roster.js'
import { listHouseholds } from './list-households.js'
import { listPeople } from './list-people.js'
import { getRosterCounts } from './roster-counts.js'
import { updateHousehold } from './update-household.js'
import { updatePerson } from './update-person.js'

/** A file body: Fastify sends Buffers as they are, past the serializer. */
const XlsxFile = binaryFile('XLSX workbook')
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024

/** The village roster (花名册). Committees read and write it; grid workers read it; residents do not see it. */
export const rosterRoutes: FastifyPluginAsyncTypebox<{ db: Db; secrets: Secrets }> = async (app, { db, secrets }) => {
  const readers = [app.authenticate, requirePermission(db, 'roster.read')]
  const writers = [app.authenticate, requirePermission(db, 'roster.edit')]
  const tags = ['roster']
  const route = signedInRoute(tags)

  app.get(
    '/api/villages/:villageId/roster/people',
    route(readers, '花名册：人员列表', { params: VillageParams, querystring: PersonQuery, response: ok(PersonList) }),
    async (req) => listPeople(db, secrets, req.params.villageId, req.query),
  )

  app.get(
    '/api/villages/:villageId/roster/people/:personId',
    route(readers, '花名册：一个人', { params: PersonParams, response: ok(Person) }),
    async (req) => getPerson(db, secrets, req.params.villageId, req.params.personId),
  )

  app.patch(
    '/api/villages/:villageId/roster/people/:personId',
    route(writers, '花名册：修改一个人', { params: PersonParams, body: PersonPatch, response: ok(Person, 409) }),
    async (req) =>
      updatePerson(db, secrets, req.actor, req.params.villageId, req.params.personId, req.body, todayInChina()),
  )

  app.get(
    '/api/villages/:villageId/roster/households',
    route(readers, '花名册：户列表', {
      params: VillageParams,
      querystring: HouseholdQuery,
      response: ok(HouseholdList),
    }),
    async (req) => listHouseholds(db, req.params.villageId, req.query),
  )

  app.get(
    '/api/villages/:villageId/roster/households/:householdId',
    route(readers, '花名册：一户', { params: HouseholdParams, response: ok(HouseholdDetail) }),
    async (req) => getHousehold(db, secrets, req.params.villageId, req.params.householdId),
  )

  app.patch(
    '/api/villages/:villageId/roster/households/:householdId',
    route(writers, '花名册：修改一户', { params: HouseholdParams, body: HouseholdPatch, response: ok(Household) }),
    async (req) => updateHousehold(db, req.actor, req.params.villageId, req.params.householdId, req.body),
  )

  app.get(
    '/api/villages/:villageId/roster/counts',
    route(readers, '花名册：户数、人数、成年人、村民代表', {
      params: VillageParams,
      querystring: CountsQuery,
      response: ok(RosterCounts),
    }),
    async (req) => getRosterCounts(db, req.params.villageId, req.query.on ?? todayInChina()),
  )

  app.get(
    '/api/villages/:villageId/roster/template.xlsx',
    route(readers, '花名册导入模板', {
      params: VillageParams,
      produces: [XLSX],
      response: { 200: XlsxFile, ...errors(401, 403, 404) },
    }),
    async (_req, reply) => download(reply, XLSX, '花名册模板.xlsx', 'roster-template.xlsx', await rosterTemplate()),
  )

  app.get(
    '/api/villages/:villageId/roster/export.xlsx',
    route(writers, '导出花名册', {
      params: VillageParams,
      produces: [XLSX],
      response: { 200: XlsxFile, ...errors(401, 403, 404) },
    }),
    async (req, reply) =>
      download(reply, XLSX, '花名册.xlsx', 'roster.xlsx', await exportRoster(db, secrets, req.params.villageId)),
  )

  app.post(
    '/api/villages/:villageId/roster/import',
    route(writers, '导入花名册（先试导入，再确认导入）', {
      description: 'multipart/form-data with one file field `file` (.xlsx or .csv). `commit=false` is a dry run.',
      params: VillageParams,
      querystring: ImportQuery,
      consumes: ['multipart/form-data'],
      response: ok(ImportReport, 406, 413, 415, 422),
    }),
    async (req) => {
      const buf = await readUploadedFile(req, MAX_IMPORT_BYTES, {
        upload: '请上传 Excel 或 CSV 文件',
        choose: '请选择要导入的文件',
        tooLarge: '文件太大了（最大 5 MB）',
        incomplete: '文件没有传完整，请重新上传',
      })
      return importRoster(db, secrets, req.actor, req.params.villageId, buf, req.query.commit ?? false, todayInChina())
    },
  )

  app.post(
    '/api/villages/:villageId/members/:membershipId/person',
    route(writers, '把已认证成员关联到花名册上的人', {
      params: MemberParams,
      body: LinkPersonBody,
      response: ok(Membership, 409),
    }),
    async (req) => linkPerson(db, secrets, req.actor, req.params.villageId, req.params.membershipId, req.body.personId),
  )
}
