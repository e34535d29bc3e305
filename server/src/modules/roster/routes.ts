import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CountsQuery,
  ErrorCode,
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
import { and, eq, like, or } from 'drizzle-orm'
import type { Db } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { AppError, errors, notFound, security } from '../../core/errors.js'
import { attachment, binaryFile } from '../../core/files.js'
import { todayInChina } from '../../core/time.js'
import { identityTables, linkPerson, requirePermission } from '../identity/index.js'
import { exportRoster, rosterTemplate } from './export-roster.js'
import { importRoster } from './import-roster.js'
import { listPeople } from './list-people.js'
import { findHouseholds, findPeople, personInVillage } from './people.js'
import { getRosterCounts } from './roster-counts.js'
import { updateHousehold } from './update-household.js'
import { updatePerson } from './update-person.js'

const { households, persons } = identityTables
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** A file body: Fastify sends Buffers as they are, past the serializer. */
const XlsxFile = binaryFile('XLSX workbook')
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024

/** The village roster (花名册). Committees read and write it; grid workers read it; residents do not see it. */
export const rosterRoutes: FastifyPluginAsyncTypebox<{ db: Db; secrets: Secrets }> = async (app, { db, secrets }) => {
  const readers = [app.authenticate, requirePermission(db, 'roster.read')]
  const writers = [app.authenticate, requirePermission(db, 'roster.edit')]
  const tags = ['roster']

  app.get(
    '/api/villages/:villageId/roster/people',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: '花名册：人员列表',
        security,
        params: VillageParams,
        querystring: PersonQuery,
        response: { 200: PersonList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => listPeople(db, secrets, req.params.villageId, req.query),
  )

  app.get(
    '/api/villages/:villageId/roster/people/:personId',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: '花名册：一个人',
        security,
        params: PersonParams,
        response: { 200: Person, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const [person] = await findPeople(db, secrets, personInVillage(req.params.villageId, req.params.personId))
      if (!person) throw notFound(ErrorCode.PERSON_NOT_FOUND, '花名册里没有这个人', 'personId')
      return person
    },
  )

  app.patch(
    '/api/villages/:villageId/roster/people/:personId',
    {
      preHandler: writers,
      schema: {
        tags,
        summary: '花名册：修改一个人',
        security,
        params: PersonParams,
        body: PersonPatch,
        response: { 200: Person, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      updatePerson(db, secrets, req.actor, req.params.villageId, req.params.personId, req.body, todayInChina()),
  )

  app.get(
    '/api/villages/:villageId/roster/households',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: '花名册：户列表',
        security,
        params: VillageParams,
        querystring: HouseholdQuery,
        response: { 200: HouseholdList, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const text = req.query.q?.trim()
      const pattern = text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined
      const where = and(
        eq(households.villageId, req.params.villageId),
        req.query.gridId !== undefined ? eq(households.gridId, req.query.gridId) : undefined,
        pattern ? or(like(households.number, pattern), like(households.address, pattern)) : undefined,
      )
      const [all, page] = await Promise.all([
        findHouseholds(db, where),
        findHouseholds(db, where, { offset: req.query.offset ?? 0, limit: req.query.limit ?? 50 }),
      ])
      return { total: all.length, households: page }
    },
  )

  app.get(
    '/api/villages/:villageId/roster/households/:householdId',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: '花名册：一户',
        security,
        params: HouseholdParams,
        response: { 200: HouseholdDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const [household] = await findHouseholds(
        db,
        and(eq(households.id, req.params.householdId), eq(households.villageId, req.params.villageId)),
      )
      if (!household) throw notFound(ErrorCode.HOUSEHOLD_NOT_FOUND, '这个村（社区）没有这一户', 'householdId')
      return { household, people: await findPeople(db, secrets, eq(persons.householdId, household.id)) }
    },
  )

  app.patch(
    '/api/villages/:villageId/roster/households/:householdId',
    {
      preHandler: writers,
      schema: {
        tags,
        summary: '花名册：修改一户',
        security,
        params: HouseholdParams,
        body: HouseholdPatch,
        response: { 200: Household, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => updateHousehold(db, req.actor, req.params.villageId, req.params.householdId, req.body),
  )

  app.get(
    '/api/villages/:villageId/roster/counts',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: '花名册：户数、人数、成年人、村民代表',
        security,
        params: VillageParams,
        querystring: CountsQuery,
        response: { 200: RosterCounts, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => getRosterCounts(db, req.params.villageId, req.query.on ?? todayInChina()),
  )

  app.get(
    '/api/villages/:villageId/roster/template.xlsx',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: '花名册导入模板',
        security,
        params: VillageParams,
        produces: [XLSX],
        response: { 200: XlsxFile, ...errors(401, 403, 404) },
      },
    },
    async (_req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', attachment('花名册模板.xlsx', 'roster-template.xlsx'))
        .send(await rosterTemplate()),
  )

  app.get(
    '/api/villages/:villageId/roster/export.xlsx',
    {
      preHandler: writers,
      schema: {
        tags,
        summary: '导出花名册',
        security,
        params: VillageParams,
        produces: [XLSX],
        response: { 200: XlsxFile, ...errors(401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply
        .type(XLSX)
        .header('content-disposition', attachment('花名册.xlsx', 'roster.xlsx'))
        .send(await exportRoster(db, secrets, req.params.villageId)),
  )

  app.post(
    '/api/villages/:villageId/roster/import',
    {
      preHandler: writers,
      schema: {
        tags,
        summary: '导入花名册（先试导入，再确认导入）',
        description: 'multipart/form-data with one file field `file` (.xlsx or .csv). `commit=false` is a dry run.',
        security,
        params: VillageParams,
        querystring: ImportQuery,
        consumes: ['multipart/form-data'],
        response: { 200: ImportReport, ...errors(400, 401, 403, 404, 406, 413, 415, 422) },
      },
    },
    async (req) => {
      if (!req.isMultipart())
        throw new AppError(415, ErrorCode.UNSUPPORTED_FILE, '请上传 Excel 或 CSV 文件', [
          { field: 'file', message: '没有收到文件' },
        ])
      // A multipart header without a boundary, a body that is no multipart: the client's fault, not ours.
      const part = await req.file({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } }).catch(() => {
        throw new AppError(400, ErrorCode.UNSUPPORTED_FILE, '请上传 Excel 或 CSV 文件', [
          { field: 'file', message: '没有收到文件' },
        ])
      })
      if (!part)
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, '请选择要导入的文件', [
          { field: 'file', message: '没有收到文件' },
        ])
      let buf: Buffer
      try {
        buf = await part.toBuffer()
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new AppError(413, ErrorCode.FILE_TOO_LARGE, '文件太大了（最大 5 MB）', [
            { field: 'file', message: '超过 5 MB' },
          ])
        }
        // The body ended inside the file (a cut-off upload, a closed connection).
        throw new AppError(400, ErrorCode.UNSUPPORTED_FILE, '文件没有传完整，请重新上传', [
          { field: 'file', message: '文件不完整' },
        ])
      }
      return importRoster(db, secrets, req.actor, req.params.villageId, buf, req.query.commit ?? false, todayInChina())
    },
  )

  app.post(
    '/api/villages/:villageId/members/:membershipId/person',
    {
      preHandler: writers,
      schema: {
        tags,
        summary: '把已认证成员关联到花名册上的人',
        security,
        params: MemberParams,
        body: LinkPersonBody,
        response: { 200: Membership, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => linkPerson(db, secrets, req.actor, req.params.villageId, req.params.membershipId, req.body.personId),
  )
}
