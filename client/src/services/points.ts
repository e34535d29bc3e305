import type {
  Account,
  Activity,
  ActivityCode,
  ActivityList,
  ApprovalList,
  AttendanceBody,
  CreateActivityBody,
  CreateServiceBody,
  EarningRuleList,
  ManualAwardBody,
  ManualAwardResult,
  NeighbourService,
  NeighbourServiceList,
  Order,
  OrderList,
  OrderStatus,
  PointsNotice,
  PointRule,
  PointRuleList,
  Ranking,
  RankingQuery,
  RedeemBody,
  ReverseBody,
  SaveItemBody,
  SaveRuleBody,
  ShopItem,
  ShopItemList,
  Signup,
  SignupList,
} from '@liren/shared/contracts'
import { download, request, villageApi, villageCollection, withQuery, type Handled } from './http'

const points = villageApi('points')
const shop = villageApi('shop')
const activities = villageApi('activities')
const services = villageApi('services')
const activityRequests = villageCollection<ActivityList, Activity, CreateActivityBody>(activities)
const serviceRequests = villageCollection<NeighbourServiceList, NeighbourService, CreateServiceBody>(services)

/**
 * A key that makes a retried write count once: make one per form submission and send the same
 * one again when the person retries it.
 */
export function newIdempotencyKey(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`
}

// ---- ledger: rules, awards, approvals, accounts ----

export function listRules(villageId: number, handled?: Handled): Promise<PointRuleList> {
  return request<PointRuleList>(`${points(villageId)}/rules`, { handled })
}

/** How to earn (and lose) points: the rules in force, in plain words, for everyone in the village. */
export function listEarningRules(villageId: number, handled?: Handled): Promise<EarningRuleList> {
  return request<EarningRuleList>(`${points(villageId)}/earning`, { handled })
}

export function createRule(villageId: number, body: SaveRuleBody, handled?: Handled): Promise<PointRule> {
  return request<PointRule>(`${points(villageId)}/rules`, { method: 'POST', data: body, handled })
}

/** Makes a new version of the rule; points already given keep the version they were given under. */
export function updateRule(villageId: number, code: string, body: SaveRuleBody, handled?: Handled): Promise<PointRule> {
  return request<PointRule>(`${points(villageId)}/rules/${encodeURIComponent(code)}`, {
    method: 'PUT',
    data: body,
    handled,
  })
}

/** Above a rule's threshold the award waits for a second committee member (`pending_approval`). */
export function awardPoints(villageId: number, body: ManualAwardBody, handled?: Handled): Promise<ManualAwardResult> {
  return request<ManualAwardResult>(`${points(villageId)}/awards`, { method: 'POST', data: body, handled })
}

export function listApprovals(villageId: number, handled?: Handled): Promise<ApprovalList> {
  return request<ApprovalList>(`${points(villageId)}/approvals`, { handled })
}

export interface ApprovalDecision {
  status: 'approved' | 'rejected'
  entryId: number | null
}

/** MAKER_CHECKER when the one who proposed it tries to decide it. */
export function decideApproval(
  villageId: number,
  approvalId: number,
  approve: boolean,
  handled?: Handled,
): Promise<ApprovalDecision> {
  return request<ApprovalDecision>(`${points(villageId)}/approvals/${approvalId}/${approve ? 'approve' : 'reject'}`, {
    method: 'POST',
    handled,
  })
}

export function reverseEntry(
  villageId: number,
  entryId: number,
  body: ReverseBody,
  handled?: Handled,
): Promise<{ entryId: number }> {
  return request<{ entryId: number }>(`${points(villageId)}/entries/${entryId}/reverse`, {
    method: 'POST',
    data: body,
    handled,
  })
}

/** NOT_ON_ROSTER when the member's account is not linked to a roster person yet. */
export function getMyAccount(villageId: number, handled?: Handled, before?: number): Promise<Account> {
  return request<Account>(withQuery(`${points(villageId)}/me`, { before }), { handled })
}

// ---- standings ----

/** The monthly notice (积分公示) of `month` (YYYY-MM). */
export function getNotice(villageId: number, month: string, handled?: Handled): Promise<PointsNotice> {
  return request<PointsNotice>(withQuery(`${points(villageId)}/notice`, { month }), { handled })
}

/** The notice as an A4 PDF to print: saved in H5, opened (to print or forward) in the mini-program. */
export function downloadNotice(villageId: number, month: string, title: string): Promise<void> {
  return download(withQuery(`${points(villageId)}/notice.pdf`, { month }), `${title}.pdf`)
}

export function getRanking(villageId: number, query: RankingQuery, handled?: Handled): Promise<Ranking> {
  return request<Ranking>(withQuery(`${points(villageId)}/rankings`, { ...query }), { handled })
}

export function setNameVisibility(
  villageId: number,
  showFullName: boolean,
  handled?: Handled,
): Promise<{ showFullName: boolean }> {
  return request<{ showFullName: boolean }>(`${points(villageId)}/name-visibility`, {
    method: 'PUT',
    data: { showFullName },
    handled,
  })
}

// ---- points shop (积分超市) ----

export function listItems(villageId: number, handled?: Handled): Promise<ShopItemList> {
  return request<ShopItemList>(`${shop(villageId)}/items`, { handled })
}

export function createItem(villageId: number, body: SaveItemBody, handled?: Handled): Promise<ShopItem> {
  return request<ShopItem>(`${shop(villageId)}/items`, { method: 'POST', data: body, handled })
}

export function updateItem(
  villageId: number,
  itemId: number,
  body: SaveItemBody,
  handled?: Handled,
): Promise<ShopItem> {
  return request<ShopItem>(`${shop(villageId)}/items/${itemId}`, { method: 'PUT', data: body, handled })
}

/** Holds the points and gives a pickup code. 409: INSUFFICIENT_POINTS, SOLD_OUT, LIMIT_REACHED, ITEM_UNAVAILABLE. */
export function redeem(villageId: number, body: RedeemBody, handled?: Handled): Promise<Order> {
  return request<Order>(`${shop(villageId)}/orders`, { method: 'POST', data: body, handled })
}

export function listMyOrders(villageId: number, handled?: Handled): Promise<OrderList> {
  return request<OrderList>(`${shop(villageId)}/orders/mine`, { handled })
}

export function listOrders(villageId: number, status?: OrderStatus, handled?: Handled): Promise<OrderList> {
  return request<OrderList>(withQuery(`${shop(villageId)}/orders`, { status }), { handled })
}

/** 核销. 404 CODE_INVALID, 409 ORDER_CLOSED. */
export function fulfilOrder(villageId: number, pickupCode: string, handled?: Handled): Promise<Order> {
  return request<Order>(`${shop(villageId)}/orders/fulfil`, { method: 'POST', data: { pickupCode }, handled })
}

/** The points come back to the member. */
export function cancelOrder(villageId: number, orderId: number, handled?: Handled): Promise<Order> {
  return request<Order>(`${shop(villageId)}/orders/${orderId}/cancel`, { method: 'POST', handled })
}

// ---- volunteer activities (志愿服务) ----

export const { list: listActivities, create: createActivity, get: getActivity } = activityRequests

/** 我的报名: the activities I signed up for (a cancelled sign-up too). */
export function listMySignups(villageId: number, handled?: Handled): Promise<ActivityList> {
  return request<ActivityList>(`${activities(villageId)}/mine`, { handled })
}

export function signUp(villageId: number, activityId: number, handled?: Handled): Promise<Activity> {
  return request<Activity>(`${activities(villageId)}/${activityId}/signup`, { method: 'POST', handled })
}

/** The committee signs up a villager without a phone. */
export function signUpFor(
  villageId: number,
  activityId: number,
  personId: number,
  handled?: Handled,
): Promise<Activity> {
  return request<Activity>(`${activities(villageId)}/${activityId}/signups`, {
    method: 'POST',
    data: { personId },
    handled,
  })
}

export function cancelSignup(villageId: number, activityId: number, handled?: Handled): Promise<Activity> {
  return request<Activity>(`${activities(villageId)}/${activityId}/cancel-signup`, { method: 'POST', handled })
}

/** What the activity's QR code says (committee). */
export function getActivityCode(villageId: number, activityId: number, handled?: Handled): Promise<ActivityCode> {
  return request<ActivityCode>(`${activities(villageId)}/${activityId}/code`, { handled })
}

/** `{ token }` when a member scanned the activity's code, `{ personId }` when the organiser records it. */
export function checkIn(
  villageId: number,
  activityId: number,
  body: AttendanceBody,
  handled?: Handled,
): Promise<Signup> {
  return request<Signup>(`${activities(villageId)}/${activityId}/check-in`, { method: 'POST', data: body, handled })
}

export function checkOut(
  villageId: number,
  activityId: number,
  body: AttendanceBody,
  handled?: Handled,
): Promise<Signup> {
  return request<Signup>(`${activities(villageId)}/${activityId}/check-out`, { method: 'POST', data: body, handled })
}

export function listSignups(villageId: number, activityId: number, handled?: Handled): Promise<SignupList> {
  return request<SignupList>(`${activities(villageId)}/${activityId}/signups`, { handled })
}

/** Credits the points and service hours, once. */
export function confirmHours(
  villageId: number,
  activityId: number,
  personId: number,
  minutes: number,
  handled?: Handled,
): Promise<Signup> {
  return request<Signup>(`${activities(villageId)}/${activityId}/confirm`, {
    method: 'POST',
    data: { personId, minutes },
    handled,
  })
}

// ---- neighbour services (服务互换) ----

export const { list: listServices, create: postService } = serviceRequests

/** The services I posted or took. */
export function listMyServices(villageId: number, handled?: Handled): Promise<NeighbourServiceList> {
  return request<NeighbourServiceList>(`${services(villageId)}/mine`, { handled })
}

export function serviceAction(
  villageId: number,
  serviceId: number,
  action: 'take' | 'complete' | 'cancel',
  handled?: Handled,
): Promise<NeighbourService> {
  return request<NeighbourService>(`${services(villageId)}/${serviceId}/${action}`, { method: 'POST', handled })
}
