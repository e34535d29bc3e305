import {
  ErrorCode,
  type OverduePetitionList,
  type Petition,
  type PetitionList,
  type StartPetitionBody,
  type VillageKind,
} from '@liren/shared/contracts'
import {
  can,
  isAdultOn,
  meetingKindLabel,
  petitionNeeds,
  petitionSucceeds,
  type PetitionCount,
  type PetitionKind,
} from '@liren/shared/rules'
import dayjs from 'dayjs'
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { affectedRows, isDuplicateKey, transaction, type Db, type Executor, type Tx } from '../../core/db.js'
import { AppError, conflict, forbidden } from '../../core/errors.js'
import { chinaDateTimeWords, todayInChina } from '../../core/time.js'
import { villageRow } from '../../core/village-rows.js'
import type { WechatClient } from '../../core/wechat.js'
import { identityTables, notify, type VillageMember } from '../identity/index.js'
import { findMeeting } from './access.js'
import { getMeetingSettings } from './settings.js'
import { petitionSignatures, petitions } from './tables.js'
import { findTopic, topicThreshold, type TopicViewer } from './topics.js'

const { memberships, persons, users, villages } = identityTables
type PetitionRow = typeof petitions.$inferSelect

/** The mini-program page of a petition: what its notices open. */
export const petitionPage = (villageId: number, petitionId: number) =>
  `packages/meetings/petition/index?villageId=${villageId}&petitionId=${petitionId}`

const petitionNotFound = () =>
  new AppError(404, ErrorCode.PETITION_NOT_FOUND, '找不到这个提议', [{ field: 'petitionId', message: '不存在' }])
const personNotFound = () =>
  new AppError(404, ErrorCode.PERSON_NOT_FOUND, '本村花名册上没有这个人', [{ field: 'personId', message: '不存在' }])
const answered = () => conflict(ErrorCode.PETITION_CLOSED, '这个提议已经召开会议答复过了')

/** Who is looking: the committee sees who signed; everyone sees the counts and whether they signed. */
export interface PetitionViewer {
  committee: boolean
  personId: number | null
  userId: number
}
export const petitionViewerOf = (member: VillageMember, userId: number): PetitionViewer => ({
  committee: can(member, 'meetings.manage'),
  personId: member.personId,
  userId,
})

/** The village's residents today, as the count of a petition needs them. */
async function residents(db: Executor, villageId: number) {
  return db
    .select({
      id: persons.id,
      householdId: persons.householdId,
      birthDate: persons.birthDate,
      representative: persons.representative,
    })
    .from(persons)
    .where(and(eq(persons.villageId, villageId), eq(persons.status, 'resident')))
}
type Resident = Awaited<ReturnType<typeof residents>>[number]

/**
 * Adults, representatives and households (with an adult) among the residents, and how many of them are
 * among `signed` (person ids; a household counts when one of its adults signed).
 */
function countOf(people: Resident[], signed: Iterable<number>, today: string): PetitionCount {
  const who = new Set(signed)
  const adults = people.filter((p) => isAdultOn(p.birthDate, today))
  const reps = people.filter((p) => p.representative)
  const signedAdults = adults.filter((p) => who.has(p.id))
  return {
    adults: adults.length,
    representatives: reps.length,
    households: new Set(adults.map((p) => p.householdId)).size,
    signedAdults: signedAdults.length,
    signedRepresentatives: reps.filter((p) => who.has(p.id)).length,
    signedHouseholds: new Set(signedAdults.map((p) => p.householdId)).size,
  }
}

/** Whether the village is a community (居委会, 城市居民委员会组织法) or a village (村委会). */
async function placeOf(db: Executor, villageId: number): Promise<VillageKind> {
  const [v] = await db.select({ kind: villages.kind }).from(villages).where(eq(villages.id, villageId))
  return v!.kind
}

