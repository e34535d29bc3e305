import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

const SHANGHAI_OFFSET_MINUTES = 8 * 60

/** Shanghai time, whatever the phone's time zone. */
export function shanghaiNow(): dayjs.Dayjs {
  return dayjs().utcOffset(SHANGHAI_OFFSET_MINUTES)
}

/** Every date and time a page shows reads one way: 2026年12月9日 19:30, China time (shared/src/rules/time.ts). */
export { dateTimeWords as formatDateTime, dateWords as formatDate, weekdayWords } from '@liren/shared/rules'

/** Today in Shanghai as YYYY-MM-DD (who counts as 18 or older depends on the day). */
export function shanghaiToday(): string {
  return shanghaiNow().format('YYYY-MM-DD')
}

export function formatFileSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** 19:32: the time of day in China, for what happened today (who arrived when). */
export function formatClock(at: string): string {
  return dayjs(at).utcOffset(SHANGHAI_OFFSET_MINUTES).format('HH:mm')
}
