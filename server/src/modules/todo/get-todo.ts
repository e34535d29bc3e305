import type { Todo } from '@liren/shared/contracts'
import { can } from '@liren/shared/rules'
import type { Executor } from '../../core/db.js'
import { countPendingApplications, countUnread, type VillageMember } from '../identity/index.js'
import { votesAwaiting } from '../meetings/index.js'
import { countApprovalsToCheck, countOrdersToFulfil } from '../points/index.js'
import { countToHandle } from '../reports/index.js'

/**
 * 待办: what waits for the caller in a village, each count asked of the database at once and only where
 * the caller's roles let them act on it (the committee's counts never reach a resident).
 */
export async function getTodo(db: Executor, member: VillageMember, userId: number, now = new Date()): Promise<Todo> {
  const { villageId } = member
  const only = <T>(allowed: boolean, count: () => Promise<T>) => (allowed ? count() : undefined)
  const [applications, reports, orders, approvals, votes, unread] = await Promise.all([
    only(can(member, 'applications.review'), () => countPendingApplications(db, villageId)),
    countToHandle(db, member, villageId, now),
    only(can(member, 'shop.manage'), () => countOrdersToFulfil(db, villageId, now)),
    only(can(member, 'points.manage'), () => countApprovalsToCheck(db, villageId, userId)),
    votesAwaiting(db, villageId, member.personId),
    countUnread(db, userId),
  ])
  return { applications, reports: reports ?? undefined, orders, approvals, votes, unread }
}
