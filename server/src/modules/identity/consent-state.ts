import type { ConsentState } from '@liren/shared/contracts'
import { PRIVACY_GUIDE } from '@liren/shared/rules'
import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import { privacyConsents } from './tables.js'

/** Whether the caller has accepted the current privacy guide, and when. */
export async function consentState(db: Executor, userId: number): Promise<ConsentState> {
  const [row] = await db
    .select({ acceptedAt: privacyConsents.acceptedAt })
    .from(privacyConsents)
    .where(and(eq(privacyConsents.userId, userId), eq(privacyConsents.version, PRIVACY_GUIDE.version)))
  return {
    version: PRIVACY_GUIDE.version,
    accepted: row !== undefined,
    acceptedAt: row?.acceptedAt.toISOString() ?? null,
  }
}
