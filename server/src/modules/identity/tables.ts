import { sql } from 'drizzle-orm'
import {
  type AnyMySqlColumn,
  boolean,
  char,
  check,
  date,
  foreignKey,
  index,
  json,
  mysqlEnum,
  mysqlTable,
  smallint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import { createdAt, fk, id, pairKey, ref, when, whenInserted } from '../../core/tables.js'

export const towns = mysqlTable('towns', {
  id: id(),
  code: varchar('code', { length: 32 }).notNull().unique('towns_code_uq'),
  name: varchar('name', { length: 64 }).notNull(),
  createdAt: createdAt(),
})

export const villages = mysqlTable(
  'villages',
  {
    id: id(),
    townId: ref('town_id').notNull(),
    code: varchar('code', { length: 32 }).notNull().unique('villages_code_uq'),
    name: varchar('name', { length: 64 }).notNull(),
    kind: mysqlEnum('kind', ['rural', 'urban']).notNull(),
    /** The committee's office phone and hours, shown to the village's people wherever they are told to ask the committee. */
    committeePhone: varchar('committee_phone', { length: 20 }),
    officeHours: varchar('office_hours', { length: 60 }),
    createdAt: createdAt(),
  },
  (t) => [fk('villages_town_fk', t.townId, towns.id)],
)

export const grids = mysqlTable(
  'grids',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    name: varchar('name', { length: 64 }).notNull(),
    /** Ring of [longitude, latitude], so a map point can be placed in its grid. */
    boundary: json('boundary').$type<[number, number][]>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('grids_village_name_uq').on(t.villageId, t.name),
    fk('grids_village_fk', t.villageId, villages.id),
  ],
)

export const households = mysqlTable(
  'households',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    gridId: ref('grid_id'),
    number: varchar('number', { length: 32 }).notNull(),
    address: varchar('address', { length: 200 }).notNull(),
    // Annotated: households and persons refer to each other.
    headPersonId: ref('head_person_id').references((): AnyMySqlColumn => persons.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('households_village_number_uq').on(t.villageId, t.number),
    fk('households_village_fk', t.villageId, villages.id),
    fk('households_grid_fk', t.gridId, grids.id),
  ],
)

/** A registered villager on the roster (花名册), with or without the app. No ID-card numbers are stored. */
export const persons = mysqlTable(
  'persons',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    householdId: ref('household_id').notNull(),
    name: varchar('name', { length: 20 }).notNull(),
    gender: mysqlEnum('gender', ['male', 'female']).notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    relation: varchar('relation', { length: 16 }).notNull(),
    /** Encrypted at rest (core/secrets.ts): never plaintext in the database. */
    phone: varchar('phone', { length: 200 }),
    status: mysqlEnum('status', ['resident', 'moved_out', 'deceased']).notNull().default('resident'),
    representative: boolean('representative').notNull().default(false),
    partyMember: boolean('party_member').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    // The same person twice in one household is a duplicate: import matches people by this key.
    uniqueIndex('persons_identity_uq').on(t.villageId, t.householdId, t.name, t.birthDate),
    index('persons_village_name_idx').on(t.villageId, t.name),
    fk('persons_village_fk', t.villageId, villages.id),
    fk('persons_household_fk', t.householdId, households.id),
  ],
)

/** Which representative (村民代表) speaks for which household: at most one per household. */
export const representedHouseholds = mysqlTable(
  'represented_households',
  {
    householdId: ref('household_id').notNull().primaryKey(),
    personId: ref('person_id').notNull(),
  },
  (t) => [
    index('represented_households_person_idx').on(t.personId),
    foreignKey({
      name: 'represented_households_household_fk',
      columns: [t.householdId],
      foreignColumns: [households.id],
    }),
    fk('represented_households_person_fk', t.personId, persons.id),
  ],
)

export const users = mysqlTable(
  'users',
  {
    id: id(),
    openid: varchar('openid', { length: 64 }).notNull().unique('users_openid_uq'),
    unionid: varchar('unionid', { length: 64 }),
    currentVillageId: ref('current_village_id'),
    /** The member deleted their account: the openid is replaced and every personal field erased. */
    deletedAt: when('deleted_at'),
    createdAt: createdAt(),
    lastLoginAt: whenInserted('last_login_at'),
  },
  (t) => [fk('users_current_village_fk', t.currentVillageId, villages.id)],
)

/**
 * One sign-in (a session; the family of refresh tokens it hands out, one after the other). Ending it
 * ends its refresh tokens and its access tokens (they name it, and authenticate checks it is live).
 */
