import type { RuleSource } from '../contracts/points.js'

export const DEFAULT_STAR_THRESHOLDS = [50, 150, 300, 600, 1000]

/** Stars by lifetime score: one for each village threshold reached (thresholds ascending). */
export function starsFor(
  lifetimeScore: number,
  thresholds: readonly number[],
): { stars: number; nextStarAt: number | null } {
  const stars = thresholds.filter((t) => lifetimeScore >= t).length
  return { stars, nextStarAt: thresholds[stars] ?? null }
}

/** Points for confirmed service minutes: per hour (rounded to the nearest point), or a fixed amount. */
export function pointsForMinutes(
  activity: { pointsMode: 'per_hour' | 'fixed'; points: number },
  minutes: number,
): number {
  return activity.pointsMode === 'per_hour' ? Math.round((activity.points * minutes) / 60) : activity.points
}

/** Service minutes as hours for people: 90 → "1.5", 120 → "2". */
export function hoursText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}` : (minutes / 60).toFixed(1)
}

/** The rules the app applies by itself when the thing is done, by code; every other rule is given by the committee. */
const AUTOMATIC_RULES: Readonly<Record<string, RuleSource>> = {
  valid_report: 'report',
  meeting_attendance: 'meeting',
  vote: 'vote',
  volunteer_hour: 'activity',
}

/** Who confirms a rule's points: the app, on a finished report, meeting, vote or activity; or the committee. */
export const ruleSource = (code: string): RuleSource => AUTOMATIC_RULES[code] ?? 'committee'
