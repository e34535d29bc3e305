import { sql } from 'drizzle-orm'
import { audit } from '../../core/audit.js'
import { affectedRows, transaction, type Db } from '../../core/db.js'
import type { WechatClient } from '../../core/wechat.js'
import { users } from './tables.js'

/** Exchanges a wx.login code for the openid and creates the user on first sign-in. */
export async function signInWithWechat(db: Db, wechat: WechatClient, code: string, requestId: string) {
  const session = await wechat.code2Session(code)
  return transaction(db, async (tx) => {
    // LAST_INSERT_ID(id) makes insertId the existing row's id when the openid is already known.
    const inserted = await tx
      .insert(users)
      .values({ openid: session.openid, unionid: session.unionid })
      .onDuplicateKeyUpdate({
        set: { lastLoginAt: sql`CURRENT_TIMESTAMP(3)`, id: sql`LAST_INSERT_ID(${users.id})` },
      })
    const userId = inserted[0].insertId
    const isNew = affectedRows(inserted) === 1
    if (isNew)
      await audit(
        tx,
        { userId, requestId },
        { villageId: null, action: 'user.created', entity: 'user', entityId: userId },
      )
    return { userId, isNew }
  })
}
