import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityBody, calledNow, calledSoon } from './testing/factories.js'
import sharp from 'sharp'
import { auth, DEMO_PEOPLE, multipartFile, startTestContext, type TestContext } from './testing/harness.js'
import { valid, type JsonSchema } from './testing/schema-arbitrary.js'

/**
 * Every action checks every object it touches (issue 13, item 5). An action that names a second object in
 * its body — merge into another report, link to a roster person, a household's head, the tellers of a
 * count, … — is called by 张家村's people with, in that object's place, (a) an id that exists nowhere,
 * (b) the id of 和平社区's object of the same kind and, where there is one, (c) an object of 张家村 the
 * caller may not act on: a private report of a grid they do not work in, a person who moved away, a
 * membership erased. Each answer is a refusal, the same for all of them (status, code, message and
 * details: no existence oracle), and nothing is written. Then the same call with a proper object
 * succeeds, so the refusals were about that object and nothing else.
 *
 * The list of objects comes from the OpenAPI document: every body field naming an object (ending in
 * `Id` or `Ids`; `onBehalfOf`; the codes `pickupCode` and `token`) of every route that changes something,
 * and every path id after the route's own object (`…/agenda/{itemId}/comments`), needs an entry below, or
 * a reason why it has none.
 *
 * The route's own object gets the same treatment: every route that changes something, called on 张家村
 * with 和平社区's object in its path, answers as it does for an object that exists nowhere.
 */

let t: TestContext
interface Operation {
  parameters?: { in: string; name: string; schema: JsonSchema }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
}
let doc: { paths: Record<string, Record<string, Operation>> }
interface Schema {
  properties?: Record<string, Schema>
  items?: Schema
  anyOf?: Schema[]
}

const Z = { id: 0 }
const H = { id: 0 }
let tok: Record<keyof typeof DEMO_PEOPLE, string>
const MISSING = 987_654_321

interface Row {
  id: number
  [k: string]: unknown
}
let persons: (Row & { name: string; village_id: number; household_id: number; status: string })[]
let memberships: (Row & {
  user_id: number
  village_id: number
  person_id: number | null
  real_name: string
  status: string
})[]
let households: (Row & { village_id: number; grid_id: number | null })[]
let grids: (Row & { village_id: number })[]

// ---- the API as the villages' people use it ----

