import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  Activity,
  ActivityCode,
  ActivityList,
  ActivityParams,
  AttendanceBody,
  ConfirmHoursBody,
  CreateActivityBody,
  Signup,
  SignupForBody,
  SignupList,
  VillageParams,
} from '@liren/shared/contracts'
import type { Db } from '../../../core/db.js'
import type { WechatClient } from '../../../core/wechat.js'
import { invalid } from '../../../core/errors.js'
import { created, ok, signedInRoute } from '../../../core/routes.js'
import { myPersonId, requirePermission } from '../../identity/index.js'
import { recordAttendance, type AttendanceStep } from './activity-attendance.js'
import { verifyActivityCode } from './activity-code.js'
import { cancelSignup } from './activity-cancel-signup.js'
import { confirmHours } from './activity-confirm-hours.js'
import { createActivity } from './activity-create.js'
import { listActivities, listMySignups } from './activity-list.js'
import { printActivityCode } from './activity-print-code.js'
import { signUp } from './activity-sign-up.js'
import { activityFor, findActivity, loadSignups } from './activity-view.js'

const tags = ['activities']
const route = signedInRoute(tags)

/** Volunteer activities (志愿服务): publish, sign up, check in and out by QR code, confirm hours. */
export const activityRoutes: FastifyPluginAsyncTypebox<{ db: Db; wechat: WechatClient; codeSecret: string }> = async (
  app,
  { db, wechat, codeSecret },
) => {
  const members = [app.authenticate, requirePermission(db, 'activities.join')]
  const committee = [app.authenticate, requirePermission(db, 'activities.manage')]
  const base = '/api/villages/:villageId/activities'

  app.get(base, route(members, '志愿服务活动', { params: VillageParams, response: ok(ActivityList) }), async (req) =>
    listActivities(db, req.params.villageId, req.member.personId),
  )
  app.get(
    `${base}/mine`,
    route(members, '我报名的活动', { params: VillageParams, response: ok(ActivityList) }),
    async (req) => listMySignups(db, req.params.villageId, req.member.personId),
  )
  app.post(
    base,
    route(committee, '发布志愿服务活动', {
      params: VillageParams,
      body: CreateActivityBody,
      response: created(Activity),
    }),
    async (req, reply) => reply.status(201).send(await createActivity(db, req.actor, req.params.villageId, req.body)),
  )
  app.get(
    `${base}/:activityId`,
    route(members, '活动详情', { params: ActivityParams, response: ok(Activity) }),
    async (req) => {
      const { villageId, activityId } = req.params
      return activityFor(db, villageId, activityId, req.member.personId)
    },
  )
  app.post(
    `${base}/:activityId/signup`,
    route(members, '报名', { params: ActivityParams, response: ok(Activity, 409) }),
    async (req) => signUp(db, req.actor, req.member, req.params.activityId),
  )
  app.post(
    `${base}/:activityId/signups`,
    route(committee, '替没有手机的村民报名（村委会）', {
      params: ActivityParams,
      body: SignupForBody,
      response: ok(Activity, 409),
    }),
    async (req) => signUp(db, req.actor, req.member, req.params.activityId, req.body.personId),
  )
  app.post(
    `${base}/:activityId/cancel-signup`,
    route(members, '取消报名', { params: ActivityParams, response: ok(Activity, 409) }),
    async (req) => {
      const { villageId, activityId } = req.params
      return cancelSignup(db, req.actor, villageId, activityId, myPersonId(req.member))
    },
  )
  app.get(
    `${base}/:activityId/code`,
    route(committee, '活动签到二维码', { params: ActivityParams, response: ok(ActivityCode) }),
    async (req) => printActivityCode(db, wechat, codeSecret, req.params.villageId, req.params.activityId),
  )
  for (const step of ['check_in', 'check_out'] as AttendanceStep[]) {
    app.post(
      `${base}/:activityId/${step === 'check_in' ? 'check-in' : 'check-out'}`,
      route(members, step === 'check_in' ? '签到' : '签退', {
        params: ActivityParams,
        body: AttendanceBody,
        response: ok(Signup, 409),
      }),
      async (req) => {
        const { villageId, activityId } = req.params
        const { token, personId } = req.body
        if (personId !== undefined) return recordAttendance(db, req.actor, req.member, activityId, step, personId)
        if (token === undefined || token === '') throw invalid('token', '请扫描活动二维码')
        verifyActivityCode(codeSecret, token, villageId, activityId)
        return recordAttendance(db, req.actor, req.member, activityId, step)
      },
    )
  }
  app.get(
    `${base}/:activityId/signups`,
    route(committee, '报名名单', { params: ActivityParams, response: ok(SignupList) }),
    async (req) => {
      const activity = await findActivity(db, req.params.villageId, req.params.activityId)
      return loadSignups(db, activity.id)
    },
  )
  app.post(
    `${base}/:activityId/confirm`,
    route(committee, '确认服务时长并发放积分', {
      params: ActivityParams,
      body: ConfirmHoursBody,
      response: ok(Signup, 409),
    }),
    async (req) => confirmHours(db, req.actor, req.params.villageId, req.params.activityId, req.body),
  )
}
