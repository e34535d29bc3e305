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

/** Defaults: next Saturday (a week on, if today is one), 9:00 to 11:00, when most people are free. */
export function defaultDraft(now: dayjs.Dayjs): ActivityDraft {
  const saturday = now.add(6 - now.day() || 7, 'day')
  return {
    title: '',
    description: '',
    place: '',
    date: saturday.format('YYYY-MM-DD'),
    startTime: '09:00',
    endTime: '11:00',
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
  if (!dateOk) errors.date = '请选哪一天'
  if (!TIME.test(draft.startTime)) errors.startTime = '请选几点开始'
  if (!TIME.test(draft.endTime)) errors.endTime = '请选几点结束'
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
