import { describe, expect, it } from 'vitest'
import { birthYearProblem, placeWords, roleLabel } from './identity.js'

describe('identity rules', () => {
  it('uses 村民 for rural villages and 居民 for urban communities', () => {
    expect(placeWords('rural').member).toBe('村民')
    expect(placeWords('urban').member).toBe('居民')
    expect(roleLabel('committee', 'rural')).toBe('村委会')
    expect(roleLabel('committee', 'urban')).toBe('居委会')
  })

  it('refuses birth years in the future or beyond a human lifetime', () => {
    expect(birthYearProblem(1950, 2026)).toBeNull()
    expect(birthYearProblem(2026, 2026)).toBeNull()
    expect(birthYearProblem(2027, 2026)).toMatch('晚于今年')
    expect(birthYearProblem(1900, 2026)).toMatch('年龄')
  })
})
