import type { Db } from '../../../core/db.js'
import { shopItems } from '../tables.js'

/** What a demo village's points shop (积分超市) has on its shelf: everyday goods, described as a villager would. */
export const DEMO_ITEMS = [
  { name: '毛巾 2 条', description: '纯棉洗脸毛巾，颜色随机。', cost: 10, stock: 40, perMemberLimit: 2 },
  { name: '洗衣液 1 瓶', description: '2 公斤装，洗衣服、洗床单都能用。', cost: 20, stock: 30, perMemberLimit: 2 },
  {
    name: '理发一次',
    description: '凭取货码到村口理发店理一次发，老人小孩都可以。',
    cost: 15,
    stock: 20,
    perMemberLimit: null,
  },
  { name: '大米 5 斤', description: '本地新米，装在布袋里，到村委会领取。', cost: 50, stock: 15, perMemberLimit: 1 },
  { name: '食用油 1 桶', description: '5 升装菜籽油。', cost: 80, stock: 10, perMemberLimit: 1 },
] as const

/** The demo villages' shop items (no photos: the demo town has none to show, so the shop shows its placeholder). */
export async function seedDemoItems(db: Db, villageIds: number[]): Promise<void> {
  if (!villageIds.length) return
  await db.insert(shopItems).values(villageIds.flatMap((villageId) => DEMO_ITEMS.map((i) => ({ villageId, ...i }))))
}
