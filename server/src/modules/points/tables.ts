import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  char,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  smallint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import { createdAt, fk, id, ref, when } from '../../core/tables.js'
import { identityTables } from '../identity/index.js'

const { persons, users, villages } = identityTables

export const ACCOUNT_KINDS = ['person', 'issuance', 'shop', 'pending'] as const
export const ENTRY_KINDS = ['earn', 'redeem', 'refund', 'penalty', 'transfer', 'expire', 'reversal'] as const

/**
 * One account per roster person (with or without the app) and, per village, the issuance account
 * (where earned points come from), the shop account and the pending-orders account. The balances
 * of a village always sum to zero; a person's never goes below zero (CHECK, and conditional updates).
 */
export const pointAccounts = mysqlTable(
  'point_accounts',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    kind: mysqlEnum('kind', ACCOUNT_KINDS).notNull(),
    personId: ref('person_id'),
    /** 'issuance' | 'shop' | 'pending' for the village's own accounts; NULL for people (unique per village). */
    systemKey: varchar('system_key', { length: 16 }),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    lifetimeEarned: bigint('lifetime_earned', { mode: 'number', unsigned: true }).notNull().default(0),
    lifetimePenalty: bigint('lifetime_penalty', { mode: 'number', unsigned: true }).notNull().default(0),
    createdAt: createdAt(),
    /** The hash of the last entry debiting this account: its entries form a chain (core/chain.ts). */
    chainHash: char('chain_hash', { length: 64 }).notNull().default('0'.repeat(64)),
  },
  (t) => [
    uniqueIndex('point_accounts_person_uq').on(t.personId),
    uniqueIndex('point_accounts_system_uq').on(t.villageId, t.systemKey),
    fk('point_accounts_village_fk', t.villageId, villages.id),
    fk('point_accounts_person_fk', t.personId, persons.id),
    check(
      'point_accounts_owner_ck',
      sql`(${t.kind} = 'person') = (${t.personId} IS NOT NULL) AND (${t.kind} = 'person') = (${t.systemKey} IS NULL)`,
    ),
    check('point_accounts_person_balance_ck', sql`${t.kind} <> 'person' OR ${t.balance} >= 0`),
  ],
)

/** The rulebook (积分细则): every edit is a new version; entries keep the version they applied. */
export const pointRules = mysqlTable(
  'point_rules',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    code: varchar('code', { length: 32 }).notNull(),
    version: smallint('version', { unsigned: true }).notNull(),
    name: varchar('name', { length: 64 }).notNull(),
    kind: mysqlEnum('kind', ['earn', 'penalty']).notNull(),
    points: int('points', { unsigned: true }).notNull(),
    capPerDay: int('cap_per_day', { unsigned: true }),
    capPerYear: int('cap_per_year', { unsigned: true }),
    /** Manual awards or penalties above this many points need a second committee member. */
    approvalThreshold: int('approval_threshold', { unsigned: true }),
    active: boolean('active').notNull().default(true),
    createdBy: ref('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('point_rules_version_uq').on(t.villageId, t.code, t.version),
    fk('point_rules_village_fk', t.villageId, villages.id),
    check('point_rules_points_ck', sql`${t.points} > 0`),
  ],
)

/** Append-only. A transfer of a positive amount from one account to another; corrected only by a reversal. */
export const pointEntries = mysqlTable(
  'point_entries',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    fromAccountId: ref('from_account_id').notNull(),
    toAccountId: ref('to_account_id').notNull(),
    amount: int('amount', { unsigned: true }).notNull(),
    kind: mysqlEnum('kind', ENTRY_KINDS).notNull(),
    reason: varchar('reason', { length: 200 }).notNull(),
    ruleId: ref('rule_id'),
    ruleVersion: smallint('rule_version', { unsigned: true }),
    refType: varchar('ref_type', { length: 32 }),
    refId: bigint('ref_id', { mode: 'number', unsigned: true }),
    createdBy: ref('created_by'),
    approvedBy: ref('approved_by'),
    /**
     * Unique in the village. A key a caller sent is stored under that caller (`award:<userId>:<key>`),
     * so it can neither meet another member's key nor an event's own (`report:42:valid`).
     */
    idempotencyKey: varchar('idempotency_key', { length: 160 }).notNull(),
    /** sha256 of the request that made the entry: the same key with another payload is refused. */
    payloadHash: char('payload_hash', { length: 64 }).notNull(),
    /** A reversal points at what it reverses; unique, so an entry is reversed at most once. */
    reversesEntryId: ref('reverses_entry_id'),
    createdAt: createdAt(),
    /** The entry before it on its debited account's chain, and its own link (core/chain.ts). */
    prevHash: char('prev_hash', { length: 64 }),
    hash: char('hash', { length: 64 }),
  },
  (t) => [
    uniqueIndex('point_entries_key_uq').on(t.villageId, t.idempotencyKey),
    uniqueIndex('point_entries_reverses_uq').on(t.reversesEntryId),
    index('point_entries_from_idx').on(t.fromAccountId, t.createdAt),
    index('point_entries_to_idx').on(t.toAccountId, t.createdAt),
    index('point_entries_rule_idx').on(t.ruleId, t.createdAt),
    fk('point_entries_village_fk', t.villageId, villages.id),
    fk('point_entries_from_fk', t.fromAccountId, pointAccounts.id),
    fk('point_entries_to_fk', t.toAccountId, pointAccounts.id),
    fk('point_entries_rule_fk', t.ruleId, pointRules.id),
    fk('point_entries_created_by_fk', t.createdBy, users.id),
    fk('point_entries_approved_by_fk', t.approvedBy, users.id),
    check('point_entries_amount_ck', sql`${t.amount} > 0`),
    check('point_entries_accounts_ck', sql`${t.fromAccountId} <> ${t.toAccountId}`),
    check(
      'point_entries_checker_ck',
      sql`${t.approvedBy} IS NULL OR ${t.createdBy} IS NULL OR ${t.approvedBy} <> ${t.createdBy}`,
    ),
  ],
)

