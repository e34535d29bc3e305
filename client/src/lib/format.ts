import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

const SHANGHAI_OFFSET_MINUTES = 8 * 60

/** Shanghai time, whatever the phone's time zone. */
export function shanghaiNow(): dayjs.Dayjs {
  return dayjs().utcOffset(SHANGHAI_OFFSET_MINUTES)
}

export function formatDateTime(iso: string): string {
  return dayjs(iso).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY年M月D日 HH:mm')
}

/** Today in Shanghai as YYYY-MM-DD (who counts as 18 or older depends on the day). */
export function shanghaiToday(): string {
  return shanghaiNow().format('YYYY-MM-DD')
}

export function formatDate(date: string): string {
  return dayjs(date).format('YYYY年M月D日')
}

export function formatFileSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
