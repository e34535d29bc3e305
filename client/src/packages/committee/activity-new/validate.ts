import dayjs from 'dayjs'
import type { CreateActivityBody } from '@liren/shared/contracts'

export interface ActivityDraft {
  title: string
  description: string
  place: string
  date: string
  startTime: string
  endTime: string
  capacity: string
  pointsMode: CreateActivityBody['pointsMode']
  points: string
}

export const ACTIVITY_FIELDS = [
  'title',
  'description',
  'place',
  'date',
  'startTime',
  'endTime',
  'capacity',
  'pointsMode',
  'points',
] as const
export type ActivityErrors = Partial<Record<(typeof ACTIVITY_FIELDS)[number], string>>

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/

/** A Shanghai wall-clock day and time as an ISO instant. */
function instant(date: string, time: string): string {
  return dayjs(`${date}T${time}:00+08:00`).toISOString()
}

/** Defaults: from the next whole hour, for two hours. */
export function defaultDraft(now: dayjs.Dayjs): ActivityDraft {
  const start = now.add(1, 'hour').startOf('hour')
  const end = start.add(2, 'hour')
  return {
    title: '',
    description: '',
    place: '',
    date: start.format('YYYY-MM-DD'),
    startTime: start.format('HH:mm'),
    endTime: end.isSame(start, 'day') ? end.format('HH:mm') : '23:59',
    capacity: '20',
    pointsMode: 'per_hour',
    points: '10',
  }
}

export function toActivityBody(draft: ActivityDraft): { body: CreateActivityBody | null; errors: ActivityErrors } {
  const errors: ActivityErrors = {}
  const title = draft.title.trim()
  const description = draft.description.trim()
  const place = draft.place.trim()
  if (title.length < 2) errors.title = '请写活动名称，至少 2 个字'
  if (!description) errors.description = '请写一下要做什么'
  if (!place) errors.place = '请写在哪里集合'
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(draft.date) && dayjs(draft.date).format('YYYY-MM-DD') === draft.date
  if (!dateOk) errors.date = '请按“年-月-日”写，例如 2026-12-05'
  if (!TIME.test(draft.startTime)) errors.startTime = '请按“时:分”写，例如 09:00'
  if (!TIME.test(draft.endTime)) errors.endTime = '请按“时:分”写，例如 11:30'
  else if (TIME.test(draft.startTime) && draft.endTime <= draft.startTime) errors.endTime = '结束时间要晚于开始时间'
  const capacity = Number(draft.capacity)
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10000) errors.capacity = '请填 1 到 10000 的整数'
  const points = Number(draft.points)
  if (!Number.isInteger(points) || points < 1 || points > 10000) errors.points = '请填 1 到 10000 的整数'
  if (Object.keys(errors).length) return { body: null, errors }
  return {
    body: {
      title,
      description,
      place,
      startsAt: instant(draft.date, draft.startTime),
      endsAt: instant(draft.date, draft.endTime),
      capacity,
      pointsMode: draft.pointsMode,
      points,
    },
    errors,
  }
}
