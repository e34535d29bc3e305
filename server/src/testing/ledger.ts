import { expect } from 'vitest'
import type { Executor } from '../core/db.js'
import { verifyLedger } from '../verify-ledger.js'

/**
 * The ledger is consistent: what `npm run verify-ledger` checks, nothing broken. Every audit and ledger
 * chain links up, each account's balance is the sum of its entries, no person is below zero, each
 * village's books sum to zero, and the pending-orders and shop accounts hold what the orders say.
 */
export async function expectLedgerConsistent(db: Executor): Promise<void> {
  expect((await verifyLedger(db)).broken).toEqual([])
}
