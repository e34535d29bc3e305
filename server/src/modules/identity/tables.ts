import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  datetime,
  foreignKey,
  index,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'
import { createdAt, id, ref } from '../../core/tables.js'

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
    createdAt: createdAt(),
  },
  (t) => [foreignKey({ name: 'villages_town_fk', columns: [t.townId], foreignColumns: [towns.id] })],
)

export const grids = mysqlTable(
  'grids',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    name: varchar('name', { length: 64 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('grids_village_name_uq').on(t.villageId, t.name),
    foreignKey({ name: 'grids_village_fk', columns: [t.villageId], foreignColumns: [villages.id] }),
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
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('households_village_number_uq').on(t.villageId, t.number),
    foreignKey({ name: 'households_village_fk', columns: [t.villageId], foreignColumns: [villages.id] }),
    foreignKey({ name: 'households_grid_fk', columns: [t.gridId], foreignColumns: [grids.id] }),
  ],
)

export const users = mysqlTable(
  'users',
  {
    id: id(),
    openid: varchar('openid', { length: 64 }).notNull().unique('users_openid_uq'),
    unionid: varchar('unionid', { length: 64 }),
    currentVillageId: ref('current_village_id'),
    createdAt: createdAt(),
    lastLoginAt: datetime('last_login_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (t) => [foreignKey({ name: 'users_current_village_fk', columns: [t.currentVillageId], foreignColumns: [villages.id] })],
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
    birthYear: smallint('birth_year', { unsigned: true }).notNull(),
    status: mysqlEnum('status', ['pending', 'verified', 'rejected']).notNull().default('pending'),
    representative: boolean('representative').notNull().default(false),
    rejectReason: varchar('reject_reason', { length: 200 }),
    appliedAt: datetime('applied_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    decidedAt: datetime('decided_at', { mode: 'date', fsp: 3 }),
    decidedBy: ref('decided_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_user_village_uq').on(t.userId, t.villageId),
    index('memberships_village_status_idx').on(t.villageId, t.status),
    foreignKey({ name: 'memberships_user_fk', columns: [t.userId], foreignColumns: [users.id] }),
    foreignKey({ name: 'memberships_village_fk', columns: [t.villageId], foreignColumns: [villages.id] }),
    foreignKey({ name: 'memberships_household_fk', columns: [t.householdId], foreignColumns: [households.id] }),
    foreignKey({ name: 'memberships_decided_by_fk', columns: [t.decidedBy], foreignColumns: [users.id] }),
    check('memberships_decision_ck', sql`(${t.status} = 'pending') = (${t.decidedAt} IS NULL)`),
    check('memberships_reject_reason_ck', sql`(${t.status} = 'rejected') = (${t.rejectReason} IS NOT NULL)`),
  ],
)

export const membershipRoles = mysqlTable(
  'membership_roles',
  {
    membershipId: ref('membership_id').notNull(),
    role: mysqlEnum('role', ['resident', 'volunteer', 'grid_worker', 'committee', 'town_admin']).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'membership_roles_pk', columns: [t.membershipId, t.role] }),
    foreignKey({ name: 'membership_roles_membership_fk', columns: [t.membershipId], foreignColumns: [memberships.id] }),
  ],
)
