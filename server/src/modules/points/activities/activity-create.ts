import type { Activity, CreateActivityBody } from '@liren/shared/contracts'
import { audit, type Actor } from '../../../core/audit.js'
import { transaction, type Db } from '../../../core/db.js'
import { invalid } from '../../../core/errors.js'
import { findActivity, toActivity } from './activity-view.js'
import { activities } from '../tables.js'

/** The committee publishes a volunteer activity; points are earned by the `volunteer_hour` rule. */
export async function createActivity(
  db: Db,
  actor: Actor,
  villageId: number,
  body: CreateActivityBody,
): Promise<Activity> {
  const startsAt = new Date(body.startsAt)
  const endsAt = new Date(body.endsAt)
  if (endsAt <= startsAt) throw invalid('endsAt', '结束时间必须晚于开始时间')
  return transaction(db, async (tx) => {
    const [{ id }] = (await tx
      .insert(activities)
      .values({
        villageId,
        title: body.title,
        description: body.description,
        place: body.place,
        startsAt,
        endsAt,
        capacity: body.capacity,
        pointsMode: body.pointsMode,
        points: body.points,
        createdBy: actor.userId,
      })
      .$returningId()) as [{ id: number }]
    await audit(tx, actor, {
      villageId,
      action: 'activity.created',
      entity: 'activity',
      entityId: id,
      data: { title: body.title, startsAt: body.startsAt, capacity: body.capacity },
    })
    return toActivity(await findActivity(tx, villageId, id), null)
  })
}
