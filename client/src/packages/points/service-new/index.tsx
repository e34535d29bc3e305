import Taro from '@tarojs/taro'
import { useState } from 'react'
import type { CreateServiceBody } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { ChoiceField } from '../../../components/Choices'
import { InputField } from '../../../components/InputField'
import { FormActions, Page } from '../../../components/Page'
import { TextAreaField } from '../../../components/TextAreaField'
import { useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { postService } from '../../../services/points'
import './index.css'

type Kind = CreateServiceBody['kind']
const FIELDS = ['kind', 'title', 'description', 'points'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>

const KIND_CHOICES = [
  { value: 'offer' as const, label: '我能帮忙' },
  { value: 'request' as const, label: '我需要帮忙' },
]

export default function NewService() {
  const { villageId } = useVillageMembership()
  const [kind, setKind] = useState<Kind>('request')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [points, setPoints] = useState('5')
  const form = useSubmit(FIELDS, (body: CreateServiceBody, { handled }) => postService(villageId, body, handled))
  const { errors } = form

  function check(): Errors {
    const found: Errors = {}
    const n = Number(points)
    if (title.trim().length < 2) found.title = '请写一句话说清楚，至少 2 个字'
    if (!description.trim()) found.description = '请写一下具体要做什么、什么时候'
    if (!Number.isInteger(n) || n < 1 || n > 1000) found.points = '请填 1 到 1000 之间的整数'
    return found
  }

  async function submit() {
    const body = { kind, title: title.trim(), description: description.trim(), points: Number(points) }
    if (!(await form.submit(body, check()))) return
    void Taro.showToast({ title: '已发布', icon: 'none', duration: 2000 })
    setTimeout(() => void Taro.navigateBack(), 600)
  }

  return (
    <Page className='service-new'>
      <Card>
        <ChoiceField label='您是' error={errors.kind} choices={KIND_CHOICES} value={kind} onChange={setKind} />
        <InputField
          label='什么事'
          hint={kind === 'offer' ? '例如：每周二下午可以陪老人聊天' : '例如：下周一早上帮忙接孩子放学'}
          error={errors.title}
          inputClassName='service-new__title'
          value={title}
          maxLength={64}
          onChange={setTitle}
        />
        <TextAreaField
          label='具体说明'
          hint='时间、地点、要做什么'
          error={errors.description}
          textAreaClassName='service-new__description'
          value={description}
          maxLength={500}
          autoSize={false}
          onChange={setDescription}
        />
        <InputField
          label='约定积分'
          hint={
            kind === 'offer' ? '对方确认完成后，这些积分从对方转给您' : '您确认完成后，这些积分从您这里转给帮忙的人'
          }
          error={errors.points}
          inputClassName='service-new__points'
          type='number'
          value={points}
          maxLength={4}
          onChange={setPoints}
        />
        <FormActions form={form} className='service-new__submit' onSubmit={submit}>
          发布
        </FormActions>
      </Card>
    </Page>
  )
}
