import dayjs from 'dayjs'

export const MAX_AGE_YEARS = 120

/** What the audit log says of a phone: whether there is one, never the number (it is kept only encrypted). */
export const phoneForAudit = (phone: string | null | undefined): string => (phone ? '***' : '')

/** A real calendar date (YYYY-MM-DD), not after today, within a lifetime. Returns a Chinese problem or null. */
export function validBirthDate(value: string, today: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const d = m ? dayjs(value) : null
  if (!m || !d || !d.isValid() || d.format('YYYY-MM-DD') !== value) return `出生日期“${value}”不是真实的日期`
  if (d.isAfter(dayjs(today), 'day')) return '出生日期不能晚于今天'
  if (dayjs(today).diff(d, 'year') > MAX_AGE_YEARS) return `出生日期太早（超过 ${MAX_AGE_YEARS} 岁）`
  return null
}

/** Accepts 1990-3-5, 1990/03/05, 1990.3.5, 19900305 and 1990年3月5日; returns YYYY-MM-DD or null. */
export function normalizeDate(raw: string): string | null {
  const s = raw.trim()
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (!m) return null
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
}
