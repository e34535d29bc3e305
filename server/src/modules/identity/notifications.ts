import type { Notification, VillageKind } from '@liren/shared/contracts'
import { dateTimeWords, placeWords } from '@liren/shared/rules'
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

/**
 * What an applicant is told of the committee's decision, in plain words: welcome, and whether they still
 * wait to be found on the roster (no points account, no online vote until then), or why not.
 */
export function decisionNotice(
  village: { id: number; name: string; kind: VillageKind },
  m: { userId: number; status: string; personId: number | null; rejectReason: string | null },
): Notice {
  const words = placeWords(village.kind)
  const verified = m.status === 'verified'
  const body = !verified
    ? `原因：${m.rejectReason ?? ''}。如有疑问，请联系${words.committee}。`
    : m.personId !== null
      ? '欢迎！现在可以随手拍、参加表决、攒积分了。'
      : `${words.committee}还没把您和花名册对上，暂时没有积分账户，也不能在手机上表决。请找${words.committee}在花名册里关联您。`
  return {
    userId: m.userId,
    villageId: village.id,
    title: `您加入${village.name}的申请${verified ? '已通过' : '没有通过'}`,
    body,
  }
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

/** How many of the caller's notifications are unread. */
export async function countUnread(db: Executor, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`COUNT(*)` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
  return Number(row?.n ?? 0)
}

/** The caller's inbox, newest first, with how many are unread. */
export async function listNotifications(
  db: Executor,
  userId: number,
): Promise<{ unread: number; items: Notification[] }> {
  const [rows, unread] = await Promise.all([
    db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.id)).limit(50),
    countUnread(db, userId),
  ])
  return {
    unread,
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