export const sessions = mysqlTable(
  'sessions',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    createdAt: createdAt(),
    endedAt: when('ended_at'),
    /** signed_out: the member signed out (every session); reused: a spent refresh token came back; deleted: 注销. */
    endReason: mysqlEnum('end_reason', ['signed_out', 'reused', 'deleted']),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId, t.endedAt),
    fk('sessions_user_fk', t.userId, users.id),
    check('sessions_end_ck', sql`(${t.endedAt} IS NULL) = (${t.endReason} IS NULL)`),
  ],
)

/** Every refresh token a session handed out, by the SHA-256 of the token (never the token itself); each is spent once. */
export const refreshTokens = mysqlTable(
  'refresh_tokens',
  {
    id: id(),
    sessionId: ref('session_id').notNull(),
    tokenHash: char('token_hash', { length: 64 }).notNull().unique('refresh_tokens_hash_uq'),
    expiresAt: when('expires_at').notNull(),
    /** When it was exchanged for the next one: presenting it again ends its session. */
    usedAt: when('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('refresh_tokens_session_idx').on(t.sessionId),
    index('refresh_tokens_expires_idx').on(t.expiresAt),
    fk('refresh_tokens_session_fk', t.sessionId, sessions.id),
  ],
)

export const memberships = mysqlTable(
  'memberships',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    villageId: ref('village_id').notNull(),
    realName: varchar('real_name', { length: 20 }).notNull(),
    householdAddress: varchar('household_address', { length: 100 }).notNull(),
    householdId: ref('household_id'),
    /** The roster person this user is: one person has at most one user (unique). */
    personId: ref('person_id').unique('memberships_person_uq'),
    birthYear: smallint('birth_year', { unsigned: true }).notNull(),
    /** From WeChat's phone-number button when the member chose to give it; encrypted at rest. */
    phone: varchar('phone', { length: 200 }),
    status: mysqlEnum('status', ['pending', 'verified', 'rejected']).notNull().default('pending'),
    /** The member agreed to show their full name in public rankings (masked otherwise: 张*明). */
    showFullName: boolean('show_full_name').notNull().default(false),
    rejectReason: varchar('reject_reason', { length: 200 }),
    appliedAt: whenInserted('applied_at'),
    decidedAt: when('decided_at'),
    decidedBy: ref('decided_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_user_village_uq').on(t.userId, t.villageId),
    index('memberships_village_status_idx').on(t.villageId, t.status),
    fk('memberships_user_fk', t.userId, users.id),
    fk('memberships_village_fk', t.villageId, villages.id),
    fk('memberships_household_fk', t.householdId, households.id),
    fk('memberships_person_fk', t.personId, persons.id),
    fk('memberships_decided_by_fk', t.decidedBy, users.id),
    check('memberships_decision_ck', sql`(${t.status} = 'pending') = (${t.decidedAt} IS NULL)`),
    check('memberships_reject_reason_ck', sql`(${t.status} = 'rejected') = (${t.rejectReason} IS NOT NULL)`),
  ],
)

/** Each version of the privacy guide (用户隐私保护指引) a user accepted, and when. */
export const privacyConsents = mysqlTable(
  'privacy_consents',
  {
    userId: ref('user_id').notNull(),
    version: varchar('version', { length: 16 }).notNull(),
    acceptedAt: whenInserted('accepted_at'),
  },
  (t) => pairKey('privacy_consents', [t.userId, users.id], t.version),
)

export const membershipRoles = mysqlTable(
  'membership_roles',
  {
    membershipId: ref('membership_id').notNull(),
    role: mysqlEnum('role', ['resident', 'volunteer', 'grid_worker', 'committee', 'town_admin']).notNull(),
    createdAt: createdAt(),
  },
  (t) => pairKey('membership_roles', [t.membershipId, memberships.id], t.role),
)

export const gridWorkers = mysqlTable(
  'grid_workers',
  {
    gridId: ref('grid_id').notNull(),
    membershipId: ref('membership_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => pairKey('grid_workers', [t.gridId, grids.id], [t.membershipId, memberships.id]),
)

/** The in-app inbox: one row per person to tell; each is also pushed once as a WeChat subscribe message. */
export const notifications = mysqlTable(
  'notifications',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    villageId: ref('village_id').notNull(),
    reportId: ref('report_id'),
    /** The mini-program page the notice opens (e.g. a meeting's); a report's page when only reportId is set. */
    page: varchar('page', { length: 200 }),
    title: varchar('title', { length: 60 }).notNull(),
    body: varchar('body', { length: 200 }).notNull(),
    readAt: when('read_at'),
    /** When the WeChat subscribe message went out (or was given up on); claimed by a conditional update. */
    pushedAt: when('pushed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.id),
    index('notifications_push_idx').on(t.pushedAt, t.id),
    fk('notifications_user_fk', t.userId, users.id),
  ],
)
