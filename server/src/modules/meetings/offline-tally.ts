import { ErrorCode, type OfflineTally, type OfflineTallyBody } from '@liren/shared/contracts'
import { boxCountsProblem, boxVoid, can, shownName } from '@liren/shared/rules'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { affectedRows, transaction, type Db, type Executor } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { attachPhotos, photoUrls } from '../../core/photos.js'
import { identityTables, type VillageMember } from '../identity/index.js'
import { awardLater } from '../points/index.js'
import { findVote, lockedVoteState } from './access.js'
import { type CountingPointRow, findPoint, mainVenue, pointTellers } from './counting-points.js'
import { offlineTallies, voteOptions } from './tables.js'

const { memberships } = identityTables
type TallyRow = typeof offlineTallies.$inferSelect

const notOpen = () => conflict(ErrorCode.VOTE_NOT_OPEN, '表决进行中才能录入或确认现场票数')

/** The latest counts of a counting point's box for a vote (the ones that count), if any. */
export async function latestTally(db: Executor, voteId: number, pointId: number): Promise<TallyRow | undefined> {
  const [row] = await db
    .select()
    .from(offlineTallies)
    .where(and(eq(offlineTallies.voteId, voteId), eq(offlineTallies.countingPointId, pointId)))
    .orderBy(desc(offlineTallies.id))
    .limit(1)
  return row
}

/** The latest counts of each counting point that has entered any for a vote: a later row corrects an earlier one. */
export async function latestTallies(db: Executor, voteId: number): Promise<TallyRow[]> {
  const rows = await db
    .select()
    .from(offlineTallies)
    .where(eq(offlineTallies.voteId, voteId))
    .orderBy(offlineTallies.id)
  return [...new Map(rows.map((r) => [r.countingPointId, r])).values()]
}

/**
 * Who signed in at a point, as SQL on meeting_attendance `a`: the 主会场's are those signed in without
 * a point (at the venue's code, or by the committee).
 */
export const signedInAt = (point: Pick<CountingPointRow, 'id' | 'kind'>) =>
  point.kind === 'venue' ? sql`a.counting_point_id IS NULL` : sql`a.counting_point_id = ${point.id}`

/**
 * Tallies as shown: the tellers by name (in full for the committee and for the teller themself, masked
 * for other villagers), and whether each has confirmed.
 */
export async function tallyViews(
  db: Executor,
  rows: TallyRow[],
  viewer: { committee: boolean; membershipId: number | null },
): Promise<Map<number, OfflineTally>> {
  // Keyed by the tally's id.
  const ids = [...new Set(rows.flatMap((r) => [r.counterMembershipId, r.scrutineerMembershipId]))]
  const names = ids.length
    ? await db
        .select({ id: memberships.id, name: memberships.realName })
        .from(memberships)
        .where(inArray(memberships.id, ids))
    : []
  const name = (id: number) =>
    shownName(names.find((n) => n.id === id)?.name ?? '', viewer.committee || id === viewer.membershipId)
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        ballots: r.ballots,
        counts: r.counts,
        counter: {
          membershipId: r.counterMembershipId,
          name: name(r.counterMembershipId),
          confirmed: r.counterConfirmedAt !== null,
        },
        scrutineer: {
          membershipId: r.scrutineerMembershipId,
          name: name(r.scrutineerMembershipId),
          confirmed: r.scrutineerConfirmedAt !== null,
        },
        reason: r.reason,
        createdAt: r.createdAt.toISOString(),
        countingPointId: r.countingPointId,
        ballotsCast: r.ballotsCast,
        void: r.void,
        photo: r.photoKey ? photoUrls(r.photoKey) : null,
      },
    ]),
  )
}

/**
 * The committee enters the counts of a counting point's box (the 主会场 unless one is named) while the
 * vote is open. Everyone signed in at that point who is on the vote's roll and has not voted (online, by
 * proxy, or at another point) joins the voters' list as a venue voter (the primary key keeps anyone from
 * counting twice, and from voting online afterwards). With the ballots the box held given, a box holding
 * more than those voters is kept but void (not counted, and the result says why); without, counts beyond
 * them are refused. Two different verified members are named as tellers (at a 流动票箱 or 分会场, two of
 * its own tellers); both confirm later.
 */
