import { sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '@liren/shared/contracts'
import { can, type Action } from '@liren/shared/rules'
import { activityBody, calledNow, calledSoon } from './testing/factories.js'
import { auth, multipartFile, startTestContext, type TestContext } from './testing/harness.js'

/**
 * The authorization matrix (issue 8): every route of the OpenAPI document × every kind of caller × their
 * own village (张家村) and the other village (和平社区, whose URLs and objects 张家村's callers use) → allowed
 * or refused, from the one table below. Allowed means the answer is neither 401 nor 403 (a 400, 404 or 409
 * from the business rules means the caller got past authorization); refused means 401 for a caller who is
 * not signed in — anonymous, or an account deleted since its token was issued (a deleted account's tokens
 * are no sign-in at all, as /api/me has it) — and 403 for a signed-in caller without the role (401 or 403
 * where the credential is in the request instead: a refresh token, an Open311 api_key). No route here
 * answers 404 for "not yours": a village's routes check the caller's role in the village before they look
 * anything up. A route in the document without an entry, or an entry without a route, fails the suite.
 *
 * Calls hit real objects of the right village, made through the API first; a route that changes state gets
 * objects of its own, and its refused callers go first, so an allowed call never turns a later refusal
 * into a 409. Bodies pass schema validation (Fastify validates before the auth hooks run, so an invalid
 * body would answer 400 to anyone): built per route below, or sampled from the route's JSON schema.
 */

const CALLERS = [
  'anon',
  'deleted',
  'newcomer',
  'pending',
  'resident',
  'volunteer',
  'grid',
  'committee',
  'town',
] as const
type Caller = (typeof CALLERS)[number]
/**
 * Who calls: nobody signed in; a verified resident who deleted their account (their token not expired
 * yet); a new user who has joined no village; 孙福来, whose application is pending; 张秀兰, resident;
 * 赵小明, volunteer; 李梅, grid worker of both grids; 王建国, committee; 周涛, town admin of both villages.
 */
const DEMO: Partial<Record<Caller, string>> = {
  pending: 'demo-zhangjia-applicant',
  resident: 'demo-zhangjia-resident',
  volunteer: 'demo-zhangjia-volunteer',
  grid: 'demo-zhangjia-grid',
  committee: 'demo-zhangjia-committee',
  town: 'demo-town-admin',
}

const ANYONE: readonly Caller[] = CALLERS
const SIGNED_IN = CALLERS.filter((c) => c !== 'anon' && c !== 'deleted')
const MEMBERS: readonly Caller[] = ['resident', 'volunteer', 'grid', 'committee']
const MEMBERS_AND_TOWN: readonly Caller[] = [...MEMBERS, 'town']
const COMMITTEE: readonly Caller[] = ['committee']
const COMMITTEE_AND_TOWN: readonly Caller[] = ['committee', 'town']
const HANDLERS: readonly Caller[] = ['grid', 'committee', 'town']
const ROSTER_READERS: readonly Caller[] = ['grid', 'committee']
const TOWN: readonly Caller[] = ['town']
const NOBODY: readonly Caller[] = []

interface Rule {
  /** Who may call the route: on their own village for a village's route. */
  own: readonly Caller[]
  /** Who may call it on the other village; absent for a route that belongs to no village. */
  other?: readonly Caller[]
  /** Runs after every other route: it changes the callers themselves. */
  late?: true
}
/** A route with no village. */
const anywhere = (own: readonly Caller[], extra: Omit<Rule, 'own' | 'other'> = {}): Rule => ({ own, ...extra })
/**
 * A village's (or a town's) route. On the other village the callers are strangers, but for the town
 * admin, who administers both villages of 青山镇: by default they keep there what they have at home.
 */
const village = (
  own: readonly Caller[],
  other: readonly Caller[] = own.filter((c) => c === 'town'),
  extra: Omit<Rule, 'own' | 'other'> = {},
): Rule => ({ own, other, ...extra })

/** The table: who SHOULD be allowed, from product.md (where it is silent, what its roles imply). */
const TABLE: Record<string, Rule> = {
  // Operations and sign-in
  'GET /healthz': anywhere(ANYONE),
  'GET /readyz': anywhere(ANYONE),
  'POST /api/auth/wechat': anywhere(ANYONE),
  // By the refresh token in the body: anyone holding one, but not for a deleted account.
  'POST /api/auth/refresh': anywhere(CALLERS.filter((c) => c !== 'deleted')),
  'GET /api/me': anywhere(SIGNED_IN),
  // The village is in the body: one may switch to a village one has joined (or applied to).
  'PUT /api/me/current-village': village(['pending', 'resident', 'volunteer', 'grid', 'committee', 'town'], TOWN),
  'GET /api/villages': anywhere(SIGNED_IN),
  // Anyone signed in may apply to any village (members get a 409); applying changes the newcomer, so it runs last.
  'POST /api/villages/{villageId}/applications': village(SIGNED_IN, SIGNED_IN, { late: true }),
  'GET /api/villages/{villageId}/applications': village(COMMITTEE),
  'POST /api/villages/{villageId}/applications/{membershipId}/verify': village(COMMITTEE),
  'POST /api/villages/{villageId}/applications/{membershipId}/reject': village(COMMITTEE),
  'GET /api/notifications': anywhere(SIGNED_IN),
  'POST /api/notifications/read': anywhere(SIGNED_IN),
  // 待办: each member's own counts in their village (the use case leaves out what their roles do not act on).
  'GET /api/villages/{villageId}/todo': village(MEMBERS),
  // The development sign-in door: open to anyone outside production (app.test.ts checks production has none).
  'GET /api/dev/identities': anywhere(ANYONE),
  'POST /api/dev/wechat-code': anywhere(ANYONE),
  'POST /api/dev/phone-code': anywhere(ANYONE),

  // Places: the town admin manages villages, grids, grid workers and committees. For a town's routes the
  // "other village" is another town, which 周涛 does not administer.
  'GET /api/towns/mine': anywhere(SIGNED_IN),
  'GET /api/towns/{townId}/villages': village(TOWN, NOBODY),
  'POST /api/towns/{townId}/villages': village(TOWN, NOBODY),
  'PATCH /api/villages/{villageId}': village(TOWN),
  // The committee's office phone and hours: its committee, or the town admin.
  'PUT /api/villages/{villageId}/contact': village(COMMITTEE_AND_TOWN),
  'GET /api/villages/{villageId}/grids': village(HANDLERS),
  'POST /api/villages/{villageId}/grids': village(TOWN),
  'GET /api/villages/{villageId}/grids/locate': village(MEMBERS_AND_TOWN),
  'PATCH /api/villages/{villageId}/grids/{gridId}': village(TOWN),
  'PUT /api/villages/{villageId}/grids/{gridId}/workers': village(TOWN),
  'GET /api/villages/{villageId}/members': village(COMMITTEE_AND_TOWN),
  'PUT /api/villages/{villageId}/committee': village(TOWN),

  // The roster (花名册): the committee keeps it, grid workers read it (they act for villagers without a phone).
  'GET /api/villages/{villageId}/roster/people': village(ROSTER_READERS),
  'GET /api/villages/{villageId}/roster/people/{personId}': village(ROSTER_READERS),
  'PATCH /api/villages/{villageId}/roster/people/{personId}': village(COMMITTEE),
  'GET /api/villages/{villageId}/roster/households': village(ROSTER_READERS),
  'GET /api/villages/{villageId}/roster/households/{householdId}': village(ROSTER_READERS),
  'PATCH /api/villages/{villageId}/roster/households/{householdId}': village(COMMITTEE),
  'GET /api/villages/{villageId}/roster/counts': village(ROSTER_READERS),
  'GET /api/villages/{villageId}/roster/template.xlsx': village(ROSTER_READERS),
  'GET /api/villages/{villageId}/roster/export.xlsx': village(COMMITTEE),
  'POST /api/villages/{villageId}/roster/import': village(COMMITTEE),
  'POST /api/villages/{villageId}/members/{membershipId}/person': village(COMMITTEE),
  'POST /api/villages/{villageId}/roster/people/{personId}/retire': village(COMMITTEE),

  // Points: members see the rules, their account, the rankings and the notice; the committee runs the rest.
  // The rulebook with its codes, versions and rules switched off is the committee's; everyone reads the rules in force.
  'GET /api/villages/{villageId}/points/rules': village(COMMITTEE),
  'GET /api/villages/{villageId}/points/earning': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/points/rules': village(COMMITTEE),
  'PUT /api/villages/{villageId}/points/rules/{code}': village(COMMITTEE),
  'POST /api/villages/{villageId}/points/awards': village(COMMITTEE),
  'GET /api/villages/{villageId}/points/approvals': village(COMMITTEE),
  // Made by another committee member: the maker may not check their own award.
  'POST /api/villages/{villageId}/points/approvals/{approvalId}/approve': village(COMMITTEE),
  'POST /api/villages/{villageId}/points/approvals/{approvalId}/reject': village(COMMITTEE),
  'POST /api/villages/{villageId}/points/entries/{entryId}/reverse': village(COMMITTEE),
  'GET /api/villages/{villageId}/points/me': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/points/rankings': village(MEMBERS_AND_TOWN),
  'PUT /api/villages/{villageId}/points/name-visibility': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/points/notice': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/points/notice.pdf': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/points/accounts/{personId}': village(COMMITTEE),

  // Volunteer activities, neighbour services and the shop are the villagers' own (the town admin has no part).
  'GET /api/villages/{villageId}/activities': village(MEMBERS),
  'GET /api/villages/{villageId}/activities/mine': village(MEMBERS),
  'POST /api/villages/{villageId}/activities': village(COMMITTEE),
  'GET /api/villages/{villageId}/activities/{activityId}': village(MEMBERS),
  'POST /api/villages/{villageId}/activities/{activityId}/signup': village(MEMBERS),
  'POST /api/villages/{villageId}/activities/{activityId}/signups': village(COMMITTEE),
  'GET /api/villages/{villageId}/activities/{activityId}/signups': village(COMMITTEE),
  'POST /api/villages/{villageId}/activities/{activityId}/cancel-signup': village(MEMBERS),
  'GET /api/villages/{villageId}/activities/{activityId}/code': village(COMMITTEE),
  'POST /api/villages/{villageId}/activities/{activityId}/check-in': village(MEMBERS),
  'POST /api/villages/{villageId}/activities/{activityId}/check-out': village(MEMBERS),
  'POST /api/villages/{villageId}/activities/{activityId}/confirm': village(COMMITTEE),
  'GET /api/villages/{villageId}/services': village(MEMBERS),
  'GET /api/villages/{villageId}/services/mine': village(MEMBERS),
  'POST /api/villages/{villageId}/services': village(MEMBERS),
  // An offer posted by the volunteer (和平社区: by 陈静): anyone may take it (its poster gets a 409) …
  'POST /api/villages/{villageId}/services/{serviceId}/take': village(MEMBERS),
  // … once taken by the resident, only they (the receiver) confirm it; only the poster withdraws an open one.
  'POST /api/villages/{villageId}/services/{serviceId}/complete': village(['resident']),
  'POST /api/villages/{villageId}/services/{serviceId}/cancel': village(['volunteer']),
  'GET /api/villages/{villageId}/shop/items': village(MEMBERS),
  'POST /api/villages/{villageId}/shop/items': village(COMMITTEE),
  'PUT /api/villages/{villageId}/shop/items/{itemId}': village(COMMITTEE),
  'POST /api/villages/{villageId}/shop/orders': village(MEMBERS),
  'GET /api/villages/{villageId}/shop/orders': village(COMMITTEE),
  'GET /api/villages/{villageId}/shop/orders/mine': village(MEMBERS),
  'POST /api/villages/{villageId}/shop/orders/fulfil': village(COMMITTEE),
  // The resident's order: they or the shop's staff (the committee) cancel it.
  'POST /api/villages/{villageId}/shop/orders/{orderId}/cancel': village(['resident', 'committee']),

  // Reports: members file and follow them; handlers (the grid's worker, the committee, the town admin) handle them.
  'GET /api/villages/{villageId}/reports/settings': village(MEMBERS_AND_TOWN),
  'PUT /api/villages/{villageId}/reports/settings': village(COMMITTEE),
  'POST /api/villages/{villageId}/photos': village(MEMBERS_AND_TOWN),
  // Photos by their unguessable content hash, without a token: the mini-program's <image> sends none.
  'GET /files/{name}': anywhere(ANYONE),
  'POST /api/villages/{villageId}/reports': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/reports': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/reports/mine': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/reports/map': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/reports/queue': village(HANDLERS),
  'GET /api/villages/{villageId}/reports/figures': village(COMMITTEE_AND_TOWN),
  'GET /api/villages/{villageId}/reports/figures.csv': village(COMMITTEE_AND_TOWN),
  'GET /api/towns/{townId}/reports/figures': village(TOWN, NOBODY),
  'GET /api/villages/{villageId}/reports/{reportId}': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/reports/{reportId}/handlers': village(HANDLERS),
  'POST /api/villages/{villageId}/reports/{reportId}/accept': village(HANDLERS),
  'POST /api/villages/{villageId}/reports/{reportId}/assign': village(HANDLERS),
  'POST /api/villages/{villageId}/reports/{reportId}/start': village(HANDLERS),
  'POST /api/villages/{villageId}/reports/{reportId}/resolve': village(HANDLERS),
  'POST /api/villages/{villageId}/reports/{reportId}/reject': village(HANDLERS),
  'POST /api/villages/{villageId}/reports/{reportId}/merge': village(HANDLERS),
  // The resident's report: only its reporter rates it.
  'POST /api/villages/{villageId}/reports/{reportId}/rate': village(['resident'], NOBODY),
  'POST /api/villages/{villageId}/reports/{reportId}/support': village(MEMBERS_AND_TOWN),

  // Meetings and votes: the committee runs them; members (and the town admin) follow them, comment and vote.
  'POST /api/villages/{villageId}/meetings': village(COMMITTEE),
  'GET /api/villages/{villageId}/meetings': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/meetings/{meetingId}': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/meetings/{meetingId}/{step}': village(COMMITTEE),
  'PUT /api/villages/{villageId}/meetings/{meetingId}': village(COMMITTEE),
  'POST /api/villages/{villageId}/meetings/{meetingId}/postpone': village(COMMITTEE),
  'POST /api/villages/{villageId}/meetings/{meetingId}/cancel': village(COMMITTEE),
  'GET /api/villages/{villageId}/meeting-settings': village(MEMBERS_AND_TOWN),
  'PUT /api/villages/{villageId}/meeting-settings': village(COMMITTEE),
  'POST /api/villages/{villageId}/meetings/{meetingId}/agenda/{itemId}/comments': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/meetings/{meetingId}/comments': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/meetings/{meetingId}/comments/{commentId}/hide': village(COMMITTEE),
  'PUT /api/villages/{villageId}/meetings/{meetingId}/minutes': village(COMMITTEE),
  'POST /api/villages/{villageId}/meetings/{meetingId}/attendance': village(COMMITTEE),
  'GET /api/villages/{villageId}/meetings/{meetingId}/notice.pdf': village(MEMBERS_AND_TOWN),
  // 到会名单 and 签到表 name everyone on the roll: the committee's own.
  'GET /api/villages/{villageId}/meetings/{meetingId}/attendance': village(COMMITTEE),
  'GET /api/villages/{villageId}/meetings/{meetingId}/sign-in-sheet.pdf': village(COMMITTEE),
  // 表决结果公示 is public: the village board's QR code opens it without signing in.
  'GET /api/public/villages/{villageId}/meetings/{meetingId}/results': village(ANYONE, ANYONE),
  'GET /api/villages/{villageId}/meetings/{meetingId}/code': village(COMMITTEE),
  'POST /api/villages/{villageId}/meetings/{meetingId}/check-in': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/topics': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/topics': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/topics/mine': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/topics/{topicId}': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/topics/{topicId}/support': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/topics/{topicId}/accept': village(COMMITTEE),
  'POST /api/villages/{villageId}/topics/{topicId}/merge': village(COMMITTEE),
  'POST /api/villages/{villageId}/topics/{topicId}/decline': village(COMMITTEE),
  // 提议召集: members start and sign; the committee records signatures for villagers without a phone and answers
  // with a meeting; a topic becomes a petition by its proposer (the resident) or the committee.
  'POST /api/villages/{villageId}/topics/{topicId}/petition': village(['resident', 'committee']),
  'POST /api/villages/{villageId}/petitions': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/petitions': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/petitions/{petitionId}': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/petitions/{petitionId}/signatures': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/petitions/{petitionId}/signatures/recorded': village(COMMITTEE),
  'POST /api/villages/{villageId}/petitions/{petitionId}/answer': village(COMMITTEE),
  'GET /api/towns/{townId}/petitions/overdue': village(TOWN, NOBODY),
  'POST /api/villages/{villageId}/matters': village(COMMITTEE),
  'GET /api/villages/{villageId}/matters': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/matters/{matterId}': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/matters/{matterId}/stages': village(COMMITTEE),
  'POST /api/villages/{villageId}/matters/{matterId}/ratings': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/votes/{voteId}/{step}': village(COMMITTEE),
  'POST /api/villages/{villageId}/votes/{voteId}/ballots': village(MEMBERS_AND_TOWN),
  'POST /api/villages/{villageId}/votes/{voteId}/offline': village(COMMITTEE),
  // The named tellers (李梅 counts, 赵小明 scrutinises) confirm the venue's counts, nobody else.
  'POST /api/villages/{villageId}/votes/{voteId}/offline/{tallyId}/confirm': village(['grid', 'volunteer'], NOBODY),
  'GET /api/villages/{villageId}/votes/{voteId}/result': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/votes/mine': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/votes/{voteId}/receipts': village(MEMBERS_AND_TOWN),
  'GET /api/villages/{villageId}/votes/{voteId}/receipts/{code}': village(MEMBERS_AND_TOWN),
  // 委托投票 and counting points (流动票箱, 分会场): the committee records and lists them.
  'POST /api/villages/{villageId}/meetings/{meetingId}/proxies': village(COMMITTEE),
  'GET /api/villages/{villageId}/meetings/{meetingId}/proxies': village(COMMITTEE),
  'POST /api/villages/{villageId}/meetings/{meetingId}/proxies/{principalPersonId}/cancel': village(COMMITTEE),
  'POST /api/villages/{villageId}/meetings/{meetingId}/counting-points': village(COMMITTEE),
  'GET /api/villages/{villageId}/meetings/{meetingId}/counting-points': village(COMMITTEE),

  // Open311 is public (jurisdiction_id names the village); filing needs the village's api_key, and 张家村's
  // key files nothing in 和平社区. The committee issues and revokes keys.
  'GET /open311/v2/discovery.{format}': anywhere(ANYONE),
  'GET /open311/v2/services.{format}': village(ANYONE, ANYONE),
  'GET /open311/v2/services/{code}.{format}': village(ANYONE, ANYONE),
  'POST /open311/v2/requests.{format}': village(ANYONE, NOBODY),
  'GET /open311/v2/requests.{format}': village(ANYONE, ANYONE),
  'GET /open311/v2/requests/{id}.{format}': village(ANYONE, ANYONE),
  'GET /open311/v2/tokens/{token}.{format}': village(ANYONE, ANYONE),
  'GET /api/villages/{villageId}/open311/keys': village(COMMITTEE),
  'POST /api/villages/{villageId}/open311/keys': village(COMMITTEE),
  'POST /api/villages/{villageId}/open311/keys/{keyId}/revoke': village(COMMITTEE),

  // Privacy: the guide is public; one's consent, data and account are one's own.
  'GET /api/privacy': anywhere(ANYONE),
  'GET /api/me/privacy': anywhere(SIGNED_IN),
  'POST /api/me/privacy': anywhere(SIGNED_IN),
  'GET /api/me/export': anywhere(SIGNED_IN),
  'GET /api/me/export.xlsx': anywhere(SIGNED_IN),
  // Signing out ends the caller's sign-ins, so it runs late; 注销 after it (its callers sign in again first).
  'POST /api/auth/sign-out': anywhere(SIGNED_IN, { late: true }),
  'POST /api/me/delete': anywhere(SIGNED_IN, { late: true }),
}

// ---- how to call each route ----

/** What a route is called with, made once per village before its callers call it. */
interface Call {
  params?: Record<string, string | number>
  query?: Record<string, string | number>
  /** The JSON body (per caller where it must differ: idempotency keys, one's own refresh token); sampled from the schema when absent. */
  body?: object | ((caller: Caller) => object)
  /** A multipart file instead. */
  upload?: () => { payload: Buffer; headers: Record<string, string> }
}

/** A village under test and the people who make its objects. */
interface Place {
  name: string
  id: number
  code: string
  /** The town of a town's routes: 青山镇 for 张家村; for 和平社区, a town 周涛 does not administer. */
  townId: number
  /** 王建国 / 陈静. */
  committee: string
  /** 张秀兰 / 刘洋: files the reports, proposes the topics, orders from the shop, takes the services. */
  resident: string
  residentPersonId: number
  residentHouseholdId: number
  residentAddress: string
  /** 赵小明 / 陈静: posts the services. */
  provider: string
  /** A second committee member (张家村) / 陈静: makes the awards waiting for approval. */
  maker: string
  /** The tellers of a venue count: 李梅 and 赵小明 / 陈静 and 刘洋. */
  tellers: [number, number]
  /** A handler to assign reports to: 李梅 / 陈静. */
  assigneeUserId: number
  committeeIds: number[]
  /** Applications waiting: one to verify, one to reject. */
  toVerify: number
  toReject: number
  /** A verified member not linked to the roster yet. */
  linkee: number
  /** Roster people without the app, by use (和平社区 has only one: 周敏). */
  spare(i: number): number
}

let t: TestContext
let doc: { paths: Record<string, Record<string, Operation>> }
let own: Place
let other: Place
let jpeg: Buffer
let privacyVersion: string
/** 张家村's Open311 key. */
let zhangjiaKey: string
const who = {} as Record<Caller, { token?: string; refresh: string; openid: string }>
let checked = 0

interface Schema {
  type?: string
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  minItems?: number
  minLength?: number
  minimum?: number
  pattern?: string
  format?: string
  enum?: unknown[]
  anyOf?: Schema[]
  minProperties?: number
  default?: unknown
}
interface Operation {
  security?: unknown[]
  parameters?: { in: string; name: string; required?: boolean; schema: Schema }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
}

let serial = 0
const next = () => ++serial
const key = () => `authz-${next()}-key`
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString()
const today = () => new Date().toISOString().slice(0, 10)

/** Sample values for the string patterns the contracts use (a new pattern fails loudly). */
const PATTERNS: Record<string, () => string> = {
  '^[\\p{L}·]+$': () => '钱测试',
  '^[a-z0-9][a-z0-9-]*$': () => `authz-${next()}`,
  '^[a-z0-9_]+$': () => `authz_${next()}`,
  '^[A-Za-z0-9:_-]+$': key,
  '^[A-Za-z0-9_-]+$': () => `authz-${next()}`,
  '^1\\d{10}$': () => '13800000000',
  '^1\\d{10}$|^0\\d{2,3}-?\\d{7,8}$': () => '13800000000',
  '^\\d{6}$': () => '000000',
  '^[a-f0-9]{64}$': () => 'a'.repeat(64),
  '^\\d{4}-\\d{2}-\\d{2}$': today,
}

/** A minimal value that passes `schema`: required properties, lower bounds, the first choice. */
function sample(schema: Schema): unknown {
  if (schema.anyOf) return sample(schema.anyOf[0]!)
  if (schema.enum) return schema.enum[0]
  if (schema.default !== undefined) return schema.default
  switch (schema.type) {
    case 'object': {
      const props = schema.properties ?? {}
      const names = [...(schema.required ?? [])]
      for (const n of Object.keys(props))
        if (names.length < (schema.minProperties ?? 0) && !names.includes(n)) names.push(n)
      return Object.fromEntries(names.map((n) => [n, sample(props[n]!)]))
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items!))
    case 'string': {
      if (schema.pattern) {
        const make = PATTERNS[schema.pattern]
        if (!make) throw new Error(`no sample for the pattern ${schema.pattern}: add one to PATTERNS`)
        return make()
      }
      if (schema.format === 'date-time') return inDays(2)
      if (schema.format === 'date') return today()
      return '测试内容'.repeat(Math.ceil((schema.minLength ?? 1) / 4))
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 1
    case 'boolean':
      return false
  }
  throw new Error(`no sample for the schema ${JSON.stringify(schema)}`)
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']
const documentedRoutes = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  )
function operation(route: string): Operation {
  const [method, path] = route.split(' ') as [string, string]
  const op = doc.paths[path]?.[method.toLowerCase()]
  if (!op) throw new Error(`${route} is not in the OpenAPI document`)
  return op
}

// ---- setup helpers: the API as the village's people use it ----

/** A call that must succeed; its JSON (untyped, as `inject` gives it). */
async function ok(token: string | undefined, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: token ? auth(token) : {}, payload })
  if (res.statusCode >= 300) throw new Error(`setup: ${method} ${url} answered ${res.statusCode} ${res.body}`)
  return res.json()
}
async function signIn(openid: string): Promise<{ token: string; refreshToken: string; userId: number }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/wechat',
    payload: { code: t.wechat.issueCode(openid) },
  })
  if (res.statusCode !== 200) throw new Error(`sign-in as ${openid}: ${res.statusCode} ${res.body}`)
  return res.json()
}
/** A new user applying to a village: their tokens and membership (pending). */
async function applicant(villageId: number, realName: string) {
  const openid = `authz-${next()}`
  const s = await signIn(openid)
  const m = await ok(s.token, 'POST', `/api/villages/${villageId}/applications`, {
    realName,
    householdAddress: '村里新盖的房子',
    birthYear: 1985,
  })
  return { ...s, openid, membershipId: m.id as number }
}