async function views(
  db: Executor,
  villageId: number,
  rows: PetitionRow[],
  viewer: PetitionViewer,
  now: Date,
): Promise<Petition[]> {
  if (rows.length === 0) return []
  const [people, place] = await Promise.all([residents(db, villageId), placeOf(db, villageId)])
  const signatures = await db
    .select()
    .from(petitionSignatures)
    .where(
      inArray(
        petitionSignatures.petitionId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(petitionSignatures.createdAt), asc(petitionSignatures.personId))
  // Names only for the committee: residents never learn who signed.
  const names = viewer.committee
    ? await db
        .select({
          id: persons.id,
          name: persons.name,
          birthDate: persons.birthDate,
          representative: persons.representative,
        })
        .from(persons)
        .where(eq(persons.villageId, villageId))
    : []
  const recorders = viewer.committee
    ? await db
        .select({ userId: memberships.userId, name: memberships.realName })
        .from(memberships)
        .where(eq(memberships.villageId, villageId))
    : []
  const today = todayInChina(now)
  return rows.map((r) => {
    const mine = signatures.filter((s) => s.petitionId === r.id)
    const count = countOf(
      people,
      mine.map((s) => s.personId),
      today,
    )
    const needs = petitionNeeds(r.kind, count, place)
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      reason: r.reason,
      topicId: r.topicId,
      state: r.state,
      signatures: r.signatures,
      ...count,
      adultsNeeded: needs.adults,
      representativesNeeded: needs.representatives,
      householdsNeeded: needs.households,
      succeededAt: r.succeededAt?.toISOString() ?? null,
      answerDueAt: r.answerDueAt?.toISOString() ?? null,
      overdue: r.state === 'succeeded' && r.answerDueAt !== null && r.answerDueAt.getTime() < now.getTime(),
      meetingId: r.meetingId,
      signedByMe: viewer.personId !== null && mine.some((s) => s.personId === viewer.personId),
      mine: r.createdBy === viewer.userId,
      signers: viewer.committee
        ? mine.map((s) => {
            const p = names.find((n) => n.id === s.personId)
            return {
              personId: s.personId,
              name: p?.name ?? '',
              adult: p ? isAdultOn(p.birthDate, today) : false,
              representative: p?.representative ?? false,
              recordedBy:
                s.recordedBy === null
                  ? null
                  : (recorders.find((m) => m.userId === s.recordedBy)?.name ?? '村（居）委会'),
              signedAt: s.createdAt.toISOString(),
            }
          })
        : null,
      createdAt: r.createdAt.toISOString(),
    }
  })
}

async function findPetition(db: Executor, villageId: number, petitionId: number, lock = false) {
  const p = await villageRow(db, petitions, villageId, petitionId, { lock })
  if (!p) throw petitionNotFound()
  return p
}

export async function getPetition(
  db: Executor,
  villageId: number,
  petitionId: number,
  viewer: PetitionViewer,
  now = new Date(),
): Promise<Petition> {
  return (await views(db, villageId, [await findPetition(db, villageId, petitionId)], viewer, now))[0]!
}

/** The village's petitions, the latest first (without the signers: the committee opens one to see them). */
export async function listPetitions(
  db: Executor,
  villageId: number,
  viewer: PetitionViewer,
  now = new Date(),
): Promise<PetitionList> {
  const rows = await db
    .select()
    .from(petitions)
    .where(eq(petitions.villageId, villageId))
    .orderBy(desc(petitions.id))
    .limit(200)
  return (await views(db, villageId, rows, viewer, now)).map(({ signers: _, ...p }) => p)
}

/** The users to tell of a petition: its signers who have the app (verified members linked to the person signed). */
async function signerUsers(tx: Executor, villageId: number, petitionId: number): Promise<number[]> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(petitionSignatures)
    .innerJoin(
      memberships,
      and(
        eq(memberships.personId, petitionSignatures.personId),
        eq(memberships.villageId, villageId),
        eq(memberships.status, 'verified'),
      ),
    )
    .where(eq(petitionSignatures.petitionId, petitionId))
  return rows.map((r) => r.userId)
}

/** The village's committee members (verified). */
async function committeeUsers(tx: Executor, villageId: number): Promise<number[]> {
  const [rows] = (await tx.execute(sql`
    SELECT m.user_id AS userId FROM memberships m
    JOIN membership_roles r ON r.membership_id = m.id AND r.role = 'committee'
    WHERE m.village_id = ${villageId} AND m.status = 'verified'`)) as unknown as [{ userId: number }[]]
  return rows.map((r) => Number(r.userId))
}

