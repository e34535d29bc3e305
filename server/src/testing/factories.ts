import { randomBytes } from 'node:crypto'
import type { CreateMeetingBody, Role } from '@liren/shared/contracts'
import type { MeetingState, ReportState } from '@liren/shared/rules'
import { eq } from 'drizzle-orm'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import type { Actor } from '../core/audit.js'
import { identityTables } from '../modules/identity/index.js'
import { advanceMeeting, createMeeting, meetingTables, openVote } from '../modules/meetings/index.js'
import { seedDemoRules } from '../modules/points/index.js'
import sharp from 'sharp'
import { auth, multipartFile, startTestContext, type TestContext } from './harness.js'

const { grids, households, membershipRoles, memberships, persons, representedHouseholds, towns, users, villages } =
  identityTables

/** The members a factory village has, one per role (an applicant is pending; the town admin holds only that role). */
export const MEMBER_ROLES = ['committee', 'grid', 'resident', 'volunteer', 'applicant', 'townAdmin'] as const
export type MemberRole = (typeof MEMBER_ROLES)[number]

export interface Member {
  userId: number
  membershipId: number
  /** The roster person the membership is linked to; null for the applicant, who is not verified yet. */
  personId: number | null
  /** The roster name the member applied under. */
  name: string
  openid: string
  token: string
}

export interface Household {
  id: number
  number: string
  gridId: number
  /** Its people: head, spouse (adults) and a child (a minor), in that order. */
  personIds: number[]
}

export interface Village extends Record<MemberRole, Member> {
  id: number
  townId: number
  code: string
  name: string
  gridIds: number[]
  households: Household[]
  /** Every roster person, in household order. */
  persons: { id: number; name: string; householdId: number; adult: boolean }[]
}

const SURNAMES = ['林', '郑', '何', '高', '罗', '梁', '宋', '唐', '许', '韩', '冯', '邓']
const GIVEN = ['一鸣', '子涵', '思远', '雨桐', '浩然', '欣怡', '俊杰', '佳琪', '宇航', '梓萱', '博文', '若溪']
let names = 0
/** A made-up two- or three-character name, different from the demo town's and from every earlier one. */
const nextName = () => {
  const n = names++
  return `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`
}

/** A factory name as other villagers see it (every factory name has three characters): 林*鸣. */
export const masked = (name: string) => `${name[0]}*${name[2]}`

const villagesOf = new WeakMap<TestContext, Village>()

/**
 * A village in a town of its own: `grids` grids, `households` households (head, spouse, a child each,
 * spread over the grids; the first head represents the first two households), and one member per role,
 * each linked to a roster person and holding a fresh access token. Written the way the seed writes the
 * demo town (no use case makes a roster and its members at once); the audit chain and the points rules
 * are started as the seed starts them. The first village made in a context is the one `as(t, role)` means.
 */
