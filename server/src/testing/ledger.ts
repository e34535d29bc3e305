import { expect } from 'vitest'
import type { Executor } from '../core/db.js'
import { verifyLedger } from '../verify-ledger.js'
import type { TestContext } from './harness.js'

/**
 * The ledger is consistent: what `npm run verify-ledger` checks, nothing broken. Every audit and ledger
 * chain links up, each account's balance is the sum of its entries, no person is below zero, each
 * village's books sum to zero, and the pending-orders and shop accounts hold what the orders say.
 */
export async function expectLedgerConsistent(db: Executor): Promise<void> {
  expect((await verifyLedger(db)).broken).toEqual([])
}

/** A row of the ledger, with the columns tests read. */
export interface PointEntryRow {
  id: number
  amount: number
  from_account_id: number
  to_account_id: number
  kind: string
  ref_type: string | null
  ref_id: number | null
  idempotency_key: string
  rule_version: number | null
  created_by: number | null
  approved_by: number | null
  reverses_entry_id: number | null
}

/** Every entry of the ledger, oldest first. */
export const pointEntries = (t: TestContext) => t.rows<PointEntryRow>('point_entries')