let serial = 0
const next = () => ++serial
const key = () => `cross-${next()}-key`
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString()
const today = () => new Date().toISOString().slice(0, 10)
const at = (v: { id: number }, path: string) => `/api/villages/${v.id}${path}`

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH'
async function call(token: string, method: Method, url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: auth(token), payload })
  return { status: res.statusCode, body: res.json() }
}
async function ok(token: string, method: Method, url: string, payload?: object) {
  const res = await call(token, method, url, payload)
  if (res.status >= 300) throw new Error(`setup: ${method} ${url} answered ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

const personOf = (name: string) => persons.find((p) => p.name === name)!
const membershipOf = (v: { id: number }, name: string) =>
  memberships.find((m) => m.village_id === v.id && m.real_name === name)!
const userOf = (v: { id: number }, name: string) => membershipOf(v, name).user_id

/** 张家村 roster people with no account, each handed out once. */
let spares: number[] = []
const spare = () => {
  const id = spares.shift()
  if (id === undefined) throw new Error('no spare roster people left')
  return id
}

async function applicant(v: { id: number }, realName: string): Promise<{ token: string; membershipId: number }> {
  const code = t.wechat.issueCode(`cross-${next()}`)
  const s = (await t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code } })).json()
  const m = await ok(s.token, 'POST', at(v, '/applications'), {
    realName,
    householdAddress: '村里新盖的房子',
    birthYear: 1985,
  })
  return { token: s.token, membershipId: m.id }
}
/** A verified member of 张家村 not linked to the roster. */
async function unlinkedMember(): Promise<number> {
  const a = await applicant(Z, '钱未关联')
  await ok(tok.committee, 'POST', at(Z, `/applications/${a.membershipId}/verify`), {})
  return a.membershipId
}
/** What 张家村 keeps of a villager who moved away: the person (retired) and their membership (erased). */
async function movedAway(personId = spare()): Promise<{ personId: number; householdId: number; membershipId: number }> {
  const a = await applicant(Z, '钱已迁出')
  await ok(tok.committee, 'POST', at(Z, `/applications/${a.membershipId}/verify`), { personId })
  await ok(tok.committee, 'POST', at(Z, `/roster/people/${personId}/retire`), { status: 'moved_out' })
  return { personId, householdId: persons.find((p) => p.id === personId)!.household_id, membershipId: a.membershipId }
}

const report = async (token: string, v: { id: number }, extra: object = {}): Promise<number> =>
  (
    await ok(token, 'POST', at(v, '/reports'), {
      category: '设施损坏',
      description: '村口的路灯坏了好几天',
      public: true,
      idempotencyKey: key(),
      ...extra,
    })
  ).id
const topic = async (token: string, v: { id: number }): Promise<number> =>
  (await ok(token, 'POST', at(v, '/topics'), { title: '村里装路灯', description: '晚上太黑了，老人出门不方便' })).id
async function meeting(
  token: string,
  v: { id: number },
  opts: { kind?: string; steps?: string[]; vote?: boolean } = {},
) {
  const m = await ok(token, 'POST', at(v, '/meetings'), {
    kind: opts.kind ?? 'villager_meeting',
    title: '村道修缮议事',
    place: '村委会',
    ...(opts.steps?.includes('start') ? calledNow() : calledSoon()),
    online: true,
    agenda: [{ title: '修村道', ...(opts.vote ? { vote: { question: '同意修村东头的村道', secret: true } } : {}) }],
  })
  for (const s of opts.steps ?? []) await ok(token, 'POST', at(v, `/meetings/${m.id}/${s}`))
  const vote = m.agenda[0].vote as { id: number; options: { id: number }[] } | undefined
  return {
    id: m.id as number,
    itemId: m.agenda[0].id as number,
    voteId: vote?.id ?? 0,
    options: vote?.options.map((o) => o.id) ?? [],
  }
}
const petition = async (token: string, v: { id: number }, kind = 'villager_meeting'): Promise<number> =>
  (
    await ok(token, 'POST', at(v, '/petitions'), {
      kind,
      title: '村集体土地租金怎么分',
      reason: '请村委会召开村民会议商量',
    })
  ).id
const activity = async (): Promise<number> => (await ok(tok.committee, 'POST', at(Z, '/activities'), activityBody())).id
const item = async (token: string, v: { id: number }): Promise<number> =>
  (await ok(token, 'POST', at(v, '/shop/items'), { name: '洗衣粉', cost: 1, stock: 100 })).id
/** 20 points for a person, awarded by the committee of their village. */
const award = (token: string, v: { id: number }, personId: number) =>
  ok(token, 'POST', at(v, '/points/awards'), {
    personId,
    ruleCode: 'volunteer_hour',
    points: 20,
    reason: '打扫村口',
    idempotencyKey: key(),
  })
const fund = (personId: number) => award(tok.committee, Z, personId)
/** An order of 和平社区's resident, 刘洋 funded for it. */
const hepingOrder = async () => {
  await award(tok.hpCommittee, H, personOf('刘洋').id)
  return ok(tok.hpResident, 'POST', at(H, '/shop/orders'), {
    itemId: await item(tok.hpCommittee, H),
    idempotencyKey: key(),
  })
}

/** 张家村 lets its villagers vote by proxy (委托投票): the committee switches it on, the rest of its rules kept. */
const allowProxies = () =>
  onceOnly('proxies', async () => {
    const now = await ok(tok.committee, 'GET', at(Z, '/meeting-settings'))
    await ok(tok.committee, 'PUT', at(Z, '/meeting-settings'), { ...now, proxiesAllowed: true })
  })
const onceDone = new Map<string, Promise<unknown>>()
const onceOnly = (what: string, make: () => Promise<unknown>) => {
  if (!onceDone.has(what)) onceDone.set(what, make())
  return onceDone.get(what)!
}
let photos = 0
/** A photo the committee uploads (a signed paper), a different one each time: its key. */
async function photoKey(): Promise<string> {
  const n = ++photos
  const jpeg = await sharp({
    create: { width: 300, height: 200, channels: 3, background: { r: (n * 53) % 256, g: (n * 97) % 256, b: 90 } },
  })
    .jpeg()
    .toBuffer()
  const { payload, headers } = multipartFile('file', 'paper.jpg', jpeg)
  const res = await t.app.inject({
    method: 'POST',
    url: at(Z, '/photos'),
    payload,
    headers: { ...headers, ...auth(tok.committee) },
  })
  if (res.statusCode !== 201) throw new Error(`setup: photo upload answered ${res.statusCode} ${res.body}`)
  return res.json().key
}
/** A spare of 张家村 who is an adult on meeting `meetingId`'s roll, handed out once. */
async function adultOnRoll(meetingId: number): Promise<number> {
  const roll = (await t.rows<{ meeting_id: number; person_id: number; adult: number }>('meeting_roll'))
    .filter((r) => r.meeting_id === meetingId && r.adult)
    .map((r) => r.person_id)
  const id = spares.find((p) => roll.includes(p))
  if (id === undefined) throw new Error('no spare adult on the roll left')
  spares = spares.filter((p) => p !== id)
  return id
}
/** A 流动票箱 of a meeting of village `v`, its tellers two of the village's members: the list's newest point. */
async function countingPoint(token: string, v: { id: number }, meetingId: number, tellers: [string, string]) {
  const list = (await ok(token, 'POST', at(v, `/meetings/${meetingId}/counting-points`), {
    name: `流动票箱${next()}`,
    kind: 'mobile',
    tellerMembershipIds: tellers.map((n) => membershipOf(v, n).id),
  })) as { id: number }[]
  return Math.max(...list.map((p) => p.id))
}
/** 张家村's announced meeting, proxies allowed, with a photo of a signed authorisation ready. */
async function proxyMeeting(withVote = false) {
  await allowProxies()
  const m = await meeting(tok.committee, Z, { vote: withVote, steps: ['announce'] })
  if (withVote) await ok(tok.committee, 'POST', at(Z, `/votes/${m.voteId}/open`))
  papers.set(m.id, await photoKey())
  return { meeting: m.id, vote: m.voteId, option: m.options[0] ?? 0 }
}
/** The photo of the signed authorisation ready for each meeting `proxyMeeting` made. */
const papers = new Map<number, string>()

// ---- the table ----

/** An object's id, or the code that names it. */
type Ref = number | string

interface Case {
  /** Who calls (a 张家村 token): the committee unless told. */
  as?: () => string
  /** The route's own objects, made once; `call` gets them. */
  setup?: () => Promise<Record<string, number>>
  /** The request with `id` where the second object goes. */
  call: (id: Ref, own: Record<string, number>) => { method: Method; url: string; payload?: object }
  /** An object that exists nowhere, where an id will not do. */
  missing?: () => Promise<Ref>
  /** 和平社区's object of the same kind. */
  other: () => Promise<Ref>
  /** A 张家村 object the caller may not act on, where there is one. */
  hidden?: (own: Record<string, number>) => Promise<Ref>
  /** A proper object: the call succeeds with it. */
  valid: (own: Record<string, number>) => Promise<Ref>
  /** Tables that must not change on a refusal. */
  tables: string[]
  /** Ids the caller may not act on are left out and the rest done (marking one's notifications read). */
  ignored?: true
}

/**
 * The committee's step `step` on a person of one of its activities, the person first taken through
 * `before` (signed up, checked in) so that the step itself is what the call tries.
 */
function activityStep(step: string, before: string[], extra: object = {}, tables = ['activity_signups']): Case {
  return {
    setup: async () => {
      const a = await activity()
      const p = spare()
      for (const s of before) await ok(tok.committee, 'POST', at(Z, `/activities/${a}/${s}`), { personId: p })
      return { activity: a, person: p }
    },
    call: (personId, o) => ({
      method: 'POST',
      url: at(Z, `/activities/${o.activity}/${step}`),
      payload: { personId, ...extra },
    }),
    other: async () => personOf('刘洋').id,
    valid: async (o) => o.person!,
    tables,
  }
}

/** A report of 张家村 filed, `fields` in its body. */
const filing = (fields: object) => ({
  method: 'POST' as const,
  url: at(Z, '/reports'),
  payload: { category: '环境卫生', description: '村口的垃圾没人清理', ...fields, idempotencyKey: key() },
})

/**
 * A roster person as the second object: `other`, the 和平社区 person of that name; hidden, a villager of 张家村 who
 * moved away; valid, one still living there.
 */
const aPerson = (other: string) => ({
  other: async () => personOf(other).id,
  hidden: async () => (await movedAway()).personId,
  valid: async () => spare(),
})

/** The committee verifies a new application, `field` naming the roster object it links the member to. */
function verify(field: 'personId' | 'householdId', objects: Pick<Case, 'other' | 'hidden' | 'valid'>): Case {
  return {
    setup: async () => ({ application: (await applicant(Z, '钱待审')).membershipId }),
    call: (id, o) => ({
      method: 'POST',
      url: at(Z, `/applications/${o.application}/verify`),
      payload: { [field]: id },
    }),
    ...objects,
    tables: ['memberships', 'membership_roles', 'notifications'],
  }
}

/**
 * 张家村's committee enters the venue's counts of open vote `o` (none cast there), 李梅 counting and 赵小明
 * checking, unless told otherwise.
 */
function venueCounts(
  o: Record<string, number>,
  {
    optionId = o.option!,
    counter = membershipOf(Z, '李梅').id,
    scrutineer = membershipOf(Z, '赵小明').id,
  }: { optionId?: Ref; counter?: Ref; scrutineer?: Ref },
) {
  return {
    method: 'POST' as const,
    url: at(Z, `/votes/${o.vote}/offline`),
    payload: { counts: [{ optionId, count: 0 }], counterMembershipId: counter, scrutineerMembershipId: scrutineer },
  }
}
const VENUE_COUNT_TABLES = ['offline_tallies', 'vote_voters', 'point_entries']

/** One of the two tellers of the venue's counts, `valid` a proper one of 张家村. */
function teller(which: 'counter' | 'scrutineer', valid: string): Case {
  return {
    setup: async () => openVote(),
    call: (id, o) => venueCounts(o, { [which]: id }),
    other: async () => membershipOf(H, '刘洋').id,
    hidden: async () => (await movedAway()).membershipId,
    valid: async () => membershipOf(Z, valid).id,
    tables: VENUE_COUNT_TABLES,
  }
}

/** Object fields that are no second object to check, and why. */
const VENUE_CODE =
  'a signed venue code, not an object looked up: a forged one and one of another venue are both refused with CODE_INVALID before anything is read, and the second says so only to help a villager at the wrong venue (the code names its village and venue in plain text)'
const EXEMPT: Record<string, string> = {
  'POST /api/villages/{villageId}/activities/{activityId}/check-in token': VENUE_CODE,
  'POST /api/villages/{villageId}/activities/{activityId}/check-out token': VENUE_CODE,
  'POST /api/villages/{villageId}/meetings/{meetingId}/check-in token': VENUE_CODE,
  // A new meeting's agenda has no ids yet: any id is refused (400) before anything is looked up.
  'POST /api/villages/{villageId}/meetings agenda[].id': 'a new meeting refuses every agenda id alike',
  // Which of one's own villages to work in: the list of villages is open to anyone signed in (GET /api/villages).
  'PUT /api/me/current-village villageId':
    'the villages are public; being a member is checked by the authorization matrix',
}

const CASES: Record<string, Case> = {
  'POST /api/villages/{villageId}/applications/{membershipId}/verify personId': verify('personId', {
    ...aPerson('周敏'),
  }),
  'POST /api/villages/{villageId}/applications/{membershipId}/verify householdId': verify('householdId', {
    other: async () => personOf('周敏').household_id,
    valid: async () => personOf('张秀兰').household_id,
  }),
  'POST /api/villages/{villageId}/members/{membershipId}/person personId': {
    setup: async () => ({ member: await unlinkedMember() }),
    call: (personId, o) => ({ method: 'POST', url: at(Z, `/members/${o.member}/person`), payload: { personId } }),
    ...aPerson('周敏'),
    tables: ['memberships'],
  },
  'PUT /api/villages/{villageId}/grids/{gridId}/workers membershipIds': {
    as: () => tok.townAdmin,
    setup: async () => ({ grid: (await ok(tok.townAdmin, 'POST', at(Z, '/grids'), { name: `试点网格${next()}` })).id }),
    call: (id, o) => ({ method: 'PUT', url: at(Z, `/grids/${o.grid}/workers`), payload: { membershipIds: [id] } }),
    other: async () => membershipOf(H, '刘洋').id,
    hidden: async () => (await movedAway()).membershipId,
    valid: async () => membershipOf(Z, '李梅').id,
    tables: ['grid_workers', 'membership_roles'],
  },
  'PUT /api/villages/{villageId}/committee membershipIds': {
    as: () => tok.townAdmin,
    call: (id) => ({
      method: 'PUT',
      url: at(Z, '/committee'),
      payload: { membershipIds: [membershipOf(Z, '王建国').id, id] },
    }),
    other: async () => membershipOf(H, '刘洋').id,
    hidden: async () => (await movedAway()).membershipId,
    // An applicant: appointing them verifies them (how a new village gets its first committee).
    valid: async () => (await applicant(Z, '钱新委员')).membershipId,
    tables: ['memberships', 'membership_roles'],
  },
  'PATCH /api/villages/{villageId}/roster/people/{personId} householdId': {
    setup: async () => ({ person: spare() }),
    call: (householdId, o) => ({ method: 'PATCH', url: at(Z, `/roster/people/${o.person}`), payload: { householdId } }),
    other: async () => personOf('周敏').household_id,
    valid: async (o) => persons.find((p) => p.id === o.person)!.household_id,
    tables: ['persons', 'households'],
  },
  'PATCH /api/villages/{villageId}/roster/people/{personId} representedHouseholdIds': {
    call: (id) => ({
      method: 'PATCH',
      url: at(Z, `/roster/people/${personOf('张秀兰').id}`),
      payload: { representedHouseholdIds: [id] },
    }),
    other: async () => personOf('周敏').household_id,
    valid: async () => personOf('赵小明').household_id,
    tables: ['represented_households', 'persons'],
  },
  'PATCH /api/villages/{villageId}/roster/households/{householdId} gridId': {
    call: (gridId) => ({
      method: 'PATCH',
      url: at(Z, `/roster/households/${personOf('张秀兰').household_id}`),
      payload: { gridId },
    }),
    other: async () => grids.find((g) => g.village_id === H.id)!.id,
    valid: async () => households.find((h) => h.id === personOf('张秀兰').household_id)!.grid_id!,
    tables: ['households'],
  },
  'PATCH /api/villages/{villageId}/roster/households/{householdId} headPersonId': {
    setup: async () => {
      // Two spare people of one household: one moves away, the other may become its head.
      const [stays, goes] = persons
        .filter(
          (p) =>
            spares.includes(p.id) &&
            spares.filter((id) => persons.find((q) => q.id === id)!.household_id === p.household_id).length >= 2,
        )
        .slice(0, 2)
      spares = spares.filter((id) => id !== stays!.id && id !== goes!.id)
      await movedAway(goes!.id)
      return { household: stays!.household_id, stays: stays!.id, gone: goes!.id }
    },
    call: (headPersonId, o) => ({
      method: 'PATCH',
      url: at(Z, `/roster/households/${o.household}`),
      payload: { headPersonId },
    }),
    other: async () => personOf('周敏').id,
    // The household's own member who moved away.
    hidden: async (o) => o.gone!,
    valid: async (o) => o.stays!,
    tables: ['households', 'persons'],
  },
  'POST /api/villages/{villageId}/points/awards personId': {
    call: (personId) => ({
      method: 'POST',
      url: at(Z, '/points/awards'),
      payload: { personId, ruleCode: 'courtyard_tidy', reason: '庭院整洁', idempotencyKey: key() },
    }),
    ...aPerson('刘洋'),
    tables: ['point_entries', 'point_accounts', 'point_approvals'],
  },
  'POST /api/villages/{villageId}/activities/{activityId}/signups personId': {
    setup: async () => ({ activity: await activity() }),
    call: (personId, o) => ({ method: 'POST', url: at(Z, `/activities/${o.activity}/signups`), payload: { personId } }),
    ...aPerson('刘洋'),
    tables: ['activity_signups'],
  },
  'POST /api/villages/{villageId}/activities/{activityId}/check-in personId': activityStep('check-in', ['signups']),
  'POST /api/villages/{villageId}/activities/{activityId}/check-out personId': activityStep('check-out', [
    'signups',
    'check-in',
  ]),
  'POST /api/villages/{villageId}/activities/{activityId}/confirm personId': activityStep(
    'confirm',
    ['signups', 'check-in'],
    { minutes: 60 },
    ['activity_signups', 'point_entries'],
  ),
  'POST /api/villages/{villageId}/shop/orders personId': {
    setup: async () => ({ item: await item(tok.committee, Z) }),
    call: (personId, o) => ({
      method: 'POST',
      url: at(Z, '/shop/orders'),
      payload: { itemId: o.item, personId, idempotencyKey: key() },
    }),
    other: async () => personOf('刘洋').id,
    hidden: async () => {
      const gone = await movedAway()
      return gone.personId
    },
    valid: async () => {
      const p = spare()
      await fund(p)
      return p
    },
    tables: ['shop_orders', 'shop_items', 'point_entries'],
  },
  'POST /api/villages/{villageId}/shop/orders itemId': {
    as: () => tok.resident,
    setup: async () => {
      await fund(personOf('张秀兰').id)
      return {}
    },
    call: (itemId) => ({ method: 'POST', url: at(Z, '/shop/orders'), payload: { itemId, idempotencyKey: key() } }),
    other: () => item(tok.hpCommittee, H),
    valid: () => item(tok.committee, Z),
    tables: ['shop_orders', 'shop_items', 'point_entries'],
  },
  'POST /api/villages/{villageId}/reports gridId': {
    as: () => tok.resident,
    call: (gridId) => filing({ gridId }),
    other: async () => grids.find((g) => g.village_id === H.id)!.id,
    valid: async () => grids.find((g) => g.village_id === Z.id)!.id,
    tables: ['reports', 'report_events', 'notifications'],
  },
  'POST /api/villages/{villageId}/reports onBehalfOf': {
    as: () => tok.grid,
    call: (onBehalfOf) => filing({ onBehalfOf }),
    ...aPerson('刘洋'),
    tables: ['reports', 'report_events', 'notifications'],
  },
  'POST /api/villages/{villageId}/reports/{reportId}/assign assigneeUserId': {
    setup: async () => {
      const r = await report(tok.resident, Z)
      await ok(tok.committee, 'POST', at(Z, `/reports/${r}/accept`), {})
      return { report: r }
    },
    call: (assigneeUserId, o) => ({
      method: 'POST',
      url: at(Z, `/reports/${o.report}/assign`),
      payload: { assigneeUserId },
    }),
    other: async () => userOf(H, '陈静'),
    // A 张家村 member who handles no report.
    hidden: async () => userOf(Z, '张秀兰'),
    valid: async () => userOf(Z, '李梅'),
    tables: ['reports', 'report_events', 'notifications'],
  },
  'POST /api/villages/{villageId}/reports/{reportId}/merge intoReportId': {
    // 李梅 works in 张家村's two grids, not in the one made below.
    as: () => tok.grid,
    setup: async () => ({ report: await report(tok.resident, Z) }),
    call: (intoReportId, o) => ({
      method: 'POST',
      url: at(Z, `/reports/${o.report}/merge`),
      payload: { intoReportId },
    }),
    other: () => report(tok.hpResident, H),
    hidden: async () => {
      const grid = (await ok(tok.townAdmin, 'POST', at(Z, '/grids'), { name: `试点网格${next()}` })).id
      return report(tok.resident, Z, { gridId: grid, public: false, category: '矛盾纠纷' })
    },
    valid: () => report(tok.volunteer, Z),
    tables: ['reports', 'report_events', 'notifications'],
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/attendance personId': {
    setup: async () => ({ meeting: (await meeting(tok.committee, Z, { steps: ['announce'] })).id }),
    call: (personId, o) => ({ method: 'POST', url: at(Z, `/meetings/${o.meeting}/attendance`), payload: { personId } }),
    other: async () => personOf('刘洋').id,
    // On the roll taken at the notice, moved away since.
    hidden: async (o) => {
      const roll = (await t.rows<{ meeting_id: number; person_id: number }>('meeting_roll'))
        .filter((r) => r.meeting_id === o.meeting)
        .map((r) => r.person_id)
      const personId = spares.find((id) => roll.includes(id))!
      spares = spares.filter((id) => id !== personId)
      return (await movedAway(personId)).personId
    },
    valid: async () => personOf('张秀兰').id,
    tables: ['meeting_attendance', 'point_entries'],
  },
  'POST /api/villages/{villageId}/petitions/{petitionId}/signatures/recorded personId': {
    setup: async () => ({ petition: await petition(tok.resident, Z) }),
    call: (personId, o) => ({
      method: 'POST',
      url: at(Z, `/petitions/${o.petition}/signatures/recorded`),
      payload: { personId },
    }),
    ...aPerson('周敏'),
    tables: ['petition_signatures', 'petitions', 'notifications'],
  },
  'POST /api/villages/{villageId}/petitions/{petitionId}/answer meetingId': {
    setup: async () => ({ petition: await petition(tok.resident, Z) }),
    call: (meetingId, o) => ({ method: 'POST', url: at(Z, `/petitions/${o.petition}/answer`), payload: { meetingId } }),
    other: async () => (await meeting(tok.hpCommittee, H, { steps: ['announce'] })).id,
    valid: async () => (await meeting(tok.committee, Z, { steps: ['announce'] })).id,
    tables: ['petitions', 'notifications'],
  },
  'PUT /api/villages/{villageId}/meetings/{meetingId} agenda[].id': {
    setup: async () => {
      const m = await meeting(tok.committee, Z)
      return { meeting: m.id, item: m.itemId }
    },
    call: (id, o) => ({
      method: 'PUT',
      url: at(Z, `/meetings/${o.meeting}`),
      payload: {
        kind: 'villager_meeting',
        title: '村道修缮议事',
        place: '村委会',
        startsAt: inDays(12),
        online: true,
        agenda: [{ id, title: '修村道' }],
      },
    }),
    other: async () => (await meeting(tok.hpCommittee, H)).itemId,
    // An item of another draft of the same village.
    hidden: async () => (await meeting(tok.committee, Z)).itemId,
    valid: async (o) => o.item!,
    tables: ['meetings', 'agenda_items', 'votes', 'topics'],
  },
  'POST /api/villages/{villageId}/topics/{topicId}/accept meetingId': {
    setup: async () => ({ topic: await topic(tok.resident, Z) }),
    call: (meetingId, o) => ({ method: 'POST', url: at(Z, `/topics/${o.topic}/accept`), payload: { meetingId } }),
    other: async () => (await meeting(tok.hpCommittee, H)).id,
    valid: async () => (await meeting(tok.committee, Z)).id,
    tables: ['topics', 'agenda_items'],
  },
  'POST /api/villages/{villageId}/topics/{topicId}/merge intoTopicId': {
    setup: async () => ({ topic: await topic(tok.resident, Z) }),
    call: (intoTopicId, o) => ({ method: 'POST', url: at(Z, `/topics/${o.topic}/merge`), payload: { intoTopicId } }),
    other: () => topic(tok.hpResident, H),
    valid: () => topic(tok.volunteer, Z),
    tables: ['topics'],
  },
  'POST /api/villages/{villageId}/matters/{matterId}/stages meetingId': {
    setup: async () => {
      const matter = (
        await ok(tok.committee, 'POST', at(Z, '/matters'), { title: '村道硬化工程', description: '修八百米水泥路' })
      ).id
      for (const stage of ['proposal', 'consultation', 'review'])
        await ok(tok.committee, 'POST', at(Z, `/matters/${matter}/stages`), {
          stage,
          heldOn: today(),
          outcome: '同意进入下一环节',
        })
      return { matter }
    },
    call: (meetingId, o) => ({
      method: 'POST',
      url: at(Z, `/matters/${o.matter}/stages`),
      payload: { stage: 'resolution', heldOn: today(), outcome: '表决通过', meetingId },
    }),
    other: async () =>
      (await meeting(tok.hpCommittee, H, { kind: 'representative_meeting', steps: ['announce', 'start', 'close'] })).id,
    valid: async () =>
      (await meeting(tok.committee, Z, { kind: 'representative_meeting', steps: ['announce', 'start', 'close'] })).id,
    tables: ['matter_stages'],
  },
  'POST /api/villages/{villageId}/votes/{voteId}/offline counts[].optionId': {
    setup: async () => openVote(),
    call: (optionId, o) => venueCounts(o, { optionId }),
    other: async () => (await meeting(tok.hpCommittee, H, { vote: true })).options[0]!,
    valid: async (o) => o.option!,
    tables: VENUE_COUNT_TABLES,
  },
  'POST /api/villages/{villageId}/votes/{voteId}/offline counterMembershipId': teller('counter', '李梅'),
  'POST /api/villages/{villageId}/votes/{voteId}/offline scrutineerMembershipId': teller('scrutineer', '赵小明'),
  'POST /api/villages/{villageId}/meetings/{meetingId}/proxies principalPersonId': {
    setup: async () => {
      const o = await proxyMeeting()
      return { ...o, proxy: personOf('张秀兰').id }
    },
    call: (principalPersonId, o) => ({
      method: 'POST',
      url: at(Z, `/meetings/${o.meeting}/proxies`),
      payload: { principalPersonId, proxyPersonId: o.proxy, photoKey: papers.get(o.meeting!) },
    }),
    other: async () => personOf('刘洋').id,
    // On the roll taken at the notice, moved away since.
    hidden: async (o) => (await movedAway(await adultOnRoll(o.meeting!))).personId,
    valid: async (o) => adultOnRoll(o.meeting!),
    tables: ['meeting_proxies'],
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/proxies proxyPersonId': {
    setup: async () => {
      const o = await proxyMeeting()
      return { ...o, principal: await adultOnRoll(o.meeting) }
    },
    call: (proxyPersonId, o) => ({
      method: 'POST',
      url: at(Z, `/meetings/${o.meeting}/proxies`),
      payload: { principalPersonId: o.principal, proxyPersonId, photoKey: papers.get(o.meeting!) },
    }),
    other: async () => personOf('刘洋').id,
    hidden: async (o) => (await movedAway(await adultOnRoll(o.meeting!))).personId,
    valid: async () => personOf('张秀兰').id,
    tables: ['meeting_proxies'],
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/proxies/{principalPersonId}/cancel {principalPersonId}': {
    setup: async () => {
      const o = await proxyMeeting()
      const principal = await adultOnRoll(o.meeting)
      await ok(tok.committee, 'POST', at(Z, `/meetings/${o.meeting}/proxies`), {
        principalPersonId: principal,
        proxyPersonId: personOf('张秀兰').id,
        photoKey: papers.get(o.meeting),
      })
      return { ...o, principal }
    },
    call: (principalPersonId, o) => ({
      method: 'POST',
      url: at(Z, `/meetings/${o.meeting}/proxies/${principalPersonId}/cancel`),
    }),
    other: async () => personOf('刘洋').id,
    // A villager who authorised a proxy for another meeting of 张家村.
    hidden: async () => {
      const o = await proxyMeeting()
      const principal = await adultOnRoll(o.meeting)
      await ok(tok.committee, 'POST', at(Z, `/meetings/${o.meeting}/proxies`), {
        principalPersonId: principal,
        proxyPersonId: personOf('张秀兰').id,
        photoKey: papers.get(o.meeting),
      })
      return principal
    },
    valid: async (o) => o.principal!,
    tables: ['meeting_proxies'],
  },
  'POST /api/villages/{villageId}/votes/{voteId}/ballots onBehalfOf': {
    // 张秀兰 holds a villager's written authorisation.
    as: () => tok.resident,
    setup: async () => {
      const o = await proxyMeeting(true)
      const principal = await adultOnRoll(o.meeting)
      await ok(tok.committee, 'POST', at(Z, `/meetings/${o.meeting}/proxies`), {
        principalPersonId: principal,
        proxyPersonId: personOf('张秀兰').id,
        photoKey: papers.get(o.meeting),
      })
      return { ...o, principal }
    },
    call: (onBehalfOf, o) => ({
      method: 'POST',
      url: at(Z, `/votes/${o.vote}/ballots`),
      payload: { choices: [o.option], onBehalfOf },
    }),
    other: async () => personOf('刘洋').id,
    // A villager on the roll who authorised nobody.
    hidden: async (o) => adultOnRoll(o.meeting!),
    valid: async (o) => o.principal!,
    tables: ['vote_voters', 'ballots', 'ballot_choices', 'meeting_proxies'],
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/counting-points tellerMembershipIds': {
    setup: async () => ({ meeting: (await meeting(tok.committee, Z, { steps: ['announce'] })).id }),
    call: (id, o) => ({
      method: 'POST',
      url: at(Z, `/meetings/${o.meeting}/counting-points`),
      payload: { name: `流动票箱${next()}`, kind: 'mobile', tellerMembershipIds: [membershipOf(Z, '李梅').id, id] },
    }),
    other: async () => membershipOf(H, '刘洋').id,
    hidden: async () => (await movedAway()).membershipId,
    valid: async () => membershipOf(Z, '赵小明').id,
    tables: ['meeting_counting_points', 'counting_point_tellers'],
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/attendance countingPointId': {
    setup: async () => {
      const m = (await meeting(tok.committee, Z, { steps: ['announce'] })).id
      return {
        meeting: m,
        person: await adultOnRoll(m),
        point: await countingPoint(tok.committee, Z, m, ['李梅', '赵小明']),
      }
    },
    call: (countingPointId, o) => ({
      method: 'POST',
      url: at(Z, `/meetings/${o.meeting}/attendance`),
      payload: { personId: o.person, countingPointId },
    }),
    other: async () => {
      const m = (await meeting(tok.hpCommittee, H, { steps: ['announce'] })).id
      return countingPoint(tok.hpCommittee, H, m, ['陈静', '刘洋'])
    },
    // A point of another meeting of 张家村.
    hidden: async () => {
      const m = (await meeting(tok.committee, Z, { steps: ['announce'] })).id
      return countingPoint(tok.committee, Z, m, ['李梅', '赵小明'])
    },
    valid: async (o) => o.point!,
    tables: ['meeting_attendance', 'point_entries', 'meeting_proxies'],
  },
  'POST /api/villages/{villageId}/votes/{voteId}/offline countingPointId': {
    setup: async () => {
      const m = await meeting(tok.committee, Z, { vote: true, steps: ['announce'] })
      await ok(tok.committee, 'POST', at(Z, `/votes/${m.voteId}/open`))
      return {
        vote: m.voteId,
        option: m.options[0]!,
        point: await countingPoint(tok.committee, Z, m.id, ['李梅', '赵小明']),
      }
    },
    call: (countingPointId, o) => {
      const req = venueCounts(o, {})
      return { ...req, payload: { ...req.payload, countingPointId } }
    },
    other: async () => {
      const m = (await meeting(tok.hpCommittee, H, { steps: ['announce'] })).id
      return countingPoint(tok.hpCommittee, H, m, ['陈静', '刘洋'])
    },
    hidden: async () => {
      const m = (await meeting(tok.committee, Z, { steps: ['announce'] })).id
      return countingPoint(tok.committee, Z, m, ['李梅', '赵小明'])
    },
    valid: async (o) => o.point!,
    tables: [...VENUE_COUNT_TABLES, 'meeting_counting_points'],
  },
  'POST /api/villages/{villageId}/shop/orders/fulfil pickupCode': {
    call: (pickupCode) => ({ method: 'POST', url: at(Z, '/shop/orders/fulfil'), payload: { pickupCode } }),
    missing: async () => {
      const used = new Set((await t.rows<{ pickup_code: string }>('shop_orders')).map((o) => o.pickup_code))
      return ['000000', '000001', '000002'].find((c) => !used.has(c))!
    },
    other: async () => (await hepingOrder()).pickupCode,
    valid: async () => {
      const p = spare()
      await fund(p)
      return (
        await ok(tok.committee, 'POST', at(Z, '/shop/orders'), {
          itemId: await item(tok.committee, Z),
          personId: p,
          idempotencyKey: key(),
        })
      ).pickupCode
    },
    tables: ['shop_orders', 'point_entries', 'point_accounts'],
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/agenda/{itemId}/comments {itemId}': {
    as: () => tok.resident,
    setup: async () => {
      const m = await meeting(tok.committee, Z, { steps: ['announce'] })
      return { meeting: m.id, item: m.itemId }
    },
    call: (itemId, o) => ({
      method: 'POST',
      url: at(Z, `/meetings/${o.meeting}/agenda/${itemId}/comments`),
      payload: { body: '我同意修这条路' },
    }),
    other: async () => (await meeting(tok.hpCommittee, H, { steps: ['announce'] })).itemId,
    // An item of a meeting still in draft, which only the committee sees.
    hidden: async () => (await meeting(tok.committee, Z)).itemId,
    valid: async (o) => o.item!,
    tables: ['agenda_comments'],
  },
  'POST /api/villages/{villageId}/meetings/{meetingId}/comments/{commentId}/hide {commentId}': {
    setup: async () => {
      const m = await meeting(tok.committee, Z, { steps: ['announce'] })
      return { meeting: m.id, comment: await comment(tok.resident, Z, m) }
    },
    call: (commentId, o) => ({
      method: 'POST',
      url: at(Z, `/meetings/${o.meeting}/comments/${commentId}/hide`),
      payload: { reason: '与议题无关' },
    }),
    other: async () => {
      const m = await meeting(tok.hpCommittee, H, { steps: ['announce'] })
      return comment(tok.hpResident, H, m)
    },
    // A comment on another meeting of 张家村.
    hidden: async () => {
      const m = await meeting(tok.committee, Z, { steps: ['announce'] })
      return comment(tok.resident, Z, m)
    },
    valid: async (o) => o.comment!,
    tables: ['agenda_comments'],
  },
  'POST /api/villages/{villageId}/votes/{voteId}/offline/{tallyId}/confirm {tallyId}': {
    // 李梅 counts the venue's ballots.
    as: () => tok.grid,
    setup: async () => {
      const v = await openVote()
      return { vote: v.vote, tally: await tally(tok.committee, Z, v, '李梅', '赵小明') }
    },
    call: (tallyId, o) => ({ method: 'POST', url: at(Z, `/votes/${o.vote}/offline/${tallyId}/confirm`) }),
    other: async () => {
      const m = await meeting(tok.hpCommittee, H, { vote: true, steps: ['announce'] })
      await ok(tok.hpCommittee, 'POST', at(H, `/votes/${m.voteId}/open`))
      return tally(tok.hpCommittee, H, { vote: m.voteId, option: m.options[0]! }, '陈静', '刘洋')
    },
    // 李梅's count of another vote of 张家村.
    hidden: async () => tally(tok.committee, Z, await openVote(), '李梅', '赵小明'),
    valid: async (o) => o.tally!,
    tables: ['offline_tallies'],
  },
  'POST /api/notifications/read ids': {
    as: () => tok.resident,
    // One unread notification of the resident's own stays unread while the refused ids are tried.
    setup: async () => {
      const r = await report(tok.resident, Z)
      await ok(tok.committee, 'POST', at(Z, `/reports/${r}/accept`), {})
      return {}
    },
    call: (id) => ({ method: 'POST', url: '/api/notifications/read', payload: { ids: [id] } }),
    other: async () => {
      const r = await report(tok.hpResident, H)
      await ok(tok.hpCommittee, 'POST', at(H, `/reports/${r}/accept`), {})
      return Math.max(...(await t.rows<{ id: number }>('notifications')).map((n) => n.id))
    },
    hidden: async () => {
      // 张家村's committee member's own notification: the same village, another person's.
      await report(tok.volunteer, Z)
      const mine = userOf(Z, '王建国')
      return Math.max(
        ...(await t.rows<{ id: number; user_id: number }>('notifications'))
          .filter((n) => n.user_id === mine)
          .map((n) => n.id),
      )
    },
    valid: async () =>
      Math.max(
        ...(await t.rows<{ id: number; user_id: number }>('notifications'))
          .filter((n) => n.user_id === userOf(Z, '张秀兰'))
          .map((n) => n.id),
      ),
    tables: ['notifications'],
    ignored: true,
  },
}

/** A comment on a meeting's agenda item; the answer is the item's comments, the newest one this. */
async function comment(token: string, v: { id: number }, m: { id: number; itemId: number }): Promise<number> {
  const list = (await ok(token, 'POST', at(v, `/meetings/${m.id}/agenda/${m.itemId}/comments`), {
    body: '我同意修这条路',
  })) as { id: number }[]
  return Math.max(...list.map((c) => c.id))
}

/** Venue counts of an open vote (none cast there), with two named tellers. */
async function tally(
  token: string,
  v: { id: number },
  open: { vote: number; option: number },
  counter: string,
  scrutineer: string,
): Promise<number> {
  const body = {
    counts: [{ optionId: open.option, count: 0 }],
    counterMembershipId: membershipOf(v, counter).id,
    scrutineerMembershipId: membershipOf(v, scrutineer).id,
  }
  return (await ok(token, 'POST', at(v, `/votes/${open.vote}/offline`), body)).id
}

/** An open vote of 张家村 (a meeting announced, its vote opened) and one of its options. */
async function openVote() {
  const m = await meeting(tok.committee, Z, { vote: true, steps: ['announce'] })
  await ok(tok.committee, 'POST', at(Z, `/votes/${m.voteId}/open`))
  return { vote: m.voteId, option: m.options[0]! }
}

/** Body fields of every route that name an object: `METHOD path field` (nested: `list[].field`). */
function objectFields(): string[] {
  const out: string[] = []
  const walk = (s: Schema | undefined, route: string, prefix: string) => {
    if (!s) return
    for (const a of s.anyOf ?? []) walk(a, route, prefix)
    if (s.items) walk(s.items, route, `${prefix}[]`)
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      const field = prefix ? `${prefix}.${name}` : name
      if (/^ids?$|Ids?$/.test(name) || ['onBehalfOf', 'pickupCode', 'token'].includes(name))
        out.push(`${route} ${field}`)
      walk(p, route, field)
    }
  }
  for (const [path, ops] of Object.entries(doc.paths)) {
    // Path ids after the route's own object (the village or town comes first and is the route's scope).
    const pathIds = [...path.matchAll(/\{(\w+Id)\}/g)]
      .map((m) => m[1]!)
      .filter((p) => p !== 'villageId' && p !== 'townId')
      .slice(1)
    for (const [method, op] of Object.entries(ops)) {
      if (!['post', 'put', 'patch', 'delete'].includes(method)) continue
      const route = `${method.toUpperCase()} ${path}`
      walk(op.requestBody?.content['application/json']?.schema, route, '')
      for (const p of pathIds) out.push(`${route} {${p}}`)
    }
  }
  return [...new Set(out)]
}

beforeAll(async () => {
  t = await startTestContext({ env: { RATE_LIMIT_PER_MINUTE: '1000000', REPORT_LIMIT_PER_MINUTE: '1000000' } })
  doc = t.app.swagger() as typeof doc
  Z.id = await t.villageId('zhangjia')
  H.id = await t.villageId('heping')
  tok = await t.loginAll(DEMO_PEOPLE)
  persons = (await t.rows('persons')) as typeof persons
  memberships = (await t.rows('memberships')) as typeof memberships
  households = (await t.rows('households')) as typeof households
  grids = (await t.rows('grids')) as typeof grids
  const linked = new Set(memberships.map((m) => m.person_id))
  spares = persons.filter((p) => p.village_id === Z.id && p.status === 'resident' && !linked.has(p.id)).map((p) => p.id)
}, 60_000)
afterAll(() => t.close())

describe('every action checks the second object it names', () => {
  it('every body field naming an object has an entry (or a reason it needs none), and every entry a field', () => {
    const fields = objectFields()
    expect(fields.length).toBeGreaterThan(20)
    expect(fields.filter((f) => !(f in CASES) && !(f in EXEMPT))).toEqual([])
    expect(Object.keys({ ...CASES, ...EXEMPT }).filter((f) => !fields.includes(f))).toEqual([])
  })

  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const token = c.as?.() ?? tok.committee
      const own = (await c.setup?.()) ?? {}
      const ids: Record<string, Ref> = { missing: (await c.missing?.()) ?? MISSING, other: await c.other() }
      if (c.hidden) ids.hidden = await c.hidden(own)
      const answers: Record<string, { status: number; body: unknown }> = {}
      for (const [which, id] of Object.entries(ids)) {
        const before = await Promise.all(c.tables.map((table) => t.rows(table)))
        const req = c.call(id, own)
        const res = await call(token, req.method, req.url, req.payload)
        answers[which] = res
        if (!c.ignored) expect(res.status, `${which}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400)
        expect(res.status, `${which}: ${JSON.stringify(res.body)}`).toBeLessThan(500)
        const after = await Promise.all(c.tables.map((table) => t.rows(table)))
        expect(after, `${which} changed ${c.tables.join(', ')}`).toEqual(before)
      }
      // One answer for all: nothing tells an object elsewhere (or hidden) from none at all.
      for (const which of Object.keys(ids)) expect({ which, ...answers[which] }).toEqual({ which, ...answers.missing })

      // With a proper object the same call goes through: the refusals were about the object.
      const req = c.call(await c.valid(own), own)
      const res = await call(token, req.method, req.url, req.payload)
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300)
    })
  }
})