const memo = new Map<string, Promise<unknown>>()
function once<T>(v: Place, what: string, make: () => Promise<T>): Promise<T> {
  const k = `${v.code}:${what}`
  if (!memo.has(k)) memo.set(k, make())
  return memo.get(k) as Promise<T>
}
const at = (v: Place, path: string) => `/api/villages/${v.id}${path}`

async function reportIn(v: Place, state: 'submitted' | 'accepted' | 'in_progress' | 'resolved'): Promise<number> {
  const r = await ok(v.resident, 'POST', at(v, '/reports'), {
    category: '设施损坏',
    description: '村口的路灯坏了好几天',
    public: true,
    idempotencyKey: key(),
  })
  const steps = {
    submitted: [],
    accepted: ['accept'],
    in_progress: ['accept', 'start'],
    resolved: ['accept', 'start', 'resolve'],
  }[state]
  for (const s of steps)
    await ok(v.committee, 'POST', at(v, `/reports/${r.id}/${s}`), s === 'resolve' ? { note: '已经换了新灯' } : {})
  return r.id
}
const sharedReport = (v: Place) => once(v, 'report', () => reportIn(v, 'accepted'))

/** A meeting with one agenda item and its secret vote, taken to `state`; `closed` has the resident's ballot. */
async function meeting(v: Place, state: 'draft' | 'announced' | 'voting' | 'closed') {
  const m = await ok(v.committee, 'POST', at(v, '/meetings'), {
    kind: 'villager_meeting',
    title: '村道修缮议事',
    place: '村委会',
    // 征求意见 stays open (until the start) while the vote may open; a closed vote needs the start passed.
    ...(state === 'closed' ? calledNow() : calledSoon()),
    online: true,
    agenda: [{ title: '修村道', vote: { question: '同意修村东头的村道', secret: true } }],
  })
  const item = m.agenda[0]
  const out = {
    id: m.id as number,
    itemId: item.id as number,
    voteId: item.vote.id as number,
    options: item.vote.options.map((o: { id: number }) => o.id) as number[],
    receipt: '',
  }
  if (state === 'draft') return out
  await ok(v.committee, 'POST', at(v, `/meetings/${out.id}/announce`))
  if (state === 'announced') return out
  await ok(v.committee, 'POST', at(v, `/votes/${out.voteId}/open`))
  if (state === 'voting') return out
  out.receipt = (
    await ok(v.resident, 'POST', at(v, `/votes/${out.voteId}/ballots`), { choices: [out.options[0]] })
  ).receiptCode
  await ok(v.committee, 'POST', at(v, `/votes/${out.voteId}/close`))
  for (const s of ['start', 'close']) await ok(v.committee, 'POST', at(v, `/meetings/${out.id}/${s}`))
  return out
}
const closedMeeting = (v: Place) => once(v, 'closed meeting', () => meeting(v, 'closed'))

