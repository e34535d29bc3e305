import { describe, expect, test } from 'vitest'
import { dateTimeWords, dateWords, weekdayWords } from './time.js'

describe('dates as people read them', () => {
  test('an instant reads in China time, with the year, whatever the zone it was written in', () => {
    expect(dateTimeWords('2026-12-09T11:30:00.000Z')).toBe('2026年12月9日 19:30')
    expect(dateTimeWords('2026-12-09T19:30:00+08:00')).toBe('2026年12月9日 19:30')
    expect(dateTimeWords(new Date('2026-12-31T16:05:00Z'))).toBe('2027年1月1日 00:05')
  })

  test('a calendar day stays the day it names; an instant is the day it is in China', () => {
    expect(dateWords('1958-03-02')).toBe('1958年3月2日')
    expect(dateWords('2026-12-09T17:00:00Z')).toBe('2026年12月10日')
  })

  test('the day of the week', () => {
    expect(weekdayWords('2026-12-12')).toBe('星期六')
    expect(weekdayWords('2026-12-13T01:00:00+08:00')).toBe('星期日')
  })
})
