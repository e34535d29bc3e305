import type { Membership } from '@liren/shared/contracts'
import {
  ENTRY_KIND_LABEL,
  GENDER_LABEL,
  ORDER_STATUS_LABEL,
  PERSON_STATUS_LABEL,
  RATING_LABEL,
  REPORT_STATE_LABEL,
  roleLabel,
  SERVICE_KIND_LABEL,
  SERVICE_STATUS_LABEL,
  SIGNUP_STATUS_LABEL,
  STATUS_LABEL,
  TOPIC_STATE_LABEL,
  URGENCY_LABEL,
} from '@liren/shared/rules'
import ExcelJS from 'exceljs'
import { chinaDateTimeWords, dateWords } from '../../core/time.js'
import type { exportMyData } from './export.js'

type MyData = Awaited<ReturnType<typeof exportMyData>>
type Row = Record<string, unknown>
type Cell = string | number
/** A column: its header, and how a row's value is written for a person to read. */
type Column = [header: string, cell: (row: Row) => Cell]
interface Section {
  name: string
  columns: Column[]
  rows: Row[]
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v))
const time = (v: unknown): string =>
  v === null || v === undefined || v === '' ? '' : chinaDateTimeWords(new Date(v as string))
const day = (v: unknown): string =>
  v instanceof Date ? dateWords(v.toISOString().slice(0, 10)) : v ? dateWords(text(v)) : ''
const yesNo = (v: unknown): string => (Number(v) ? '是' : '否')
const number = (v: unknown): Cell => (v === null || v === undefined ? '' : Number(v))
/** A stored code in the words the app shows; a code without words is left out rather than shown raw. */
const words =
  <K extends string>(labels: Record<K, string>) =>
  (v: unknown): string =>
    labels[v as K] ?? ''

const col = (header: string, key: string, as: (v: unknown) => Cell = text): Column => [header, (row) => as(row[key])]

const CHANNEL_WORDS: Record<string, string> = { online: '在手机上投票', offline: '在会场投票' }