const newTopic = async (v: Place): Promise<number> =>
  (await ok(v.resident, 'POST', at(v, '/topics'), { title: '村里装路灯', description: '晚上太黑了，老人出门不方便' }))
    .id
/** A topic of the resident's backed by enough adults to be heard (the count set directly: the matrix needs no crowd). */
const heardTopic = async (v: Place): Promise<number> => {
  const id = await newTopic(v)
  await t.database.db.execute(sql`UPDATE topics SET supporters = 100000 WHERE id = ${id}`)
  return id
}
const newPetition = async (v: Place): Promise<number> =>
  (
    await ok(v.resident, 'POST', at(v, '/petitions'), {
      kind: 'villager_meeting',
      title: '村集体土地租金怎么分',
      reason: '请村委会召开村民会议商量',
    })
  ).id
const newMatter = async (v: Place): Promise<number> =>
  (await ok(v.committee, 'POST', at(v, '/matters'), { title: '村道硬化工程', description: '修八百米水泥路' })).id
/** A matter through all six stages, which residents may rate. */
const ratableMatter = (v: Place) =>
  once(v, 'ratable matter', async () => {
    const id = await newMatter(v)
    const m = await ok(v.committee, 'POST', at(v, '/meetings'), {
      kind: 'representative_meeting',
      title: '村民代表会议',
      place: '村委会',
      ...calledNow(),
      online: false,
      agenda: [{ title: '道路硬化' }],
    })
    for (const s of ['announce', 'start', 'close']) await ok(v.committee, 'POST', at(v, `/meetings/${m.id}/${s}`))
    for (const stage of ['proposal', 'consultation', 'review', 'resolution', 'resolution_public', 'result_public']) {
      await ok(v.committee, 'POST', at(v, `/matters/${id}/stages`), {
        stage,
        heldOn: today(),
        outcome: '同意进入下一环节',
        ...(stage === 'resolution' ? { meetingId: m.id } : {}),
      })
    }
    return id
  })

