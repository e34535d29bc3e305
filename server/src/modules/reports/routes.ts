import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AssignBody,
  ErrorCode,
  FiguresQuery,
  FeedQuery,
  HandlerList,
  MergeBody,
  NoteBody,
  Photo,
  QueueQuery,
  RateBody,
  RejectReportBody,
  Report,
  ReportPage,
  ReportParams,
  ReportFigures,
  ReportSettings,
  ReportSettingsView,
  ReportSummary,
  ResolveBody,
  SubmitReportBody,
  TownParams,
  VillageParams,
} from '@liren/shared/contracts'
import { Type } from 'typebox'
import type { Db } from '../../core/db.js'
import { AppError, errors } from '../../core/errors.js'
import { created, download, ok, signedInRoute } from '../../core/routes.js'
import { binaryFile, readUploadedFile } from '../../core/files.js'
import { todayInChina } from '../../core/time.js'
import { MAX_PHOTO_BYTES } from '../../core/photos.js'
import type { Storage } from '../../core/storage.js'
import { limiter, type Limit } from '../../core/rate-limits.js'
import type { WechatClient } from '../../core/wechat.js'
import { requirePermission } from '../identity/index.js'
import { figuresCsv, townFigures, villageFigures } from './figures.js'
import { acceptReport, assignReport, mergeReport, rejectReport, resolveReport, startReport } from './handle-report.js'
import { handlersOf } from './handlers.js'
import { feed, mapReports, myReports, queue } from './lists.js'
import { rateReport } from './rate-report.js'
import { getReportSettings, saveReportSettings } from './settings.js'
import { submitReport } from './submit-report.js'
import { supportReport } from './support-report.js'
import { uploadPhoto } from './upload-photo.js'
import { loadReport } from './view.js'

const tags = ['reports']
const route = signedInRoute(tags)
const FileParams = Type.Object({ name: Type.String({ pattern: '^[a-f0-9]{64}(-thumb)?\\.jpg$' }) })
const Supports = Type.Object({ supports: Type.Integer() })

