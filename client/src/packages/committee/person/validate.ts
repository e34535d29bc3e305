import dayjs from 'dayjs'
import type { Gender, Person, PersonPatch } from '@liren/shared/contracts'
import { MAX_AGE } from '@liren/shared/rules'

export interface PersonDraft {
  name: string
  gender: Gender
  birthDate: string
  relation: string
  phone: string
}

export type PersonField = keyof PersonDraft
export type PersonErrors = Partial<Record<PersonField, string>>
export const PERSON_FIELDS: readonly PersonField[] = ['name', 'gender', 'birthDate', 'relation', 'phone']

// The contract's pattern for 联系电话: a mobile number, or a landline with its area code.
const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/

export function draftOf(person: Person): PersonDraft {
  return {
    name: person.name,
    gender: person.gender,
    birthDate: person.birthDate,
    relation: person.relation,
    phone: person.phone ?? '',
  }
}

/** A real calendar day written YYYY-MM-DD (1990-02-30 is not). */
export function isRealDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && dayjs(text).format('YYYY-MM-DD') === text
}

export function validatePerson(draft: PersonDraft, today: string): PersonErrors {
  const errors: PersonErrors = {}
  const name = draft.name.trim()
  if (!name) errors.name = '请填写姓名'
  else if (name.length > 20) errors.name = '姓名最多 20 个字'
  const birth = draft.birthDate.trim()
  if (!birth) errors.birthDate = '请选出生日期'
  else if (!isRealDate(birth)) errors.birthDate = '请重新选出生日期'
  else if (birth > today) errors.birthDate = '出生日期不能晚于今天'
  else if (dayjs(today).diff(birth, 'year') > MAX_AGE) errors.birthDate = `出生日期不对（年龄不能超过 ${MAX_AGE} 岁）`
  const relation = draft.relation.trim()
  if (!relation) errors.relation = '请选择与户主的关系'
  else if (relation.length > 16) errors.relation = '最多 16 个字'
  const phone = draft.phone.trim()
  if (phone && !PHONE.test(phone)) errors.phone = '请写 11 位手机号，或带区号的座机号，例如 0571-88001234'
  return errors
}

/** Only what changed; null when nothing did. */
export function personPatch(person: Person, draft: PersonDraft): PersonPatch | null {
  const patch: PersonPatch = {}
  const name = draft.name.trim()
  const relation = draft.relation.trim()
  const phone = draft.phone.trim() || null
  if (name !== person.name) patch.name = name
  if (draft.gender !== person.gender) patch.gender = draft.gender
  if (draft.birthDate.trim() !== person.birthDate) patch.birthDate = draft.birthDate.trim()
  if (relation !== person.relation) patch.relation = relation
  if (phone !== person.phone) patch.phone = phone
  return Object.keys(patch).length ? patch : null
}