const newActivity = async (v: Place): Promise<number> =>
  (await ok(v.committee, 'POST', at(v, '/activities'), activityBody())).id
const sharedActivity = (v: Place) => once(v, 'activity', () => newActivity(v))
/** A new activity the village's resident signed up for. */
const signedUpActivity = async (v: Place): Promise<number> => {
  const activityId = await newActivity(v)
  await ok(v.resident, 'POST', at(v, `/activities/${activityId}/signup`))
  return activityId
}
const activityToken = async (v: Place, id: number): Promise<string> =>
  (await ok(v.committee, 'GET', at(v, `/activities/${id}/code`))).token

const newService = async (v: Place): Promise<number> =>
  (
    await ok(v.provider, 'POST', at(v, '/services'), {
      kind: 'offer',
      title: '接送孩子放学',
      description: '每天下午四点',
      points: 1,
    })
  ).id

const newRule = async (v: Place, extra: object = {}): Promise<string> =>
  (
    await ok(v.committee, 'POST', at(v, '/points/rules'), {
      code: `authz_${next()}`,
      name: '打扫卫生',
      kind: 'earn',
      points: 5,
      ...extra,
    })
  ).code
const newEntry = async (v: Place): Promise<number> =>
  (
    await ok(v.committee, 'POST', at(v, '/points/awards'), {
      personId: v.residentPersonId,
      ruleCode: await newRule(v),
      reason: '打扫村口',
      idempotencyKey: key(),
    })
  ).entryId
/** The resident has points to spend. */
const funded = (v: Place) =>
  once(v, 'funded', async () => {
    await ok(v.committee, 'POST', at(v, '/points/awards'), {
      personId: v.residentPersonId,
      ruleCode: await newRule(v, { points: 50 }),
      reason: '打扫村口',
      idempotencyKey: key(),
    })
  })
async function newApproval(v: Place): Promise<number> {
  const ruleCode = await once(v, 'checked rule', () => newRule(v, { points: 50, approvalThreshold: 10 }))
  const made = await ok(v.maker, 'POST', at(v, '/points/awards'), {
    personId: v.residentPersonId,
    ruleCode,
    reason: '抢修水渠',
    idempotencyKey: key(),
  })
  expect(made.status).toBe('pending_approval')
  return made.approvalId
}

const newItem = async (v: Place): Promise<number> =>
  (await ok(v.committee, 'POST', at(v, '/shop/items'), { name: '洗衣粉', cost: 1, stock: 1000 })).id
const sharedItem = (v: Place) => once(v, 'item', () => newItem(v))
async function newOrder(v: Place): Promise<{ id: number; pickupCode: string }> {
  const [itemId] = await Promise.all([sharedItem(v), funded(v)])
  return ok(v.resident, 'POST', at(v, '/shop/orders'), { itemId, idempotencyKey: key() })
}

const newGrid = async (v: Place): Promise<number> =>
  (await ok(who.town.token, 'POST', at(v, '/grids'), { name: `试点网格${next()}` })).id
const newKey = async (v: Place): Promise<{ id: number; key: string }> =>
  ok(v.committee, 'POST', at(v, '/open311/keys'), { label: '12345 热线平台' })
const open311Token = (v: Place) =>
  once(v, 'open311 token', async () => {
    const { key: apiKey } = await newKey(v)
    const created = await ok(undefined, 'POST', `/open311/v2/requests.json?jurisdiction_id=${v.code}`, {
      api_key: apiKey,
      service_code: '环境卫生',
      description: '村口垃圾没人清',
      address_string: '村口',
    })
    return created[0].token as string
  })
