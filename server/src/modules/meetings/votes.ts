import { createHash, randomInt } from 'node:crypto'
import {
  type BallotReceipt,
  ErrorCode,
  type ReceiptPage,
  type ReceiptPageQuery,
  type VoteResult,
} from '@liren/shared/contracts'
import {
  type CountingPointKind,
  type Electorate,
  type Quorum,
  boxVoidReason,
  dateTimeWords,
  earliestStart,
  meetingIsLive,
  quorumOf,
  tallyWith,
  unitOf,
  validChoices,
} from '@liren/shared/rules'
import { and, asc, eq, gt, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { affectedRows, isDuplicateKey, transaction, type Db, type Executor } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { photoUrls } from '../../core/photos.js'
import { awardLater, releaseAwards } from '../points/index.js'
import { findVote, lockMeeting, notifyRoll, voteNotFound } from './access.js'
import { latestTallies, signedInAt } from './offline-tally.js'
import { cancelInPerson, checkProxyBallot } from './proxies.js'
import { getMeetingSettings } from './settings.js'
import {
  ballotChoices,
  ballots,
  meetingCountingPoints,
  type meetings,
  type PointResult,
  voteOptions,
  voteVoters,
  votes,
} from './tables.js'

type MeetingRow = typeof meetings.$inferSelect

const notOpen = () => conflict(ErrorCode.VOTE_NOT_OPEN, '这项表决现在不能投票（还没开始或已经结束）')

/** The committee opens a vote once its meeting has been announced. */
export async function openVote(
  db: Db,
  actor: Actor,
  villageId: number,
  voteId: number,
  now = new Date(),
): Promise<void> {
  await transaction(db, async (tx) => {
    const { vote, meeting: found } = await findVote(tx, villageId, voteId, true)
    // Locked: a postponement or a cancellation waits for this, or this for them.
    const meeting = await lockMeeting(tx, found.id)
    if (!meetingIsLive(meeting.state)) throw conflict(ErrorCode.MEETING_STATE, '会议通知以后、散会以前才能开始表决')
    if (now < earliestStart(meeting.startsAt, await getMeetingSettings(tx, villageId)))
      throw conflict(ErrorCode.TOO_EARLY, `还没到开会时间（${dateTimeWords(meeting.startsAt)}），不能提前开始表决`)
    const res = await tx
      .update(votes)
      .set({ state: 'open', openedAt: now })
      .where(and(eq(votes.id, vote.id), eq(votes.state, 'draft')))
    if (affectedRows(res) !== 1) throw conflict(ErrorCode.VOTE_NOT_OPEN, '这项表决已经开始过了')
    if (meeting.online)
      await notifyRoll(
        tx,
        villageId,
        meeting.id,
        `开始表决：${vote.question}`,
        '可以在手机上投票了，每人一票，投了不能改',
      )
    await audit(tx, actor, { villageId, action: 'vote.opened', entity: 'vote', entityId: vote.id })
  })
}

/** Receipt codes: 12 characters a person can read out (no 0/O, 1/I), as XXXX-XXXX-XXXX. */
const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
function newReceiptCode(): string {
  const chars = Array.from({ length: 12 }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]!)
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`
}
export const receiptHash = (code: string) => createHash('sha256').update(code).digest('hex')

interface BallotContext {
  meetingId: number
  state: string
  secret: number
  maxChoices: number
  electorate: Electorate
  question: string
  online: number
  options: string | null
  personId: number | null
  householdId: number | null
  adult: number | null
  representative: number | null
}

/**
 * A member casts their one ballot online — or, holding a principal's written authorisation for the
 * meeting (委托投票), the principal's ballot (`onBehalfOf`), separately for each principal. One locking
 * read holds the vote shared (so a close waits for this ballot) and brings its meeting, options and the
 * voter's row on the roll. The voters' list gets the voting unit (the person, or their household) — its
 * primary key refuses a second ballot, whatever arrives at once — and the ballot box gets the choices under the hash of a fresh receipt code; a secret
 * ballot carries no person, and neither row has a time. A proxy's ballot puts the principal's unit on the
 * list as `proxy`; a member voting themself ends any authorisation they gave (they act in person), before
 * their unit joins the list, in the order a proxy's ballot takes the same rows: whichever comes first
 * decides — the principal's own vote cancels the authorisation, or the proxy's ballot means the unit has
 * voted and the principal's own is refused as a second one. The voters' list is the record of who voted
 * (there is no audit row per ballot, which would only add a time). Voting earns the vote rule's points
 * once, queued so that thousands voting at once do not wait on the village's points account, and held
 * until the close, so the points are paid in person order, not in the order people voted.
 */
export async function castBallot(
  db: Db,
  _actor: Actor,
  villageId: number,
  voteId: number,
  callerPersonId: number,
  choices: number[],
  onBehalfOf?: number,
): Promise<BallotReceipt> {
  // The voter: the caller, or the principal a proxy votes for.
  const personId = onBehalfOf ?? callerPersonId
  const byProxy = onBehalfOf !== undefined
  try {
    return await transaction(
      db,
      async (tx) => {
        const [[v]] = (await tx.execute(sql`
        SELECT m.id AS meetingId, v.state, v.secret, v.max_choices AS maxChoices, v.electorate, v.question, m.online,
               (SELECT GROUP_CONCAT(o.id) FROM vote_options o WHERE o.vote_id = v.id) AS options,
               r.person_id AS personId, r.household_id AS householdId, r.adult, r.representative
        FROM votes v
        JOIN meetings m ON m.id = v.meeting_id AND m.village_id = ${villageId} AND m.state <> 'draft'
        LEFT JOIN meeting_roll r ON r.meeting_id = m.id AND r.person_id = ${personId}
        WHERE v.id = ${voteId}
        LOCK IN SHARE MODE`)) as unknown as [BallotContext[]]
        if (!v) throw voteNotFound()
        if (v.state !== 'open') throw notOpen()
        if (!v.online) throw conflict(ErrorCode.VOTE_NOT_OPEN, '这项表决只在会场投票，不能在手机上投')
        const optionIds = (v.options ?? '').split(',').filter(Boolean).map(Number)
        if (!validChoices(optionIds, choices, v.maxChoices)) {
          const message = choices.length > v.maxChoices ? `最多只能选 ${v.maxChoices} 项` : '选的不是这项表决的选项'
          throw new AppError(400, ErrorCode.INVALID_CHOICES, message, [{ field: 'choices', message }])
        }
        const meetingId = Number(v.meetingId)
        if (byProxy) {
          if (personId === callerPersonId)
            throw new AppError(400, ErrorCode.VALIDATION_FAILED, '给自己投票不用委托', [
              { field: 'onBehalfOf', message: '是您自己' },
            ])
          await checkProxyBallot(tx, meetingId, personId, callerPersonId)
        }
        const eligible = v.personId !== null && (v.electorate === 'representatives' ? v.representative : v.adult)
        if (!eligible)
          throw new AppError(
            403,
            ErrorCode.NOT_ON_ROLL,
            byProxy
              ? '委托人不在这项表决的名单上'
              : v.electorate === 'representatives'
                ? '这项表决由代表投票，您不在代表名单上'
                : '您不在这次会议的表决名单上',
          )
        if (!byProxy) await cancelInPerson(tx, meetingId, personId)
        const householdId = Number(v.householdId)
        await tx.insert(voteVoters).values({
          voteId,
          unitId: unitOf({ personId, householdId }, v.electorate),
          personId,
          householdId,
          channel: byProxy ? 'proxy' : 'online',
        })
        const receiptCode = newReceiptCode()
        const hash = receiptHash(receiptCode)
        await tx.insert(ballots).values({ receiptHash: hash, voteId, personId: v.secret ? null : personId })
        await tx.insert(ballotChoices).values(choices.map((optionId) => ({ voteId, optionId, receiptHash: hash })))
        await awardLater(tx, {
          villageId,
          personId,
          ruleCode: 'vote',
          reason: `参与表决：${v.question}`,
          ref: { type: 'vote', id: voteId },
          key: `vote:${voteId}:${personId}`,
        })
        return { receiptCode }
      },
      { readCommitted: true },
    )
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY')) {
      const { vote, meeting } = await findVote(db, villageId, voteId, false)
      // Refused as a second ballot, the principal still came in person: their authorisation ends all the same.
      if (!byProxy) await cancelInPerson(db, meeting.id, personId)
      const households = vote.electorate === 'households'
      throw conflict(
        ErrorCode.ALREADY_VOTED,
        byProxy
          ? households
            ? '委托人家已经投过票了（每户一票）'
            : '委托人已经投过票了（本人投的或已经代投过），每人只能投一次'
          : households
            ? '您家已经投过票了（每户一票）'
            : '您已经投过票了，每人只能投一次',
      )
    }
    throw err
  }
}

/** Ballots per option and ballots in all, counted by the database from its indexes. */
async function countBallots(
  tx: Executor,
  voteId: number,
): Promise<{ perOption: Map<number, number>; ballots: number }> {
  const [perOption, total] = await Promise.all([
    tx
      .select({ optionId: ballotChoices.optionId, n: sql<number>`COUNT(*)` })
      .from(ballotChoices)
      .where(eq(ballotChoices.voteId, voteId))
      .groupBy(ballotChoices.optionId),
    tx
      .select({ n: sql<number>`COUNT(*)` })
      .from(ballots)
      .where(eq(ballots.voteId, voteId)),
  ])
  return {
    perOption: new Map(perOption.map((r) => [Number(r.optionId), Number(r.n)])),
    ballots: Number(total[0]?.n ?? 0),
  }
}

/**
 * What the quorum counts for a vote: the roll's counts were fixed when the meeting was announced, and
 * every row of the voters' list is one eligible unit that took part (any channel; a void box's voters
 * left out), with its household — two index scans of the voters' list, decided by the shared rule.
 */
async function voteQuorum(
  tx: Executor,
  meeting: MeetingRow,
  electorate: Electorate,
  voteId: number,
  voidPoints: { id: number; kind: CountingPointKind }[],
): Promise<Quorum> {
  // The voters of a void box took part in nothing that counts: their box's ballots are not counted.
  const voided = voidPoints.length
    ? sql`AND NOT (vv.channel = 'offline' AND EXISTS (SELECT 1 FROM meeting_attendance a
        WHERE a.meeting_id = ${meeting.id} AND a.person_id = vv.person_id AND (${sql.join(
          voidPoints.map((p) => signedInAt(p)),
          sql` OR `,
        )})))`
    : sql``
  const [[row]] = (await tx.execute(sql`
    SELECT COUNT(*) AS present, COUNT(DISTINCT vv.household_id) AS presentHouseholds
    FROM vote_voters vv WHERE vv.vote_id = ${voteId} ${voided}`)) as unknown as [
    [{ present: number | string; presentHouseholds: number | string }],
  ]
  const eligible =
    electorate === 'adults'
      ? meeting.rollAdults
      : electorate === 'representatives'
        ? meeting.rollRepresentatives
        : meeting.rollHouseholds
  return quorumOf(meeting.kind, electorate, {
    eligible: eligible ?? 0,
    present: Number(row.present),
    households: meeting.rollHouseholds ?? 0,
    presentHouseholds: Number(row.presentHouseholds),
  })
}

/**
 * The committee closes a vote: no ballot after this; the tally is computed by the shared rule and kept.
 * The conditional update comes first, before any read: it waits for the ballots in flight (they hold the
 * vote row shared), and only then does the transaction take its snapshot, so the count sees every one.
 */
export async function closeVote(
  db: Db,
  actor: Actor,
  villageId: number,
  voteId: number,
  now = new Date(),
): Promise<VoteResult> {
  await transaction(db, async (tx) => {
    const res = await tx.execute(sql`
      UPDATE votes v JOIN meetings m ON m.id = v.meeting_id
      SET v.state = 'closed', v.closed_at = ${now}
      WHERE v.id = ${voteId} AND m.village_id = ${villageId} AND v.state = 'open'`)
    const { vote, meeting } = await findVote(tx, villageId, voteId, true)
    if (affectedRows(res) !== 1) throw notOpen()
    // A vote ends no earlier than its meeting starts: no result can read as decided before the meeting.
    if (now < meeting.startsAt)
      throw conflict(ErrorCode.TOO_EARLY, `会议${dateTimeWords(meeting.startsAt)}才开始，表决不能在开会以前结束`)
    const boxes = await latestTallies(tx, vote.id)
    const points = await tx.select().from(meetingCountingPoints).where(eq(meetingCountingPoints.meetingId, meeting.id))
    const pointOf = (id: number) => points.find((p) => p.id === id)!
    const unconfirmed = boxes.find((b) => b.counterConfirmedAt === null || b.scrutineerConfirmedAt === null)
    if (unconfirmed) {
      throw conflict(
        ErrorCode.OFFLINE_UNCONFIRMED,
        `${pointOf(unconfirmed.countingPointId).name}的票数还要计票人和监票人都确认后，才能结束表决`,
      )
    }
    const voidPoints = boxes.filter((b) => b.void).map((b) => pointOf(b.countingPointId))
    const [q, options, online, [proxied]] = await Promise.all([
      voteQuorum(tx, meeting, vote.electorate, vote.id, voidPoints),
      tx
        .select({ id: voteOptions.id, label: voteOptions.label, kind: voteOptions.kind })
        .from(voteOptions)
        .where(eq(voteOptions.voteId, vote.id))
        .orderBy(asc(voteOptions.position)),
      countBallots(tx, vote.id),
      tx
        .select({ n: sql<number>`COUNT(*)` })
        .from(voteVoters)
        .where(and(eq(voteVoters.voteId, vote.id), eq(voteVoters.channel, 'proxy'))),
    ])
    // Online ballots plus each counting point's confirmed counts, void boxes left out; the voters' list
    // holds every channel, each unit once.
    const counts = new Map(online.perOption)
    for (const box of boxes.filter((b) => !b.void))
      for (const c of box.counts) counts.set(c.optionId, (counts.get(c.optionId) ?? 0) + c.count)
    const result = tallyWith(q, { passRule: vote.passRule, maxChoices: vote.maxChoices, options, counts })
    const pointResults: PointResult[] = boxes.map((b) => {
      const p = pointOf(b.countingPointId)
      return {
        countingPointId: p.id,
        name: p.name,
        kind: p.kind,
        eligible: b.ballots,
        ballotsCast: b.ballotsCast,
        counts: b.counts,
        counted: !b.void,
        void: b.void,
        photoKey: b.photoKey,
      }
    })
    await tx
      .update(votes)
      .set({
        result: {
          ...result,
          receiptCount: online.ballots,
          proxyBallots: Number(proxied?.n ?? 0),
          points: pointResults,
        },
      })
      .where(eq(votes.id, vote.id))
    await releaseAwards(tx, { type: 'vote', id: vote.id })
    await audit(tx, actor, {
      villageId,
      action: 'vote.closed',
      entity: 'vote',
      entityId: vote.id,
      data: {
        outcome: result.outcome,
        participants: result.participants,
        voidPoints: voidPoints.map((p) => p.id),
      },
    })
  })
  return voteResult(db, villageId, voteId)
}

/** The published result of a closed vote, with the receipt hashes in the box. Hidden until the vote closes. */
export async function voteResult(db: Executor, villageId: number, voteId: number): Promise<VoteResult> {
  const { vote } = await findVote(db, villageId, voteId, false)
  if (vote.state !== 'closed' || !vote.result || !vote.closedAt)
    throw conflict(ErrorCode.RESULTS_HIDDEN, '表决结束以后才公布结果')
  const r = vote.result
  return {
    voteId: vote.id,
    question: vote.question,
    electorate: vote.electorate,
    outcome: r.outcome,
    eligible: r.quorum.eligible,
    participants: r.participants,
    quorumMet: r.quorum.met,
    quorumRule: r.quorum.rule,
    passRule: vote.passRule,
    counts: r.counts,
    adopted: r.adopted,
    closedAt: vote.closedAt.toISOString(),
    receiptCount: r.receiptCount,
    proxyBallots: r.proxyBallots ?? 0,
    countingPoints: (r.points ?? []).map((p) => ({
      countingPointId: p.countingPointId,
      name: p.name,
      kind: p.kind,
      eligible: p.eligible,
      ballotsCast: p.ballotsCast,
      counts: p.counts,
      counted: p.counted,
      void: p.void,
      voidReason: p.void ? boxVoidReason(p.ballotsCast ?? 0, p.eligible) : null,
      photo: p.photoKey ? photoUrls(p.photoKey) : null,
    })),
  }
}

/** The published receipt hashes of a closed vote, sorted, a page at a time (`after` the last of the page before). */
export async function receiptPage(
  db: Executor,
  villageId: number,
  voteId: number,
  q: ReceiptPageQuery,
): Promise<ReceiptPage> {
  const { vote } = await findVote(db, villageId, voteId, false)
  if (vote.state !== 'closed') throw conflict(ErrorCode.RESULTS_HIDDEN, '表决结束以后才公布回执')
  const rows = await db
    .select({ h: ballots.receiptHash })
    .from(ballots)
    .where(and(eq(ballots.voteId, vote.id), q.after ? gt(ballots.receiptHash, q.after) : undefined))
    .orderBy(asc(ballots.receiptHash))
    .limit(q.limit + 1)
  const hashes = rows.slice(0, q.limit).map((r) => r.h)
  return { hashes, next: rows.length > q.limit ? hashes[hashes.length - 1]! : null }
}

/** Whether a receipt code's ballot is in the box: the voter checks without anyone seeing the choice. */
export async function checkReceipt(
  db: Executor,
  villageId: number,
  voteId: number,
  code: string,
): Promise<{ counted: boolean }> {
  const { vote } = await findVote(db, villageId, voteId, false)
  const [found] = await db
    .select({ h: ballots.receiptHash })
    .from(ballots)
    .where(and(eq(ballots.voteId, vote.id), eq(ballots.receiptHash, receiptHash(code))))
  return { counted: found !== undefined }
}