export async function enterOfflineTally(
  db: Db,
  actor: Actor,
  villageId: number,
  voteId: number,
  body: OfflineTallyBody,
): Promise<OfflineTally> {
  const id = await transaction(
    db,
    async (tx) => {
      const { vote, meeting } = await findVote(tx, villageId, voteId, true)
      if ((await lockedVoteState(tx, vote.id)) !== 'open') throw notOpen()
      const point = body.countingPointId
        ? await findPoint(tx, meeting.id, body.countingPointId)
        : await mainVenue(tx, meeting.id)

      const options = (
        await tx.select({ id: voteOptions.id }).from(voteOptions).where(eq(voteOptions.voteId, vote.id))
      ).map((o) => o.id)
      const given = body.counts.map((c) => c.optionId)
      if (new Set(given).size !== given.length || given.some((o) => !options.includes(o))) {
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, '票数里有不是这项表决的选项', [
          { field: 'counts', message: '选项不对' },
        ])
      }
      if (body.counterMembershipId === body.scrutineerMembershipId) {
        throw new AppError(400, ErrorCode.TELLER_INVALID, '计票人和监票人要是两个不同的人', [
          { field: 'scrutineerMembershipId', message: '和计票人是同一个人' },
        ])
      }
      const tellers = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            inArray(memberships.id, [body.counterMembershipId, body.scrutineerMembershipId]),
            eq(memberships.villageId, villageId),
            eq(memberships.status, 'verified'),
          ),
        )
      for (const field of ['counterMembershipId', 'scrutineerMembershipId'] as const) {
        if (!tellers.some((t) => t.id === body[field]))
          throw new AppError(400, ErrorCode.TELLER_INVALID, '计票人、监票人要是本村（社区）已认证的成员', [
            { field, message: '不是本村已认证的成员' },
          ])
      }
      if (point.kind !== 'venue') {
        const own = await pointTellers(tx, point.id)
        for (const field of ['counterMembershipId', 'scrutineerMembershipId'] as const) {
          if (!own.includes(body[field]))
            throw new AppError(400, ErrorCode.TELLER_INVALID, `计票人、监票人要是${point.name}登记的计票人、监票人`, [
              { field, message: `不是${point.name}的计票人、监票人` },
            ])
        }
      }
      if (body.ballotsCast !== undefined) {
        const problem = boxCountsProblem(body.counts, body.ballotsCast, vote.maxChoices)
        if (problem)
          throw new AppError(400, ErrorCode.VALIDATION_FAILED, problem, [{ field: 'counts', message: problem }])
      }
      if (body.photoKey) await attachPhotos(tx, [body.photoKey], 'photoKey')
      const previous = await latestTally(tx, vote.id, point.id)
      if (previous && !body.reason?.trim())
        throw new AppError(400, ErrorCode.VALIDATION_FAILED, '更正现场票数要写明原因', [
          { field: 'reason', message: '请写明更正原因' },
        ])

      // The point's voters: signed in there, eligible for this vote, and not on the voters' list yet.
      const eligible = vote.electorate === 'representatives' ? sql`r.representative = 1` : sql`r.adult = 1`
      const unit = vote.electorate === 'households' ? sql`r.household_id` : sql`r.person_id`
      await tx.execute(sql`
      INSERT INTO vote_voters (vote_id, unit_id, person_id, household_id, channel)
      SELECT ${vote.id}, ${unit}, r.person_id, r.household_id, 'offline'
      FROM meeting_attendance a JOIN meeting_roll r ON r.meeting_id = a.meeting_id AND r.person_id = a.person_id
      WHERE a.meeting_id = ${meeting.id} AND ${signedInAt(point)} AND ${eligible}
      ON DUPLICATE KEY UPDATE vote_id = vote_voters.vote_id`)
      const [venue] = (await tx.execute(sql`
      SELECT vv.person_id AS personId FROM vote_voters vv
      JOIN meeting_attendance a ON a.meeting_id = ${meeting.id} AND a.person_id = vv.person_id
      WHERE vv.vote_id = ${vote.id} AND vv.channel = 'offline' AND ${signedInAt(point)}`)) as unknown as [
        { personId: number }[],
      ]
      const ballots = venue.length
      const total = body.counts.reduce((s, c) => s + c.count, 0)
      const isVoid = body.ballotsCast !== undefined && boxVoid(body.ballotsCast, ballots)
      if (
        body.ballotsCast === undefined &&
        (body.counts.some((c) => c.count > ballots) || total > ballots * vote.maxChoices)
      ) {
        throw new AppError(
          400,
          ErrorCode.OFFLINE_EXCEEDS_ROLL,
          `${point.name}能投票的只有 ${ballots} 人（在这里签到、在名单上、没有在手机上投过），票数不能超过`,
          [{ field: 'counts', message: `最多 ${ballots} 票` }],
        )
      }
      const [{ id: tallyId }] = (await tx
        .insert(offlineTallies)
        .values({
          voteId: vote.id,
          countingPointId: point.id,
          ballots,
          ballotsCast: body.ballotsCast ?? null,
          void: isVoid,
          photoKey: body.photoKey ?? null,
          counts: body.counts,
          counterMembershipId: body.counterMembershipId,
          scrutineerMembershipId: body.scrutineerMembershipId,
          reason: body.reason?.trim() || null,
          createdBy: actor.userId,
        })
        .$returningId()) as [{ id: number }]
      // Queued like an online ballot's points (the same key), so the ledger shows no venue turnout before the close.
      for (const { personId } of venue.map((p) => ({ personId: Number(p.personId) }))) {
        await awardLater(tx, {
          villageId,
          personId,
          ruleCode: 'vote',
          reason: `参与表决：${vote.question}`,
          ref: { type: 'vote', id: vote.id },
          key: `vote:${vote.id}:${personId}`,
        })
      }
      await audit(tx, actor, {
        villageId,
        action: previous ? 'vote.offline_corrected' : 'vote.offline_entered',
        entity: 'vote',
        entityId: vote.id,
        data: {
          tallyId,
          countingPointId: point.id,
          ballots,
          ballotsCast: body.ballotsCast ?? null,
          void: isVoid,
          counts: body.counts,
          reason: body.reason ?? null,
        },
      })
      return tallyId
    },
    { readCommitted: true },
  )
  const [row] = await db.select().from(offlineTallies).where(eq(offlineTallies.id, id))
  return (await tallyViews(db, [row!], { committee: true, membershipId: null })).get(id)!
}