/**
 * Awards by rule waiting to be paid (`awardLater`): events many members cause at once (ballots) queue
 * here, inside their own transaction, instead of taking the village's issuance account in it. A row
 * is held until its event is over (`releaseAwards`, at a vote's close) and then paid in the order of
 * its event and person. The key is the award's own, so an event queued twice is one row and is paid
 * once; it is also the primary key: no auto-increment id and no time, so nothing here (or in the
 * ledger entries paid from it) keeps the order or the time in which the members acted.
 */
export const pointAwardQueue = mysqlTable(
  'point_award_queue',
  {
    idempotencyKey: varchar('idempotency_key', { length: 100 }).primaryKey(),
    villageId: ref('village_id').notNull(),
    personId: ref('person_id').notNull(),
    ruleCode: varchar('rule_code', { length: 32 }).notNull(),
    reason: varchar('reason', { length: 200 }).notNull(),
    refType: varchar('ref_type', { length: 32 }).notNull(),
    refId: bigint('ref_id', { mode: 'number', unsigned: true }).notNull(),
    held: boolean('held').notNull().default(true),
  },
  (t) => [
    index('point_award_queue_ref_idx').on(t.refType, t.refId, t.personId),
    fk('point_award_queue_village_fk', t.villageId, villages.id),
    fk('point_award_queue_person_fk', t.personId, persons.id),
  ],
)

/** A manual award or penalty above the rule's threshold, waiting for a second committee member. */
export const pointApprovals = mysqlTable(
  'point_approvals',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    personId: ref('person_id').notNull(),
    ruleId: ref('rule_id').notNull(),
    amount: int('amount', { unsigned: true }).notNull(),
    reason: varchar('reason', { length: 200 }).notNull(),
    evidence: json('evidence').$type<string[]>(),
    status: mysqlEnum('status', ['pending', 'approved', 'rejected']).notNull().default('pending'),
    idempotencyKey: varchar('idempotency_key', { length: 100 }).notNull(),
    createdBy: ref('created_by').notNull(),
    decidedBy: ref('decided_by'),
    entryId: ref('entry_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('point_approvals_village_status_idx').on(t.villageId, t.status),
    // A key is the proposer's own in their village: another member's or village's same key is a new request.
    uniqueIndex('point_approvals_key_uq').on(t.villageId, t.createdBy, t.idempotencyKey),
    fk('point_approvals_person_fk', t.personId, persons.id),
    fk('point_approvals_rule_fk', t.ruleId, pointRules.id),
    check('point_approvals_checker_ck', sql`${t.decidedBy} IS NULL OR ${t.decidedBy} <> ${t.createdBy}`),
  ],
)

/** Per-village settings of the points scheme. */
export const pointSettings = mysqlTable('point_settings', {
  villageId: ref('village_id').primaryKey(),
  /** Lifetime scores at which a member reaches 1, 2, 3… stars (ascending). */
  starThresholds: json('star_thresholds').$type<number[]>().notNull(),
  orderExpiryDays: smallint('order_expiry_days', { unsigned: true }).notNull().default(14),
})

/** The points shop (积分超市). Stock and per-member limits hold under any concurrency (conditional updates). */
export const shopItems = mysqlTable(
  'shop_items',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    name: varchar('name', { length: 64 }).notNull(),
    /** The key of an uploaded photo (core/photos.ts), or null. */
    photo: varchar('photo', { length: 500 }),
    /** A few plain words for the people choosing: what it is, how much, what brand. */
    description: varchar('description', { length: 300 }),
    cost: int('cost', { unsigned: true }).notNull(),
    stock: int('stock', { unsigned: true }).notNull(),
    /** How many one member may redeem in all (null: no limit). */
    perMemberLimit: int('per_member_limit', { unsigned: true }),
    availableFrom: when('available_from'),
    availableUntil: when('available_until'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('shop_items_village_idx').on(t.villageId, t.active),
    fk('shop_items_village_fk', t.villageId, villages.id),
    check('shop_items_cost_ck', sql`${t.cost} > 0`),
  ],
)