async function kindLabel(tx: Executor, villageId: number, kind: PetitionKind): Promise<string> {
  const [v] = await tx.select({ kind: villages.kind }).from(villages).where(eq(villages.id, villageId))
  return meetingKindLabel(kind, v!.kind)
}

/**
 * Whether the petition (locked by the caller, in a read-committed transaction, so every signature committed
 * before is counted) now has enough signatures; if so it succeeds, once (a conditional update), and the
 * committee and the signers are told by when the meeting must be held.
 */
async function checkSuccess(tx: Tx, actor: Actor, p: PetitionRow, now: Date): Promise<void> {
  if (p.state !== 'open') return
  const signed = await tx
    .select({ personId: petitionSignatures.personId })
    .from(petitionSignatures)
    .where(eq(petitionSignatures.petitionId, p.id))
  const count = countOf(
    await residents(tx, p.villageId),
    signed.map((s) => s.personId),
    todayInChina(now),
  )
  if (!petitionSucceeds(p.kind, count, await placeOf(tx, p.villageId))) return
  const { petitionAnswerDays } = await getMeetingSettings(tx, p.villageId)
  const answerDueAt = dayjs(now).add(petitionAnswerDays, 'day').toDate()
  const res = await tx
    .update(petitions)
    .set({ state: 'succeeded', succeededAt: now, answerDueAt })
    .where(and(eq(petitions.id, p.id), eq(petitions.state, 'open')))
  if (affectedRows(res) !== 1) return
  const label = await kindLabel(tx, p.villageId, p.kind)
  const due = chinaDateTimeWords(answerDueAt)
  const page = petitionPage(p.villageId, p.id)
  const told = (userId: number, title: string, body: string) => ({ userId, villageId: p.villageId, page, title, body })
  // One notice each; a committee member who signed gets the committee's (the later one wins).
  await notify(tx, [
    ...(await signerUsers(tx, p.villageId, p.id)).map((u) =>
      told(u, `您签名的提议“${p.title}”人数够了`, `依法应当召开${label}，村（居）委会要在${due}前召集。`),
    ),
    ...(await committeeUsers(tx, p.villageId)).map((u) =>
      told(
        u,
        `提议召开${label}：“${p.title}”`,
        `签名人数已达到法定人数（村民委员会组织法），请在${due}前召集${label}。`,
      ),
    ),
  ])
  await audit(tx, actor, {
    villageId: p.villageId,
    action: 'petition.succeeded',
    entity: 'petition',
    entityId: p.id,
    data: { ...count, answerDueAt: answerDueAt.toISOString() },
  })
}

type Signer = { userId: number } | { recordedBy: number }

/**
 * One signature on the locked petition: a resident of its village, once (the primary key); the count moves
 * in the same transaction, and the petition may succeed with it.
 */
async function addSignature(
  tx: Tx,
  actor: Actor,
  p: PetitionRow,
  personId: number,
  by: Signer,
  now: Date,
): Promise<void> {
  if (p.state === 'answered') throw answered()
  const [person] = await tx
    .select({ id: persons.id })
    .from(persons)
    .where(and(eq(persons.id, personId), eq(persons.villageId, p.villageId), eq(persons.status, 'resident')))
  if (!person) {
    if ('recordedBy' in by) throw personNotFound()
    throw new AppError(404, ErrorCode.NOT_ON_ROSTER, '您已经不在本村（社区）的花名册上，不能签名')
  }
  await tx.insert(petitionSignatures).values({
    petitionId: p.id,
    personId,
    userId: 'userId' in by ? by.userId : null,
    recordedBy: 'recordedBy' in by ? by.recordedBy : null,
  })
  await tx
    .update(petitions)
    .set({ signatures: sql`${petitions.signatures} + 1` })
    .where(eq(petitions.id, p.id))
  await audit(tx, actor, {
    villageId: p.villageId,
    action: 'recordedBy' in by ? 'petition.signature_recorded' : 'petition.signed',
    entity: 'petition',
    entityId: p.id,
    data: { personId },
  })
  await checkSuccess(tx, actor, p, now)
}