/** 和平社区's object of each kind a route's path starts from, and the table that holds it. */
const OWN_OBJECT: Record<string, { table: string; make: () => Promise<number> }> = {
  membershipId: { table: 'memberships', make: async () => (await applicant(H, '钱和平')).membershipId },
  gridId: { table: 'grids', make: async () => grids.find((g) => g.village_id === H.id)!.id },
  personId: { table: 'persons', make: async () => personOf('周敏').id },
  householdId: { table: 'households', make: async () => personOf('周敏').household_id },
  approvalId: {
    table: 'point_approvals',
    make: async () =>
      (
        await ok(tok.hpCommittee, 'POST', at(H, '/points/awards'), {
          personId: personOf('刘洋').id,
          ruleCode: 'good_deed',
          points: 40,
          reason: '救起落水儿童',
          idempotencyKey: key(),
        })
      ).approvalId,
  },
  entryId: {
    table: 'point_entries',
    make: async () => (await award(tok.hpCommittee, H, personOf('刘洋').id)).entryId,
  },
  activityId: {
    table: 'activities',
    make: async () =>
      (
        await ok(tok.hpCommittee, 'POST', at(H, '/activities'), {
          ...activityBody(),
          title: '清扫小区',
          description: '一起打扫',
          place: '小区门口',
        })
      ).id,
  },
  serviceId: {
    table: 'neighbour_services',
    make: async () =>
      (
        await ok(tok.hpResident, 'POST', at(H, '/services'), {
          kind: 'offer',
          title: '接送孩子放学',
          description: '每天下午四点',
          points: 1,
        })
      ).id,
  },
  itemId: { table: 'shop_items', make: () => item(tok.hpCommittee, H) },
  orderId: {
    table: 'shop_orders',
    make: async () => (await hepingOrder()).id,
  },
  reportId: { table: 'reports', make: () => report(tok.hpResident, H) },
  meetingId: {
    table: 'meetings',
    make: async () => (await meeting(tok.hpCommittee, H, { vote: true, steps: ['announce'] })).id,
  },
  voteId: {
    table: 'votes',
    make: async () => {
      const m = await meeting(tok.hpCommittee, H, { vote: true, steps: ['announce'] })
      await ok(tok.hpCommittee, 'POST', at(H, `/votes/${m.voteId}/open`))
      return m.voteId
    },
  },
  topicId: { table: 'topics', make: () => topic(tok.hpResident, H) },
  petitionId: { table: 'petitions', make: () => petition(tok.hpResident, H) },
  matterId: {
    table: 'matters',
    make: async () =>
      (await ok(tok.hpCommittee, 'POST', at(H, '/matters'), { title: '小区绿化', description: '种一百棵树' })).id,
  },
  keyId: {
    table: 'open311_keys',
    make: async () => (await ok(tok.hpCommittee, 'POST', at(H, '/open311/keys'), { label: '12345 热线平台' })).id,
  },
}

