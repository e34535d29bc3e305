import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  Account,
  AccountParams,
  ApprovalList,
  ApprovalParams,
  EarningRuleList,
  EntryParams,
  HistoryQuery,
  NoticeQuery,
  PointsNotice,
  ManualAwardBody,
  ManualAwardResult,
  NameVisibilityBody,
  Ranking,
  RankingQuery,
  PointRule,
  PointRuleList,
  ReverseBody,
  RuleParams,
  SaveRuleBody,
  VillageParams,
} from '@liren/shared/contracts'
import { Type } from 'typebox'
import { binaryFile } from '../../core/files.js'
import type { Db } from '../../core/db.js'
import { todayInChina } from '../../core/time.js'
import { myPersonId, requirePermission, setNameVisibility } from '../identity/index.js'
import { ranking } from './rankings/ranking.js'
import { getAccount } from './ledger/account.js'
import { lastMonth, monthlyNotice } from './notices/notice.js'
import { noticePdf } from './notices/notice-pdf.js'
import { decideApproval, listApprovals } from './awards/approvals.js'
import { reverseEntry } from './ledger/reverse-entry.js'
import { manualAward } from './awards/manual-award.js'
import { currentRules, earningRules, toRule } from './awards/rules.js'
import { createRule, updateRule } from './awards/save-rule.js'
import { created, download, ok, signedInRoute } from '../../core/routes.js'

const tags = ['points']
const route = signedInRoute(tags)
const Decision = Type.Object({
  status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
  entryId: Type.Union([Type.Integer(), Type.Null()]),
})
const EntryId = Type.Object({ entryId: Type.Integer() })

/** Points: the rulebook, manual awards with maker-checker, reversals, accounts, rankings and the monthly notice. */
export const pointsRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const members = [app.authenticate, requirePermission(db, 'points.read')]
  const committee = [app.authenticate, requirePermission(db, 'points.manage')]

  // The rulebook as the committee keeps it (codes, versions, rules switched off); the village's people read `earning`.
  app.get(
    '/api/villages/:villageId/points/rules',
    route(committee, '积分细则（村委会管理用）', { params: VillageParams, response: ok(PointRuleList) }),
    async (req) => (await currentRules(db, req.params.villageId)).map(toRule),
  )
  app.get(
    '/api/villages/:villageId/points/earning',
    route(members, '怎么挣积分：在用的积分细则', { params: VillageParams, response: ok(EarningRuleList) }),
    async (req) => earningRules(db, req.params.villageId),
  )
  app.post(
    '/api/villages/:villageId/points/rules',
    route(committee, '新增积分细则', { params: VillageParams, body: SaveRuleBody, response: created(PointRule, 409) }),
    async (req, reply) => reply.status(201).send(await createRule(db, req.actor, req.params.villageId, req.body)),
  )
  app.put(
    '/api/villages/:villageId/points/rules/:code',
    route(committee, '修改积分细则（生成新版本）', {
      params: RuleParams,
      body: SaveRuleBody,
      response: ok(PointRule, 409),
    }),
    async (req) => updateRule(db, req.actor, req.params.villageId, req.params.code, req.body),
  )

  app.post(
    '/api/villages/:villageId/points/awards',
    route(committee, '按细则加分或扣分', {
      params: VillageParams,
      body: ManualAwardBody,
      response: created(ManualAwardResult, 409),
    }),
    async (req, reply) => reply.status(201).send(await manualAward(db, req.actor, req.params.villageId, req.body)),
  )
  app.get(
    '/api/villages/:villageId/points/approvals',
    route(committee, '待复核的加分扣分', { params: VillageParams, response: ok(ApprovalList) }),
    async (req) => listApprovals(db, req.params.villageId),
  )
  for (const verb of ['approve', 'reject'] as const) {
    app.post(
      `/api/villages/:villageId/points/approvals/:approvalId/${verb}`,
      route(committee, verb === 'approve' ? '复核通过' : '复核不通过', {
        params: ApprovalParams,
        response: ok(Decision, 409),
      }),
      async (req) => decideApproval(db, req.actor, req.params.villageId, req.params.approvalId, verb === 'approve'),
    )
  }

  app.post(
    '/api/villages/:villageId/points/entries/:entryId/reverse',
    route(committee, '冲正一笔积分', { params: EntryParams, body: ReverseBody, response: created(EntryId, 409) }),
    async (req, reply) =>
      reply.status(201).send({
        entryId: await reverseEntry(db, req.actor, req.params.villageId, req.params.entryId, req.body),
      }),
  )

  app.get(
    '/api/villages/:villageId/points/me',
    route(members, '我的积分', { params: VillageParams, querystring: HistoryQuery, response: ok(Account) }),
    async (req) => getAccount(db, req.params.villageId, myPersonId(req.member), req.query.before),
  )
  app.get(
    '/api/villages/:villageId/points/rankings',
    route(members, '积分排行榜', { params: VillageParams, querystring: RankingQuery, response: ok(Ranking) }),
    async (req) => {
      const me = req.member.personId
      return ranking(db, req.params.villageId, req.query, me, todayInChina().slice(0, 7))
    },
  )
  app.put(
    '/api/villages/:villageId/points/name-visibility',
    route(members, '排行榜是否显示我的全名', {
      params: VillageParams,
      body: NameVisibilityBody,
      response: ok(NameVisibilityBody),
    }),
    async (req) => setNameVisibility(db, req.actor, req.params.villageId, req.member.membershipId!, req.body),
  )

  // The monthly notice (积分公示): public to the village's members, as a page and as a PDF to print.
  const noticeMonth = (month: string | undefined) => month ?? lastMonth(todayInChina())
  app.get(
    '/api/villages/:villageId/points/notice',
    route(members, '月度积分公示', { params: VillageParams, querystring: NoticeQuery, response: ok(PointsNotice) }),
    async (req) => monthlyNotice(db, req.params.villageId, noticeMonth(req.query.month)),
  )
  app.get(
    '/api/villages/:villageId/points/notice.pdf',
    route(members, '月度积分公示（A4 打印版 PDF）', {
      params: VillageParams,
      querystring: NoticeQuery,
      produces: ['application/pdf'],
      response: ok(binaryFile('A4 PDF')),
    }),
    async (req, reply) => {
      const notice = await monthlyNotice(db, req.params.villageId, noticeMonth(req.query.month))
      const pdf = await noticePdf(notice, todayInChina())
      return download(reply, 'application/pdf', `${notice.title}.pdf`, `points-notice-${notice.month}.pdf`, pdf)
    },
  )

  app.get(
    '/api/villages/:villageId/points/accounts/:personId',
    route(committee, '某人的积分（村委会）', {
      params: AccountParams,
      querystring: HistoryQuery,
      response: ok(Account),
    }),
    async (req) => getAccount(db, req.params.villageId, req.params.personId, req.query.before),
  )
}
