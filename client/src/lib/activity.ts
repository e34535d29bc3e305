import dayjs from 'dayjs'
import type { Activity } from '@liren/shared/contracts'
import { formatDateTime } from './format'

export const ACTIVITY_STATUS_LABEL: Record<Activity['status'], string> = {
  upcoming: '报名中',
  ongoing: '进行中',
  ended: '已结束',
  cancelled: '已取消',
}

/** 2026年11月22日 09:00 到 11:00 (the end day is written out only when it differs). */
export function activityWhen(activity: Pick<Activity, 'startsAt' | 'endsAt'>): string {
  const start = formatDateTime(activity.startsAt)
  const end = formatDateTime(activity.endsAt)
  const sameDay = start.slice(0, start.indexOf('日')) === end.slice(0, end.indexOf('日'))
  return `${start} 到 ${sameDay ? end.slice(end.indexOf('日') + 2) : end}`
}

/** 每小时 10 分 / 参加一次 20 分. */
export function activityPointsText(activity: Pick<Activity, 'pointsMode' | 'points'>): string {
  return activity.pointsMode === 'per_hour' ? `每小时 ${activity.points} 分` : `参加一次 ${activity.points} 分`
}

export { pointsForMinutes } from '@liren/shared/rules'

/** Minutes between check-in and check-out, at least 1; null when either is missing. */
export function minutesBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null
  return Math.max(1, Math.round(dayjs(to).diff(dayjs(from), 'minute', true)))
}