export async function makeVillage(
  t: TestContext,
  opts: { grids?: number; households?: number; kind?: 'rural' | 'urban' } = {},
): Promise<Village> {
  const db = t.database.db
  const tag = randomBytes(4).toString('hex')
  const [{ id: townId }] = (await db
    .insert(towns)
    .values({ code: `t${tag}`, name: `${nextName()}镇` })
    .$returningId()) as [{ id: number }]
  const code = `v${tag}`
  const name = `${nextName()}村`
  const [{ id }] = (await db
    .insert(villages)
    .values({ townId, code, name, kind: opts.kind ?? 'rural' })
    .$returningId()) as [{ id: number }]

  const gridIds: number[] = []
  for (let i = 1; i <= (opts.grids ?? 2); i++) {
    const [{ id: gridId }] = (await db
      .insert(grids)
      .values({ villageId: id, name: `第${i}网格` })
      .$returningId()) as [{ id: number }]
    gridIds.push(gridId)
  }

  const roster: Village['persons'] = []
  const homes: Household[] = []
  for (let i = 1; i <= Math.max(opts.households ?? 4, 4); i++) {
    const number = String(i).padStart(3, '0')
    const gridId = gridIds[(i - 1) % gridIds.length]!
    const [{ id: householdId }] = (await db
      .insert(households)
      .values({ villageId: id, gridId, number, address: `${name}${i}号` })
      .$returningId()) as [{ id: number }]
    const people = [
      { name: nextName(), gender: 'male' as const, birthDate: `${1960 + i}-03-0${(i % 9) + 1}`, relation: '户主' },
      { name: nextName(), gender: 'female' as const, birthDate: `${1962 + i}-07-1${i % 10}`, relation: '配偶' },
      { name: nextName(), gender: 'male' as const, birthDate: '2016-05-20', relation: '子' },
    ]
    const personIds: number[] = []
    for (const [j, p] of people.entries()) {
      const [{ id: personId }] = (await db
        .insert(persons)
        .values({ villageId: id, householdId, ...p, representative: i === 1 && j === 0 })
        .$returningId()) as [{ id: number }]
      personIds.push(personId)
      roster.push({ id: personId, name: p.name, householdId, adult: j < 2 })
    }
    await db.update(households).set({ headPersonId: personIds[0]! }).where(eq(households.id, householdId))
    homes.push({ id: householdId, number, gridId, personIds })
  }
  await db
    .insert(representedHouseholds)
    .values(homes.slice(0, 2).map((h) => ({ householdId: h.id, personId: homes[0]!.personIds[0]! })))

  // Who each member is on the roster, and the roles they hold.
  const plan: Record<MemberRole, { household: number; person: number; roles: Role[]; pending?: true }> = {
    committee: { household: 0, person: 0, roles: ['resident', 'committee'] },
    resident: { household: 0, person: 1, roles: ['resident'] },
    grid: { household: 1, person: 0, roles: ['resident', 'grid_worker'] },
    volunteer: { household: 1, person: 1, roles: ['resident', 'volunteer'] },
    townAdmin: { household: 2, person: 0, roles: ['town_admin'] },
    applicant: { household: 3, person: 0, roles: [], pending: true },
  }
  const made = {} as Record<MemberRole, Omit<Member, 'token'>>
  for (const role of MEMBER_ROLES) {
    const { household, person, roles, pending } = plan[role]
    const home = homes[household]!
    const personId = home.personIds[person]!
    const openid = `factory-${code}-${role}`
    const [{ id: userId }] = (await db.insert(users).values({ openid, currentVillageId: id }).$returningId()) as [
      { id: number },
    ]
    const realName = roster.find((p) => p.id === personId)!.name
    const [{ id: membershipId }] = (await db
      .insert(memberships)
      .values({
        userId,
        villageId: id,
        realName,
        householdAddress: `${name}${household + 1}号`,
        householdId: pending ? null : home.id,
        personId: pending ? null : personId,
        birthYear: 1960 + household + 1,
        status: pending ? 'pending' : 'verified',
        decidedAt: pending ? null : new Date(),
      })
      .$returningId()) as [{ id: number }]
    if (roles.length) await db.insert(membershipRoles).values(roles.map((r) => ({ membershipId, role: r })))
    made[role] = { userId, membershipId, personId: pending ? null : personId, name: realName, openid }
  }
  await db.insert(identityTables.gridWorkers).values({ gridId: gridIds[0]!, membershipId: made.grid.membershipId })
  await seedDemoRules(db, [id])
  // The village's audit chain starts as the seed starts every village's.
  const tokens = await t.tokensFor(MEMBER_ROLES.map((r) => made[r].userId))
  const members = Object.fromEntries(MEMBER_ROLES.map((r, i) => [r, { ...made[r], token: tokens[i]! }])) as Record<
    MemberRole,
    Member
  >
  const village: Village = { id, townId, code, name, gridIds, households: homes, persons: roster, ...members }
  if (!villagesOf.has(t)) villagesOf.set(t, village)
  return village
}

type VillageOptions = Parameters<typeof makeVillage>[1]
/** `N` villages, one after another. */
type Villages<N extends number, R extends Village[] = []> = R['length'] extends N ? R : Villages<N, [...R, Village]>
type StartOptions = { env?: Record<string, string> }

/**
 * A fresh context without the demo town, and factory villages in it (so many, or one for each options
 * given), made in that order: `[t, ...villages]`. The first village is the one `as(t, role)` means.
 */
