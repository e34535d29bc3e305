import type { Activity } from '@liren/shared/contracts'
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Executor } from '../../../core/db.js'
import { toActivity } from './activity-view.js'
import { activities, activitySignups } from '../tables.js'

/** Enough for years of a village's activities; the list has no paging yet. */
const LIMIT = 200

/** A village's activities, the latest start first, each with the caller's own sign-up. */
export async function listActivities(db: Executor, villageId: number, personId: number | null): Promise<Activity[]> {
  const mine =
    personId === null
      ? sql`FALSE`
      : and(eq(activitySignups.activityId, activities.id), eq(activitySignups.personId, personId))
  const rows = await db
    .select({ a: activities, mySignup: activitySignups.status })
    .from(activities)
    .leftJoin(activitySignups, mine)
    .where(eq(activities.villageId, villageId))
    .orderBy(desc(activities.startsAt), desc(activities.id))
    .limit(LIMIT)
  const now = new Date()
  return rows.map(({ a, mySignup }) => toActivity(a, mySignup, now))
}
