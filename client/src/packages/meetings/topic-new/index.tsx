import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { Photo, ProposeTopicBody } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { InputField } from '../../../components/InputField'
import { FormEnd, Page } from '../../../components/Page'
import { PhotosField } from '../../../components/PhotosField'
import { TextAreaField } from '../../../components/TextAreaField'
import { DraftRestored } from '../../../components/DraftRestored'
import { useKeptDraft } from '../../../lib/kept-draft'
import { useSubmit } from '../../../lib/page-hooks'
import { proposeTopic } from '../../../services/meetings'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

/** What is typed so far, kept on the phone until the topic is sent. */
interface Draft {
  title: string
  description: string
  photos: Photo[]
}

const FIELDS = ['title', 'description', 'photos'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>

const MAX_TITLE = 60
const MAX_DESCRIPTION = 1000

const draftKey = (villageId: number) => `liren:topic-draft:${villageId}`
const emptyDraft = (): Draft => ({ title: '', description: '', photos: [] })

function fromKept(kept: unknown): Draft | null {
  const saved = kept as Draft | ''
  return saved && typeof saved === 'object' && typeof saved.title === 'string' && typeof saved.description === 'string'
    ? { title: saved.title, description: saved.description, photos: Array.isArray(saved.photos) ? saved.photos : [] }
    : null
}

function check(draft: Draft): Errors {
  const found: Errors = {}
  if (draft.title.trim().length < 2) found.title = '请写一写想议什么事，至少 2 个字'
  if (draft.description.trim().length < 2) found.description = '请具体说一说，至少 2 个字'
  return found
}

/** 我要说事: a resident proposes a matter for a meeting to take up. */
export default function NewTopic() {
  const { villageId, words } = useMeetingsVillage()
  const kept = useKeptDraft(draftKey(villageId), {
    empty: emptyDraft,
    fromKept,
    worthKeeping: (d) => d.title.trim() !== '' || d.description.trim() !== '',
  })
  const { draft, setDraft } = kept
  const form = useSubmit(
    FIELDS,
    (body: ProposeTopicBody, { handled }) => proposeTopic(villageId, body, handled),
    // The server's message says what to do ("请修改后再提交").
    { fieldCodes: { CONTENT_REJECTED: 'description', PHOTO_NOT_FOUND: 'photos' }, anyRefusal: true },
  )
  const { errors, setErrors, setFormError } = form

  function change(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }))
    setErrors((e) => {
      const next = { ...e }
      for (const key of Object.keys(patch)) delete next[key as keyof Errors]
      return next
    })
    setFormError('')
  }

  function startOver() {
    kept.startOver()
    setErrors({})
    setFormError('')
  }

  async function submit() {
    const body: ProposeTopicBody = {
      title: draft.title.trim(),
      description: draft.description.trim(),
      ...(draft.photos.length ? { photos: draft.photos.map((p) => p.key) } : {}),
    }
    const topic = await form.submit(body, check(draft))
    if (!topic) return
    kept.markSent()
    void Taro.showToast({ title: '已提出', icon: 'success', duration: 1500 })
    await Taro.redirectTo({ url: meetingPaths.topic(villageId, topic.id) })
  }

  return (
    <Page className='topic-new'>
      {kept.restored ? <DraftRestored onStartOver={startOver} className='topic-new__restored' /> : null}
      <View className='lr-muted topic-new__intro'>
        想让{words.committee}拿到会上和大家商量的事，写在这里。提出后全{words.place}
        的人都能看到，觉得有道理的会点“附议”。
      </View>
      <Card>
        <InputField
          label='想议的事'
          hint='一句话说清楚是什么事'
          error={errors.title}
          inputClassName='topic-new__title'
          value={draft.title}
          maxLength={MAX_TITLE}
          placeholder='例如：修一修村口的路灯'
          onChange={(title) => change({ title })}
        />
        <TextAreaField
          label='具体说说'
          hint='是什么情况，您想怎么办'
          error={errors.description}
          textAreaClassName='lr-textarea--tall topic-new__description'
          value={draft.description}
          maxLength={MAX_DESCRIPTION}
          placeholder='例如：村口三盏路灯坏了半年，晚上老人孩子走路看不清，想请大家商量用集体收入修好'
          onChange={(description) => change({ description })}
        />
        <PhotosField
          villageId={villageId}
          photos={draft.photos}
          error={errors.photos}
          onChange={(photos) => change({ photos })}
          className='topic-new__photos'
        />
      </Card>
      <FormEnd form={form} errorClassName='topic-new__error' className='topic-new__submit' onSubmit={submit}>
        提出来
      </FormEnd>
    </Page>
  )
}
