import { ErrorCode } from '@liren/shared/contracts'
import { meetingIsLive } from '@liren/shared/rules'
import { and, eq } from 'drizzle-orm'
import { audit, type Actor } from '../../core/audit.js'
import { isDuplicateKey, transaction, type Db } from '../../core/db.js'
import { AppError, conflict } from '../../core/errors.js'
import { identityTables } from '../identity/index.js'
import { award } from '../points/index.js'
import { findMeeting } from './access.js'
import { findPoint } from './counting-points.js'
import { cancelInPerson } from './proxies.js'
import { meetingAttendance, meetingRoll } from './tables.js'

const { persons } = identityTables

/**
 * Records that a person on the roll is at the meeting (实到), once, at one counting point (the 主会场 unless
 * a 流动票箱 or 分会场 is named): signed in anywhere already, a second sign-in is refused. The committee
 * does it for villagers without a phone. Attending pays the meeting rule's points once, and ends any
 * proxy authorisation the person gave for the meeting (they are here to vote themself), in the same transaction.
 */
export async function checkIn(
  db: Db,
  actor: Actor,
  villageId: number,
  meetingId: number,
  personId: number,
  countingPointId?: number,
): Promise<void> {
  try {
    await transaction(
      db,
      async (tx) => {
        const m = await findMeeting(tx, villageId, meetingId, true)
        if (!meetingIsLive(m.state)) throw conflict(ErrorCode.MEETING_STATE, '会议还没通知或已经散会，不能签到')
        // The roll is taken at the notice; someone who moved away or died since is on it but attends no more.
        const [onRoll] = await tx
          .select({ personId: meetingRoll.personId })
          .from(meetingRoll)
          .innerJoin(persons, and(eq(persons.id, meetingRoll.personId), eq(persons.status, 'resident')))
          .where(and(eq(meetingRoll.meetingId, m.id), eq(meetingRoll.personId, personId)))
        if (!onRoll)
          throw new AppError(404, ErrorCode.NOT_ON_ROLL, '这个人不在这次会议的名单上', [
            { field: 'personId', message: '不在名单上' },
          ])
        const point = countingPointId ? await findPoint(tx, m.id, countingPointId) : null
        await cancelInPerson(tx, m.id, personId)
        await tx.insert(meetingAttendance).values({
          meetingId: m.id,
          personId,
          countingPointId: point && point.kind !== 'venue' ? point.id : null,
          recordedBy: actor.userId,
        })
        try {
          await award(tx, {
            villageId,
            personId,
            ruleCode: 'meeting_attendance',
            reason: `参加会议：${m.title}`,
            ref: { type: 'meeting', id: m.id },
            key: `meeting:${m.id}:attendance:${personId}`,
            createdBy: actor.userId,
          })
        } catch (err) {
          // A village without the rule, or a person at the day's cap, is still present.
          if (!(
            err instanceof AppError &&
            (err.code === ErrorCode.CAP_REACHED || err.code === ErrorCode.RULE_NOT_FOUND)
          ))
            throw err
        }
        await audit(tx, actor, {
          villageId,
          action: 'meeting.checked_in',
          entity: 'meeting',
          entityId: m.id,
          data: { personId, countingPointId: point?.id ?? null },
        })
      },
      { readCommitted: true },
    )
  } catch (err) {
    if (isDuplicateKey(err, 'PRIMARY'))
      throw conflict(ErrorCode.ALREADY_CONFIRMED, '已经签过到了（每人只在一个地方签到一次）')
    throw err
  }
}
