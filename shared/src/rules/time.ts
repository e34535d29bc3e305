/**
 * How dates and times read wherever a person sees them (pages, notifications, printed notices):
 * 2026年12月9日 19:30, always with the year, in China time (UTC+8 all year, no summer time), whatever the
 * time zone of the phone or the server.
 */
const CHINA_OFFSET_MS = 8 * 3600_000
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'] as const

/** A calendar day (YYYY-MM-DD) as it is; an instant as the day and time it is in China. */
function chinaClock(at: string | Date): Date {
  const day = typeof at === 'string' ? DAY.exec(at) : null
  if (day) return new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])))
  return new Date(new Date(at).getTime() + CHINA_OFFSET_MS)
}

const two = (n: number) => String(n).padStart(2, '0')

/** 2026年12月9日: a calendar day (YYYY-MM-DD) or the day an instant falls on in China. */
export function dateWords(at: string | Date): string {
  const d = chinaClock(at)
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

/** 2026年12月9日 19:30: an instant in China time. */
export function dateTimeWords(at: string | Date): string {
  const d = chinaClock(at)
  return `${dateWords(at)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`
}

/** 星期三: the day of the week of a calendar day (YYYY-MM-DD) or of an instant in China. */
export function weekdayWords(at: string | Date): string {
  return `星期${WEEKDAYS[chinaClock(at).getUTCDay()]}`
}
