import { type ConsentState, ErrorCode } from '@liren/shared/contracts'
import { PRIVACY_GUIDE } from '@liren/shared/rules'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db, type Executor } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'

const { privacyConsents } = identityTables

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

/**
 * The user accepts the guide they were shown. Only the current version can be accepted (a page left
 * open across a new version must show the new one first); accepting it again keeps the first time.
 */
export async function acceptPrivacyGuide(db: Db, actor: Actor, version: string): Promise<ConsentState> {
  if (version !== PRIVACY_GUIDE.version)
    throw conflict(ErrorCode.PRIVACY_VERSION, '隐私保护指引已经更新，请看过新的版本再同意')
  try {
    await transaction(db, async (tx) => {
      await tx.insert(privacyConsents).values({ userId: actor.userId, version })
      await audit(tx, actor, {
        villageId: null,
        action: 'privacy.accepted',
        entity: 'user',
        entityId: actor.userId,
        data: { version },
      })
    })
  } catch (err) {
    if (!isDuplicateKey(err, 'PRIMARY')) throw err
  }
  return consentState(db, actor.userId)
}
