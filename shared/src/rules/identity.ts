import type { MembershipStatus, Role, VillageKind } from '../contracts/identity.js'

/** Wording that depends on whether the place is a rural village (村) or an urban community (社区). */
export function placeWords(kind: VillageKind) {
  return kind === 'rural'
    ? { place: '村', member: '村民', committee: '村委会' }
    : { place: '社区', member: '居民', committee: '居委会' }
}

export function roleLabel(role: Role, kind: VillageKind): string {
  const words = placeWords(kind)
  switch (role) {
    case 'resident':
      return words.member
    case 'volunteer':
      return '志愿者'
    case 'grid_worker':
      return '网格员'
    case 'committee':
      return words.committee
    case 'town_admin':
      return '镇（街道）管理员'
  }
}

export const STATUS_LABEL: Record<MembershipStatus, string> = {
  pending: '等待审核',
  verified: '已认证',
  rejected: '未通过',
}

export const MAX_AGE = 120

/** Returns a Chinese problem description, or null when the birth year is plausible in `currentYear`. */
export function birthYearProblem(birthYear: number, currentYear: number): string | null {
  if (birthYear > currentYear) return '出生年份不能晚于今年'
  if (currentYear - birthYear > MAX_AGE) return `出生年份不对（年龄不能超过 ${MAX_AGE} 岁）`
  return null
}
