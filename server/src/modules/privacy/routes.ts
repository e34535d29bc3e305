import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AccountDeleted,
  ConsentBody,
  ConsentState,
  DeleteAccountBody,
  Person,
  PersonParams,
  PrivacyGuide,
  RetirePersonBody,
} from '@liren/shared/contracts'
import { PRIVACY_GUIDE } from '@liren/shared/rules'
import { Type } from 'typebox'
import type { Db } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { errors } from '../../core/errors.js'
import { binaryFile, XLSX } from '../../core/files.js'
import { download, ok, signedInRoute } from '../../core/routes.js'
import { acceptPrivacyGuide, consentState, requirePermission } from '../identity/index.js'
import { getPerson } from '../roster/index.js'
import { deleteAccount, retirePerson } from './erase.js'
import { exportMyData } from './export.js'
import { writeMyDataWorkbook } from './my-data-file.js'

const tags = ['privacy']
const route = signedInRoute(tags)

/** 个人信息保护: the privacy guide and its acceptance, 我的数据 (export), 注销 (leaving), retiring a roster person. */
export const privacyRoutes: FastifyPluginAsyncTypebox<{ db: Db; secrets: Secrets }> = async (app, { db, secrets }) => {
  const committee = [app.authenticate, requirePermission(db, 'roster.edit')]

  app.get(
    '/api/privacy',
    { schema: { tags, summary: '用户隐私保护指引（不需要登录）', response: { 200: PrivacyGuide } } },
    async () => ({ ...PRIVACY_GUIDE, sections: [...PRIVACY_GUIDE.sections] }),
  )
  app.get(
    '/api/me/privacy',
    route(app.authenticate, '我是否已同意当前的隐私保护指引', { response: { 200: ConsentState, ...errors(401) } }),
    async (req) => consentState(db, req.actor.userId),
  )
  app.post(
    '/api/me/privacy',
    route(app.authenticate, '同意隐私保护指引（某个版本）', {
      body: ConsentBody,
      response: { 200: ConsentState, ...errors(400, 401, 409) },
    }),
    async (req) => acceptPrivacyGuide(db, req.actor, req.body.version),
  )
  app.get(
    '/api/me/export',
    route(app.authenticate, '我的数据：下载里仁保存的关于我的全部信息（JSON 文件）', {
      produces: ['application/json'],
      response: { 200: Type.Unknown(), ...errors(401) },
    }),
    async (req, reply) => {
      const data = await exportMyData(db, secrets, req.actor.userId)
      return download(
        reply.header('cache-control', 'no-store'),
        'application/json; charset=utf-8',
        '里仁-我的数据.json',
        'liren-my-data.json',
        JSON.stringify(data, null, 2),
      )
    },
  )
  app.get(
    '/api/me/export.xlsx',
    route(app.authenticate, '我的数据：同样的信息做成 Excel 表格，一类信息一页，方便人看', {
      produces: [XLSX],
      response: { 200: binaryFile('XLSX'), ...errors(401) },
    }),
    async (req, reply) => {
      const data = await exportMyData(db, secrets, req.actor.userId)
      return download(
        reply.header('cache-control', 'no-store'),
        XLSX,
        '里仁-我的数据.xlsx',
        'liren-my-data.xlsx',
        await writeMyDataWorkbook(data),
      )
    },
  )
  app.post(
    '/api/me/delete',
    route(app.authenticate, '注销账号（不能恢复）', {
      body: DeleteAccountBody,
      response: { 200: AccountDeleted, ...errors(400, 401) },
    }),
    async (req) => {
      await deleteAccount(db, req.actor)
      return { deleted: true as const }
    },
  )
  app.post(
    '/api/villages/:villageId/roster/people/:personId/retire',
    route(committee, '登记迁出或去世（村委会）：花名册留档，关联的账号信息抹去', {
      params: PersonParams,
      body: RetirePersonBody,
      response: ok(Person, 409),
    }),
    async (req) => {
      await retirePerson(db, req.actor, req.params.villageId, req.params.personId, req.body.status)
      return getPerson(db, secrets, req.params.villageId, req.params.personId)
    },
  )
}