export async function startWithVillages<N extends number>(
  count: N,
  opts?: StartOptions,
): Promise<[TestContext, ...Villages<N>]>
export async function startWithVillages<const V extends readonly VillageOptions[]>(
  each: V,
  opts?: StartOptions,
): Promise<[TestContext, ...{ -readonly [K in keyof V]: Village }]>
export async function startWithVillages(villages: number | readonly VillageOptions[], opts: StartOptions = {}) {
  const t = await startTestContext({ ...opts, seed: false })
  const made: Village[] = []
  for (const o of typeof villages === 'number' ? Array<VillageOptions>(villages).fill({}) : villages)
    made.push(await makeVillage(t, o))
  return [t, ...made]
}

let extras = 0
/**
 * `count` more verified residents of the village, each linked to a roster person not yet in the app, from
 * the households past the four the village's own members live in (the village needs that many people
 * there: make it with enough households). Set up directly, as the seed would.
 */
export async function addResidents(t: TestContext, village: Village, count: number): Promise<Member[]> {
  const db = t.database.db
  const linked = new Set((await db.select({ personId: memberships.personId }).from(memberships)).map((m) => m.personId))
  const homeOf = (p: Village['persons'][number]) => village.households.findIndex((h) => h.id === p.householdId)
  const free = village.persons.filter((p) => homeOf(p) >= 4 && !linked.has(p.id)).slice(0, count)
  expect(free.length, 'free roster people').toBe(count)
  const made: Omit<Member, 'token'>[] = []
  for (const p of free) {
    const openid = `factory-${village.code}-extra-${++extras}`
    const [{ id: userId }] = (await db
      .insert(users)
      .values({ openid, currentVillageId: village.id })
      .$returningId()) as [{ id: number }]
    const [{ id: membershipId }] = (await db
      .insert(memberships)
      .values({
        userId,
        villageId: village.id,
        realName: p.name,
        householdAddress: `${village.name}${homeOf(p) + 1}号`,
        householdId: p.householdId,
        personId: p.id,
        birthYear: 1970,
        status: 'verified',
        decidedAt: new Date(),
      })
      .$returningId()) as [{ id: number }]
    await db.insert(membershipRoles).values({ membershipId, role: 'resident' })
    made.push({ userId, membershipId, personId: p.id, name: p.name, openid })
  }
  const tokens = await t.tokensFor(made.map((m) => m.userId))
  return made.map((m, i) => ({ ...m, token: tokens[i]! }))
}

/** Who calls: a member (or anything holding a token), a role of the context's first factory village, or nobody. */
export type Caller = 'anon' | MemberRole | { token: string }
type Payload = InjectOptions['payload']
type Extra = Omit<InjectOptions, 'method' | 'url' | 'payload'>

/**
 * The API as `caller` sees it: `as(t, 'committee').post(url, body)` injects the request with that caller's
 * token (none for 'anon') and answers with the response.
 */
