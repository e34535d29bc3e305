/**
 * Every page in app.json renders in the mini-program runtime, from the real weapp output, in its real
 * state: opened as the person who would open it, on a village where there is something to show (made
 * through the API by fixtures.ts), it shows that thing (a list with its rows, a form with its fields, a
 * vote with its options). No missing template, console error, exception, unhandled rejection or refused
 * navigation on the way.
 *
 * The table below must name every page of app.json: a page added to the app without a row here fails.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { makeVillage, type Village } from './fixtures'
import { describeProblems, phone, startServer, stopServer, type Session } from './support'
import { weappDir } from './wechat-compilers'

interface PageCase {
  /** Who opens it (null: nobody signed in). */
  as: (v: Village) => Session | null
  query?: (v: Village) => Record<string, string>
  /** What the page shows in its real state. */
  shows: (v: Village) => (string | RegExp)[]
  /** The page this one legitimately sends the person on to (e.g. the home page to the login page). */
  landsOn?: string
}

const village = (v: Village) => ({ villageId: String(v.villageId) })
/** The village's query and one more id, e.g. `villageAnd('itemId', (v) => v.item.id)`. */
const villageAnd = (name: string, id: (v: Village) => number | string) => (v: Village) => ({
  ...village(v),
  [name]: String(id(v)),
})
const committee = (v: Village) => v.committee
const resident = (v: Village) => v.resident

