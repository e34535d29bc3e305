import { describe, expect, it } from 'vitest'
import { hoursText, pointsForMinutes, ruleSource, starsFor } from './points.js'

describe('points rules', () => {
  it('stars follow the thresholds; the top star has no next', () => {
    expect(starsFor(0, [50, 150])).toEqual({ stars: 0, nextStarAt: 50 })
    expect(starsFor(50, [50, 150])).toEqual({ stars: 1, nextStarAt: 150 })
    expect(starsFor(400, [50, 150])).toEqual({ stars: 2, nextStarAt: null })
  })

  it('service pays per hour (rounded to the nearest point) or a fixed amount', () => {
    expect(pointsForMinutes({ pointsMode: 'fixed', points: 20 }, 17)).toBe(20)
    expect(pointsForMinutes({ pointsMode: 'per_hour', points: 10 }, 120)).toBe(20)
    expect(pointsForMinutes({ pointsMode: 'per_hour', points: 10 }, 95)).toBe(16)
  })

  it('minutes read as hours for people', () => {
    expect([hoursText(0), hoursText(90), hoursText(120), hoursText(50)]).toEqual(['0', '1.5', '2', '0.8'])
  })
})

describe('ruleSource', () => {
  it('names the app for its own rules and the committee for every other code, a prototype name included', () => {
    expect(ruleSource('valid_report')).toBe('report')
    expect(ruleSource('volunteer_hour')).toBe('activity')
    // The fuzz test made a rule coded `constructor`: an object lookup answered Object's constructor (a 500).
    for (const code of ['constructor', 'to_string', '__proto__', 'courtyard_tidy'])
      expect(ruleSource(code)).toBe('committee')
  })
})
