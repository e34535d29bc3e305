import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  FulfilBody,
  ItemParams,
  Order,
  OrderList,
  OrderParams,
  OrderQuery,
  RedeemBody,
  SaveItemBody,
  ShopItem,
  ShopItemList,
  VillageParams,
} from '@liren/shared/contracts'
import type { Db } from '../../../core/db.js'
import { forbidden } from '../../../core/errors.js'
import { created, ok, signedInRoute } from '../../../core/routes.js'
import { can } from '@liren/shared/rules'
import { myPersonId, requirePermission } from '../../identity/index.js'
import { createItem, listItems, updateItem } from './shop-items.js'
import { cancelOrder, fulfil, ordersOf, redeem, villageOrders } from './shop-orders.js'

const tags = ['shop']
const route = signedInRoute(tags)

/** The points shop (积分超市): items, redemption with a pickup code, fulfilment (核销), cancellation. */
export const shopRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const members = [app.authenticate, requirePermission(db, 'shop.use')]
  const committee = [app.authenticate, requirePermission(db, 'shop.manage')]

  app.get(
    '/api/villages/:villageId/shop/items',
    route(members, '积分超市商品', { params: VillageParams, response: ok(ShopItemList) }),
    async (req) => listItems(db, req.params.villageId),
  )
  app.post(
    '/api/villages/:villageId/shop/items',
    route(committee, '上架商品', { params: VillageParams, body: SaveItemBody, response: created(ShopItem) }),
    async (req, reply) => reply.status(201).send(await createItem(db, req.actor, req.params.villageId, req.body)),
  )
  app.put(
    '/api/villages/:villageId/shop/items/:itemId',
    route(committee, '修改商品', { params: ItemParams, body: SaveItemBody, response: ok(ShopItem) }),
    async (req) => updateItem(db, req.actor, req.params.villageId, req.params.itemId, req.body),
  )

  app.post(
    '/api/villages/:villageId/shop/orders',
    route(members, '兑换商品', { params: VillageParams, body: RedeemBody, response: created(Order, 409) }),
    async (req, reply) => {
      const { villageId } = req.params
      // Staff at the counter redeem for a villager without the app; everyone else for themselves.
      if (req.body.personId !== undefined && !can(req.member, 'shop.manage')) throw forbidden('只能为自己兑换')
      const personId = req.body.personId ?? myPersonId(req.member)
      return reply.status(201).send(await redeem(db, req.actor, villageId, personId, req.body))
    },
  )
  app.get(
    '/api/villages/:villageId/shop/orders/mine',
    route(members, '我的兑换', { params: VillageParams, response: ok(OrderList) }),
    async (req) => ordersOf(db, req.params.villageId, myPersonId(req.member)),
  )
  app.get(
    '/api/villages/:villageId/shop/orders',
    route(committee, '兑换订单（村委会）', { params: VillageParams, querystring: OrderQuery, response: ok(OrderList) }),
    async (req) => villageOrders(db, req.params.villageId, req.query.status),
  )
  app.post(
    '/api/villages/:villageId/shop/orders/fulfil',
    route(committee, '凭取货码核销', { params: VillageParams, body: FulfilBody, response: ok(Order, 409) }),
    async (req) => fulfil(db, req.actor, req.params.villageId, req.body.pickupCode),
  )
  app.post(
    '/api/villages/:villageId/shop/orders/:orderId/cancel',
    route(members, '取消兑换（退回积分）', { params: OrderParams, response: ok(Order, 409) }),
    async (req) => {
      return cancelOrder(db, req.actor, req.member, req.params.orderId)
    },
  )
}
