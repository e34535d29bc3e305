import { type ConsentState, ErrorCode } from '@liren/shared/contracts'
import { PRIVACY_GUIDE } from '@liren/shared/rules'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { conflict } from '../../core/errors.js'
import { consentState } from './consent-state.js'
import { privacyConsents } from './tables.js'

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
