import { ErrorCode, type SaveItemBody, type ShopItem } from '@liren/shared/contracts'
import { asc, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../../core/audit.js'
import { villageRow } from '../../../core/village-rows.js'
import { transaction, type Db, type Executor, type Tx } from '../../../core/db.js'
import { AppError, invalid } from '../../../core/errors.js'
import { attachPhotos, photoUrls } from '../../../core/photos.js'
import { shopItems } from '../tables.js'

type ItemRow = typeof shopItems.$inferSelect

export const itemNotFound = () =>
  new AppError(404, ErrorCode.ITEM_NOT_FOUND, '没有这件商品', [{ field: 'itemId', message: '不存在' }])

export function isAvailable(item: ItemRow, now: Date): boolean {
  return (
    item.active &&
    item.stock > 0 &&
    (!item.availableFrom || item.availableFrom <= now) &&
    (!item.availableUntil || item.availableUntil > now)
  )
}

export const toItem = (item: ItemRow, now = new Date()): ShopItem => ({
  id: item.id,
  name: item.name,
  photo: item.photo ? photoUrls(item.photo) : null,
  description: item.description,
  cost: item.cost,
  stock: item.stock,
  perMemberLimit: item.perMemberLimit,
  availableFrom: item.availableFrom?.toISOString() ?? null,
  availableUntil: item.availableUntil?.toISOString() ?? null,
  active: item.active,
  available: isAvailable(item, now),
})

export async function listItems(db: Executor, villageId: number): Promise<ShopItem[]> {
  const now = new Date()
  return (
    await db
      .select()
      .from(shopItems)
      .where(eq(shopItems.villageId, villageId))
      .orderBy(asc(shopItems.cost), asc(shopItems.id))
  ).map((i) => toItem(i, now))
}

function fields(body: SaveItemBody) {
  const from = body.availableFrom ? new Date(body.availableFrom) : null
  const until = body.availableUntil ? new Date(body.availableUntil) : null
  if (from && until && until <= from) throw invalid('availableUntil', '结束时间要晚于开始时间')
  return {
    name: body.name,
    photo: body.photo ?? null,
    description: body.description?.trim() || null,
    cost: body.cost,
    stock: body.stock,
    perMemberLimit: body.perMemberLimit ?? null,
    availableFrom: from,
    availableUntil: until,
    active: body.active ?? true,
  }
}

/** Audits a change to an item and answers with the item as it now is. */
async function audited(
  tx: Tx,
  actor: Actor,
  villageId: number,
  itemId: number,
  action: string,
  data: Record<string, unknown>,
): Promise<ShopItem> {
  await audit(tx, actor, { villageId, action, entity: 'shop_item', entityId: itemId, data })
  const [item] = await tx.select().from(shopItems).where(eq(shopItems.id, itemId))
  return toItem(item!)
}

export async function createItem(db: Db, actor: Actor, villageId: number, body: SaveItemBody): Promise<ShopItem> {
  return transaction(db, async (tx) => {
    await attachPhotos(tx, body.photo ? [body.photo] : [], 'photo')
    const [{ id }] = (await tx
      .insert(shopItems)
      .values({ villageId, ...fields(body) })
      .$returningId()) as [{ id: number }]
    return audited(tx, actor, villageId, id, 'shop.item_created', { ...body })
  })
}

/** Edits an item (restocking sets the stock to the new number). */
export async function updateItem(
  db: Db,
  actor: Actor,
  villageId: number,
  itemId: number,
  body: SaveItemBody,
): Promise<ShopItem> {
  return transaction(db, async (tx) => {
    const before = await villageRow(tx, shopItems, villageId, itemId, { lock: true })
    if (!before) throw itemNotFound()
    await attachPhotos(tx, body.photo ? [body.photo] : [], 'photo')
    await tx.update(shopItems).set(fields(body)).where(eq(shopItems.id, itemId))
    return audited(tx, actor, villageId, itemId, 'shop.item_updated', { before: toItem(before), after: body })
  })
}
