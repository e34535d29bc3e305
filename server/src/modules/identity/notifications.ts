import type { Notification } from '@liren/shared/contracts'
import { dateTimeWords } from '@liren/shared/rules'
import dayjs from 'dayjs'
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { affectedRows, type Db, type Executor, type Tx } from '../../core/db.js'
import type { WechatClient } from '../../core/wechat.js'
import { notifications, users } from './tables.js'

/** Something to tell one person: a line in their inbox, pushed once as a WeChat subscribe message. */
export interface Notice {
  userId: number
  villageId: number
  title: string
  body: string
  /** The report it is about, if any (its page opens). */
  reportId?: number | null
  /** The mini-program page it opens, for anything else (a meeting, a topic). */
  page?: string | null
}

/** Inbox entries, in the caller's transaction (they stand or fall with the change they tell of); one per person. */
export async function notify(tx: Tx, notices: Notice[]): Promise<void> {
  const unique = [...new Map(notices.map((n) => [n.userId, n])).values()]
  if (unique.length > 0) {
    await tx.insert(notifications).values(
      unique.map((n) => ({
        userId: n.userId,
        villageId: n.villageId,
        reportId: n.reportId ?? null,
        page: n.page ?? null,
        title: n.title.slice(0, 60),
        body: n.body.slice(0, 200),
      })),
    )
  }
}

/** The page a notice opens in the mini-program. */
export const noticePage = (n: { villageId: number; reportId: number | null; page: string | null }) =>
  n.page ??
  (n.reportId ? `packages/reports/detail/index?villageId=${n.villageId}&reportId=${n.reportId}` : 'pages/index/index')

/** The caller's inbox, newest first, with how many are unread. */
export async function listNotifications(
  db: Executor,
  userId: number,
): Promise<{ unread: number; items: Notification[] }> {
  const [rows, [count]] = await Promise.all([
    db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.id)).limit(50),
    db
      .select({ n: sql<number>`COUNT(*)` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt))),
  ])
  return {
    unread: Number(count?.n ?? 0),
    items: rows.map((n) => ({
      id: n.id,
      villageId: n.villageId,
      reportId: n.reportId,
      page: n.page,
      title: n.title,
      body: n.body,
      read: n.readAt !== null,
      createdAt: n.createdAt.toISOString(),
    })),
  }
}

/** Marks the caller's notifications read (all of them, or the ids given). */
export async function markRead(db: Db, userId: number, ids: number[] | undefined, now = new Date()): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: now })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    )
}

/** WeChat limits a subscribe message's "thing" fields to 20 characters. */
const thing = (text: string) => (text.length > 20 ? `${text.slice(0, 19)}…` : text)

/**
 * Pushes new inbox entries as WeChat subscribe messages, each once: a row is claimed by a conditional
 * update of `pushed_at` before it is sent, so two servers never send the same one. WeChat refusing (the
 * person has not subscribed) is not retried; the inbox still has it. Entries older than a day are skipped.
 */
export async function pushNotifications(
  db: Db,
  wechat: WechatClient,
  templateId: string,
  now = new Date(),
): Promise<number> {
  const due = await db
    .select({ n: notifications, openid: users.openid })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(and(isNull(notifications.pushedAt), gt(notifications.createdAt, dayjs(now).subtract(1, 'day').toDate())))
    .orderBy(notifications.id)
    .limit(100)
  let sent = 0
  for (const { n, openid } of due) {
    const claim = await db
      .update(notifications)
      .set({ pushedAt: now })
      .where(and(eq(notifications.id, n.id), isNull(notifications.pushedAt)))
    if (affectedRows(claim) !== 1) continue
    const page = noticePage(n)
    const ok = await wechat.sendSubscribeMessage({
      touser: openid,
      templateId,
      page,
      data: { thing1: thing(n.title), thing2: thing(n.body), time3: dateTimeWords(n.createdAt) },
    })
    if (ok) sent++
  }
  return sent
}
