import dayjs from 'dayjs'

/** Asia/Shanghai is UTC+8 all year: where the villages are and what people read. */
const CHINA = 8 * 3600_000

/** Today's date (YYYY-MM-DD) where the villages are. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + CHINA).toISOString().slice(0, 10)
}

/** An instant as wall time in China: "YYYY-MM-DD HH:mm". */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CHINA).toISOString().slice(0, 16).replace('T', ' ')
}

/** The month (YYYY-MM) an instant falls in, in China. */
export const chinaMonth = (at: Date) => chinaDateTime(at).slice(0, 7)

/** The instant a day (YYYY-MM-DD) begins in China. */
export const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`)

/** Start and end (UTC instants) of a month (YYYY-MM) in China. */
export function monthRange(month: string): [Date, Date] {
  return [chinaMidnight(`${month}-01`), chinaMidnight(`${dayjs(`${month}-01`).add(1, 'month').format('YYYY-MM')}-01`)]
}