/** A signature refused by the primary key is a second one by the same person. */
async function once<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY')) throw conflict(ErrorCode.ALREADY_SIGNED, '已经签过名了，每人只能签一次')
    throw err
  }
}

/** A member starts a petition; their signature is the first. The text passes WeChat's content check first. */
export async function startPetition(
  db: Db,
  wechat: WechatClient,
  actor: Actor,
  villageId: number,
  personId: number,
  body: StartPetitionBody,
  now = new Date(),
): Promise<number> {
  const [me] = await db.select({ openid: users.openid }).from(users).where(eq(users.id, actor.userId))
  // No place to hold a petition for review: only what WeChat calls risky is refused.
  if ((await wechat.checkText(`${body.title} ${body.reason}`, me!.openid)) === 'risky')
    throw new AppError(400, ErrorCode.CONTENT_REJECTED, '内容里有不合适的话，请修改后再提交', [
      { field: 'reason', message: '没有通过内容安全检查' },
    ])
  return transaction(
    db,
    async (tx) => {
      const [{ id }] = (await tx
        .insert(petitions)
        .values({
          villageId,
          kind: body.kind,
          title: body.title.trim(),
          reason: body.reason.trim(),
          createdBy: actor.userId,
        })
        .$returningId()) as [{ id: number }]
      await audit(tx, actor, { villageId, action: 'petition.started', entity: 'petition', entityId: id })
      const p = await findPetition(tx, villageId, id, true)
      await addSignature(tx, actor, p, personId, { userId: actor.userId }, now)
      return id
    },
    { readCommitted: true },
  )
}

/**
 * A signature: the member's own (`recordedBy` false), or one the committee records for a villager without a
 * phone. Signers of one petition take its row in turn, so each counts every signature before theirs and
 * only one of them can find it succeeded.
 */
export async function signPetition(
  db: Db,
  actor: Actor,
  villageId: number,
  petitionId: number,
  personId: number,
  recorded: boolean,
  now = new Date(),
): Promise<void> {
  await once(() =>
    transaction(
      db,
      async (tx) => {
        const p = await findPetition(tx, villageId, petitionId, true)
        const by: Signer = recorded ? { recordedBy: actor.userId } : { userId: actor.userId }
        await addSignature(tx, actor, p, personId, by, now)
      },
      { readCommitted: true },
    ),
  )
}

/**
 * A topic backed by a tenth of the adults (mustBeHeard) becomes a petition for a 村民会议, by its proposer
 * or the committee, once (petitions_topic_uq): its supporters who are still residents with the app sign it.
 */
export async function petitionFromTopic(
  db: Db,
  actor: Actor,
  villageId: number,
  topicId: number,
  viewer: TopicViewer,
  now = new Date(),
): Promise<number> {
  try {
    return await transaction(
      db,
      async (tx) => {
        const t = await findTopic(tx, villageId, topicId, viewer, true)
        if (!viewer.committee && t.proposerPersonId !== viewer.personId)
          throw forbidden('只有提出这个议题的人或村（居）委会可以把它变成提议召集')
        if (t.state !== 'open' || t.held) throw conflict(ErrorCode.TOPIC_CLOSED, '这个议题已经处理过了')
        const need = await topicThreshold(tx, villageId)
        if (t.supporters < need)
          throw conflict(
            ErrorCode.TOO_FEW_SUPPORTERS,
            `附议的人还不够：要有十分之一的成年村民（${need} 人）附议，才能提议召开村民会议`,
          )
        const [{ id }] = (await tx
          .insert(petitions)
          .values({
            villageId,
            kind: 'villager_meeting',
            title: t.title,
            reason: t.description,
            topicId: t.id,
            createdBy: actor.userId,
          })
          .$returningId()) as [{ id: number }]
        const res = await tx.execute(sql`
          INSERT INTO petition_signatures (petition_id, person_id, user_id)
          SELECT ${id}, s.person_id, m.user_id FROM topic_supports s
          JOIN persons p ON p.id = s.person_id AND p.village_id = ${villageId} AND p.status = 'resident'
          JOIN memberships m ON m.person_id = s.person_id AND m.village_id = ${villageId} AND m.status = 'verified'
          WHERE s.topic_id = ${t.id}`)
        await tx
          .update(petitions)
          .set({ signatures: affectedRows(res) })
          .where(eq(petitions.id, id))
        await audit(tx, actor, {
          villageId,
          action: 'petition.started',
          entity: 'petition',
          entityId: id,
          data: { topicId: t.id, signatures: affectedRows(res) },
        })
        await checkSuccess(tx, actor, await findPetition(tx, villageId, id, true), now)
        return id
      },
      { readCommitted: true },
    )
  } catch (err) {
    if (isDuplicateKey(err, 'petitions_topic_uq'))
      throw conflict(ErrorCode.PETITION_EXISTS, '这个议题已经发起过提议召集了')
    throw err
  }
}

