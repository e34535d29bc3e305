import { describe, expect, it } from 'vitest'
import { maskName } from './privacy.js'

describe('maskName', () => {
  it('keeps the first and last character', () => {
    expect(maskName('张小明')).toBe('张*明')
    expect(maskName('李梅')).toBe('李*')
    expect(maskName('欧阳春华')).toBe('欧**华')
    expect(maskName('王')).toBe('王')
  })
})
