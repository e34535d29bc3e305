import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  char,
  datetime,
  foreignKey,
  index,
  json,
  mysqlTable,
  primaryKey,
  varchar,
  type MySqlColumn,
} from 'drizzle-orm/mysql-core'

/** Primary keys: MariaDB rejects drizzle's `serial`, so ids are unsigned bigint auto-increment. */
export const id = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey()
export const ref = (name: string) => bigint(name, { mode: 'number', unsigned: true })
/** A moment, stored in UTC to the millisecond. */
export const when = (name: string) => datetime(name, { mode: 'date', fsp: 3 })
/** A moment that is the time its row was inserted unless given. */
export const whenInserted = (name: string) =>
  when(name)
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
export const createdAt = () => whenInserted('created_at')
/** A one-column foreign key to another table's column, under its own constraint name. */
export const fk = (name: string, column: MySqlColumn, target: MySqlColumn) =>
  foreignKey({ name, columns: [column], foreignColumns: [target] })

/** A key column, with the column it references when it is a reference. */
type KeyPart = MySqlColumn | [column: MySqlColumn, target: MySqlColumn]

/**
 * A table keyed by two columns, each maybe a reference: its primary key `<table>_pk` and a foreign key
 * `<table>_<column without _id>_fk` for each reference (grid_workers: grid_workers_grid_fk, ..._membership_fk).
 */
export const pairKey = (table: string, first: KeyPart, second: KeyPart) => {
  const column = (part: KeyPart) => (Array.isArray(part) ? part[0] : part)
  const refs = [first, second].filter((part): part is [MySqlColumn, MySqlColumn] => Array.isArray(part))
  return [
    primaryKey({ name: `${table}_pk`, columns: [column(first), column(second)] }),
    ...refs.map(([key, target]) => fk(`${table}_${key.name.replace(/_id$/, '')}_fk`, key, target)),
  ]
}

/**
 * Append-only record of every state change; never deleted, and its content never updated. A row is
 * written unlinked (`awaiting_seal`); the sealer (sealAuditChains) fills its links once, shortly after.
 */
export const auditLog = mysqlTable(
  'audit_log',
  {
    id: id(),
    villageId: ref('village_id'),
    actorUserId: ref('actor_user_id'),
    action: varchar('action', { length: 64 }).notNull(),
    entity: varchar('entity', { length: 32 }).notNull(),
    entityId: ref('entity_id').notNull(),
    data: json('data').$type<Record<string, unknown>>(),
    requestId: varchar('request_id', { length: 64 }),
    createdAt: createdAt(),
    /** The chain this row is on (one per village, 0 for the town-wide rows), and its links (core/chain.ts). */
    chain: bigint('chain', { mode: 'number', unsigned: true }).notNull().default(0),
    prevHash: char('prev_hash', { length: 64 }),
    hash: char('hash', { length: 64 }),
    /** Written by a request, not linked into its chain yet (rows from before the chains are not waiting). */
    awaitingSeal: boolean('awaiting_seal').notNull().default(false),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_village_idx').on(t.villageId, t.createdAt),
    index('audit_log_chain_idx').on(t.chain, t.id),
    index('audit_log_awaiting_idx').on(t.awaitingSeal, t.chain, t.id),
  ],
)

/** The last link of each audit chain: the sealer locks it, so a chain grows one batch at a time. */
export const auditChainHeads = mysqlTable('audit_chain_heads', {
  chain: bigint('chain', { mode: 'number', unsigned: true }).primaryKey(),
  lastId: bigint('last_id', { mode: 'number', unsigned: true }),
  lastHash: char('last_hash', { length: 64 }).notNull(),
})

/** Photos as stored (re-encoded, no EXIF), by content hash; reports and points' evidence use them; unattached ones are removed after a day. */
export const photos = mysqlTable(
  'photos',
  {
    key: char('key', { length: 64 }).primaryKey(),
    uploadedBy: ref('uploaded_by').notNull(),
    attachedAt: when('attached_at'),
    createdAt: createdAt(),
  },
  (t) => [index('photos_unattached_idx').on(t.attachedAt, t.createdAt)],
)
