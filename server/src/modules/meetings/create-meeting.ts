import { type CreateMeetingBody, ErrorCode } from '@liren/shared/contracts'
import { DEFAULT_OPTIONS, defaultElectorate } from '@liren/shared/rules'
import { audit, type Actor } from '../../core/audit.js'
import { transaction, type Db } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import { agendaItems, meetings, voteOptions, votes } from './tables.js'

/** What is wrong with an agenda item's vote, if anything (a field path and a message). */
function voteProblem(
  vote: NonNullable<CreateMeetingBody['agenda'][number]['vote']>,
  at: string,
): { field: string; message: string } | null {
  const options = vote.options ?? DEFAULT_OPTIONS
  const choosable = options.filter((o) => o.kind !== 'abstain')
  const maxChoices = vote.maxChoices ?? 1
  if (choosable.length === 0) return { field: `${at}.options`, message: '至少要有一个可以选的选项' }
  if (new Set(options.map((o) => o.label.trim())).size !== options.length)
    return { field: `${at}.options`, message: '选项不能重名' }
  const motion = options.some((o) => o.kind === 'agree' || o.kind === 'oppose')
  if (motion && options.some((o) => o.kind === 'choice'))
    return { field: `${at}.options`, message: '同意/反对的表决不能再混入其他方案' }
  if (motion && maxChoices !== 1) return { field: `${at}.maxChoices`, message: '同意/反对的表决只能选一项' }
  if (maxChoices > choosable.length) return { field: `${at}.maxChoices`, message: `最多只能选 ${choosable.length} 项` }
  return null
}

/** The committee drafts a meeting with its agenda; each item may carry a vote. */
export async function createMeeting(
  db: Db,
  actor: Actor,
  villageId: number,
  body: CreateMeetingBody,
  now = new Date(),
): Promise<number> {
  const startsAt = new Date(body.startsAt)
  const commentsCloseAt = body.commentsCloseAt ? new Date(body.commentsCloseAt) : null
  const problems = [
    ...(commentsCloseAt && commentsCloseAt > startsAt
      ? [{ field: 'commentsCloseAt', message: '征求意见要在开会以前截止' }]
      : []),
    ...(commentsCloseAt && commentsCloseAt < now
      ? [{ field: 'commentsCloseAt', message: '征求意见的截止时间已经过了' }]
      : []),
    ...body.agenda
      .flatMap((item, i) => (item.vote ? [voteProblem(item.vote, `agenda.${i}.vote`)] : []))
      .filter((p) => p !== null),
  ]
  if (problems.length) throw new AppError(400, ErrorCode.VALIDATION_FAILED, problems[0]!.message, problems)
  return transaction(db, async (tx) => {
    const [{ id }] = (await tx
      .insert(meetings)
      .values({
        villageId,
        kind: body.kind,
        title: body.title.trim(),
        description: body.description?.trim() ?? '',
        place: body.place.trim(),
        startsAt,
        commentsCloseAt,
        online: body.online,
        createdBy: actor.userId,
      })
      .$returningId()) as [{ id: number }]
    for (const [i, item] of body.agenda.entries()) {
      const [{ id: itemId }] = (await tx
        .insert(agendaItems)
        .values({
          meetingId: id,
          position: i + 1,
          title: item.title.trim(),
          description: item.description?.trim() ?? '',
        })
        .$returningId()) as [{ id: number }]
      if (!item.vote) continue
      const v = item.vote
      const [{ id: voteId }] = (await tx
        .insert(votes)
        .values({
          meetingId: id,
          agendaItemId: itemId,
          question: v.question.trim(),
          secret: v.secret,
          electorate: v.electorate ?? defaultElectorate(body.kind),
          passRule: v.passRule ?? 'majority',
          maxChoices: v.maxChoices ?? 1,
        })
        .$returningId()) as [{ id: number }]
      await tx.insert(voteOptions).values(
        (v.options ?? DEFAULT_OPTIONS).map((o, position) => ({
          voteId,
          position: position + 1,
          label: o.label.trim(),
          kind: o.kind,
        })),
      )
    }
    await audit(tx, actor, {
      villageId,
      action: 'meeting.created',
      entity: 'meeting',
      entityId: id,
      data: { kind: body.kind, items: body.agenda.length },
    })
    return id
  })
}
