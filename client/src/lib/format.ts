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
