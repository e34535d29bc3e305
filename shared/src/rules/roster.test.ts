import { describe, expect, it } from 'vitest'
import { pointInPolygon } from './geo.js'
import { ageOn, isAdultOn, representativeWarnings, rosterCounts } from './roster.js'

describe('isAdultOn', () => {
  it('counts someone as 18 from their 18th birthday on', () => {
    expect(isAdultOn('2008-11-22', '2026-11-21')).toBe(false)
    expect(isAdultOn('2008-11-22', '2026-11-22')).toBe(true)
    expect(isAdultOn('2008-11-22', '2026-11-23')).toBe(true)
    expect(ageOn('2008-11-22', '2026-11-21')).toBe(17)
  })

  it('lets a 29 February child turn 18 on 28 February of a common year', () => {
    expect(isAdultOn('2008-02-29', '2026-02-27')).toBe(false)
    expect(isAdultOn('2008-02-29', '2026-02-28')).toBe(true)
    expect(ageOn('2008-02-29', '2026-02-27')).toBe(17)
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(18)
    expect(ageOn('2008-02-29', '2028-02-28')).toBe(19)
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20)
  })
})

describe('representativeWarnings (one per 5–15 households, women a third or more)', () => {
  it('is quiet within the law', () => {
    expect(representativeWarnings(30, 3, 1)).toEqual([])
    expect(representativeWarnings(30, 6, 2)).toEqual([])
    expect(representativeWarnings(4, 1, 1)).toEqual([])
  })
  it('names each problem', () => {
    expect(representativeWarnings(31, 2, 1).map((w) => w.code)).toEqual(['TOO_FEW_REPRESENTATIVES'])
    expect(representativeWarnings(30, 7, 3).map((w) => w.code)).toEqual(['TOO_MANY_REPRESENTATIVES'])
    expect(representativeWarnings(30, 4, 1).map((w) => w.code)).toEqual(['TOO_FEW_WOMEN_REPRESENTATIVES'])
    expect(representativeWarnings(30, 3, 0)[0]!.message).toContain('三分之一')
  })
})

describe('rosterCounts', () => {
  it('counts residents only, adults on the date, and representatives', () => {
    const people = [
      { gender: 'male' as const, birthDate: '1950-01-01', status: 'resident' as const, representative: true },
      { gender: 'female' as const, birthDate: '1955-06-01', status: 'resident' as const, representative: true },
      { gender: 'female' as const, birthDate: '2010-01-01', status: 'resident' as const, representative: false },
      { gender: 'male' as const, birthDate: '1930-01-01', status: 'deceased' as const, representative: true },
      { gender: 'male' as const, birthDate: '1980-01-01', status: 'moved_out' as const, representative: false },
    ]
    expect(rosterCounts(people, 10, '2026-11-22')).toEqual({
      on: '2026-11-22',
      households: 10,
      people: 3,
      adults: 2,
      representatives: 2,
      womenRepresentatives: 1,
      warnings: [],
    })
  })
})

describe('pointInPolygon', () => {
  const square: [number, number][] = [
    [120, 30],
    [121, 30],
    [121, 31],
    [120, 31],
  ]
  it('tells inside from outside', () => {
    expect(pointInPolygon([120.5, 30.5], square)).toBe(true)
    expect(pointInPolygon([121.5, 30.5], square)).toBe(false)
  })
})