const sharedPhoto = () =>
  once(own, 'photo', async () => {
    const { payload, headers } = multipartFile('file', 'photo.jpg', jpeg)
    const res = await t.app.inject({
      method: 'POST',
      url: at(own, '/photos'),
      payload,
      headers: { ...headers, ...auth(own.committee) },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { key: string }
  })

const jurisdiction = (v: Place) => ({ jurisdiction_id: v.code })

/** The route called on an object of the village that `make` gives, named by path parameter `param`. */
const on =
  (param: string, make: (v: Place) => Promise<number>) =>
  async (v: Place): Promise<Call> => ({ params: { [param]: await make(v) } })

/** How to call the routes whose path or body needs real objects; any other route gets its village and a sampled body. */
const HOW: Record<string, (v: Place) => Call | Promise<Call>> = {
  'POST /api/auth/wechat': () => ({
    body: (c) => ({ code: t.wechat.issueCode(c === 'anon' ? `authz-${next()}` : who[c].openid) }),
  }),
  'POST /api/auth/refresh': () => ({ body: (c) => ({ refreshToken: who[c].refresh }) }),
  // Signing out (just before) ended every caller's sign-in: each signs in again, as a person would.
  'POST /api/me/delete': async () => {
    for (const c of SIGNED_IN) {
      const s = await signIn(who[c].openid)
      who[c] = { ...who[c], refresh: s.refreshToken, token: s.token }
    }
    return {}
  },
  'PUT /api/me/current-village': (v) => ({ body: { villageId: v.id } }),
  'POST /api/dev/wechat-code': () => ({ body: { openid: 'demo-zhangjia-resident' } }),
  'POST /api/villages/{villageId}/applications': () => ({
    body: { realName: '钱新来', householdAddress: '村里新盖的房子', birthYear: 1985 },
  }),
  'POST /api/villages/{villageId}/applications/{membershipId}/verify': (v) => ({
    params: { membershipId: v.toVerify },
    body: {},
  }),
  'POST /api/villages/{villageId}/applications/{membershipId}/reject': (v) => ({
    params: { membershipId: v.toReject },
    body: { reason: '不是本村的人' },
  }),

  'POST /api/towns/{townId}/villages': () => ({
    body: () => ({ code: `authz-${next()}`, name: '试点新村', kind: 'rural' }),
  }),
  'PATCH /api/villages/{villageId}': (v) => ({ body: { name: v.name } }),
  'POST /api/villages/{villageId}/grids': () => ({ body: () => ({ name: `试点网格${next()}` }) }),
  'GET /api/villages/{villageId}/grids/locate': () => ({ query: { lng: 116.4, lat: 39.9 } }),
  'PATCH /api/villages/{villageId}/grids/{gridId}': async (v) => ({
    params: { gridId: await newGrid(v) },
    body: () => ({ name: `试点网格${next()}` }),
  }),
  'PUT /api/villages/{villageId}/grids/{gridId}/workers': async (v) => ({
    params: { gridId: await newGrid(v) },
    body: { membershipIds: [] },
  }),
  'PUT /api/villages/{villageId}/committee': (v) => ({ body: { membershipIds: v.committeeIds } }),

  'GET /api/villages/{villageId}/roster/people/{personId}': (v) => ({ params: { personId: v.residentPersonId } }),
  'PATCH /api/villages/{villageId}/roster/people/{personId}': (v) => ({
    params: { personId: v.spare(5) },
    body: { partyMember: false },
  }),
  'GET /api/villages/{villageId}/roster/households/{householdId}': (v) => ({
    params: { householdId: v.residentHouseholdId },
  }),
  'PATCH /api/villages/{villageId}/roster/households/{householdId}': (v) => ({
    params: { householdId: v.residentHouseholdId },
    body: { address: v.residentAddress },
  }),
  'POST /api/villages/{villageId}/roster/import': () => ({
    query: { commit: 'false' },
    upload: () => multipartFile('file', 'roster.csv', '户号,姓名\n'),
  }),
  'POST /api/villages/{villageId}/members/{membershipId}/person': (v) => ({
    params: { membershipId: v.linkee },
    body: { personId: v.spare(4) },
  }),
  'POST /api/villages/{villageId}/roster/people/{personId}/retire': (v) => ({
    params: { personId: v.spare(0) },
    body: { status: 'moved_out' },
  }),

  'POST /api/villages/{villageId}/points/rules': () => ({
    body: () => ({ code: `authz_${next()}`, name: '打扫卫生', kind: 'earn', points: 5 }),
  }),
  'PUT /api/villages/{villageId}/points/rules/{code}': async (v) => {
    const code = await newRule(v)
    return { params: { code }, body: { code, name: '打扫卫生（修订）', kind: 'earn', points: 6 } }
  },
  'POST /api/villages/{villageId}/points/awards': async (v) => {
    const ruleCode = await newRule(v)
    return { body: () => ({ personId: v.residentPersonId, ruleCode, reason: '打扫村口', idempotencyKey: key() }) }
  },
  'POST /api/villages/{villageId}/points/approvals/{approvalId}/approve': on('approvalId', newApproval),
  'POST /api/villages/{villageId}/points/approvals/{approvalId}/reject': on('approvalId', newApproval),
  'POST /api/villages/{villageId}/points/entries/{entryId}/reverse': async (v) => ({
    params: { entryId: await newEntry(v) },
    body: () => ({ reason: '记错了，冲正', idempotencyKey: key() }),
  }),
  'PUT /api/villages/{villageId}/points/name-visibility': () => ({ body: { showFullName: false } }),
  'GET /api/villages/{villageId}/points/accounts/{personId}': (v) => ({ params: { personId: v.residentPersonId } }),

  'POST /api/villages/{villageId}/activities': () => ({
    body: activityBody(),
  }),
  'GET /api/villages/{villageId}/activities/{activityId}': on('activityId', sharedActivity),
  'POST /api/villages/{villageId}/activities/{activityId}/signup': on('activityId', newActivity),
  'POST /api/villages/{villageId}/activities/{activityId}/signups': async (v) => ({
    params: { activityId: await newActivity(v) },
    body: { personId: v.spare(2) },
  }),
  'GET /api/villages/{villageId}/activities/{activityId}/signups': on('activityId', sharedActivity),
  'POST /api/villages/{villageId}/activities/{activityId}/cancel-signup': on('activityId', signedUpActivity),
  'GET /api/villages/{villageId}/activities/{activityId}/code': on('activityId', sharedActivity),
  'POST /api/villages/{villageId}/activities/{activityId}/check-in': async (v) => {
    const activityId = await signedUpActivity(v)
    return { params: { activityId }, body: { token: await activityToken(v, activityId) } }
  },
  'POST /api/villages/{villageId}/activities/{activityId}/check-out': async (v) => {
    const activityId = await signedUpActivity(v)
    const token = await activityToken(v, activityId)
    await ok(v.resident, 'POST', at(v, `/activities/${activityId}/check-in`), { token })
    return { params: { activityId }, body: { token } }
  },
  'POST /api/villages/{villageId}/activities/{activityId}/confirm': async (v) => {
    const activityId = await newActivity(v)
    const personId = v.spare(3)
    await ok(v.committee, 'POST', at(v, `/activities/${activityId}/signups`), { personId })
    await ok(v.committee, 'POST', at(v, `/activities/${activityId}/check-in`), { personId })
    return { params: { activityId }, body: { personId, minutes: 60 } }
  },

  'POST /api/villages/{villageId}/services': () => ({
    body: { kind: 'offer', title: '陪老人聊天', description: '每周末下午', points: 1 },
  }),
  'POST /api/villages/{villageId}/services/{serviceId}/take': on('serviceId', newService),
  'POST /api/villages/{villageId}/services/{serviceId}/complete': async (v) => {
    const serviceId = await newService(v)
    await ok(v.resident, 'POST', at(v, `/services/${serviceId}/take`))
    return { params: { serviceId } }
  },
  'POST /api/villages/{villageId}/services/{serviceId}/cancel': on('serviceId', newService),

  'POST /api/villages/{villageId}/shop/items': () => ({ body: { name: '香皂', cost: 1, stock: 10 } }),
  'PUT /api/villages/{villageId}/shop/items/{itemId}': async (v) => ({
    params: { itemId: await newItem(v) },
    body: { name: '洗衣粉', cost: 1, stock: 999 },
  }),
  'POST /api/villages/{villageId}/shop/orders': async (v) => {
    const [itemId] = await Promise.all([sharedItem(v), funded(v)])
    return { body: () => ({ itemId, idempotencyKey: key() }) }
  },
  'POST /api/villages/{villageId}/shop/orders/fulfil': async (v) => ({
    body: { pickupCode: (await newOrder(v)).pickupCode },
  }),
  'POST /api/villages/{villageId}/shop/orders/{orderId}/cancel': async (v) => ({
    params: { orderId: (await newOrder(v)).id },
  }),

  'PUT /api/villages/{villageId}/reports/settings': async (v) => ({
    body: await ok(v.committee, 'GET', at(v, '/reports/settings')),
  }),
  'POST /api/villages/{villageId}/photos': () => ({ upload: () => multipartFile('file', 'photo.jpg', jpeg) }),
  'GET /files/{name}': async () => ({ params: { name: `${(await sharedPhoto()).key}.jpg` } }),
  'POST /api/villages/{villageId}/reports': () => ({
    body: () => ({ category: '环境卫生', description: '村口的垃圾没人清理', public: true, idempotencyKey: key() }),
  }),
  'GET /api/villages/{villageId}/reports/{reportId}': async (v) => ({ params: { reportId: await sharedReport(v) } }),
  'GET /api/villages/{villageId}/reports/{reportId}/handlers': on('reportId', sharedReport),
  'POST /api/villages/{villageId}/reports/{reportId}/accept': async (v) => ({
    params: { reportId: await reportIn(v, 'submitted') },
  }),
  'POST /api/villages/{villageId}/reports/{reportId}/assign': async (v) => ({
    params: { reportId: await reportIn(v, 'accepted') },
    body: { assigneeUserId: v.assigneeUserId },
  }),
  'POST /api/villages/{villageId}/reports/{reportId}/start': async (v) => ({
    params: { reportId: await reportIn(v, 'accepted') },
  }),
  'POST /api/villages/{villageId}/reports/{reportId}/resolve': async (v) => ({
    params: { reportId: await reportIn(v, 'in_progress') },
    body: { note: '已经处理好了' },
  }),
  'POST /api/villages/{villageId}/reports/{reportId}/reject': async (v) => ({
    params: { reportId: await reportIn(v, 'submitted') },
    body: { reason: '不属于村里管的事' },
  }),
  'POST /api/villages/{villageId}/reports/{reportId}/merge': async (v) => {
    const [reportId, intoReportId] = await Promise.all([reportIn(v, 'submitted'), reportIn(v, 'submitted')])
    return { params: { reportId }, body: { intoReportId } }
  },
  'POST /api/villages/{villageId}/reports/{reportId}/rate': async (v) => ({
    params: { reportId: await reportIn(v, 'resolved') },
    body: { rating: 'satisfied' },
  }),
  'POST /api/villages/{villageId}/reports/{reportId}/support': async (v) => ({
    params: { reportId: await reportIn(v, 'submitted') },
  }),

  'POST /api/villages/{villageId}/meetings': () => ({
    body: { kind: 'deliberation', title: '议事协商会', place: '村委会', startsAt: inDays(3), online: true, agenda: [] },
  }),
  'GET /api/villages/{villageId}/meetings/{meetingId}': async (v) => ({
    params: { meetingId: (await closedMeeting(v)).id },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/{step}': async (v) => ({
    params: { meetingId: (await meeting(v, 'draft')).id, step: 'announce' },
  }),
  'PUT /api/villages/{villageId}/meetings/{meetingId}': async (v) => {
    const m = await meeting(v, 'draft')
    return {
      params: { meetingId: m.id },
      body: {
        kind: 'villager_meeting',
        title: '村道修缮议事（改）',
        place: '村委会',
        startsAt: inDays(12),
        online: true,
        agenda: [{ id: m.itemId, title: '修村道' }],
      },
    }
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/postpone': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
    body: { startsAt: inDays(4), reason: '那天下大雨', urgentReason: '测试：紧急召开' },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/cancel': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
    body: { reason: '事情已经解决了' },
  }),
  'PUT /api/villages/{villageId}/meeting-settings': () => ({
    body: { representativeNoticeDays: 3, startGraceMinutes: 30, petitionAnswerDays: 30 },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/agenda/{itemId}/comments': async (v) => {
    const m = await meeting(v, 'announced')
    return { params: { meetingId: m.id, itemId: m.itemId }, body: { body: '建议早点开工' } }
  },
  'GET /api/villages/{villageId}/meetings/{meetingId}/comments': async (v) => ({
    params: { meetingId: (await closedMeeting(v)).id },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/comments/{commentId}/hide': async (v) => {
    const m = await meeting(v, 'announced')
    const comments = await ok(v.resident, 'POST', at(v, `/meetings/${m.id}/agenda/${m.itemId}/comments`), {
      body: '希望先修村东头',
    })
    return {
      params: { meetingId: m.id, commentId: comments.find((c: { mine: boolean }) => c.mine).id },
      body: { reason: '与议题无关' },
    }
  },
  'PUT /api/villages/{villageId}/meetings/{meetingId}/minutes': async (v) => ({
    params: { meetingId: (await meeting(v, 'closed')).id },
    body: { minutes: '会议讨论了修村道的事情，到会的人都同意。' },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/attendance': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
    body: { personId: v.spare(1) },
  }),
  'GET /api/villages/{villageId}/meetings/{meetingId}/notice.pdf': async (v) => ({
    params: { meetingId: (await closedMeeting(v)).id },
  }),
  'GET /api/villages/{villageId}/meetings/{meetingId}/attendance': async (v) => ({
    params: { meetingId: (await closedMeeting(v)).id },
  }),
  'GET /api/villages/{villageId}/meetings/{meetingId}/sign-in-sheet.pdf': async (v) => ({
    params: { meetingId: (await closedMeeting(v)).id },
  }),
  'GET /api/public/villages/{villageId}/meetings/{meetingId}/results': async (v) => ({
    params: { meetingId: (await closedMeeting(v)).id },
  }),
  'GET /api/villages/{villageId}/meetings/{meetingId}/code': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/check-in': async (v) => {
    const m = await meeting(v, 'announced')
    return {
      params: { meetingId: m.id },
      body: { token: (await ok(v.committee, 'GET', at(v, `/meetings/${m.id}/code`))).token },
    }
  },
  'POST /api/villages/{villageId}/topics': () => ({
    body: { title: '村里装路灯', description: '晚上太黑了，老人出门不方便' },
  }),
  'GET /api/villages/{villageId}/topics/{topicId}': async (v) => ({
    params: { topicId: await once(v, 'topic', () => newTopic(v)) },
  }),
  'POST /api/villages/{villageId}/topics/{topicId}/support': async (v) => ({ params: { topicId: await newTopic(v) } }),
  'POST /api/villages/{villageId}/topics/{topicId}/accept': async (v) => {
    const [topicId, m] = await Promise.all([newTopic(v), meeting(v, 'draft')])
    return { params: { topicId }, body: { meetingId: m.id } }
  },
  'POST /api/villages/{villageId}/topics/{topicId}/merge': async (v) => {
    const [topicId, intoTopicId] = await Promise.all([newTopic(v), newTopic(v)])
    return { params: { topicId }, body: { intoTopicId } }
  },
  'POST /api/villages/{villageId}/topics/{topicId}/decline': async (v) => ({
    params: { topicId: await newTopic(v) },
    body: { reason: '不属于村务' },
  }),
  'POST /api/villages/{villageId}/topics/{topicId}/petition': on('topicId', heardTopic),
  'POST /api/villages/{villageId}/petitions': () => ({
    body: { kind: 'villager_meeting', title: '村集体土地租金怎么分', reason: '请村委会召开村民会议商量' },
  }),
  'GET /api/villages/{villageId}/petitions/{petitionId}': async (v) => ({
    params: { petitionId: await once(v, 'petition', () => newPetition(v)) },
  }),
  'POST /api/villages/{villageId}/petitions/{petitionId}/signatures': on('petitionId', newPetition),
  'POST /api/villages/{villageId}/petitions/{petitionId}/signatures/recorded': async (v) => ({
    params: { petitionId: await newPetition(v) },
    body: { personId: v.spare(6) },
  }),
  'POST /api/villages/{villageId}/petitions/{petitionId}/answer': async (v) => {
    const [petitionId, m] = await Promise.all([newPetition(v), meeting(v, 'announced')])
    return { params: { petitionId }, body: { meetingId: m.id } }
  },
  'POST /api/villages/{villageId}/matters': () => ({ body: { title: '村道硬化工程', description: '修八百米水泥路' } }),
  'GET /api/villages/{villageId}/matters/{matterId}': async (v) => ({
    params: { matterId: await once(v, 'matter', () => newMatter(v)) },
  }),
  'POST /api/villages/{villageId}/matters/{matterId}/stages': async (v) => ({
    params: { matterId: await newMatter(v) },
    body: { stage: 'proposal', heldOn: today(), outcome: '同意提交商议' },
  }),
  'POST /api/villages/{villageId}/matters/{matterId}/ratings': async (v) => ({
    params: { matterId: await ratableMatter(v) },
    body: { rating: 'satisfied' },
  }),
  'POST /api/villages/{villageId}/votes/{voteId}/{step}': async (v) => ({
    params: { voteId: (await meeting(v, 'announced')).voteId, step: 'open' },
  }),
  'POST /api/villages/{villageId}/votes/{voteId}/ballots': async (v) => {
    const m = await meeting(v, 'voting')
    return { params: { voteId: m.voteId }, body: { choices: [m.options[0]!] } }
  },
  'POST /api/villages/{villageId}/votes/{voteId}/offline': async (v) => {
    const m = await meeting(v, 'voting')
    return {
      params: { voteId: m.voteId },
      body: {
        counts: [{ optionId: m.options[0]!, count: 0 }],
        counterMembershipId: v.tellers[0],
        scrutineerMembershipId: v.tellers[1],
        reason: '现场举手表决',
      },
    }
  },
  'POST /api/villages/{villageId}/votes/{voteId}/offline/{tallyId}/confirm': async (v) => {
    const m = await meeting(v, 'voting')
    const tally = await ok(v.committee, 'POST', at(v, `/votes/${m.voteId}/offline`), {
      counts: [{ optionId: m.options[0], count: 0 }],
      counterMembershipId: v.tellers[0],
      scrutineerMembershipId: v.tellers[1],
    })
    return { params: { voteId: m.voteId, tallyId: tally.id } }
  },
  'GET /api/villages/{villageId}/votes/{voteId}/result': async (v) => ({
    params: { voteId: (await closedMeeting(v)).voteId },
  }),
  'GET /api/villages/{villageId}/votes/{voteId}/receipts': async (v) => ({
    params: { voteId: (await closedMeeting(v)).voteId },
  }),
  'GET /api/villages/{villageId}/votes/{voteId}/receipts/{code}': async (v) => {
    const m = await closedMeeting(v)
    return { params: { voteId: m.voteId, code: m.receipt } }
  },

  // Where the village allows proxies (张家村 does not: the committee is told so, 409), an announced meeting's roll.
  'POST /api/villages/{villageId}/meetings/{meetingId}/proxies': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
    body: { principalPersonId: v.spare(7), proxyPersonId: v.residentPersonId, photoKey: (await sharedPhoto()).key },
  }),
  'GET /api/villages/{villageId}/meetings/{meetingId}/proxies': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/proxies/{principalPersonId}/cancel': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id, principalPersonId: v.spare(7) },
  }),
  'POST /api/villages/{villageId}/meetings/{meetingId}/counting-points': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
    body: () => ({ name: `流动票箱${next()}`, kind: 'mobile', tellerMembershipIds: v.tellers }),
  }),
  'GET /api/villages/{villageId}/meetings/{meetingId}/counting-points': async (v) => ({
    params: { meetingId: (await meeting(v, 'announced')).id },
  }),

  'GET /open311/v2/discovery.{format}': () => ({ params: { format: 'json' } }),
  'GET /open311/v2/services.{format}': (v) => ({ params: { format: 'json' }, query: jurisdiction(v) }),
  'GET /open311/v2/services/{code}.{format}': (v) => ({
    params: { code: '环境卫生', format: 'json' },
    query: jurisdiction(v),
  }),
  // 张家村's key, in its own village and in the other.
  'POST /open311/v2/requests.{format}': (v) => ({
    params: { format: 'json' },
    query: jurisdiction(v),
    body: { api_key: zhangjiaKey, service_code: '环境卫生', description: '村口垃圾没人清', address_string: '村口' },
  }),
  'GET /open311/v2/requests.{format}': (v) => ({ params: { format: 'json' }, query: jurisdiction(v) }),
  'GET /open311/v2/requests/{id}.{format}': async (v) => ({
    params: { id: await sharedReport(v), format: 'json' },
    query: jurisdiction(v),
  }),
  'GET /open311/v2/tokens/{token}.{format}': async (v) => ({
    params: { token: await open311Token(v), format: 'json' },
    query: jurisdiction(v),
  }),
  'POST /api/villages/{villageId}/open311/keys': () => ({ body: { label: '12345 热线平台' } }),
  'POST /api/villages/{villageId}/open311/keys/{keyId}/revoke': async (v) => ({
    params: { keyId: (await newKey(v)).id },
  }),

  'POST /api/me/privacy': () => ({ body: { version: privacyVersion } }),
}