/** Every village route that changes something and starts from an object of its own: `METHOD path` and that object's path parameter. */
function ownObjectRoutes(): [string, string][] {
  const out: [string, string][] = []
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/villages/{villageId}/')) continue
    const first = [...path.matchAll(/\{(\w+Id)\}/g)].map((m) => m[1]!).find((p) => p !== 'villageId')
    if (!first) continue
    for (const method of Object.keys(ops))
      if (['post', 'put', 'patch', 'delete'].includes(method)) out.push([`${method.toUpperCase()} ${path}`, first])
  }
  return out
}

describe('every action checks its own object', () => {
  it('every kind of object a route starts from has 和平社区 make one', () => {
    expect([...new Set(ownObjectRoutes().map(([, p]) => p))].filter((p) => !(p in OWN_OBJECT))).toEqual([])
  })

  it('张家村’s routes answer 和平社区’s object as one that exists nowhere, and leave it alone', async () => {
    const others = new Map<string, number>()
    let checked = 0
    for (const [route, param] of ownObjectRoutes()) {
      const [method, path] = route.split(' ') as [string, string]
      const op = doc.paths[path]![method.toLowerCase()]!
      if (!others.has(param)) others.set(param, await OWN_OBJECT[param]!.make())
      // The other path parameters as the schema has them (a step's name, a rule's code), ids that exist nowhere.
      const rest = Object.fromEntries(
        (op.parameters ?? [])
          .filter((p) => p.in === 'path' && p.name !== 'villageId' && p.name !== param)
          .map((p) => [p.name, fc.sample(valid(p.schema), { numRuns: 1, seed: 1 })[0]]),
      )
      const url = (id: number) =>
        at(Z, path.replace('/api/villages/{villageId}', '')).replace(/\{(\w+)\}/g, (_, name: string) =>
          String(name === param ? id : rest[name]),
        )
      // Grids and their workers are the town admin's; everything else the committee's.
      const token = path.includes('/grids/') ? tok.townAdmin : tok.committee
      const before = await t.rows(OWN_OBJECT[param]!.table)
      // The same body both times: one the schema accepts and the route's own checks of the body pass (a
      // refusal of the body itself would come before the object is looked up).
      const schema = op.requestBody?.content['application/json']?.schema as JsonSchema | undefined
      let payload: object | undefined
      let missing: Awaited<ReturnType<typeof call>>
      for (let seed = 1; ; seed++) {
        payload = schema ? (fc.sample(valid(schema), { numRuns: 1, seed })[0] as object) : undefined
        missing = await call(token, method as Method, url(MISSING), payload)
        if (missing.body.code !== 'VALIDATION_FAILED' || seed === 30) break
      }
      const other = await call(token, method as Method, url(others.get(param)!), payload)
      expect({ route, ...other }).toEqual({ route, ...missing })
      expect(missing.status, route).toBeGreaterThanOrEqual(400)
      expect(await t.rows(OWN_OBJECT[param]!.table), route).toEqual(before)
      checked++
    }
    expect(checked).toBeGreaterThan(40)
  }, 120_000)
})

describe('a villager acting on a report they may not see', () => {
  it('张秀兰’s private report is, to another villager, a report that exists nowhere (and 和平社区’s too)', async () => {
    const hidden = await report(tok.resident, Z, { public: false, category: '矛盾纠纷' })
    const elsewhere = await report(tok.hpResident, H)
    const actions: [string, object][] = [
      ['support', {}],
      ['rate', { rating: 'satisfied' }],
    ]
    for (const [action, payload] of actions) {
      const before = await t.rows('reports')
      const answer = (id: number) => call(tok.volunteer, 'POST', at(Z, `/reports/${id}/${action}`), payload)
      const [missing, other, secret] = await Promise.all([answer(MISSING), answer(elsewhere), answer(hidden)])
      expect(missing.status, action).toBe(404)
      expect({ action, ...other }).toEqual({ action, ...missing })
      expect({ action, ...secret }).toEqual({ action, ...missing })
      expect(await t.rows('reports')).toEqual(before)
    }
  })
})