export function as(t: TestContext, caller: Caller) {
  const token = () => {
    if (caller === 'anon') return null
    if (typeof caller === 'object') return caller.token
    const village = villagesOf.get(t)
    if (!village) throw new Error(`as(t, '${caller}'): no factory village made in this context yet`)
    return village[caller].token
  }
  const send =
    (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') =>
    (url: string, payload?: Payload, extra: Extra = {}): Promise<LightMyRequestResponse> => {
      const bearer = token()
      return t.app.inject({
        method,
        url,
        ...extra,
        headers: { ...(bearer ? auth(bearer) : {}), ...extra.headers },
        ...(payload === undefined ? {} : { payload }),
      })
    }
  return {
    get: (url: string, extra?: Extra) => send('GET')(url, undefined, extra),
    post: send('POST'),
    put: send('PUT'),
    patch: send('PATCH'),
    delete: (url: string, extra?: Extra) => send('DELETE')(url, undefined, extra),
  }
}

/** The caller's points balance in the village, as the app shows it. */
export const balanceOf = async (t: TestContext, villageId: number, caller: Caller) =>
  (await as(t, caller).get(`/api/villages/${villageId}/points/me`)).json().balance as number

const actorOf = (member: Member): Actor => ({ userId: member.userId, requestId: `factory-${member.userId}` })
let keys = 0
/** A fresh idempotency key. */
export const nextKey = () => `factory-${Date.now()}-${++keys}`
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString()

/** The body that makes an activity: the day after tomorrow, for 50 people, 5 points each. */
export const activityBody = () => ({
  title: '清扫村道',
  description: '一起打扫村道',
  place: '村口',
  startsAt: inDays(2),
  endsAt: inDays(2.1),
  capacity: 50,
  pointsMode: 'fixed',
  points: 5,
})

/**
 * A meeting's time for a test that announces it, opens its votes and closes them at once: called the same
 * day (紧急, with its reason), starting a second ago. The law's notice period and "nothing before its time"
 * are tested on their own (meeting-lifecycle.test.ts).
 */
export const calledNow = () => ({
  startsAt: new Date(Date.now() - 1000).toISOString(),
  urgentReason: '测试：当天召开',
})

/**
 * A meeting's time for a test that needs both the notice's 征求意见 (open until the start) and its votes
 * open (allowed from half an hour before the start): called 紧急, starting in ten minutes.
 */
export const calledSoon = () => ({
  startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  urgentReason: '测试：当天召开',
})

export interface MadeMeeting {
  id: number
  /** Each agenda item's vote, in agenda order (items without a vote left out), with its options' ids. */
  votes: { id: number; optionIds: number[] }[]
}

/**
 * A meeting of the village's committee, taken to `state` through the use cases (announcing freezes the
 * roll); each of `votes` is an agenda item carrying that vote, opened when `open` is set and the state allows.
 */
export async function makeMeeting(
  t: TestContext,
  village: Village,
  opts: {
    state?: MeetingState
    votes?: NonNullable<CreateMeetingBody['agenda'][number]['vote']>[]
    open?: boolean
    body?: Partial<CreateMeetingBody>
  } = {},
): Promise<MadeMeeting> {
  const db = t.database.db
  const actor = actorOf(village.committee)
  const votes = opts.votes ?? []
  const id = await createMeeting(db, actor, village.id, {
    kind: 'villager_meeting',
    title: '村民会议',
    place: '村委会',
    ...calledNow(),
    online: true,
    agenda: votes.length ? votes.map((vote, i) => ({ title: `议题${i + 1}`, vote })) : [{ title: '议题1' }],
    ...opts.body,
  })
  const order: MeetingState[] = ['announced', 'in_session', 'closed', 'published']
  const actions = { announced: 'announce', in_session: 'start', closed: 'close', published: 'publish' } as const
  const target = order.indexOf(opts.state ?? 'draft')
  const { agendaItems, voteOptions } = meetingTables
  const made = await db
    .select({ id: meetingTables.votes.id })
    .from(meetingTables.votes)
    .innerJoin(agendaItems, eq(agendaItems.id, meetingTables.votes.agendaItemId))
    .where(eq(agendaItems.meetingId, id))
    .orderBy(agendaItems.position)
  const options = await Promise.all(
    made.map(async (v) =>
      (
        await db
          .select({ id: voteOptions.id })
          .from(voteOptions)
          .where(eq(voteOptions.voteId, v.id))
          .orderBy(voteOptions.position)
      ).map((o) => o.id),
    ),
  )
  for (const [i, to] of order.entries()) {
    if (i > target) break
    if (to === 'published')
      await db.update(meetingTables.meetings).set({ minutes: '会议纪要' }).where(eq(meetingTables.meetings.id, id))
    await advanceMeeting(db, actor, village.id, id, actions[to as keyof typeof actions])
    if (to === 'announced' && opts.open) for (const v of made) await openVote(db, actor, village.id, v.id)
  }
  return { id, votes: made.map((v, i) => ({ id: v.id, optionIds: options[i]! })) }
}

let photos = 0
/**
 * A photo `caller` uploads to the village: a plain JPEG, a different one each time (colours far apart, so
 * JPEG's rounding cannot make two the same photo). Returns its key.
 */
export async function uploadPhoto(t: TestContext, villageId: number, caller: Caller): Promise<string> {
  const n = ++photos
  const jpeg = await sharp({
    create: { width: 400, height: 300, channels: 3, background: { r: (n * 47) % 256, g: (n * 101) % 256, b: 40 } },
  })
    .jpeg()
    .toBuffer()
  const res = await postPhoto(t, villageId, caller, 'photo.jpg', jpeg)
  expect(res.statusCode, res.body).toBe(201)
  return res.json().key as string
}

/** `caller` uploads `content` to the village's photos as a file named `filename`; the answer, whatever it is. */
export function postPhoto(
  t: TestContext,
  villageId: number,
  caller: Caller,
  filename: string,
  content: Buffer | string,
) {
  const { payload, headers } = multipartFile('file', filename, content)
  return as(t, caller).post(`/api/villages/${villageId}/photos`, payload, { headers })
}

/** The path of the village's reports. */
const reportsUrl = (village: Village, path = '') => `/api/villages/${village.id}/reports${path}`

/**
 * A report the resident files, taken to `state` through the API the way the app takes it there: the
 * committee accepts, starts and resolves; the resident rates (closed); the committee rejects, or merges
 * it into another report (merged). Returns its id (and, merged, the report it went into).
 */
export async function makeReport(
  t: TestContext,
  village: Village,
  state: ReportState,
  body: object = {},
): Promise<{ id: number; intoReportId?: number }> {
  const file = async () => {
    const res = await as(t, village.resident).post(reportsUrl(village), {
      category: '环境卫生',
      description: '村口垃圾堆了三天没人清',
      idempotencyKey: nextKey(),
      ...body,
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as number
  }
  const id = await file()
  const step = async (caller: Member, action: string, payload: object = {}) => {
    const res = await as(t, caller).post(reportsUrl(village, `/${id}/${action}`), payload)
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200)
  }
  const path: Record<ReportState, [Member, string, object?][]> = {
    submitted: [],
    accepted: [[village.committee, 'accept']],
    in_progress: [
      [village.committee, 'accept'],
      [village.committee, 'start'],
    ],
    resolved: [
      [village.committee, 'accept'],
      [village.committee, 'start'],
      [village.committee, 'resolve', { note: '已经清理干净' }],
    ],
    closed: [
      [village.committee, 'accept'],
      [village.committee, 'start'],
      [village.committee, 'resolve', { note: '已经清理干净' }],
      [village.resident, 'rate', { rating: 'satisfied' }],
    ],
    rejected: [[village.committee, 'reject', { reason: '不属于村里的事' }]],
    merged: [],
  }
  for (const [caller, action, payload] of path[state]) await step(caller, action, payload ?? {})
  if (state !== 'merged') return { id }
  const intoReportId = await file()
  await step(village.committee, 'merge', { intoReportId })
  return { id, intoReportId }
}

/**
 * Awards `points` to a roster person by the committee, under the volunteer-hour rule (a manual award;
 * below the rule's approval threshold of 100, so it is booked at once).
 */
export async function fund(t: TestContext, village: Village, personId: number, points: number): Promise<void> {
  const res = await as(t, village.committee).post(`/api/villages/${village.id}/points/awards`, {
    personId,
    ruleCode: 'volunteer_hour',
    points,
    reason: '测试用的积分',
    idempotencyKey: nextKey(),
  })
  expect(res.statusCode, res.body).toBe(201)
}

/**
 * An order still pending: the committee stocks an item of `cost`, `member` is funded with just that much
 * and redeems it. Returns the order and the item.
 */
export async function makePendingOrder(
  t: TestContext,
  village: Village,
  member: Member = village.resident,
  cost = 10,
): Promise<{ orderId: number; itemId: number; pickupCode: string }> {
  const v = (path: string) => `/api/villages/${village.id}${path}`
  const item = await as(t, village.committee).post(v('/shop/items'), { name: '毛巾', cost, stock: 10 })
  expect(item.statusCode, item.body).toBe(201)
  await fund(t, village, member.personId!, cost)
  const order = await as(t, member).post(v('/shop/orders'), { itemId: item.json().id, idempotencyKey: nextKey() })
  expect(order.statusCode, order.body).toBe(201)
  return { orderId: order.json().id, itemId: item.json().id, pickupCode: order.json().pickupCode }
}
