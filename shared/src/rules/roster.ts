import dayjs from 'dayjs'
import type { Gender, PersonStatus, RosterCounts, RosterWarning } from '../contracts/roster.js'

export const ADULT_AGE = 18

/**
 * Aged 18 or older on `on` (YYYY-MM-DD): the 18th birthday falls on or before that day.
 * Someone born on 29 February turns 18 on 28 February of a common year (dayjs's month arithmetic).
 */
export function isAdultOn(birthDate: string, on: string): boolean {
  return !dayjs(birthDate).add(ADULT_AGE, 'year').isAfter(dayjs(on), 'day')
}

export function ageOn(birthDate: string, on: string): number {
  return dayjs(on).diff(dayjs(birthDate), 'year')
}

export interface CountablePerson {
  gender: Gender
  birthDate: string
  status: PersonStatus
  representative: boolean
}

/**
 * What the law cares about (村民委员会组织法 第二十五条): representatives are elected one per five to
 * fifteen households, and women make up at least one third of them.
 */
export function representativeWarnings(households: number, representatives: number, womenRepresentatives: number): RosterWarning[] {
  const warnings: RosterWarning[] = []
  const fewest = Math.ceil(households / 15)
  const most = Math.floor(households / 5)
  if (households > 0 && representatives < fewest) {
    warnings.push({ code: 'TOO_FEW_REPRESENTATIVES', message: `村民代表太少：${households} 户至少需要 ${fewest} 名（每 5 至 15 户推选 1 名），现有 ${representatives} 名` })
  } else if (representatives > Math.max(most, 1)) {
    warnings.push({ code: 'TOO_MANY_REPRESENTATIVES', message: `村民代表太多：${households} 户最多 ${Math.max(most, 1)} 名（每 5 至 15 户推选 1 名），现有 ${representatives} 名` })
  }
  if (representatives > 0 && womenRepresentatives * 3 < representatives) {
    warnings.push({ code: 'TOO_FEW_WOMEN_REPRESENTATIVES', message: `妇女代表应占村民代表的三分之一以上：现有 ${representatives} 名代表中妇女 ${womenRepresentatives} 名` })
  }
  return warnings
}

/** Derived counts of a roster on a date. People who moved out or died are not counted. */
export function rosterCounts(people: readonly CountablePerson[], households: number, on: string): RosterCounts {
  const residents = people.filter((p) => p.status === 'resident')
  const representatives = residents.filter((p) => p.representative)
  const womenRepresentatives = representatives.filter((p) => p.gender === 'female').length
  return {
    on,
    households,
    people: residents.length,
    adults: residents.filter((p) => isAdultOn(p.birthDate, on)).length,
    representatives: representatives.length,
    womenRepresentatives,
    warnings: representativeWarnings(households, representatives.length, womenRepresentatives),
  }
}

export const GENDER_LABEL: Record<Gender, string> = { male: '男', female: '女' }
export const PERSON_STATUS_LABEL: Record<PersonStatus, string> = { resident: '在册', moved_out: '迁出', deceased: '去世' }
export const RELATIONS = ['户主', '配偶', '子女', '父母', '孙子女', '兄弟姐妹', '儿媳', '女婿', '祖父母', '其他'] as const
