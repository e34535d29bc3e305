/** Where the members' points pages live; every one is about one village. */
export const pointsPaths = {
  shop: (villageId: number) => `/packages/points/shop/index?villageId=${villageId}`,
  orders: (villageId: number, orderId?: number) =>
    `/packages/points/orders/index?villageId=${villageId}${orderId ? `&orderId=${orderId}` : ''}`,
  activities: (villageId: number) => `/packages/points/activities/index?villageId=${villageId}`,
  activity: (villageId: number, activityId: number) =>
    `/packages/points/activity/index?villageId=${villageId}&activityId=${activityId}`,
  services: (villageId: number) => `/packages/points/services/index?villageId=${villageId}`,
  newService: (villageId: number) => `/packages/points/service-new/index?villageId=${villageId}`,
  rankings: (villageId: number) => `/packages/points/rankings/index?villageId=${villageId}`,
  notice: (villageId: number) => `/packages/points/notice/index?villageId=${villageId}`,
}
