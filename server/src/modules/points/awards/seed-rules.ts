import type { Db } from '../../../core/db.js'
import { pointAccounts, pointRules, pointSettings } from '../tables.js'

/** A realistic rulebook (积分细则) for a demo village. */
export const DEMO_RULES = [
  {
    code: 'volunteer_hour',
    name: '志愿服务（每小时）',
    kind: 'earn',
    points: 10,
    capPerDay: 80,
    capPerYear: 2000,
    approvalThreshold: 100,
  },
  {
    code: 'valid_report',
    name: '随手拍有效上报',
    kind: 'earn',
    points: 2,
    capPerDay: 10,
    capPerYear: 300,
    approvalThreshold: null,
  },
  {
    code: 'meeting_attendance',
    name: '参加村民会议',
    kind: 'earn',
    points: 3,
    capPerDay: 6,
    capPerYear: null,
    approvalThreshold: null,
  },
  { code: 'vote', name: '参与表决', kind: 'earn', points: 1, capPerDay: 10, capPerYear: null, approvalThreshold: null },
  {
    code: 'good_deed',
    name: '好人好事',
    kind: 'earn',
    points: 20,
    capPerDay: null,
    capPerYear: 200,
    approvalThreshold: 30,
  },
  {
    code: 'courtyard_tidy',
    name: '庭院整洁（月评）',
    kind: 'earn',
    points: 5,
    capPerDay: 5,
    capPerYear: 60,
    approvalThreshold: null,
  },
  {
    code: 'littering',
    name: '乱扔垃圾',
    kind: 'penalty',
    points: 5,
    capPerDay: null,
    capPerYear: null,
    approvalThreshold: 10,
  },
  {
    code: 'illegal_burning',
    name: '违规焚烧秸秆',
    kind: 'penalty',
    points: 20,
    capPerDay: null,
    capPerYear: null,
    approvalThreshold: 10,
  },
] as const

export async function seedDemoRules(db: Db, villageIds: number[]): Promise<void> {
  for (const villageId of villageIds) {
    await db
      .insert(pointRules)
      .ignore()
      .values(DEMO_RULES.map((r) => ({ villageId, version: 1, ...r })))
    await db
      .insert(pointSettings)
      .ignore()
      .values({ villageId, starThresholds: [50, 150, 300, 600, 1000], orderExpiryDays: 14 })
    await db
      .insert(pointAccounts)
      .ignore()
      .values((['issuance', 'shop', 'pending'] as const).map((kind) => ({ villageId, kind, systemKey: kind })))
  }
}