/** A redemption: points held in the pending-orders account until fulfilled (核销), cancelled or expired. */
export const shopOrders = mysqlTable(
  'shop_orders',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    itemId: ref('item_id').notNull(),
    personId: ref('person_id').notNull(),
    quantity: int('quantity', { unsigned: true }).notNull().default(1),
    cost: int('cost', { unsigned: true }).notNull(),
    /** 6 digits, unique among a village's open orders' history. */
    pickupCode: char('pickup_code', { length: 6 }).notNull(),
    status: mysqlEnum('status', ['pending', 'fulfilled', 'cancelled', 'expired']).notNull().default('pending'),
    holdEntryId: ref('hold_entry_id').notNull(),
    closeEntryId: ref('close_entry_id'),
    expiresAt: when('expires_at').notNull(),
    closedAt: when('closed_at'),
    closedBy: ref('closed_by'),
    createdBy: ref('created_by').notNull(),
    idempotencyKey: varchar('idempotency_key', { length: 100 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('shop_orders_code_uq').on(t.villageId, t.pickupCode),
    // A key is the caller's own in their village: another member's or village's same key is a new order.
    uniqueIndex('shop_orders_key_uq').on(t.villageId, t.createdBy, t.idempotencyKey),
    index('shop_orders_person_item_idx').on(t.personId, t.itemId),
    index('shop_orders_status_expiry_idx').on(t.status, t.expiresAt),
    fk('shop_orders_item_fk', t.itemId, shopItems.id),
    fk('shop_orders_person_fk', t.personId, persons.id),
    fk('shop_orders_hold_entry_fk', t.holdEntryId, pointEntries.id),
  ],
)

/** Volunteer activities (志愿服务). */
export const activities = mysqlTable(
  'activities',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    title: varchar('title', { length: 64 }).notNull(),
    description: varchar('description', { length: 1000 }).notNull(),
    place: varchar('place', { length: 100 }).notNull(),
    startsAt: when('starts_at').notNull(),
    endsAt: when('ends_at').notNull(),
    capacity: int('capacity', { unsigned: true }).notNull(),
    /** Signed-up count, kept by conditional updates so capacity is never exceeded. */
    signedUp: int('signed_up', { unsigned: true }).notNull().default(0),
    pointsMode: mysqlEnum('points_mode', ['per_hour', 'fixed']).notNull(),
    points: int('points', { unsigned: true }).notNull(),
    ruleCode: varchar('rule_code', { length: 32 }).notNull().default('volunteer_hour'),
    createdBy: ref('created_by').notNull(),
    cancelledAt: when('cancelled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('activities_village_start_idx').on(t.villageId, t.startsAt),
    fk('activities_village_fk', t.villageId, villages.id),
    check('activities_capacity_ck', sql`${t.signedUp} <= ${t.capacity}`),
    check('activities_time_ck', sql`${t.endsAt} > ${t.startsAt}`),
  ],
)

export const activitySignups = mysqlTable(
  'activity_signups',
  {
    id: id(),
    activityId: ref('activity_id').notNull(),
    personId: ref('person_id').notNull(),
    status: mysqlEnum('status', ['signed_up', 'cancelled', 'checked_in', 'checked_out', 'confirmed'])
      .notNull()
      .default('signed_up'),
    checkedInAt: when('checked_in_at'),
    checkedOutAt: when('checked_out_at'),
    /** Service minutes the organiser confirmed. */
    confirmedMinutes: int('confirmed_minutes', { unsigned: true }),
    entryId: ref('entry_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('activity_signups_person_uq').on(t.activityId, t.personId),
    fk('activity_signups_activity_fk', t.activityId, activities.id),
    fk('activity_signups_person_fk', t.personId, persons.id),
  ],
)

/** Neighbour services (服务互换): an offer or a request, taken by another resident, paid on confirmation. */
export const neighbourServices = mysqlTable(
  'neighbour_services',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    kind: mysqlEnum('kind', ['offer', 'request']).notNull(),
    title: varchar('title', { length: 64 }).notNull(),
    description: varchar('description', { length: 500 }).notNull(),
    points: int('points', { unsigned: true }).notNull(),
    /** Who posted it, and who took it (roster people). */
    posterPersonId: ref('poster_person_id').notNull(),
    takerPersonId: ref('taker_person_id'),
    status: mysqlEnum('status', ['open', 'taken', 'completed', 'cancelled']).notNull().default('open'),
    entryId: ref('entry_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('neighbour_services_village_status_idx').on(t.villageId, t.status),
    fk('neighbour_services_poster_fk', t.posterPersonId, persons.id),
    fk('neighbour_services_taker_fk', t.takerPersonId, persons.id),
    check('neighbour_services_points_ck', sql`${t.points} > 0`),
  ],
)
