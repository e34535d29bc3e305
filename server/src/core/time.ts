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

/** An instant as people read it in China: "2026年12月9日 19:30". */
export function chinaDateTimeWords(at: Date): string {
  const [day, time] = chinaDateTime(at).split(' ')
  return `${dateWords(day!)} ${time}`
}

/** A calendar date (YYYY-MM-DD) in words: "1958年3月21日". */
export function dateWords(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/** The month (YYYY-MM) an instant falls in, in China. */
export const chinaMonth = (at: Date) => chinaDateTime(at).slice(0, 7)

/** The instant a day (YYYY-MM-DD) begins in China. */
export const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`)

/** Start and end (UTC instants) of a month (YYYY-MM) in China. */
export function monthRange(month: string): [Date, Date] {
  return [chinaMidnight(`${month}-01`), chinaMidnight(`${dayjs(`${month}-01`).add(1, 'month').format('YYYY-MM')}-01`)]
}