/** Reports (随手拍): photos, filing, the feed, the handlers' work, the reporter's rating. */
export const reportRoutes: FastifyPluginAsyncTypebox<{
  db: Db
  wechat: WechatClient
  storage: Storage
  limits: { report: Limit; upload: Limit }
  subscribeTemplateId: string | null
}> = async (app, { db, wechat, storage, limits, subscribeTemplateId }) => {
  const members = [app.authenticate, requirePermission(db, 'reports.read')]
  const participants = [app.authenticate, requirePermission(db, 'reports.take-part')]
  const submitter = requirePermission(db, 'reports.submit')
  const committee = [app.authenticate, requirePermission(db, 'reports.configure')]
  const [submits, uploads] = [limiter(app, 'report', limits.report), limiter(app, 'upload', limits.upload)]
  const base = '/api/villages/:villageId/reports'
  const report = `${base}/:reportId`

  app.get(
    `${base}/settings`,
    route(members, '上报类别、处理时限和进展的订阅消息模板', {
      params: VillageParams,
      response: ok(ReportSettingsView),
    }),
    async (req) => ({ ...(await getReportSettings(db, req.params.villageId)), subscribeTemplateId }),
  )
  app.put(
    `${base}/settings`,
    route(committee, '修改上报类别和处理时限（村委会）', {
      params: VillageParams,
      body: ReportSettings,
      response: ok(ReportSettings),
    }),
    async (req) => saveReportSettings(db, req.actor, req.params.villageId, req.body),
  )

  app.post(
    '/api/villages/:villageId/photos',
    {
      onRequest: uploads.perIp,
      ...route([app.authenticate, uploads.perUser, submitter], '上传一张照片（先上传，提交上报时带上它的 key）', {
        description:
          'multipart/form-data with one file field `file`: JPEG, PNG or WebP up to 10 MB. Stored re-encoded, without EXIF.',
        params: VillageParams,
        consumes: ['multipart/form-data'],
        response: created(Photo, 413, 415, 429),
      }),
    },
    async (req, reply) => {
      const bytes = await readUploadedFile(req, MAX_PHOTO_BYTES, {
        upload: '请上传照片',
        choose: '请选择照片',
        tooLarge: '照片太大了，请小于 10 MB',
        incomplete: '照片没有传完整，请重新上传',
      })
      return reply.status(201).send(await uploadPhoto(db, storage, req.actor, bytes))
    },
  )

  // Stored photos by their content hash (unguessable), without login: the mini-program's <image> sends no token.
  app.get(
    '/files/:name',
    {
      schema: {
        tags,
        summary: '照片文件',
        params: FileParams,
        produces: ['image/jpeg'],
        response: { 200: binaryFile('JPEG'), ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const bytes = await storage.get(req.params.name)
      if (!bytes) throw new AppError(404, ErrorCode.NOT_FOUND, '没有这张照片', [{ field: 'name', message: '不存在' }])
      return reply.type('image/jpeg').header('cache-control', 'public, max-age=31536000, immutable').send(bytes)
    },
  )

  app.post(
    base,
    {
      onRequest: submits.perIp,
      ...route([app.authenticate, submits.perUser, submitter], '上报（随手拍）', {
        params: VillageParams,
        body: SubmitReportBody,
        response: created(Report, 409, 429),
      }),
    },
    async (req, reply) => {
      const { id } = await submitReport(db, wechat, req.actor, req.member, req.params.villageId, req.body)
      return reply.status(201).send(await loadReport(db, req.member, req.actor.userId, req.params.villageId, id))
    },
  )
  app.get(
    base,
    route(members, '本村（社区）公开的上报', {
      params: VillageParams,
      querystring: FeedQuery,
      response: ok(ReportPage),
    }),
    async (req) => feed(db, req.params.villageId, req.query),
  )
  app.get(
    `${base}/mine`,
    route(members, '我的上报', { params: VillageParams, querystring: FeedQuery, response: ok(ReportPage) }),
    async (req) => myReports(db, req.params.villageId, req.actor.userId, req.query),
  )
  app.get(
    `${base}/map`,
    route(members, '地图上还没办完的公开上报', { params: VillageParams, response: ok(Type.Array(ReportSummary)) }),
    async (req) => mapReports(db, req.params.villageId),
  )
  app.get(
    `${base}/queue`,
    route(members, '处理队列（超时的在前）', {
      params: VillageParams,
      querystring: QueueQuery,
      response: ok(Type.Array(ReportSummary)),
    }),
    async (req) => queue(db, req.member, req.actor.userId, req.params.villageId, req.query),
  )
  // Figures for the committee and the town.
  const overseers = [app.authenticate, requirePermission(db, 'reports.figures')]
  app.get(
    `${base}/figures`,
    route(overseers, '上报统计', { params: VillageParams, querystring: FiguresQuery, response: ok(ReportFigures) }),
    async (req) => villageFigures(db, req.params.villageId, req.query, todayInChina()),
  )
  app.get(
    `${base}/figures.csv`,
    route(overseers, '上报明细（CSV，Excel 可打开）', {
      params: VillageParams,
      querystring: FiguresQuery,
      produces: ['text/csv'],
      response: ok(binaryFile('CSV')),
    }),
    async (req, reply) =>
      download(
        reply,
        'text/csv; charset=utf-8',
        '上报明细.csv',
        'reports.csv',
        Buffer.from(await figuresCsv(db, req.params.villageId, req.query, todayInChina())),
      ),
  )
  app.get(
    '/api/towns/:townId/reports/figures',
    route([app.authenticate, requirePermission(db, 'town.administer')], '全镇（街道）上报统计', {
      params: TownParams,
      querystring: FiguresQuery,
      response: ok(ReportFigures),
    }),
    async (req) => townFigures(db, req.params.townId, req.query, todayInChina()),
  )

  app.get(report, route(members, '上报详情和处理经过', { params: ReportParams, response: ok(Report) }), async (req) =>
    loadReport(db, req.member, req.actor.userId, req.params.villageId, req.params.reportId),
  )
  app.get(
    `${report}/handlers`,
    route(members, '可以转派给谁', { params: ReportParams, response: ok(HandlerList) }),
    async (req) => handlersOf(db, req.member, req.actor.userId, req.params.villageId, req.params.reportId),
  )

  // The handlers' steps, then the reporter's rating; each answers with the report as it now is.
  const steps = [
    { path: 'accept', summary: '受理', body: NoteBody, run: acceptReport },
    { path: 'assign', summary: '转派', body: AssignBody, run: assignReport },
    { path: 'start', summary: '开始处理', body: NoteBody, run: startReport },
    { path: 'resolve', summary: '办结', body: ResolveBody, run: resolveReport },
    { path: 'reject', summary: '不予受理', body: RejectReportBody, run: rejectReport },
    { path: 'merge', summary: '合并到另一条上报', body: MergeBody, run: mergeReport },
    { path: 'rate', summary: '评价（上报人）', body: RateBody, run: rateReport },
  ] as const
  for (const step of steps) {
    app.post(
      `${report}/${step.path}`,
      route(participants, step.summary, { params: ReportParams, body: step.body, response: ok(Report, 409) }),
      async (req) => {
        const { villageId, reportId } = req.params
        await (
          step.run as (
            db: Db,
            actor: typeof req.actor,
            member: typeof req.member,
            villageId: number,
            reportId: number,
            body: unknown,
          ) => Promise<void>
        )(db, req.actor, req.member, villageId, reportId, req.body)
        return loadReport(db, req.member, req.actor.userId, villageId, reportId)
      },
    )
  }
  app.post(
    `${report}/support`,
    route(participants, '我也遇到', { params: ReportParams, response: ok(Supports, 409) }),
    async (req) => ({
      supports: await supportReport(db, req.actor, req.member, req.params.villageId, req.params.reportId),
    }),
  )
}
