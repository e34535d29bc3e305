import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { VillageContact } from '@liren/shared/contracts'
import { isPhone } from '@liren/shared/rules'
import { draftFields } from '../lib/form-text'
import { useSubmit } from '../lib/page-hooks'
import { updateVillageContact } from '../services/setup'
import { DraftInputFields, type DraftInput } from './InputField'
import { FormActions } from './Page'

const FIELDS = ['committeePhone', 'officeHours'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>
type Draft = Record<(typeof FIELDS)[number], string>

/** The committee's office phone and hours, set by the committee or the town admin; empty clears one. */
export function VillageContactForm(props: {
  villageId: number
  committee: string
  contact: VillageContact
  onSaved: (contact: VillageContact) => void
}) {
  const [draft, setDraft] = useState<Draft>({
    committeePhone: props.contact.committeePhone ?? '',
    officeHours: props.contact.officeHours ?? '',
  })
  const form = useSubmit(FIELDS, (body: VillageContact, { handled }) =>
    updateVillageContact(props.villageId, body, handled),
  )
  const { text } = draftFields(draft, setDraft, form.errors)

  async function save() {
    const body: VillageContact = {
      committeePhone: draft.committeePhone.trim() || null,
      officeHours: draft.officeHours.trim() || null,
    }
    const found: Errors = {}
    if (body.committeePhone && !isPhone(body.committeePhone))
      found.committeePhone = '请填手机号（11 位），或带区号的座机，例如 0571-63581234'
    if (body.officeHours && body.officeHours.length > 60) found.officeHours = '办公时间最多 60 个字'
    const saved = await form.submit(body, found)
    if (!saved) return
    void Taro.showToast({ title: '已保存', icon: 'none', duration: 2000 })
    props.onSaved(saved)
  }

  const inputs: DraftInput<keyof Draft>[] = [
    {
      key: 'committeePhone',
      label: `${props.committee}电话`,
      hint: '手机号或带区号的座机；不填表示不公布',
      inputClassName: 'contact-form__phone',
      maxLength: 20,
    },
    {
      key: 'officeHours',
      label: '办公时间',
      hint: '例如：周一至周五 8:30-17:00',
      inputClassName: 'contact-form__hours',
      maxLength: 60,
    },
  ]
  return (
    <>
      <DraftInputFields inputs={inputs} bind={text} />
      <FormActions form={form} className='contact-form__save' onSubmit={save}>
        保存
      </FormActions>
    </>
  )
}
