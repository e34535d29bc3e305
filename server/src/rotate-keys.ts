import { and, asc, eq, gt, isNotNull } from 'drizzle-orm'
import { affectedRows, type Db } from './core/db.js'
import { SecretError, type Secrets } from './core/secrets.js'
import { identityTables } from './modules/identity/index.js'

const { memberships, persons } = identityTables

/** What rotation did to one column. */
export interface RotationCounts {
  /** Rows whose value was under an older key and is now under the current one. */
  reencrypted: number
  /** Rows that held a plaintext leftover, now encrypted. */
  encrypted: number
  /** Rows the app changed between our read and our update: left as the app wrote them. */
  skipped: number
  /** Rows under a key DATA_KEYS no longer has, or altered: left alone, listed for a person to look at. */
  unreadable: number[]
}

export type RotationReport = Record<'persons.phone' | 'memberships.phone', RotationCounts>

/**
 * Re-encrypts every stored phone (roster persons and memberships) that is not under the current data
 * key, and encrypts any plaintext leftover. Rows are read a batch at a time by id, and each one is
 * written by a conditional update on the value it was read with, so a row the app changed meanwhile
 * (already under the current key) is left as it is: safe to run beside the app, and twice.
 */
export async function rotateKeys(db: Db, secrets: Secrets, batchSize = 500): Promise<RotationReport> {
  return {
    'persons.phone': await rotateColumn(db, secrets, persons, batchSize),
    'memberships.phone': await rotateColumn(db, secrets, memberships, batchSize),
  }
}

async function rotateColumn(
  db: Db,
  secrets: Secrets,
  table: typeof persons | typeof memberships,
  batchSize: number,
): Promise<RotationCounts> {
  const counts: RotationCounts = { reencrypted: 0, encrypted: 0, skipped: 0, unreadable: [] }
  for (let after = 0; ;) {
    const rows = await db
      .select({ id: table.id, phone: table.phone })
      .from(table)
      .where(and(gt(table.id, after), isNotNull(table.phone)))
      .orderBy(asc(table.id))
      .limit(batchSize)
    if (rows.length === 0) return counts
    after = rows.at(-1)!.id
    for (const { id, phone } of rows) {
      if (phone === null || secrets.isCurrent(phone)) continue
      const plaintext = !secrets.isEncrypted(phone)
      let value: string
      try {
        value = secrets.encrypt(plaintext ? phone : secrets.decrypt(phone))
      } catch (err) {
        if (!(err instanceof SecretError)) throw err
        counts.unreadable.push(id)
        continue
      }
      const result = await db
        .update(table)
        .set({ phone: value })
        .where(and(eq(table.id, id), eq(table.phone, phone)))
      if (affectedRows(result) === 0) counts.skipped++
      else if (plaintext) counts.encrypted++
      else counts.reencrypted++
    }
  }
}
