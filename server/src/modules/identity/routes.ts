import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  Application,
  ApplicationList,
  ApplicationParams,
  ApplicationQuery,
  CurrentVillageBody,
  DevCode,
  DevCodeBody,
  DevIdentityList,
  DevPhoneCodeBody,
  Inbox,
  JoinBody,
  MarkReadBody,
  Me,
  Membership,
  RefreshBody,
  RejectBody,
  SignedOut,
  TokenPair,
  VerifyBody,
  VillageList,
  VillageParams,
  WechatLoginBody,
} from '@liren/shared/contracts'
import { Type, type TSchema } from 'typebox'
import type { Db } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import type { WechatClient } from '../../core/wechat.js'
import { listDevIdentities } from './dev-identities.js'
import { getMe } from './get-me.js'
import { joinVillage } from './join-village.js'
import { listApplications } from './list-applications.js'
import { listVillages } from './list-villages.js'
import { listNotifications, markRead } from './notifications.js'
import { rejectApplication } from './reject-application.js'
import { refreshSession, signOut, startSession } from './sessions.js'
import { signInWithWechat } from './sign-in.js'
import { switchVillage } from './switch-village.js'
import { requirePermission } from './village-access.js'
import { verifyApplication } from './verify-application.js'
import { errors } from '../../core/errors.js'
import { ok, signedInRoute } from '../../core/routes.js'
import { limiter, type Limit } from '../../core/rate-limits.js'

export interface IdentityOptions {
  db: Db
  wechat: WechatClient
  secrets: Secrets
  /** Opens the development sign-in door (identity picker and login codes from the WeChat mock). */
  devLogin: boolean
  /** Sign-ins (and refreshes) per user and per IP, each route its own count. */
  loginLimit: Limit
}

const [authRoute, meRoute, villagesRoute] = [
  signedInRoute(['auth']),
  signedInRoute(['me']),
  signedInRoute(['villages']),
]

