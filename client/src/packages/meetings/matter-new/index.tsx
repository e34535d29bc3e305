import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { CreateMatterBody } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { InputField } from '../../../components/InputField'
import { FormEnd, Page } from '../../../components/Page'
import { TextAreaField } from '../../../components/TextAreaField'
import { useSubmit } from '../../../lib/page-hooks'
import { createMatter } from '../../../services/meetings'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

const FIELDS = ['title', 'description'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>

function check(body: CreateMatterBody): Errors {
  const found: Errors = {}
  if (body.title.length < 2) found.title = '请写是什么事，至少 2 个字'
  if (body.description.length < 2) found.description = '请说明一下要办什么、为什么办，至少 2 个字'
  return found
}

/** 新增重大事项 (committee): a matter that has to go through 四议两公开, before its first stage. */
export default function NewMatter() {
  const { villageId, words } = useMeetingsVillage()
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const form = useSubmit(FIELDS, (body: CreateMatterBody, { handled }) => createMatter(villageId, body, handled), {
    anyRefusal: true,
  })
  const { errors, setErrors } = form
  /** A field's change, which clears what was said about it. */
  const changed = (field: keyof typeof errors, set: (value: string) => void) => (value: string) => {
    set(value)
    setErrors((e) => ({ ...e, [field]: undefined }))
  }

  async function submit() {
    const body: CreateMatterBody = { title: title.trim(), description: description.trim() }
    const matter = await form.submit(body, check(body))
    if (!matter) return
    void Taro.showToast({ title: '已记下', icon: 'success', duration: 1500 })
    await Taro.redirectTo({ url: meetingPaths.matter(villageId, matter.id) })
  }

  return (
    <Page className='matter-new'>
      <View className='lr-muted matter-new__intro'>
        记下要走“四议两公开”的大事。记下后全{words.place}的人都能看到，之后每走一步，在这件事的页面上记一笔。
      </View>
      <Card>
        <InputField
          label='是什么事'
          hint='一句话说清楚'
          error={errors.title}
          inputClassName='matter-new__title'
          value={title}
          maxLength={100}
          placeholder='例如：村东道路硬化工程'
          onChange={changed('title', setTitle)}
        />
        <TextAreaField
          label='说明'
          hint='要办什么、为什么办、大概花多少钱'
          error={errors.description}
          textAreaClassName='lr-textarea--tall matter-new__description'
          value={description}
          maxLength={2000}
          placeholder='例如：村东 800 米土路雨天泥泞，想用村集体收入硬化，预算约 12 万元'
          onChange={changed('description', setDescription)}
        />
      </Card>
      <FormEnd form={form} errorClassName='matter-new__error' className='matter-new__submit' onSubmit={submit}>
        记下这件事
      </FormEnd>
    </Page>
  )
}