/** The sheets of 我的数据 for people: one per kind of data, Chinese headers, China time, no internal codes. */
function sections(data: MyData): Section[] {
  const memberships = data.memberships as Membership[]
  const villageName = (id: unknown) => memberships.find((m) => m.villageId === Number(id))?.villageName ?? ''
  const village: Column = ['村（社区）', (row) => villageName(row.villageId)]
  const p = data.points
  return [
    {
      name: '账号',
      columns: [col('注册时间', 'createdAt', time), col('最近登录时间', 'lastLoginAt', time)],
      rows: data.account ? [data.account] : [],
    },
    {
      name: '同意隐私指引',
      columns: [col('指引版本', 'version'), col('同意时间', 'acceptedAt', time)],
      rows: data.privacyConsents,
    },
    {
      name: '加入的村',
      columns: [
        village,
        col('姓名', 'realName'),
        col('住址', 'householdAddress'),
        col('出生年份', 'birthYear', number),
        col('手机号', 'phone'),
        col('状态', 'status', words(STATUS_LABEL)),
        [
          '身份',
          (row) => {
            const m = row as unknown as Membership
            return m.roles.map((r) => roleLabel(r, m.villageKind)).join('、')
          },
        ],
        col('申请时间', 'appliedAt', time),
        col('审核时间', 'decidedAt', time),
        col('没通过的原因', 'rejectReason'),
      ],
      rows: memberships as unknown as Row[],
    },
    {
      name: '花名册',
      columns: [
        village,
        col('姓名', 'name'),
        col('性别', 'gender', words(GENDER_LABEL)),
        col('出生日期', 'birthDate', day),
        col('与户主关系', 'relation'),
        col('状态', 'status', words(PERSON_STATUS_LABEL)),
        col('村民代表', 'representative', yesNo),
        col('党员', 'partyMember', yesNo),
        col('户号', 'householdNumber'),
        col('住址', 'householdAddress'),
      ],
      rows: data.rosterRecords,
    },
    {
      name: '我的上报',
      columns: [
        village,
        col('上报时间', 'createdAt', time),
        col('类别', 'category'),
        col('说明', 'description'),
        col('地点', 'address'),
        col('紧急程度', 'urgency', words(URGENCY_LABEL)),
        col('状态', 'state', words(REPORT_STATE_LABEL)),
        col('匿名', 'anonymous', yesNo),
        col('公开', 'isPublic', yesNo),
        col('网格员代办', 'filedByMe', yesNo),
        col('评价', 'rating', words(RATING_LABEL)),
        col('评价的话', 'ratingComment'),
        col('结案时间', 'closedAt', time),
        col('照片和说明清理时间', 'purgedAt', time),
      ],
      rows: data.reports,
    },
    {
      name: '我也遇到',
      columns: [col('上报编号', 'reportId'), col('类别', 'category'), col('时间', 'createdAt', time)],
      rows: data.reportSupports,
    },
    {
      name: '会议意见',
      columns: [
        col('意见', 'body'),
        ['状态', (row) => (row.hiddenReason ? '已隐藏' : Number(row.held) ? '等待审核' : '已公开')],
        col('隐藏的原因', 'hiddenReason'),
        col('时间', 'createdAt', time),
      ],
      rows: data.agendaComments,
    },
    {
      name: '我提的议题',
      columns: [
        village,
        col('议题', 'title'),
        col('说明', 'description'),
        col('状态', 'state', words(TOPIC_STATE_LABEL)),
        col('附议人数', 'supporters', number),
        col('不采纳的原因', 'declineReason'),
        col('提出时间', 'createdAt', time),
      ],
      rows: data.topics,
    },
    {
      name: '我附议的议题',
      columns: [col('议题', 'title'), col('附议时间', 'createdAt', time)],
      rows: data.topicSupports,
    },
    {
      name: '事项评议',
      columns: [
        col('事项', 'title'),
        col('评价', 'rating', words(RATING_LABEL)),
        col('意见', 'comment'),
        col('时间', 'createdAt', time),
      ],
      rows: data.matterRatings,
    },
    {
      name: '积分账户',
      columns: [
        village,
        col('可用积分', 'balance', number),
        col('累计得到', 'lifetimeEarned', number),
        col('累计扣除', 'lifetimePenalty', number),
      ],
      rows: p.accounts,
    },
    {
      name: '积分明细',
      columns: [
        col('时间', 'createdAt', time),
        col('积分', 'points', number),
        col('类型', 'kind', words(ENTRY_KIND_LABEL)),
        col('原因', 'reason'),
      ],
      rows: p.entries,
    },
    {
      name: '兑换',
      columns: [
        col('东西', 'item'),
        col('数量', 'quantity', number),
        col('用了积分', 'cost', number),
        col('状态', 'status', words(ORDER_STATUS_LABEL)),
        col('兑换时间', 'createdAt', time),
        col('领取或退回时间', 'closedAt', time),
      ],
      rows: p.shopOrders,
    },
    {
      name: '志愿服务',
      columns: [
        col('活动', 'title'),
        col('状态', 'status', words(SIGNUP_STATUS_LABEL)),
        col('签到时间', 'checkedInAt', time),
        col('签退时间', 'checkedOutAt', time),
        col('确认的时长（分钟）', 'confirmedMinutes', number),
      ],
      rows: p.activities,
    },
    {
      name: '服务互换',
      columns: [
        col('类型', 'kind', words(SERVICE_KIND_LABEL)),
        col('标题', 'title'),
        col('说明', 'description'),
        col('积分', 'points', number),
        col('状态', 'status', words(SERVICE_STATUS_LABEL)),
        ['我是', (row) => (Number(row.postedByMe) ? '发布的人' : '接下的人')],
        col('发布时间', 'createdAt', time),
      ],
      rows: p.neighbourServices,
    },
    {
      name: '参加的会议',
      columns: [col('会议', 'title'), col('开会时间', 'startsAt', time), col('签到时间', 'checkedInAt', time)],
      rows: data.meetingAttendance,
    },
    {
      name: '参加的表决',
      columns: [col('表决事项', 'question'), col('怎么投的', 'channel', words(CHANNEL_WORDS))],
      rows: data.votesTakenPart,
    },
    {
      name: '记名投票',
      columns: [col('表决事项', 'question'), col('我的选择', 'choices')],
      rows: data.openBallots,
    },
    {
      name: '消息',
      columns: [
        village,
        col('标题', 'title'),
        col('内容', 'body'),
        col('收到时间', 'createdAt', time),
        col('读过', 'readAt', (v) => (v ? '是' : '否')),
      ],
      rows: data.notifications,
    },
  ]
}

/** Wide enough for the longest cell (a Chinese character takes two widths), within reason. */
const widthOf = (cells: Cell[]) =>
  Math.min(
    60,
    Math.max(8, ...cells.map((c) => [...String(c)].reduce((w, ch) => w + (ch.charCodeAt(0) > 255 ? 2 : 1), 2))),
  )

/**
 * 我的数据 as an Excel file a person can read: a first sheet saying what it is, then one sheet per kind
 * of data. The JSON export is the same data for machines.
 */
export async function writeMyDataWorkbook(data: MyData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const about = workbook.addWorksheet('说明')
  about.columns = [{ width: 16 }, { width: 70 }]
  about.addRows([
    ['导出时间', time(data.exportedAt)],
    ['内容', data.about],
    ['怎么看', '每一页是一类信息，点下面的页名切换。时间都是北京时间。'],
  ])
  about.getColumn(1).font = { bold: true }
  for (const section of sections(data)) {
    const sheet = workbook.addWorksheet(section.name)
    const body = section.rows.map((row) => section.columns.map(([, cell]) => cell(row)))
    sheet.addRow(section.columns.map(([header]) => header)).font = { bold: true }
    if (body.length === 0) sheet.addRow(['没有这一类的记录'])
    sheet.addRows(body)
    section.columns.forEach(([header], i) => {
      sheet.getColumn(i + 1).width = widthOf([header, ...body.map((r) => r[i]!)])
    })
    sheet.views = [{ state: 'frozen', ySplit: 1 }]
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