// ---- the run ----

/**
 * What a refusal looks like: 401 for a caller not signed in, on a route that takes a token; on a route
 * with a credential in the request instead (a refresh token, an Open311 api_key), 401 or 403; 403 for a
 * signed-in caller.
 */
const refusals = (c: Caller, op: Operation) =>
  c !== 'anon' && c !== 'deleted' ? [403] : op.security ? [401] : [401, 403]

function send(route: string, op: Operation, v: Place, call: Call, caller: Caller) {
  const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH', string]
  const params: Record<string, string | number> = { villageId: v.id, townId: v.townId, ...call.params }
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (params[name] === undefined) throw new Error(`${route}: nothing to fill {${name}} with; say how in HOW`)
    return encodeURIComponent(String(params[name]))
  })
  const query: Record<string, string> = {}
  for (const p of op.parameters ?? []) if (p.in === 'query' && p.required) query[p.name] = String(sample(p.schema))
  for (const [k, val] of Object.entries(call.query ?? {})) query[k] = String(val)
  const jsonSchema = op.requestBody?.content['application/json']?.schema
  const upload = call.upload?.()
  const payload = upload
    ? upload.payload
    : typeof call.body === 'function'
      ? call.body(caller)
      : (call.body ?? (jsonSchema ? (sample(jsonSchema) as object) : undefined))
  const token = caller === 'anon' ? undefined : who[caller].token
  return t.app.inject({
    method,
    url,
    query,
    payload,
    headers: { ...(upload?.headers ?? {}), ...(token ? auth(token) : {}) },
  })
}

