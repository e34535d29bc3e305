import dayjs from 'dayjs'
import type { VillageKind } from '../contracts/identity.js'
import type { Gender, PersonStatus, RosterCounts, RosterWarning } from '../contracts/roster.js'
import { placeWords } from './identity.js'

export const ADULT_AGE = 18

/** A phone number as the roster and the committee's contact take it: a mobile, or a landline with its area code. */
export const PHONE_PATTERN = '^1\\d{10}$|^0\\d{2,3}-?\\d{7,8}$'
const PHONE = new RegExp(PHONE_PATTERN)
export const isPhone = (text: string): boolean => PHONE.test(text)

/**
 * Aged 18 or older on `on` (YYYY-MM-DD): the 18th birthday falls on or before that day.
 * Someone born on 29 February turns 18 on 28 February of a common year (dayjs's month arithmetic).
 */
export function isAdultOn(birthDate: string, on: string): boolean {
  return !dayjs(birthDate).add(ADULT_AGE, 'year').isAfter(dayjs(on), 'day')
}

/** Whole years lived on `on`, by the same birthday arithmetic as isAdultOn (so ageOn ≥ 18 ⇔ isAdultOn). */
export function ageOn(birthDate: string, on: string): number {
  const birth = dayjs(birthDate)
  const day = dayjs(on)
  const years = day.year() - birth.year()
  return birth.add(years, 'year').isAfter(day, 'day') ? years - 1 : years
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
export function representativeWarnings(
  households: number,
  representatives: number,
  womenRepresentatives: number,
  kind: VillageKind = 'rural',
): RosterWarning[] {
  const warnings: RosterWarning[] = []
  const rep = `${placeWords(kind).member}代表`
  const fewest = Math.ceil(households / 15)
  const most = Math.floor(households / 5)
  if (households > 0 && representatives < fewest) {
    warnings.push({
      code: 'TOO_FEW_REPRESENTATIVES',
      message: `${rep}太少：${households} 户至少需要 ${fewest} 名（每 5 至 15 户推选 1 名），现有 ${representatives} 名`,
    })
  } else if (representatives > Math.max(most, 1)) {
    warnings.push({
      code: 'TOO_MANY_REPRESENTATIVES',
      message: `${rep}太多：${households} 户最多 ${Math.max(most, 1)} 名（每 5 至 15 户推选 1 名），现有 ${representatives} 名`,
    })
  }
  if (representatives > 0 && womenRepresentatives * 3 < representatives) {
    warnings.push({
      code: 'TOO_FEW_WOMEN_REPRESENTATIVES',
      message: `妇女代表应占${rep}的三分之一以上：现有 ${representatives} 名代表中妇女 ${womenRepresentatives} 名`,
    })
  }
  return warnings
}

/** Derived counts of a roster on a date. People who moved out or died are not counted. */
export function rosterCounts(
  people: readonly CountablePerson[],
  households: number,
  on: string,
  kind: VillageKind = 'rural',
): RosterCounts {
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
    warnings: representativeWarnings(households, representatives.length, womenRepresentatives, kind),
  }
}

/** The import template's columns, in order. Import matches headers by these names. */
export const ROSTER_COLUMNS = [
  '户号',
  '住址',
  '网格',
  '姓名',
  '性别',
  '出生日期',
  '与户主关系',
  '联系电话',
  '状态',
  '村民代表',
  '代表户',
  '党员',
  '人员编号',
] as const
export type RosterColumn = (typeof ROSTER_COLUMNS)[number]
export const REQUIRED_ROSTER_COLUMNS: readonly RosterColumn[] = [
  '户号',
  '住址',
  '姓名',
  '性别',
  '出生日期',
  '与户主关系',
]

export const GENDER_LABEL: Record<Gender, string> = { male: '男', female: '女' }
export const PERSON_STATUS_LABEL: Record<PersonStatus, string> = {
  resident: '在册',
  moved_out: '迁出',
  deceased: '去世',
}
export const RELATIONS = [
  '户主',
  '配偶',
  '子女',
  '父母',
  '孙子女',
  '兄弟姐妹',
  '儿媳',
  '女婿',
  '祖父母',
  '其他',
] as const
