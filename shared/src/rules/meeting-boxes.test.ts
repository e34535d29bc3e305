import { describe, expect, it } from 'vitest'
import {
  MAX_PRINCIPALS_PER_PROXY,
  boxCountsProblem,
  boxVoid,
  boxVoidReason,
  proxyCanTakeAnother,
  tellersValid,
} from './meeting-boxes.js'

describe('proxies (委托投票)', () => {
  it('a proxy holds at most three principals: the fourth is refused', () => {
    expect(MAX_PRINCIPALS_PER_PROXY).toBe(3)
    expect([0, 1, 2, 3, 4].map(proxyCanTakeAnother)).toEqual([true, true, true, false, false])
  })
})

describe('ballot boxes (流动票箱、分会场)', () => {
  it('a box is void when it held more ballots than the voters signed in there, not when it held as many', () => {
    expect(boxVoid(5, 5)).toBe(false)
    expect(boxVoid(0, 0)).toBe(false)
    expect(boxVoid(4, 5)).toBe(false)
    expect(boxVoid(6, 5)).toBe(true)
    expect(boxVoid(1, 0)).toBe(true)
    expect(boxVoidReason(6, 5)).toContain('作废')
    expect(boxVoidReason(6, 5)).toContain('6')
  })

  it('counts must fit the ballots the box held: per option, and all marks at most maxChoices a ballot', () => {
    expect(boxCountsProblem([{ count: 3 }, { count: 2 }], 5, 1)).toBeNull()
    expect(boxCountsProblem([{ count: 6 }], 5, 1)).toContain('5')
    expect(boxCountsProblem([{ count: 3 }, { count: 3 }], 5, 1)).not.toBeNull()
    expect(boxCountsProblem([{ count: 5 }, { count: 5 }], 5, 2)).toBeNull()
    expect(boxCountsProblem([{ count: 5 }, { count: 5 }, { count: 1 }], 5, 2)).toContain('最多选 2 项')
  })

  it('a point has two or more tellers, each a different person', () => {
    expect(tellersValid([1, 2])).toBe(true)
    expect(tellersValid([1, 2, 3])).toBe(true)
    expect(tellersValid([1])).toBe(false)
    expect(tellersValid([1, 1])).toBe(false)
    expect(tellersValid([1, 2, 1])).toBe(false)
  })
})