export const identityRoutes: FastifyPluginAsyncTypebox<IdentityOptions> = async (
  app,
  { db, wechat, secrets, devLogin, loginLimit },
) => {
  const reviewer = requirePermission(db, 'applications.review')
  const signIn = limiter(app, 'sign-in', loginLimit)
  const refresh = limiter(app, 'refresh', loginLimit)

  app.post(
    '/api/auth/wechat',
    {
      onRequest: signIn.perIp,
      schema: {
        tags: ['auth'],
        summary: '微信登录 (code → token)',
        body: WechatLoginBody,
        response: { 200: TokenPair, ...errors(400, 401, 429, 503) },
      },
    },
    async (req, reply) => {
      const { userId, isNew } = await signInWithWechat(db, wechat, req.body.code, req.id)
      await signIn.user(req, reply, userId)
      return { ...(await startSession(db, app.signTokens, userId)), userId, isNew }
    },
  )

  app.post(
    '/api/auth/refresh',
    {
      onRequest: refresh.perIp,
      schema: {
        tags: ['auth'],
        summary: '刷新登录（用过的刷新凭证作废；再次出示则结束这次登录）',
        body: RefreshBody,
        response: { 200: TokenPair, ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const claims = app.verifyRefreshToken(req.body.refreshToken)
      await refresh.user(req, reply, claims.userId)
      return {
        ...(await refreshSession(db, app.signTokens, req.body.refreshToken, claims)),
        userId: claims.userId,
        isNew: false,
      }
    },
  )

  app.post(
    '/api/auth/sign-out',
    authRoute(app.authenticate, '退出登录（所有手机上的登录都结束）', { response: { 200: SignedOut, ...errors(401) } }),
    async (req) => {
      await signOut(db, req.actor.userId)
      return { signedOut: true as const }
    },
  )

  app.get(
    '/api/me',
    meRoute(app.authenticate, '我的成员身份与角色', { response: { 200: Me, ...errors(401) } }),
    async (req) => getMe(db, secrets, req.actor.userId),
  )

  app.put(
    '/api/me/current-village',
    meRoute(app.authenticate, '切换当前村（社区）', { body: CurrentVillageBody, response: ok(Me) }),
    async (req) => switchVillage(db, secrets, req.actor, req.body.villageId),
  )

  app.get(
    '/api/villages',
    villagesRoute(app.authenticate, '可以申请加入的村（社区）', { response: { 200: VillageList, ...errors(401) } }),
    async () => listVillages(db),
  )

  app.post(
    '/api/villages/:villageId/applications',
    villagesRoute(app.authenticate, '申请加入村（社区）', {
      params: VillageParams,
      body: JoinBody,
      response: { 201: Membership, ...errors(400, 401, 404, 409, 503) },
    }),
    async (req, reply) =>
      reply.status(201).send(await joinVillage(db, wechat, secrets, req.actor, req.params.villageId, req.body)),
  )

  app.get(
    '/api/villages/:villageId/applications',
    villagesRoute([app.authenticate, reviewer], '入村申请列表（村委会）', {
      params: VillageParams,
      querystring: ApplicationQuery,
      response: ok(ApplicationList),
    }),
    async (req) => listApplications(db, secrets, req.params.villageId, req.query.status),
  )

  app.post(
    '/api/villages/:villageId/applications/:membershipId/verify',
    villagesRoute([app.authenticate, reviewer], '通过入村申请（村委会）', {
      params: ApplicationParams,
      body: Type.Optional(VerifyBody),
      response: ok(Application, 409),
    }),
    async (req) =>
      verifyApplication(db, secrets, req.actor, req.params.villageId, req.params.membershipId, req.body ?? {}),
  )

  app.post(
    '/api/villages/:villageId/applications/:membershipId/reject',
    villagesRoute([app.authenticate, reviewer], '不通过入村申请（村委会）', {
      params: ApplicationParams,
      body: RejectBody,
      response: ok(Application, 409),
    }),
    async (req) => rejectApplication(db, secrets, req.actor, req.params.villageId, req.params.membershipId, req.body),
  )

  // The inbox: what the signed-in person has been told, across their villages.
  app.get(
    '/api/notifications',
    meRoute(app.authenticate, '我的消息', { response: { 200: Inbox, ...errors(401) } }),
    async (req) => listNotifications(db, req.actor.userId),
  )
  app.post(
    '/api/notifications/read',
    meRoute(app.authenticate, '标为已读（不给编号就是全部）', {
      body: MarkReadBody,
      response: { 200: Inbox, ...errors(400, 401) },
    }),
    async (req) => {
      await markRead(db, req.actor.userId, req.body.ids)
      return listNotifications(db, req.actor.userId)
    },
  )

  // Below: the development sign-in door only.
  if (!devLogin) return

  app.get(
    '/api/dev/identities',
    { schema: { tags: ['dev'], summary: '演示身份（仅开发与测试）', response: { 200: DevIdentityList } } },
    async () => listDevIdentities(db),
  )

  // A code from the WeChat stand-in, each kind under its own limit.
  const devCode = <B extends TSchema>(limit: string, summary: string, body: B) => ({
    onRequest: limiter(app, limit, loginLimit).perIp,
    schema: { tags: ['dev'], summary, body, response: { 200: DevCode, ...errors(400, 429, 503) } },
  })
  app.post(
    '/api/dev/wechat-code',
    devCode('dev-code', '为演示身份取得登录 code（仅开发与测试）', DevCodeBody),
    async (req) => ({ code: await wechat.devLoginCode(req.body.openid) }),
  )
  app.post(
    '/api/dev/phone-code',
    devCode('dev-phone-code', '为手机号取得“微信手机号”授权码（仅开发与测试）', DevPhoneCodeBody),
    async (req) => ({ code: await wechat.devPhoneCode(req.body.phone) }),
  )
}
