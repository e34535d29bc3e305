import type { Activity } from '@liren/shared/contracts'
import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../../core/db.js'
import { toActivity } from './activity-view.js'
import { activities, activitySignups } from '../tables.js'

/** Enough for years of a village's activities; the list has no paging yet. */
const LIMIT = 200

/** A village's activities, the latest start first, each with the caller's own sign-up. */
export function listActivities(db: Executor, villageId: number, personId: number | null): Promise<Activity[]> {
  const mine =
    personId === null
      ? sql`FALSE`
      : and(eq(activitySignups.activityId, activities.id), eq(activitySignups.personId, personId))
  return activityRows(db, villageId, mine, false)
}

/** 我的报名: the village's activities the caller signed up for (a cancelled sign-up too), the latest start first. */
export async function listMySignups(db: Executor, villageId: number, personId: number | null): Promise<Activity[]> {
  if (personId === null) return []
  const mine = and(eq(activitySignups.activityId, activities.id), eq(activitySignups.personId, personId))
  return activityRows(db, villageId, mine, true)
}

async function activityRows(db: Executor, villageId: number, mine: SQL | undefined, onlyMine: boolean) {
  const query = db.select({ a: activities, mySignup: activitySignups.status }).from(activities).$dynamic()
  const rows = await (onlyMine ? query.innerJoin(activitySignups, mine) : query.leftJoin(activitySignups, mine))
    .where(eq(activities.villageId, villageId))
    .orderBy(desc(activities.startsAt), desc(activities.id))
    .limit(LIMIT)
  const now = new Date()
  return rows.map(({ a, mySignup }) => toActivity(a, mySignup, now))
}
