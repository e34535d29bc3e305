import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  decimal,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  smallint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import { LEVELS, RATINGS, REPORT_STATES, URGENCIES, type Deadlines } from '@liren/shared/rules'
import { createdAt, fk, id, pairKey, ref, when } from '../../core/tables.js'
import { identityTables } from '../identity/index.js'

const { grids, persons, users, villages } = identityTables

/** Per village: the report categories and the deadlines per urgency colour. */
export const reportSettings = mysqlTable(
  'report_settings',
  {
    villageId: ref('village_id').primaryKey(),
    categories: json('categories').$type<string[]>().notNull(),
    deadlines: json('deadlines').$type<Deadlines>().notNull(),
    /** Days a closed private report keeps its text and photos; then they are purged. */
    retentionDays: smallint('retention_days', { unsigned: true }).notNull().default(365),
  },
  (t) => [fk('report_settings_village_fk', t.villageId, villages.id)],
)

/**
 * A report (随手拍) as a work order. The reporter is a roster person (the villager it is for); the user
 * who filed it may be a grid worker filing for them (代办). `escalate_at` is when the deadline the
 * current state watches runs out (null once the report is no longer open): the scheduler claims a
 * report by moving its level up with a conditional update, once per level.
 */
export const reports = mysqlTable(
  'reports',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    gridId: ref('grid_id'),
    category: varchar('category', { length: 20 }).notNull(),
    description: varchar('description', { length: 500 }).notNull(),
    photos: json('photos').$type<string[]>().notNull(),
    latitude: decimal('latitude', { precision: 9, scale: 6, mode: 'number' }),
    longitude: decimal('longitude', { precision: 9, scale: 6, mode: 'number' }),
    address: varchar('address', { length: 200 }),
    urgency: mysqlEnum('urgency', URGENCIES).notNull(),
    level: mysqlEnum('level', LEVELS).notNull().default('grid'),
    state: mysqlEnum('state', REPORT_STATES).notNull().default('submitted'),
    anonymous: boolean('anonymous').notNull().default(false),
    isPublic: boolean('is_public').notNull(),
    reporterPersonId: ref('reporter_person_id'),
    reporterUserId: ref('reporter_user_id'),
    filedBy: ref('filed_by').notNull(),
    assigneeUserId: ref('assignee_user_id'),
    supports: int('supports', { unsigned: true }).notNull().default(0),
    acceptDueAt: when('accept_due_at').notNull(),
    resolveDueAt: when('resolve_due_at').notNull(),
    escalateAt: when('escalate_at'),
    acceptedAt: when('accepted_at'),
    resolvedAt: when('resolved_at'),
    closedAt: when('closed_at'),
    rating: mysqlEnum('rating', RATINGS),
    ratingComment: varchar('rating_comment', { length: 300 }),
    mergedIntoId: ref('merged_into_id'),
    /** The retention period ran out: the text and photos of this closed private report are gone. */
    purgedAt: when('purged_at'),
    idempotencyKey: varchar('idempotency_key', { length: 100 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // A key is the filer's own in their village: another member's or village's same key files a new report.
    uniqueIndex('reports_key_uq').on(t.villageId, t.filedBy, t.idempotencyKey),
    // The feed and its filters: each a range scan that stops after one page.
    index('reports_feed_idx').on(t.villageId, t.isPublic, t.id),
    index('reports_feed_category_idx').on(t.villageId, t.isPublic, t.category, t.id),
    index('reports_feed_state_idx').on(t.villageId, t.isPublic, t.state, t.id),
    index('reports_state_idx').on(t.villageId, t.state, t.id),
    index('reports_escalate_idx').on(t.escalateAt),
    index('reports_assignee_idx').on(t.assigneeUserId, t.state),
    index('reports_reporter_idx').on(t.reporterUserId, t.id),
    fk('reports_village_fk', t.villageId, villages.id),
    fk('reports_grid_fk', t.gridId, grids.id),
    fk('reports_reporter_person_fk', t.reporterPersonId, persons.id),
    fk('reports_reporter_user_fk', t.reporterUserId, users.id),
    fk('reports_filed_by_fk', t.filedBy, users.id),
    fk('reports_assignee_fk', t.assigneeUserId, users.id),
    check('reports_supports_ck', sql`${t.supports} >= 0`),
  ],
)

/** Every transition of a report, append-only: its timeline. */
export const reportEvents = mysqlTable(
  'report_events',
  {
    id: id(),
    reportId: ref('report_id').notNull(),
    action: varchar('action', { length: 16 }).notNull(),
    fromState: mysqlEnum('from_state', REPORT_STATES),
    toState: mysqlEnum('to_state', REPORT_STATES).notNull(),
    note: varchar('note', { length: 500 }),
    photos: json('photos').$type<string[]>().notNull(),
    /** The level a report was escalated to, on escalation events. */
    level: mysqlEnum('level', LEVELS),
    actorUserId: ref('actor_user_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('report_events_report_idx').on(t.reportId, t.id),
    fk('report_events_report_fk', t.reportId, reports.id),
  ],
)

/** "我也遇到": one per member per report. */
export const reportSupports = mysqlTable(
  'report_supports',
  {
    reportId: ref('report_id').notNull(),
    userId: ref('user_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => pairKey('report_supports', [t.reportId, reports.id], t.userId),
)
