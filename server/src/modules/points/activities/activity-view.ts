import { ErrorCode, type Activity, type Signup, type SignupStatus } from '@liren/shared/contracts'
import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../../core/db.js'
import { villageRow } from '../../../core/village-rows.js'
import { AppError, forbidden, notFound } from '../../../core/errors.js'
import { can } from '@liren/shared/rules'
import { identityTables, myPersonId, type VillageMember } from '../../identity/index.js'
import { activities, activitySignups, pointEntries } from '../tables.js'

const { persons } = identityTables

export type ActivityRow = typeof activities.$inferSelect

export function activityStatus(a: ActivityRow, now: Date): Activity['status'] {
  if (a.cancelledAt) return 'cancelled'
  if (now < a.startsAt) return 'upcoming'
  if (now < a.endsAt) return 'ongoing'
  return 'ended'
}

export const toActivity = (a: ActivityRow, mySignup: SignupStatus | null, now = new Date()): Activity => ({
  id: a.id,
  title: a.title,
  description: a.description,
  place: a.place,
  startsAt: a.startsAt.toISOString(),
  endsAt: a.endsAt.toISOString(),
  capacity: a.capacity,
  signedUp: a.signedUp,
  pointsMode: a.pointsMode,
  points: a.points,
  status: activityStatus(a, now),
  mySignup,
})

export const activityNotFound = () => notFound(ErrorCode.ACTIVITY_NOT_FOUND, '找不到这个活动', 'activityId')

/** An activity of this village; another village's activity is as good as missing. */
export async function findActivity(db: Executor, villageId: number, activityId: number): Promise<ActivityRow> {
  const a = await villageRow(db, activities, villageId, activityId)
  if (!a) throw activityNotFound()
  return a
}

/**
 * Whom a member's step on an activity is for: themself, or (`forPersonId`) a villager without the app,
 * which is the organiser's work; anyone else is refused with `refusal`.
 */
export function actingFor(member: VillageMember, forPersonId: number | undefined, refusal: string) {
  const organiser = forPersonId !== undefined
  if (organiser && !can(member, 'activities.manage')) throw forbidden(refusal)
  return { organiser, personId: forPersonId ?? myPersonId(member) }
}

/** No cancel route yet, but a cancelled activity takes no more sign-ups, attendance or hours. */
export function refuseCancelled(a: ActivityRow): void {
  if (a.cancelledAt) throw notFound(ErrorCode.ACTIVITY_NOT_FOUND, '这个活动已经取消了', 'activityId')
}

export async function mySignupStatus(
  db: Executor,
  activityId: number,
  personId: number | null,
): Promise<SignupStatus | null> {
  if (personId === null) return null
  const [s] = await db
    .select({ status: activitySignups.status })
    .from(activitySignups)
    .where(and(eq(activitySignups.activityId, activityId), eq(activitySignups.personId, personId)))
  return s?.status ?? null
}

/** An activity as the caller sees it (with their own sign-up). */
export async function activityFor(
  db: Executor,
  villageId: number,
  activityId: number,
  personId: number | null,
): Promise<Activity> {
  const a = await findActivity(db, villageId, activityId)
  return toActivity(a, await mySignupStatus(db, activityId, personId))
}

const signupColumns = {
  s: activitySignups,
  name: persons.name,
  points: pointEntries.amount,
}
type SignupJoin = { s: typeof activitySignups.$inferSelect; name: string; points: number | null }

const toSignup = ({ s, name, points }: SignupJoin): Signup => ({
  personId: s.personId,
  name,
  status: s.status,
  checkedInAt: s.checkedInAt?.toISOString() ?? null,
  checkedOutAt: s.checkedOutAt?.toISOString() ?? null,
  confirmedMinutes: s.confirmedMinutes,
  points: points ?? null,
})

function signupQuery(db: Executor) {
  return db
    .select(signupColumns)
    .from(activitySignups)
    .innerJoin(persons, eq(persons.id, activitySignups.personId))
    .leftJoin(pointEntries, eq(pointEntries.id, activitySignups.entryId))
}

export async function loadSignup(db: Executor, activityId: number, personId: number): Promise<Signup> {
  const [row] = await signupQuery(db).where(
    and(eq(activitySignups.activityId, activityId), eq(activitySignups.personId, personId)),
  )
  if (!row) throw notSignedUp('这个人没有报名这个活动', 'personId')
  return toSignup(row)
}

export async function loadSignups(db: Executor, activityId: number): Promise<Signup[]> {
  return (await signupQuery(db).where(eq(activitySignups.activityId, activityId)).orderBy(activitySignups.id)).map(
    toSignup,
  )
}

/** `field` names the request field at fault when the organiser named the person. */
export const notSignedUp = (message: string, field?: string) =>
  new AppError(409, ErrorCode.NOT_SIGNED_UP, message, field ? [{ field, message }] : undefined)