/** Calls `route` as every caller on each village it belongs to; returns what went against the table. */
async function check(route: string): Promise<string[]> {
  const rule = TABLE[route]!
  const op = operation(route)
  const wrong: string[] = []
  for (const v of rule.other ? [own, other] : [own]) {
    const allowed = v === own ? rule.own : rule.other!
    const call = await (HOW[route]?.(v) ?? {})
    // The refused first: if the table holds, they change nothing the allowed ones will find.
    for (const caller of [
      ...CALLERS.filter((c) => !allowed.includes(c)),
      ...CALLERS.filter((c) => allowed.includes(c)),
    ]) {
      const res = await send(route, op, v, call, caller)
      checked++
      const status = res.statusCode
      const expected = allowed.includes(caller) ? 'allowed' : `refused (${refusals(caller, op).join(' or ')})`
      const fine =
        status < 500 &&
        (allowed.includes(caller) ? status !== 401 && status !== 403 : refusals(caller, op).includes(status))
      if (!fine)
        wrong.push(
          `${rule.other ? `${v.name} ` : ''}${caller}: should be ${expected}, got ${status} ${res.body.slice(0, 160)}`,
        )
    }
  }
  return wrong
}

beforeAll(async () => {
  t = await startTestContext({ env: { RATE_LIMIT_PER_MINUTE: '1000000', REPORT_LIMIT_PER_MINUTE: '1000000' } })
  doc = t.app.swagger() as typeof doc
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 90, b: 40 } } })
    .jpeg()
    .toBuffer()
  const [zhangjia, heping] = await Promise.all([t.villageId('zhangjia'), t.villageId('heping')])
  await t.database.db.execute(sql`INSERT INTO towns (code, name) VALUES ('authz-elsewhere', '白云镇')`)
  const towns = await t.rows<{ id: number; code: string }>('towns')
  const townOf = (code: string) => towns.find((x) => x.code === code)!.id

  for (const c of CALLERS.filter((x) => x !== 'deleted')) {
    const openid = DEMO[c] ?? `authz-${c}`
    const s = await signIn(openid)
    who[c] = { openid, refresh: s.refreshToken, ...(c === 'anon' ? {} : { token: s.token }) }
  }
  const [hepingCommittee, hepingResident] = await Promise.all([
    signIn('demo-heping-committee'),
    signIn('demo-heping-resident'),
  ])

  // The deleted caller: a verified resident who then deleted their account.
  const deleted = await applicant(zhangjia, '吴已删')
  await ok(who.committee.token, 'POST', `/api/villages/${zhangjia}/applications/${deleted.membershipId}/verify`, {})
  who.deleted = { openid: deleted.openid, refresh: deleted.refreshToken, token: deleted.token }
  await ok(deleted.token, 'POST', '/api/me/delete', { confirm: '注销' })

  // 张家村 gets a second committee member (appointed by the town admin), to check awards 王建国 approves.
  const checker = await applicant(zhangjia, '郑复核')
  await ok(who.committee.token, 'POST', `/api/villages/${zhangjia}/applications/${checker.membershipId}/verify`, {})
  const memberships = await t.rows<{
    id: number
    user_id: number
    village_id: number
    real_name: string
    person_id: number | null
    household_id: number | null
  }>('memberships')
  const member = (villageId: number, name: string) =>
    memberships.find((m) => m.village_id === villageId && m.real_name === name)!
  const zjCommittee = [member(zhangjia, '王建国').id, checker.membershipId]
  await ok(who.town.token, 'PUT', `/api/villages/${zhangjia}/committee`, { membershipIds: zjCommittee })

  const pendingIn = async (villageId: number, committee: string) => {
    const [verify, reject, linkee] = await Promise.all([
      applicant(villageId, '冯待审'),
      applicant(villageId, '褚待审'),
      applicant(villageId, '卫待关联'),
    ])
    await ok(committee, 'POST', `/api/villages/${villageId}/applications/${linkee.membershipId}/verify`, {})
    return { toVerify: verify.membershipId, toReject: reject.membershipId, linkee: linkee.membershipId }
  }
  const [zjPending, hpPending] = await Promise.all([
    pendingIn(zhangjia, who.committee.token!),
    pendingIn(heping, hepingCommittee.token),
  ])

  const persons = await t.rows<{ id: number; village_id: number; birth_date: string | Date }>('persons')
  const households = await t.rows<{ id: number; address: string }>('households')
  const linked = new Set(memberships.map((m) => m.person_id))
  const spareOf = (villageId: number) => {
    const spare = persons
      .filter((p) => p.village_id === villageId && !linked.has(p.id) && new Date(p.birth_date).getFullYear() < 2000)
      .map((p) => p.id)
    return (i: number) => spare[i % spare.length]!
  }
  const residentOf = (villageId: number, name: string) => {
    const m = member(villageId, name)
    return {
      residentPersonId: m.person_id!,
      residentHouseholdId: m.household_id!,
      residentAddress: households.find((h) => h.id === m.household_id)!.address,
    }
  }

  own = {
    name: '张家村',
    id: zhangjia,
    code: 'zhangjia',
    townId: townOf('qingshan'),
    committee: who.committee.token!,
    resident: who.resident.token!,
    ...residentOf(zhangjia, '张秀兰'),
    provider: who.volunteer.token!,
    maker: checker.token,
    tellers: [member(zhangjia, '李梅').id, member(zhangjia, '赵小明').id],
    assigneeUserId: member(zhangjia, '李梅').user_id,
    committeeIds: zjCommittee,
    ...zjPending,
    spare: spareOf(zhangjia),
  }
  other = {
    name: '和平社区',
    id: heping,
    code: 'heping',
    townId: townOf('authz-elsewhere'),
    committee: hepingCommittee.token,
    resident: hepingResident.token,
    ...residentOf(heping, '刘洋'),
    provider: hepingCommittee.token,
    maker: hepingCommittee.token,
    tellers: [member(heping, '陈静').id, member(heping, '刘洋').id],
    assigneeUserId: member(heping, '陈静').user_id,
    committeeIds: [member(heping, '陈静').id],
    ...hpPending,
    spare: spareOf(heping),
  }
  privacyVersion = (await ok(undefined, 'GET', '/api/privacy')).version
  zhangjiaKey = (await newKey(own)).key
}, 120_000)

