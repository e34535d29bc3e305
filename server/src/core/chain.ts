import { createHash } from 'node:crypto'

/**
 * Hash chains for the append-only records (the audit log, the points ledger): every row carries the
 * hash of the row before it on its chain and its own hash over that and its content, so a row edited,
 * removed or slipped in behind the application's back breaks the chain from there on
 * (`npm run verify-ledger` finds the first broken link).
 */
export const GENESIS = '0'.repeat(64)

/** JSON with object keys sorted at every level and dates as ISO text: the same content, the same text. */
export function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

/** The hash of a row whose predecessor's hash is `prev`. */
export const link = (prev: string, content: Record<string, unknown>): string =>
  createHash('sha256').update(prev).update('\n').update(canonical(content)).digest('hex')

/** Only the named fields of a row: what its hash covers, however much else the row carries. */
export const pick = <T, K extends keyof T>(row: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>