/** A named teller confirms the latest counts of their point's box, once. */
export async function confirmOfflineTally(
  db: Db,
  actor: Actor,
  member: VillageMember,
  villageId: number,
  voteId: number,
  tallyId: number,
  now = new Date(),
): Promise<OfflineTally> {
  await transaction(db, async (tx) => {
    const { vote } = await findVote(tx, villageId, voteId, false)
    if (vote.state !== 'open') throw notOpen()
    const [tally] = await tx
      .select({ pointId: offlineTallies.countingPointId })
      .from(offlineTallies)
      .where(and(eq(offlineTallies.id, tallyId), eq(offlineTallies.voteId, vote.id)))
    const latest = tally ? await latestTally(tx, vote.id, tally.pointId) : undefined
    if (!latest || latest.id !== tallyId)
      throw new AppError(404, ErrorCode.NOT_FOUND, '这不是最新的现场票数，请刷新', [
        { field: 'tallyId', message: '不是最新的' },
      ])
    const role =
      latest.counterMembershipId === member.membershipId
        ? 'counter'
        : latest.scrutineerMembershipId === member.membershipId
          ? 'scrutineer'
          : null
    if (!role) throw new AppError(403, ErrorCode.TELLER_INVALID, '只有这次的计票人、监票人本人能确认')
    const column = role === 'counter' ? offlineTallies.counterConfirmedAt : offlineTallies.scrutineerConfirmedAt
    const res = await tx
      .update(offlineTallies)
      .set(role === 'counter' ? { counterConfirmedAt: now } : { scrutineerConfirmedAt: now })
      .where(and(eq(offlineTallies.id, latest.id), sql`${column} IS NULL`))
    if (affectedRows(res) !== 1) throw conflict(ErrorCode.ALREADY_CONFIRMED, '您已经确认过了')
    await audit(tx, actor, {
      villageId,
      action: 'vote.offline_confirmed',
      entity: 'vote',
      entityId: vote.id,
      data: { tallyId, role },
    })
  })
  const [row] = await db.select().from(offlineTallies).where(eq(offlineTallies.id, tallyId))
  return (
    await tallyViews(db, [row!], { committee: can(member, 'meetings.manage'), membershipId: member.membershipId })
  ).get(tallyId)!
}
