/** Today's date (YYYY-MM-DD) where the villages are: Asia/Shanghai, UTC+8 all year. */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}
