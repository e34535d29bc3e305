import { villageItemPage, villagePage } from '../../lib/paths'

/** Where the members' points pages live; every one is about one village. */
export const pointsPaths = {
  earn: villagePage('points/earn'),
  shop: villagePage('points/shop'),
  orders: (villageId: number, orderId?: number) =>
    `/packages/points/orders/index?villageId=${villageId}${orderId ? `&orderId=${orderId}` : ''}`,
  activities: villagePage('points/activities'),
  activity: villageItemPage('points/activity', 'activityId'),
  services: villagePage('points/services'),
  newService: villagePage('points/service-new'),
  rankings: villagePage('points/rankings'),
  notice: villagePage('points/notice'),
}