afterAll(async () => {
  const routes = Object.keys(TABLE)
  const scoped = routes.filter((r) => TABLE[r]!.other).length
  console.info(
    `authorization matrix: ${routes.length} routes (${scoped} with a village or town, called on both) × ${CALLERS.length} callers = ${checked} calls checked`,
  )
  await t?.close()
})

describe('the table', () => {
  it('has an entry for every documented route, and every entry is a documented route', () => {
    const documented = documentedRoutes()
    expect(
      documented.filter((r) => !(r in TABLE)),
      'routes without an entry in TABLE',
    ).toEqual([])
    expect(
      Object.keys(TABLE).filter((r) => !documented.includes(r)),
      'entries in TABLE for routes that no longer exist',
    ).toEqual([])
    expect(
      Object.keys(HOW).filter((r) => !(r in TABLE)),
      'entries in HOW without one in TABLE',
    ).toEqual([])
    // A village's or a town's route says who may call it on the other village.
    expect(
      documented.filter((r) => /\{(villageId|townId)\}/.test(r) && !TABLE[r]?.other),
      'village routes without `other`',
    ).toEqual([])
  })
})

describe('the permission policy', () => {
  /** The roles each caller holds in their own village, as the server sees them (a town admin's added). */
  const HOLDS: Partial<Record<Caller, Role[]>> = {
    resident: ['resident'],
    volunteer: ['volunteer'],
    grid: ['grid_worker'],
    committee: ['committee'],
    town: ['town_admin'],
  }
  /** Routes whose use case lets in fewer than the guard's action does, by a tie to the object, and why. */
  const handlerStep = 'a handler of this report only: the use case asks reports.handle (a grid worker: their grid)'
  const NARROWED: Record<string, string> = {
    'GET /api/villages/{villageId}/reports/queue': 'handlers only: the use case asks reports.handle on some report',
    'GET /api/villages/{villageId}/reports/{reportId}/handlers': handlerStep,
    'POST /api/villages/{villageId}/reports/{reportId}/accept': handlerStep,
    'POST /api/villages/{villageId}/reports/{reportId}/assign': handlerStep,
    'POST /api/villages/{villageId}/reports/{reportId}/start': handlerStep,
    'POST /api/villages/{villageId}/reports/{reportId}/resolve': handlerStep,
    'POST /api/villages/{villageId}/reports/{reportId}/reject': handlerStep,
    'POST /api/villages/{villageId}/reports/{reportId}/merge': handlerStep,
    'POST /api/villages/{villageId}/reports/{reportId}/rate': 'the reporter only',
    'POST /api/villages/{villageId}/services/{serviceId}/complete': 'the one the service was for confirms it',
    'POST /api/villages/{villageId}/services/{serviceId}/cancel': 'the one who posted it',
    'POST /api/villages/{villageId}/shop/orders/{orderId}/cancel': 'the order is theirs, or they may shop.manage',
    'POST /api/villages/{villageId}/votes/{voteId}/offline/{tallyId}/confirm': 'the two tellers the tally names',
    'POST /api/villages/{villageId}/topics/{topicId}/petition': 'the topic’s proposer, or they may meetings.manage',
  }
  const guarded = () =>
    [...t.app.routePermissions]
      .map(([route, action]) => [route.replace(/:(\w+)/g, '{$1}'), action as Action] as const)
      .filter(([route]) => route in TABLE)

  it('lets in, on their own village, the callers the table names: all of them, and no more unless a use case narrows it', () => {
    const disagree = guarded().flatMap(([route, action]) => {
      const byPolicy = CALLERS.filter((c) => can({ status: 'verified', roles: HOLDS[c] ?? [] }, action))
      const byTable = CALLERS.filter((c) => TABLE[route]!.own.includes(c))
      const agree = route in NARROWED ? byTable.every((c) => byPolicy.includes(c)) : byPolicy.join() === byTable.join()
      return agree ? [] : [`${route} (${action}): policy ${byPolicy}, table ${byTable}`]
    })
    expect(disagree).toEqual([])
    expect(Object.keys(NARROWED).filter((route) => !guarded().some(([r]) => r === route))).toEqual([])
  })

  it('guards every route the table keeps from some members', () => {
    const withGuard = new Set(guarded().map(([route]) => route))
    const members: readonly Caller[] = ['resident', 'volunteer', 'grid', 'committee']
    const unguarded = Object.keys(TABLE).filter(
      (route) => members.some((c) => !TABLE[route]!.own.includes(c)) && !withGuard.has(route),
    )
    expect(unguarded).toEqual([])
  })
})

describe.concurrent('who may call what', () => {
  for (const route of Object.keys(TABLE).filter((r) => !TABLE[r]!.late)) {
    it(route, async ({ expect }) => {
      const wrong = await check(route)
      expect(wrong, `\n${wrong.join('\n')}\n`).toEqual([])
    })
  }
})

describe('who may call what, last: the routes that change the callers themselves', () => {
  for (const route of Object.keys(TABLE).filter((r) => TABLE[r]!.late)) {
    it(route, async () => {
      const wrong = await check(route)
      expect(wrong, `\n${wrong.join('\n')}\n`).toEqual([])
    })
  }
})
