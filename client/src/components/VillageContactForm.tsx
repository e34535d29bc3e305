import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { VillageContact } from '@liren/shared/contracts'
import { isPhone } from '@liren/shared/rules'
import { useSubmit } from '../lib/page-hooks'
import { updateVillageContact } from '../services/setup'
import { InputField } from './InputField'
import { FormActions } from './Page'

const FIELDS = ['committeePhone', 'officeHours'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>

/** The committee's office phone and hours, set by the committee or the town admin; empty clears one. */
export function VillageContactForm(props: {
  villageId: number
  committee: string
  contact: VillageContact
  onSaved: (contact: VillageContact) => void
}) {
  const [phone, setPhone] = useState(props.contact.committeePhone ?? '')
  const [hours, setHours] = useState(props.contact.officeHours ?? '')
  const form = useSubmit(FIELDS, (body: VillageContact, { handled }) =>
    updateVillageContact(props.villageId, body, handled),
  )

  async function save() {
    const body: VillageContact = { committeePhone: phone.trim() || null, officeHours: hours.trim() || null }
    const found: Errors = {}
    if (body.committeePhone && !isPhone(body.committeePhone))
      found.committeePhone = '请填手机号（11 位），或带区号的座机，例如 0571-63581234'
    if (body.officeHours && body.officeHours.length > 60) found.officeHours = '办公时间最多 60 个字'
    const saved = await form.submit(body, found)
    if (!saved) return
    void Taro.showToast({ title: '已保存', icon: 'none', duration: 2000 })
    props.onSaved(saved)
  }

  return (
    <>
      <InputField
        label={`${props.committee}电话`}
        hint='手机号或带区号的座机；不填表示不公布'
        type='text'
        inputClassName='contact-form__phone'
        maxLength={20}
        value={phone}
        error={form.errors.committeePhone}
        onChange={setPhone}
      />
      <InputField
        label='办公时间'
        hint='例如：周一至周五 8:30-17:00'
        inputClassName='contact-form__hours'
        maxLength={60}
        value={hours}
        error={form.errors.officeHours}
        onChange={setHours}
      />
      <FormActions form={form} className='contact-form__save' onSubmit={save}>
        保存
      </FormActions>
    </>
  )
}
