import type { JoinBody } from '@liren/shared/contracts'
import { birthYearProblem } from '@liren/shared/rules'

export type JoinField = 'village' | keyof JoinBody
export type JoinErrors = Partial<Record<JoinField, string>>

export interface JoinDraft {
  villageId: number | null
  realName: string
  householdAddress: string
  birthYear: string
}

// The server holds the exact rule (letters and "·"); this catches the usual slips first.
const NOT_IN_A_NAME = /[0-9\s`~!@#$%^&*()_+=[\]{}|\\:;"'<>,.?/，。、；：？！“”‘’（）【】《》-]/

export function validateJoin(draft: JoinDraft, currentYear: number): JoinErrors {
  const errors: JoinErrors = {}
  if (draft.villageId === null) errors.village = '请选择要加入的村（社区）'
  const name = draft.realName.trim()
  if (!name) errors.realName = '请填写真实姓名'
  else if (name.length < 2 || name.length > 20) errors.realName = '姓名要写 2 到 20 个字'
  else if (NOT_IN_A_NAME.test(name)) errors.realName = '姓名只能写汉字或字母'
  const address = draft.householdAddress.trim()
  if (!address) errors.householdAddress = '请填写家庭住址'
  else if (address.length < 2 || address.length > 100) errors.householdAddress = '住址要写 2 到 100 个字'
  const year = draft.birthYear.trim()
  if (!year) errors.birthYear = '请填写出生年份'
  else if (!/^\d{4}$/.test(year)) errors.birthYear = '请写四位数的年份，例如 1958'
  else {
    const problem = birthYearProblem(Number(year), currentYear)
    if (problem) errors.birthYear = problem
  }
  return errors
}