/**
 * The committee answers a petition with a meeting of the village of the kind asked for, noticed (not a draft,
 * not cancelled) and not held before the petition was started; the signers are told.
 */
export async function answerPetition(
  db: Db,
  actor: Actor,
  villageId: number,
  petitionId: number,
  meetingId: number,
): Promise<void> {
  await transaction(db, async (tx) => {
    const p = await findPetition(tx, villageId, petitionId, true)
    if (p.state === 'answered') throw answered()
    const m = await findMeeting(tx, villageId, meetingId, true)
    const label = await kindLabel(tx, villageId, p.kind)
    const wrong = (message: string) =>
      new AppError(400, ErrorCode.VALIDATION_FAILED, message, [{ field: 'meetingId', message }])
    if (m.kind !== p.kind) throw wrong(`提议召开的是${label}，请选一个${label}`)
    if (m.state === 'draft') throw conflict(ErrorCode.MEETING_STATE, '这个会议还没发出通知，通知以后才能用它答复提议')
    if (m.state === 'cancelled') throw conflict(ErrorCode.MEETING_STATE, '这个会议已经取消了，请选别的会议')
    if (m.startsAt.getTime() < p.createdAt.getTime()) throw wrong('这个会议在提议以前就开过了，请选提议以后召开的会议')
    const res = await tx
      .update(petitions)
      .set({ state: 'answered', meetingId: m.id })
      .where(and(eq(petitions.id, p.id), eq(petitions.state, p.state)))
    if (affectedRows(res) !== 1) throw answered()
    await notify(
      tx,
      (await signerUsers(tx, villageId, p.id)).map((userId) => ({
        userId,
        villageId,
        page: petitionPage(villageId, p.id),
        title: `您签名的提议“${p.title}”`,
        body: `村（居）委会已召集${label}“${m.title}”，时间：${chinaDateTimeWords(m.startsAt)}，地点：${m.place}。`,
      })),
    )
    await audit(tx, actor, {
      villageId,
      action: 'petition.answered',
      entity: 'petition',
      entityId: p.id,
      data: { meetingId: m.id },
    })
  })
}

/** For the town admin: every village's succeeded petitions no meeting answered by their due date, the oldest due first. */
export async function overduePetitions(db: Executor, townId: number, now = new Date()): Promise<OverduePetitionList> {
  const rows = await db
    .select({ p: petitions, villageName: villages.name })
    .from(petitions)
    .innerJoin(villages, eq(villages.id, petitions.villageId))
    .where(and(eq(villages.townId, townId), eq(petitions.state, 'succeeded'), lt(petitions.answerDueAt, now)))
    .orderBy(asc(petitions.answerDueAt), asc(petitions.id))
    .limit(500)
  return rows.map(({ p, villageName }) => ({
    id: p.id,
    villageId: p.villageId,
    villageName,
    kind: p.kind,
    title: p.title,
    signatures: p.signatures,
    succeededAt: p.succeededAt!.toISOString(),
    answerDueAt: p.answerDueAt!.toISOString(),
  }))
}
