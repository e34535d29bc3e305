import type { CreateVillageBody, VillageKind } from '@liren/shared/contracts'

export interface VillageDraft {
  name: string
  kind: VillageKind
  code: string
}
export type VillageField = keyof VillageDraft
export type VillageErrors = Partial<Record<VillageField, string>>
export const VILLAGE_FIELDS: readonly VillageField[] = ['name', 'kind', 'code']

// The contract's VillageCode: it appears in addresses and in Open311, hence plain ASCII.
const CODE = /^[a-z0-9][a-z0-9-]*$/

export function validateVillage(draft: VillageDraft, withCode: boolean): VillageErrors {
  const errors: VillageErrors = {}
  const name = draft.name.trim()
  if (!name) errors.name = '请填写名称'
  else if (name.length < 2 || name.length > 64) errors.name = '名称要写 2 到 64 个字'
  if (withCode) {
    const code = draft.code.trim()
    if (!code) errors.code = '请填写代码'
    else if (code.length < 2 || code.length > 32) errors.code = '代码要写 2 到 32 个字符'
    else if (!CODE.test(code)) errors.code = '代码只能用小写字母、数字和“-”，并以字母或数字开头，例如 lijia-village'
  }
  return errors
}

export function createBody(draft: VillageDraft): CreateVillageBody {
  return { code: draft.code.trim(), name: draft.name.trim(), kind: draft.kind }
}

export const KIND_CHOICES = [
  { value: 'rural' as const, label: '村（农村）' },
  { value: 'urban' as const, label: '社区（城镇）' },
]

export function kindLabel(kind: VillageKind): string {
  return kind === 'rural' ? '村' : '社区'
}
