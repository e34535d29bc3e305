import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { StartPetitionBody } from '@liren/shared/contracts'
import { meetingKindLabel, PETITION_KINDS, type PetitionKind } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ChoiceField } from '../../../components/Choices'
import { DraftRestored } from '../../../components/DraftRestored'
import { InputField } from '../../../components/InputField'
import { FormEnd, Page } from '../../../components/Page'
import { TextAreaField } from '../../../components/TextAreaField'
import { useKeptDraft } from '../../../lib/kept-draft'
import { useSubmit } from '../../../lib/page-hooks'
import { startPetition } from '../../../services/meetings'
import { petitionLawText } from '../labels'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import './index.css'

/** What is typed so far, kept on the phone until the petition is sent. */
interface Draft {
  kind: PetitionKind
  title: string
  reason: string
}

const FIELDS = ['kind', 'title', 'reason'] as const
type Errors = Partial<Record<(typeof FIELDS)[number], string>>

const MAX_TITLE = 100
const MAX_REASON = 2000

const draftKey = (villageId: number) => `liren:petition-draft:${villageId}`
const emptyDraft = (): Draft => ({ kind: 'villager_meeting', title: '', reason: '' })

function fromKept(kept: unknown): Draft | null {
  const saved = kept as Draft | ''
  return saved && typeof saved === 'object' && typeof saved.title === 'string' && typeof saved.reason === 'string'
    ? {
        kind: PETITION_KINDS.includes(saved.kind) ? saved.kind : 'villager_meeting',
        title: saved.title,
        reason: saved.reason,
      }
    : null
}

function check(draft: Draft): Errors {
  const found: Errors = {}
  if (draft.title.trim().length < 2) found.title = '请写一写开会商量什么事，至少 2 个字'
  if (draft.reason.trim().length < 2) found.reason = '请说一说为什么要开会，至少 2 个字'
  return found
}

/** 提议召集开会: a villager starts a petition for a 村民会议 or 村民代表会议, and signs it first. */
export default function NewPetition() {
  const { villageId, kind, words } = useMeetingsVillage()
  const kept = useKeptDraft(draftKey(villageId), {
    empty: emptyDraft,
    fromKept,
    worthKeeping: (d) => d.title.trim() !== '' || d.reason.trim() !== '',
  })
  const { draft, setDraft } = kept
  const form = useSubmit(
    FIELDS,
    (body: StartPetitionBody, { handled }) => startPetition(villageId, body, handled),
    // The server's message says what to do ("请修改后再提交").
    { fieldCodes: { CONTENT_REJECTED: 'reason' }, anyRefusal: true },
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
    const body: StartPetitionBody = { kind: draft.kind, title: draft.title.trim(), reason: draft.reason.trim() }
    const petition = await form.submit(body, check(draft))
    if (!petition) return
    kept.markSent()
    void Taro.showToast({ title: '已发起，您已签名', icon: 'none', duration: 2000 })
    await Taro.redirectTo({ url: meetingPaths.petition(villageId, petition.id) })
  }

  return (
    <Page className='petition-new'>
      {kept.restored ? <DraftRestored onStartOver={startOver} className='petition-new__restored' /> : null}
      <View className='lr-muted petition-new__intro'>
        发起后全{words.place}的人都能看到，大家在手机上签名；您是第一个签名的人。签名的人够了，{words.committee}
        就必须召集会议。
      </View>
      <Card>
        <ChoiceField
          label='提议开什么会'
          hint={petitionLawText(draft.kind, kind)}
          choices={PETITION_KINDS.map((k) => ({ value: k, label: meetingKindLabel(k, kind) }))}
          value={draft.kind}
          error={errors.kind}
          onChange={(value) => change({ kind: value })}
        />
        <InputField
          label='开会商量什么事'
          hint='一句话说清楚'
          error={errors.title}
          inputClassName='petition-new__title'
          value={draft.title}
          maxLength={MAX_TITLE}
          placeholder='例如：商量村里征地补偿款怎么分'
          onChange={(title) => change({ title })}
        />
        <TextAreaField
          label='为什么要开会'
          hint='是什么情况，为什么要大家一起定'
          error={errors.reason}
          textAreaClassName='lr-textarea--tall petition-new__reason'
          value={draft.reason}
          maxLength={MAX_REASON}
          placeholder='例如：补偿款已经到账两个月了，还没有公布怎么分，大家想开会一起商量定下来'
          onChange={(reason) => change({ reason })}
        />
      </Card>
      <FormEnd form={form} errorClassName='petition-new__error' className='petition-new__submit' onSubmit={submit}>
        发起并签名
      </FormEnd>
    </Page>
  )
}
