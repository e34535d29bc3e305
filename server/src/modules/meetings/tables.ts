import { sql } from 'drizzle-orm'
import {
  boolean,
  char,
  check,
  foreignKey,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import {
  COUNTING_POINT_KINDS,
  ELECTORATES,
  MATTER_STAGES,
  MEETING_KINDS,
  MEETING_STATES,
  OPTION_KINDS,
  PASS_RULES,
  PETITION_KINDS,
  RATINGS,
  type Tally,
} from '@liren/shared/rules'
import { createdAt, fk, id, pairKey, photos, ref, when, whenInserted } from '../../core/tables.js'
import { identityTables } from '../identity/index.js'

const { households, memberships, persons, users, villages } = identityTables

/** A counting point's box as kept with a closed vote's result. */
export interface PointResult {
  countingPointId: number
  name: string
  kind: (typeof COUNTING_POINT_KINDS)[number]
  eligible: number
  ballotsCast: number | null
  counts: { optionId: number; count: number }[]
  counted: boolean
  void: boolean
  photoKey: string | null
}

/** A village meeting (村民会议, 村民代表会议, 议事协商会) and where it is in its life. */
export const meetings = mysqlTable(
  'meetings',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    kind: mysqlEnum('kind', MEETING_KINDS).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    description: text('description').notNull(),
    place: varchar('place', { length: 100 }).notNull(),
    startsAt: when('starts_at').notNull(),
    /** 征求意见 closes here; null: when the meeting starts. */
    commentsCloseAt: when('comments_close_at'),
    online: boolean('online').notNull(),
    state: mysqlEnum('state', MEETING_STATES).notNull().default('draft'),
    announcedAt: when('announced_at'),
    /** The day adults are counted on (the meeting's date in China), fixed with the roll at announcement. */
    rollDate: varchar('roll_date', { length: 10 }),
    /** What the roll holds, counted once when it is frozen: adults, representatives, households with an adult. */
    rollAdults: int('roll_adults', { unsigned: true }),
    rollRepresentatives: int('roll_representatives', { unsigned: true }),
    rollHouseholds: int('roll_households', { unsigned: true }),
    /** 会议纪要: written by the committee after the close, public once published. */
    minutes: text('minutes'),
    /** 紧急: why it is announced with less notice than the rule; shown on the notice and the result. */
    urgentReason: varchar('urgent_reason', { length: 200 }),
    /** The time it was announced for before its latest postponement. */
    postponedFrom: when('postponed_from'),
    /** Why it was postponed (latest) or cancelled. */
    changeReason: varchar('change_reason', { length: 200 }),
    /** Reminders sent to the roll (the day before, an hour before), each claimed once. */
    remindedDayAt: when('reminded_day_at'),
    remindedHourAt: when('reminded_hour_at'),
    createdBy: ref('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('meetings_village_idx').on(t.villageId, t.startsAt),
    index('meetings_state_start_idx').on(t.state, t.startsAt),
    fk('meetings_village_fk', t.villageId, villages.id),
    fk('meetings_created_by_fk', t.createdBy, users.id),
  ],
)

export const agendaItems = mysqlTable(
  'agenda_items',
  {
    id: id(),
    meetingId: ref('meeting_id').notNull(),
    position: smallint('position', { unsigned: true }).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    description: text('description').notNull(),
  },
  (t) => [
    uniqueIndex('agenda_items_position_uq').on(t.meetingId, t.position),
    fk('agenda_items_meeting_fk', t.meetingId, meetings.id),
  ],
)

/**
 * The roll (应到): the roster as it stood when the meeting was announced, so who may vote is fixed at
 * notice time. Adults are counted on the meeting's date.
 */
export const meetingRoll = mysqlTable(
  'meeting_roll',
  {
    meetingId: ref('meeting_id').notNull(),
    personId: ref('person_id').notNull(),
    householdId: ref('household_id').notNull(),
    adult: boolean('adult').notNull(),
    representative: boolean('representative').notNull(),
  },
  (t) => [
    ...pairKey('meeting_roll', [t.meetingId, meetings.id], [t.personId, persons.id]),
    fk('meeting_roll_household_fk', t.householdId, households.id),
  ],
)

/**
 * Where a meeting's ballots are collected and counted: its 主会场 (made the first time it is needed), and
 * the 流动票箱 and 分会场 the committee adds. One name once per meeting.
 */
export const meetingCountingPoints = mysqlTable(
  'meeting_counting_points',
  {
    id: id(),
    meetingId: ref('meeting_id').notNull(),
    name: varchar('name', { length: 40 }).notNull(),
    kind: mysqlEnum('kind', COUNTING_POINT_KINDS).notNull(),
    createdBy: ref('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('meeting_counting_points_name_uq').on(t.meetingId, t.name),
    fk('meeting_counting_points_meeting_fk', t.meetingId, meetings.id),
    fk('meeting_counting_points_created_by_fk', t.createdBy, users.id),
  ],
)

/** The tellers (计票人、监票人) of a 流动票箱 or 分会场: two or more verified members, each once. */
export const countingPointTellers = mysqlTable(
  'counting_point_tellers',
  {
    countingPointId: ref('counting_point_id').notNull(),
    membershipId: ref('membership_id').notNull(),
  },
  (t) =>
    pairKey('counting_point_tellers', [t.countingPointId, meetingCountingPoints.id], [t.membershipId, memberships.id]),
)

/**
 * 实到: who was checked in, once each (whichever point: a second sign-in anywhere is refused), by scanning
 * at the venue or by the committee for them; where they signed in (null: the 主会场).
 */
export const meetingAttendance = mysqlTable(
  'meeting_attendance',
  {
    meetingId: ref('meeting_id').notNull(),
    personId: ref('person_id').notNull(),
    countingPointId: ref('counting_point_id'),
    recordedBy: ref('recorded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'meeting_attendance_pk', columns: [t.meetingId, t.personId] }),
    foreignKey({
      name: 'meeting_attendance_roll_fk',
      columns: [t.meetingId, t.personId],
      foreignColumns: [meetingRoll.meetingId, meetingRoll.personId],
    }),
    fk('meeting_attendance_recorded_by_fk', t.recordedBy, users.id),
    fk('meeting_attendance_point_fk', t.countingPointId, meetingCountingPoints.id),
    index('meeting_attendance_point_idx').on(t.meetingId, t.countingPointId),
  ],
)

/**
 * 委托投票: a principal's written authorisation of a proxy for one meeting, recorded by the committee with
 * a photo of the signed paper. One per principal and meeting; cancelled by the committee or by the
 * principal acting in person (checking in, voting online). A cancelled one may be replaced by the committee.
 */
export const meetingProxies = mysqlTable(
  'meeting_proxies',
  {
    meetingId: ref('meeting_id').notNull(),
    principalPersonId: ref('principal_person_id').notNull(),
    proxyPersonId: ref('proxy_person_id').notNull(),
    photoKey: char('photo_key', { length: 64 }).notNull(),
    recordedBy: ref('recorded_by').notNull(),
    createdAt: createdAt(),
    cancelledAt: when('cancelled_at'),
  },
  (t) => [
    ...pairKey('meeting_proxies', [t.meetingId, meetings.id], [t.principalPersonId, persons.id]),
    index('meeting_proxies_proxy_idx').on(t.meetingId, t.proxyPersonId),
    fk('meeting_proxies_proxy_fk', t.proxyPersonId, persons.id),
    fk('meeting_proxies_photo_fk', t.photoKey, photos.key),
    fk('meeting_proxies_recorded_by_fk', t.recordedBy, users.id),
    check('meeting_proxies_other_ck', sql`${t.principalPersonId} <> ${t.proxyPersonId}`),
  ],
)

/** A vote on an agenda item; its tally is computed once, at close, and kept as it was. */
export const votes = mysqlTable(
  'votes',
  {
    id: id(),
    meetingId: ref('meeting_id').notNull(),
    agendaItemId: ref('agenda_item_id').notNull(),
    question: varchar('question', { length: 200 }).notNull(),
    secret: boolean('secret').notNull(),
    electorate: mysqlEnum('electorate', ELECTORATES).notNull(),
    passRule: mysqlEnum('pass_rule', PASS_RULES).notNull(),
    maxChoices: smallint('max_choices', { unsigned: true }).notNull(),
    state: mysqlEnum('state', ['draft', 'open', 'closed']).notNull().default('draft'),
    openedAt: when('opened_at'),
    closedAt: when('closed_at'),
    /**
     * The tally as computed at the close, with how many ballots the online box held, how many of them a
     * proxy cast, and each counting point's box (absent in results closed before there were several).
     */
    result: json('result').$type<Tally & { receiptCount: number; proxyBallots?: number; points?: PointResult[] }>(),
  },
  (t) => [
    uniqueIndex('votes_agenda_item_uq').on(t.agendaItemId),
    index('votes_meeting_idx').on(t.meetingId),
    fk('votes_meeting_fk', t.meetingId, meetings.id),
    fk('votes_agenda_item_fk', t.agendaItemId, agendaItems.id),
    check('votes_max_choices_ck', sql`${t.maxChoices} >= 1`),
  ],
)

export const voteOptions = mysqlTable(
  'vote_options',
  {
    id: id(),
    voteId: ref('vote_id').notNull(),
    position: smallint('position', { unsigned: true }).notNull(),
    label: varchar('label', { length: 40 }).notNull(),
    kind: mysqlEnum('kind', OPTION_KINDS).notNull(),
  },
  (t) => [
    uniqueIndex('vote_options_position_uq').on(t.voteId, t.position),
    fk('vote_options_vote_fk', t.voteId, votes.id),
  ],
)

/**
 * Who has voted: one row per voting unit (a person, or a household when one votes for all), whatever
 * the channel — the primary key is what makes a second ballot impossible. No time, no choice.
 */
export const voteVoters = mysqlTable(
  'vote_voters',
  {
    voteId: ref('vote_id').notNull(),
    /** The person, or for a one-per-household vote the household. */
    unitId: ref('unit_id').notNull(),
    personId: ref('person_id').notNull(),
    /** The voter's household on the roll, so the quorum's household count needs no join. */
    householdId: ref('household_id').notNull(),
    /** Online in the app, at a counting point (counted in its tally), or by a proxy in the app (委托投票). */
    channel: mysqlEnum('channel', ['online', 'offline', 'proxy']).notNull(),
  },
  (t) => [
    ...pairKey('vote_voters', [t.voteId, votes.id], t.unitId),
    index('vote_voters_person_idx').on(t.voteId, t.personId),
    index('vote_voters_household_idx').on(t.voteId, t.householdId),
    fk('vote_voters_person_fk', t.personId, persons.id),
  ],
)

/**
 * The ballot box. Keyed by the hash of the voter's receipt code, so rows have no order that could be
 * matched with the voters' list; no time. A secret ballot has no person; an open (记名) one names its voter.
 */
export const ballots = mysqlTable(
  'ballots',
  {
    receiptHash: char('receipt_hash', { length: 64 }).primaryKey(),
    voteId: ref('vote_id').notNull(),
    personId: ref('person_id'),
  },
  (t) => [
    index('ballots_vote_idx').on(t.voteId),
    fk('ballots_vote_fk', t.voteId, votes.id),
    fk('ballots_person_fk', t.personId, persons.id),
  ],
)

/** What each ballot chose, one row per option marked: the tally is one index scan per vote. */
export const ballotChoices = mysqlTable(
  'ballot_choices',
  {
    voteId: ref('vote_id').notNull(),
    optionId: ref('option_id').notNull(),
    receiptHash: char('receipt_hash', { length: 64 }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'ballot_choices_pk', columns: [t.voteId, t.optionId, t.receiptHash] }),
    fk('ballot_choices_ballot_fk', t.receiptHash, ballots.receiptHash),
    fk('ballot_choices_option_fk', t.optionId, voteOptions.id),
  ],
)

/**
 * Counts from the venue (a show of hands or paper ballots), entered by the committee with two named
 * tellers who each confirm them. Append-only: a correction is a new row with its reason; the latest counts.
 */
export const offlineTallies = mysqlTable(
  'offline_tallies',
  {
    id: id(),
    voteId: ref('vote_id').notNull(),
    /** The counting point whose box these counts are of. */
    countingPointId: ref('counting_point_id').notNull(),
    /** The point's voters (signed in there, on the vote's voters' list as offline) when these counts were entered. */
    ballots: int('ballots', { unsigned: true }).notNull(),
    /** How many ballots the box held, as the tellers counted; null when not given. */
    ballotsCast: int('ballots_cast', { unsigned: true }),
    /** More ballots in the box than `ballots`: kept, flagged, not counted. */
    void: boolean('void').notNull().default(false),
    /** The signed tally sheet. */
    photoKey: char('photo_key', { length: 64 }),
    counts: json('counts').$type<{ optionId: number; count: number }[]>().notNull(),
    counterMembershipId: ref('counter_membership_id').notNull(),
    scrutineerMembershipId: ref('scrutineer_membership_id').notNull(),
    counterConfirmedAt: when('counter_confirmed_at'),
    scrutineerConfirmedAt: when('scrutineer_confirmed_at'),
    reason: varchar('reason', { length: 200 }),
    createdBy: ref('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('offline_tallies_vote_idx').on(t.voteId, t.id),
    index('offline_tallies_point_idx').on(t.voteId, t.countingPointId, t.id),
    fk('offline_tallies_vote_fk', t.voteId, votes.id),
    fk('offline_tallies_point_fk', t.countingPointId, meetingCountingPoints.id),
    fk('offline_tallies_photo_fk', t.photoKey, photos.key),
    foreignKey({
      name: 'offline_tallies_counter_fk',
      columns: [t.counterMembershipId],
      foreignColumns: [memberships.id],
    }),
    foreignKey({
      name: 'offline_tallies_scrutineer_fk',
      columns: [t.scrutineerMembershipId],
      foreignColumns: [memberships.id],
    }),
    fk('offline_tallies_created_by_fk', t.createdBy, users.id),
    check('offline_tallies_tellers_ck', sql`${t.counterMembershipId} <> ${t.scrutineerMembershipId}`),
  ],
)

/** A matter a member wants the village to take up (说事 / 议题征集), until the committee decides on it. */
export const topics = mysqlTable(
  'topics',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    title: varchar('title', { length: 60 }).notNull(),
    description: text('description').notNull(),
    photos: json('photos').$type<string[]>().notNull(),
    proposerPersonId: ref('proposer_person_id').notNull(),
    proposerUserId: ref('proposer_user_id').notNull(),
    /** Not cleared by the content check (yet): seen by its proposer and the committee only. */
    held: boolean('held').notNull(),
    state: mysqlEnum('state', ['open', 'accepted', 'merged', 'declined']).notNull().default('open'),
    /** 附议, the proposer included; kept with the supports rows in one transaction. */
    supporters: int('supporters', { unsigned: true }).notNull().default(1),
    declineReason: varchar('decline_reason', { length: 200 }),
    mergedIntoId: ref('merged_into_id'),
    agendaItemId: ref('agenda_item_id'),
    decidedBy: ref('decided_by'),
    decidedAt: when('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('topics_village_state_idx').on(t.villageId, t.state, t.supporters),
    fk('topics_village_fk', t.villageId, villages.id),
    fk('topics_proposer_person_fk', t.proposerPersonId, persons.id),
    fk('topics_proposer_user_fk', t.proposerUserId, users.id),
    fk('topics_agenda_item_fk', t.agendaItemId, agendaItems.id),
    check('topics_decline_reason_ck', sql`(${t.state} = 'declined') = (${t.declineReason} IS NOT NULL)`),
  ],
)

/** A village's rules for its meetings; without a row, DEFAULT_MEETING_SETTINGS. */
export const meetingSettings = mysqlTable(
  'meeting_settings',
  {
    villageId: ref('village_id').primaryKey(),
    representativeNoticeDays: smallint('representative_notice_days', { unsigned: true }).notNull(),
    startGraceMinutes: smallint('start_grace_minutes', { unsigned: true }).notNull(),
    petitionAnswerDays: smallint('petition_answer_days', { unsigned: true }).notNull(),
    proxiesAllowed: boolean('proxies_allowed').notNull().default(false),
    updatedBy: ref('updated_by').notNull(),
    updatedAt: whenInserted('updated_at'),
  },
  (t) => [
    fk('meeting_settings_village_fk', t.villageId, villages.id),
    fk('meeting_settings_by_fk', t.updatedBy, users.id),
  ],
)

/**
 * 提议召集: villagers ask the committee to convene a meeting. It succeeds once enough have signed
 * (petitionSucceeds); then a meeting must answer it by `answerDueAt`.
 */
export const petitions = mysqlTable(
  'petitions',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    kind: mysqlEnum('kind', PETITION_KINDS).notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    reason: text('reason').notNull(),
    /** The topic (说事) it grew from, if any. */
    topicId: ref('topic_id'),
    state: mysqlEnum('state', ['open', 'succeeded', 'answered']).notNull().default('open'),
    /** Signatures so far, kept with the signature rows in one transaction. */
    signatures: int('signatures', { unsigned: true }).notNull().default(0),
    succeededAt: when('succeeded_at'),
    answerDueAt: when('answer_due_at'),
    /** The meeting that answers it. */
    meetingId: ref('meeting_id'),
    createdBy: ref('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('petitions_village_state_idx').on(t.villageId, t.state),
    index('petitions_due_idx').on(t.state, t.answerDueAt),
    uniqueIndex('petitions_topic_uq').on(t.topicId),
    fk('petitions_village_fk', t.villageId, villages.id),
    fk('petitions_topic_fk', t.topicId, topics.id),
    fk('petitions_meeting_fk', t.meetingId, meetings.id),
    fk('petitions_created_by_fk', t.createdBy, users.id),
  ],
)

/**
 * A signature on a petition: one roster person once. Signed in the app (`userId`), or recorded by the
 * committee for a villager without a phone (`recordedBy`, who recorded it).
 */
export const petitionSignatures = mysqlTable(
  'petition_signatures',
  {
    petitionId: ref('petition_id').notNull(),
    personId: ref('person_id').notNull(),
    userId: ref('user_id'),
    recordedBy: ref('recorded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    ...pairKey('petition_signatures', [t.petitionId, petitions.id], [t.personId, persons.id]),
    fk('petition_signatures_user_fk', t.userId, users.id),
    fk('petition_signatures_recorded_by_fk', t.recordedBy, users.id),
    check('petition_signatures_who_ck', sql`(${t.userId} IS NULL) <> (${t.recordedBy} IS NULL)`),
  ],
)

/** Who backed a topic (附议): one roster person once. */
export const topicSupports = mysqlTable(
  'topic_supports',
  {
    topicId: ref('topic_id').notNull(),
    personId: ref('person_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => pairKey('topic_supports', [t.topicId, topics.id], [t.personId, persons.id]),
)

/** A major matter (重大事项) under 四议两公开. */
export const matters = mysqlTable(
  'matters',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    title: varchar('title', { length: 100 }).notNull(),
    description: text('description').notNull(),
    createdBy: ref('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('matters_village_idx').on(t.villageId, t.id),
    fk('matters_village_fk', t.villageId, villages.id),
    fk('matters_created_by_fk', t.createdBy, users.id),
  ],
)

/** Each stage of a matter, recorded once, in order (append-only). */
export const matterStages = mysqlTable(
  'matter_stages',
  {
    matterId: ref('matter_id').notNull(),
    stage: mysqlEnum('stage', MATTER_STAGES).notNull(),
    heldOn: varchar('held_on', { length: 10 }).notNull(),
    meetingId: ref('meeting_id'),
    outcome: varchar('outcome', { length: 1000 }).notNull(),
    document: varchar('document', { length: 200 }),
    recordedBy: ref('recorded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    ...pairKey('matter_stages', [t.matterId, matters.id], t.stage),
    fk('matter_stages_meeting_fk', t.meetingId, meetings.id),
  ],
)

/** 监督评议: a resident's rating of a carried-out matter, once. */
export const matterRatings = mysqlTable(
  'matter_ratings',
  {
    matterId: ref('matter_id').notNull(),
    personId: ref('person_id').notNull(),
    rating: mysqlEnum('rating', RATINGS).notNull(),
    comment: varchar('comment', { length: 300 }),
    createdAt: createdAt(),
  },
  (t) => pairKey('matter_ratings', [t.matterId, matters.id], [t.personId, persons.id]),
)

/** 征求意见: what members say about an agenda item before the meeting; the committee may hide one, with a reason. */
export const agendaComments = mysqlTable(
  'agenda_comments',
  {
    id: id(),
    meetingId: ref('meeting_id').notNull(),
    agendaItemId: ref('agenda_item_id').notNull(),
    personId: ref('person_id').notNull(),
    userId: ref('user_id').notNull(),
    body: varchar('body', { length: 500 }).notNull(),
    /** Not cleared by the content check: seen by its author and the committee only. */
    held: boolean('held').notNull(),
    hiddenReason: varchar('hidden_reason', { length: 200 }),
    hiddenBy: ref('hidden_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('agenda_comments_meeting_idx').on(t.meetingId, t.id),
    fk('agenda_comments_item_fk', t.agendaItemId, agendaItems.id),
    fk('agenda_comments_meeting_fk', t.meetingId, meetings.id),
    fk('agenda_comments_person_fk', t.personId, persons.id),
    fk('agenda_comments_user_fk', t.userId, users.id),
  ],
)
