import { sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { findMemberships, identityTables } from '../identity/index.js'
import { eq } from 'drizzle-orm'

type Row = Record<string, unknown>

async function rows(db: Executor, query: SQL): Promise<Row[]> {
  const [result] = (await db.execute(query)) as unknown as [Row[]]
  return result
}
const ids = (values: number[]) =>
  values.length
    ? sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )
    : sql`NULL`

/**
 * 我的数据: everything Liren holds about the caller — account, consents, memberships, the roster record
 * they are linked to, reports, supports, comments, topics, ratings, points (accounts, entries, orders,
 * activities, services), meetings attended and votes taken part in, open ballots, and their inbox.
 * Secret ballots are not in it: nothing links them to anyone. Other people appear by no name.
 */
export async function exportMyData(db: Executor, secrets: Secrets, userId: number, now = new Date()) {
  const memberships = await findMemberships(db, secrets, eq(identityTables.memberships.userId, userId))
  const personIds = memberships.flatMap((m) => (m.personId === null ? [] : [m.personId]))
  const p = ids(personIds)
  const [account] = await rows(
    db,
    sql`SELECT id, created_at AS createdAt, last_login_at AS lastLoginAt FROM users WHERE id = ${userId}`,
  )
  const accounts = await rows(
    db,
    sql`SELECT id, village_id AS villageId, balance, lifetime_earned AS lifetimeEarned, lifetime_penalty AS lifetimePenalty FROM point_accounts WHERE person_id IN (${p})`,
  )
  const a = ids(accounts.map((r) => Number(r.id)))
  const [
    consents,
    roster,
    reports,
    supports,
    comments,
    topics,
    topicSupports,
    ratings,
    entries,
    orders,
    signups,
    services,
    attendance,
    voted,
    openBallots,
    inbox,
  ] = await Promise.all([
    rows(
      db,
      sql`SELECT version, accepted_at AS acceptedAt FROM privacy_consents WHERE user_id = ${userId} ORDER BY accepted_at`,
    ),
    rows(
      db,
      sql`
      SELECT p.id, p.village_id AS villageId, p.name, p.gender, p.birth_date AS birthDate, p.relation, p.status, p.representative, p.party_member AS partyMember,
             h.number AS householdNumber, h.address AS householdAddress
      FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id IN (${p})`,
    ),
    rows(
      db,
      sql`
      SELECT id, village_id AS villageId, category, description, address, latitude, longitude, urgency, state, anonymous, is_public AS isPublic,
             rating, rating_comment AS ratingComment, created_at AS createdAt, closed_at AS closedAt, purged_at AS purgedAt,
             filed_by = ${userId} AS filedByMe
      FROM reports WHERE reporter_user_id = ${userId} OR filed_by = ${userId} OR reporter_person_id IN (${p}) ORDER BY id`,
    ),
    rows(
      db,
      sql`SELECT s.report_id AS reportId, r.category, s.created_at AS createdAt FROM report_supports s JOIN reports r ON r.id = s.report_id WHERE s.user_id = ${userId} ORDER BY s.created_at`,
    ),
    rows(
      db,
      sql`SELECT id, meeting_id AS meetingId, agenda_item_id AS agendaItemId, body, held, hidden_reason AS hiddenReason, created_at AS createdAt FROM agenda_comments WHERE user_id = ${userId} ORDER BY id`,
    ),
    rows(
      db,
      sql`SELECT id, village_id AS villageId, title, description, state, supporters, decline_reason AS declineReason, created_at AS createdAt FROM topics WHERE proposer_user_id = ${userId} ORDER BY id`,
    ),
    rows(
      db,
      sql`SELECT s.topic_id AS topicId, t.title, s.created_at AS createdAt FROM topic_supports s JOIN topics t ON t.id = s.topic_id WHERE s.person_id IN (${p}) ORDER BY s.created_at`,
    ),
    rows(
      db,
      sql`SELECT r.matter_id AS matterId, m.title, r.rating, r.comment, r.created_at AS createdAt FROM matter_ratings r JOIN matters m ON m.id = r.matter_id WHERE r.person_id IN (${p})`,
    ),
    rows(
      db,
      sql`
      SELECT id, CAST(IF(to_account_id IN (${a}), amount, -CAST(amount AS SIGNED)) AS SIGNED) AS points, kind, reason, created_at AS createdAt
      FROM point_entries WHERE from_account_id IN (${a}) OR to_account_id IN (${a}) ORDER BY id`,
    ),
    rows(
      db,
      sql`SELECT o.id, i.name AS item, o.quantity, o.cost, o.status, o.created_at AS createdAt, o.closed_at AS closedAt FROM shop_orders o JOIN shop_items i ON i.id = o.item_id WHERE o.person_id IN (${p}) ORDER BY o.id`,
    ),
    rows(
      db,
      sql`SELECT s.activity_id AS activityId, a.title, s.status, s.checked_in_at AS checkedInAt, s.checked_out_at AS checkedOutAt, s.confirmed_minutes AS confirmedMinutes FROM activity_signups s JOIN activities a ON a.id = s.activity_id WHERE s.person_id IN (${p})`,
    ),
    rows(
      db,
      sql`SELECT id, kind, title, description, points, status, poster_person_id IN (${p}) AS postedByMe, created_at AS createdAt FROM neighbour_services WHERE poster_person_id IN (${p}) OR taker_person_id IN (${p})`,
    ),
    rows(
      db,
      sql`SELECT a.meeting_id AS meetingId, m.title, m.starts_at AS startsAt, a.created_at AS checkedInAt FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id WHERE a.person_id IN (${p})`,
    ),
    rows(
      db,
      sql`SELECT v.vote_id AS voteId, vo.question, v.channel FROM vote_voters v JOIN votes vo ON vo.id = v.vote_id WHERE v.person_id IN (${p})`,
    ),
    // Open (记名) ballots name their voter; secret ones do not and cannot be here.
    rows(
      db,
      sql`
      SELECT b.vote_id AS voteId, vo.question, GROUP_CONCAT(o.label ORDER BY o.position SEPARATOR '、') AS choices
      FROM ballots b JOIN votes vo ON vo.id = b.vote_id JOIN ballot_choices c ON c.receipt_hash = b.receipt_hash JOIN vote_options o ON o.id = c.option_id
      WHERE b.person_id IN (${p}) GROUP BY b.vote_id, vo.question`,
    ),
    rows(
      db,
      sql`SELECT id, village_id AS villageId, title, body, read_at AS readAt, created_at AS createdAt FROM notifications WHERE user_id = ${userId} ORDER BY id`,
    ),
  ])
  return {
    exportedAt: now.toISOString(),
    about: '里仁保存的您的全部个人信息（无记名投票不和任何人关联，所以不在其中）',
    account,
    privacyConsents: consents,
    memberships,
    rosterRecords: roster,
    reports,
    reportSupports: supports,
    agendaComments: comments,
    topics,
    topicSupports,
    matterRatings: ratings,
    points: { accounts, entries, shopOrders: orders, activities: signups, neighbourServices: services },
    meetingAttendance: attendance,
    votesTakenPart: voted,
    openBallots,
    notifications: inbox,
  }
}
