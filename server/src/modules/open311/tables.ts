import { char, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { createdAt, fk, id, ref, when } from '../../core/tables.js'
import { identityTables } from '../identity/index.js'

const { users, villages } = identityTables

/**
 * Open311 api_keys, issued per village by its committee (for a 12345 platform or another Open311
 * client). Only the key's SHA-256 is kept; the key is shown once, when it is made.
 */
export const open311Keys = mysqlTable(
  'open311_keys',
  {
    id: id(),
    villageId: ref('village_id').notNull(),
    keyHash: char('key_hash', { length: 64 }).notNull(),
    label: varchar('label', { length: 60 }).notNull(),
    createdBy: ref('created_by').notNull(),
    revokedAt: when('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('open311_keys_hash_uq').on(t.keyHash),
    index('open311_keys_village_idx').on(t.villageId),
    fk('open311_keys_village_fk', t.villageId, villages.id),
    fk('open311_keys_created_by_fk', t.createdBy, users.id),
  ],
)