const pages: Record<string, PageCase> = {
  'pages/index/index': { as: resident, shows: () => ['张家村', '张秀兰，您好', '随手拍', '0571-63581234'] },
  'pages/points/index': { as: resident, shows: () => ['积分', '打扫村道'] },
  'pages/mine/index': {
    as: resident,
    shows: () => ['张家村', '村民代表', '我的事', '我的投票', '我的数据', '退出登录'],
  },
  'pages/login/index': { as: () => null, shows: () => ['里仁', '微信登录'] },
  'pages/privacy/index': { as: () => null, shows: () => ['里仁用户隐私保护指引', '我们收集什么'] },

  'packages/member/join/index': { as: resident, query: village, shows: () => ['张家村', '姓名'] },
  'packages/member/my-data/index': { as: resident, shows: () => ['我的数据', '下载表格', '注销'] },
  // The fixtures sign her up for nothing and she offers no service: the kind empty lists.
  'packages/member/my-signups/index': {
    as: resident,
    query: village,
    shows: () => ['我的报名', '您还没有报名过志愿服务活动', '看看有什么活动'],
  },
  'packages/member/my-topics/index': { as: resident, query: village, shows: (v) => ['我的提议', v.topic.title] },
  'packages/member/my-votes/index': {
    as: resident,
    query: village,
    shows: (v) => ['我的投票', v.closedMeeting.question, '在手机上投的'],
  },

  'packages/points/shop/index': { as: resident, query: village, shows: (v) => [v.item.name, '兑换'] },
  'packages/points/orders/index': {
    as: resident,
    query: village,
    shows: (v) => [v.item.name, `${v.order.pickupCode.slice(0, 3)} ${v.order.pickupCode.slice(3)}`],
  },
  'packages/points/activities/index': { as: resident, query: village, shows: (v) => [v.activity.title] },
  'packages/points/activity/index': {
    as: resident,
    query: villageAnd('activityId', (v) => v.activity.id),
    shows: (v) => [v.activity.title, '村东河边'],
  },
  'packages/points/services/index': { as: resident, query: village, shows: (v) => [v.service.title] },
  'packages/points/service-new/index': {
    as: resident,
    query: village,
    shows: () => ['我能帮忙', '我需要帮忙', '发布'],
  },
  'packages/points/rankings/index': { as: resident, query: village, shows: () => ['张*兰'] },
  'packages/points/notice/index': { as: resident, query: village, shows: () => ['公示'] },
  'packages/points/earn/index': {
    as: resident,
    query: village,
    shows: () => ['做这些事，能得积分', '随手拍有效上报', '乱扔垃圾', '积分怎么用'],
  },

  'packages/committee/applications/index': { as: committee, query: village, shows: () => ['孙福来'] },
  'packages/committee/roster/index': { as: committee, query: village, shows: () => ['张秀兰', '王建国'] },
  'packages/committee/person/index': {
    as: committee,
    query: villageAnd('personId', (v) => v.personId),
    shows: (v) => [v.personName, '1956'],
  },
  'packages/committee/household/index': {
    as: committee,
    query: villageAnd('householdId', (v) => v.householdId),
    shows: (v) => [v.householdNumber, v.personName],
  },
  'packages/committee/households/index': { as: committee, query: village, shows: (v) => [v.householdNumber] },
  'packages/committee/import/index': { as: committee, query: village, shows: () => ['花名册', '模板'] },
  'packages/committee/points/index': { as: committee, query: village, shows: () => ['积分'] },
  'packages/committee/rules/index': { as: committee, query: village, shows: (v) => [v.ruleName] },
  'packages/committee/rule/index': {
    as: committee,
    query: (v) => ({ ...village(v), code: v.ruleCode }),
    shows: (v) => [v.ruleName],
  },
  'packages/committee/award/index': { as: committee, query: village, shows: () => ['理由'] },
  'packages/committee/approvals/index': {
    as: committee,
    query: village,
    shows: (v) => [v.pendingAward.reason, '张秀兰'],
  },
  'packages/committee/activities/index': { as: committee, query: village, shows: (v) => [v.activity.title] },
  'packages/committee/activity-new/index': { as: committee, query: village, shows: () => ['名称', '地点'] },
  'packages/committee/activity/index': {
    as: committee,
    query: villageAnd('activityId', (v) => v.activity.id),
    shows: (v) => [v.activity.title],
  },
  'packages/committee/items/index': { as: committee, query: village, shows: (v) => [v.item.name] },
  'packages/committee/item/index': {
    as: committee,
    query: villageAnd('itemId', (v) => v.item.id),
    shows: (v) => [v.item.name],
  },
  'packages/committee/fulfil/index': { as: committee, query: village, shows: () => ['取货码'] },
  'packages/committee/contact/index': {
    as: committee,
    query: village,
    shows: () => ['村委会的电话和办公时间', '村委会电话', '办公时间', '保存'],
  },

  'packages/reports/new/index': {
    as: resident,
    query: village,
    shows: () => ['遇到了什么事', '环境卫生', '加照片', '在地图上选地点', '提交上报'],
  },
  'packages/reports/feed/index': { as: resident, query: village, shows: (v) => [v.report.description] },
  'packages/reports/detail/index': {
    as: resident,
    query: villageAnd('reportId', (v) => v.report.id),
    shows: (v) => [v.report.description],
  },
  'packages/reports/queue/index': { as: (v) => v.grid, query: village, shows: (v) => [v.report.description] },
  'packages/reports/figures/index': { as: committee, query: village, shows: () => ['上报'] },
  'packages/reports/open311/index': { as: committee, query: village, shows: () => ['Open311'] },
  'packages/reports/inbox/index': { as: resident, shows: (v) => [`会议通知：${v.meeting.title}`] },

  'packages/meetings/list/index': { as: resident, query: village, shows: (v) => [v.meeting.title] },
  'packages/meetings/detail/index': {
    as: resident,
    query: villageAnd('meetingId', (v) => v.meeting.id),
    shows: (v) => [v.meeting.title, v.meeting.question, '同意', '反对', '弃权'],
  },
  // 到会名单 of the announced meeting: the committee sees full names and can tick people off.
  'packages/meetings/attendance/index': {
    as: committee,
    query: villageAnd('meetingId', (v) => v.meeting.id),
    shows: (v) => [v.meeting.title, '应到', '实到', '打印签到表', '王建国', '登记到会'],
  },
  'packages/meetings/new/index': { as: committee, query: village, shows: () => ['会议', '地点'] },
  'packages/meetings/topics/index': { as: resident, query: village, shows: (v) => [v.topic.title] },
  'packages/meetings/topic-new/index': { as: resident, query: village, shows: () => ['想议的事', '提出来'] },
  // Another villager sees the proposer's name masked.
  'packages/meetings/topic/index': {
    as: (v) => v.volunteer,
    query: villageAnd('topicId', (v) => v.topic.id),
    shows: (v) => [v.topic.title, '张*兰', '附议'],
  },
  'packages/meetings/matters/index': { as: resident, query: village, shows: (v) => [v.matter.title] },
  'packages/meetings/matter-new/index': { as: committee, query: village, shows: () => ['是什么事', '记下这件事'] },
  'packages/meetings/matter/index': {
    as: resident,
    query: villageAnd('matterId', (v) => v.matter.id),
    shows: (v) => [v.matter.title],
  },
  'packages/meetings/petitions/index': {
    as: resident,
    query: village,
    shows: (v) => ['提议召集开会', v.petition.title, '已有 1 人签名'],
  },
  'packages/meetings/petition-new/index': {
    as: resident,
    query: village,
    shows: () => ['提议开什么会', '村民代表会议', '开会商量什么事', '发起并签名'],
  },
  // Not hers: she may sign it; the law in one sentence.
  'packages/meetings/petition/index': {
    as: resident,
    query: villageAnd('petitionId', (v) => v.petition.id),
    shows: (v) => [v.petition.title, '已有 1 人签名', '第二十一条', '我要签名'],
  },
  'packages/meetings/results/index': {
    as: resident,
    query: villageAnd('meetingId', (v) => v.closedMeeting.id),
    shows: (v) => [v.closedMeeting.title, v.closedMeeting.question, '同意'],
  },

  'packages/town/villages/index': {
    as: (v) => v.townAdmin,
    shows: () => ['张家村', '和平社区', '没有过了期限还没开会的提议'],
  },
  'packages/town/village/index': {
    as: (v) => v.townAdmin,
    query: villageAnd('townId', (v) => v.townId),
    shows: () => ['张家村', '一组网格'],
  },
  'packages/town/grid/index': {
    as: (v) => v.townAdmin,
    query: (v) => ({ ...village(v), townId: String(v.townId), gridId: String(v.gridId) }),
    shows: () => ['网格'],
  },
  'packages/town/committee/index': {
    as: (v) => v.townAdmin,
    query: (v) => ({ villageId: String(v.hepingId), townId: String(v.townId) }),
    shows: () => ['和平社区'],
  },
}

const app = JSON.parse(readFileSync(path.join(weappDir, 'app.json'), 'utf8')) as {
  pages: string[]
  subPackages: { root: string; pages: string[] }[]
}
const allPages = [
  ...app.pages,
  ...app.subPackages.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/+$/, '')}/${p}`)),
]

let v: Village

beforeAll(async () => {
  const server = await startServer('liren_weapp')
  v = await makeVillage(server)
})
afterAll(stopServer)

test('the table names every page of app.json, and only those', () => {
  expect(Object.keys(pages).sort()).toEqual([...allPages].sort())
})

describe('every page renders in its real state', () => {
  for (const route of allPages) {
    test(route, async () => {
      const page = pages[route]
      if (!page) throw new Error(`no row for ${route} in pages.test.ts`)
      const mp = await phone(v.server, { session: page.as(v), path: route, query: page.query?.(v) ?? {} })
      try {
        for (const text of page.shows(v)) await mp.waitForText(text)
        expect(mp.current()?.route).toBe(page.landsOn ?? route)
        expect(mp.problems, describeProblems(mp.problems)).toEqual([])
      } finally {
        mp.close()
      }
    })
  }
})
