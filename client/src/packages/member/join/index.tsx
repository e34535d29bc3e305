import { View } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { JoinBody, Membership, VillageSummary } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { DraftRestored } from '../../../components/DraftRestored'
import { InputField } from '../../../components/InputField'
import { FormEnd, Page } from '../../../components/Page'
import { StatusTag } from '../../../components/StatusTag'
import { WideButton } from '../../../components/WideButtons'
import { shanghaiNow } from '../../../lib/format'
import { useKeptDraft } from '../../../lib/kept-draft'
import { useSubmit } from '../../../lib/page-hooks'
import { applyToJoin, getDevPhoneCode, getMe, listVillages } from '../../../services/identity'
import { validateJoin, type JoinDraft, type JoinField } from './validate'
import './index.css'

const HOME = '/pages/index/index'
const FIELDS = ['village', 'realName', 'householdAddress', 'birthYear'] as const
const isH5 = process.env.TARO_ENV === 'h5'
/** The phone the development server's WeChat stand-in hands out for H5, which has no phone-number button. */
const TEST_PHONE = '13800138000'

const emptyDraft = (): JoinDraft => ({ villageId: null, realName: '', householdAddress: '', birthYear: '' })

/** The form as kept on the phone (lib/kept-draft.ts), or null when what is kept is not one. */
function fromKept(kept: unknown): JoinDraft | null {
  const saved = kept as Partial<JoinDraft> | ''
  if (!saved || typeof saved !== 'object') return null
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  return {
    villageId: typeof saved.villageId === 'number' ? saved.villageId : null,
    realName: text(saved.realName),
    householdAddress: text(saved.householdAddress),
    birthYear: text(saved.birthYear),
  }
}

type Outcome = { kind: 'applied'; membership: Membership } | { kind: 'refused'; message: string }

export default function Join() {
  const [villages, setVillages] = useState<VillageSummary[] | null>(null)
  const kept = useKeptDraft('liren:join-draft', {
    empty: emptyDraft,
    fromKept,
    worthKeeping: (d) => [d.realName, d.householdAddress, d.birthYear].some((text) => text.trim() !== ''),
  })
  const { draft, setDraft } = kept
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  /** WeChat's one-time code for the phone number, if the applicant chose to give it. */
  const [phoneCode, setPhoneCode] = useState('')
  const [phoneError, setPhoneError] = useState('')
  const form = useSubmit(
    FIELDS,
    ({ villageId, body }: { villageId: number; body: JoinBody }, { handled }) => applyToJoin(villageId, body, handled),
    {
      quiet: ['ALREADY_APPLIED', 'ALREADY_MEMBER', 'WECHAT_CODE_INVALID'],
      onRefused: (error) => {
        if (error.code === 'WECHAT_CODE_INVALID') {
          // The code is good once and for a few minutes only.
          setPhoneCode('')
          setPhoneError('手机号授权已过期，请再点一次授权，或者不留手机号直接提交。')
        } else if (error.code === 'ALREADY_APPLIED' || error.code === 'ALREADY_MEMBER') {
          setOutcome({ kind: 'refused', message: error.message })
        }
      },
    },
  )
  const { errors, setErrors } = form

  useLoad((params: Record<string, string | undefined>) => {
    // Signed in, and the privacy guide accepted, before anything personal is asked (getMe sees to both).
    getMe().catch(() => undefined)
    const preset = Number(params.villageId)
    listVillages().then(
      (list) => {
        setVillages(list)
        const chosen = list.find((v) => v.id === preset) ?? (list.length === 1 ? list[0] : undefined)
        if (chosen) setDraft((d) => ({ ...d, villageId: chosen.id }))
      },
      () => setVillages([]),
    )
  })

  function gotPhoneCode(code: string | undefined) {
    // No code: the person said no in WeChat's dialog, which is fine.
    if (code) setPhoneCode(code)
    setPhoneError('')
  }

  async function authorizeTestPhone() {
    try {
      gotPhoneCode((await getDevPhoneCode(TEST_PHONE)).code)
    } catch {
      // http.ts has said why.
    }
  }

  function update(field: Exclude<JoinField, 'village'>, value: string) {
    setDraft((d) => ({ ...d, [field]: value }))
    setErrors((e) => ({ ...e, [field]: undefined }))
  }

  async function submit() {
    const found = validateJoin(draft, shanghaiNow().year())
    const body: JoinBody = {
      realName: draft.realName.trim(),
      householdAddress: draft.householdAddress.trim(),
      birthYear: Number(draft.birthYear),
      ...(phoneCode ? { phoneCode } : {}),
    }
    const membership = await form.submit(draft.villageId === null ? null : { villageId: draft.villageId, body }, found)
    if (!membership) return
    kept.markSent()
    setOutcome({ kind: 'applied', membership })
  }

  if (outcome) {
    return (
      <Page>
        <OutcomeCard outcome={outcome} />
        <WideButton type='primary' className='lr-block-button join__home' onClick={() => Taro.switchTab({ url: HOME })}>
          回到首页
        </WideButton>
      </Page>
    )
  }

  const chosen = villages?.find((v) => v.id === draft.villageId)
  return (
    <Page className='join'>
      {kept.restored ? (
        <DraftRestored
          className='join__restored'
          onStartOver={() => {
            kept.startOver()
            setErrors({})
          }}
        />
      ) : null}
      <View className='lr-heading'>申请加入村（社区）</View>
      <View className='lr-muted join__intro'>请如实填写。村（居）委会核对后会通过您的申请。</View>

      <Card title='1. 选择村（社区）'>
        {villages === null ? <View className='lr-muted'>正在加载…</View> : null}
        {villages?.length === 0 ? <View className='lr-muted'>暂时没有可以加入的村（社区）。</View> : null}
        <View className='join__villages'>
          {villages?.map((village) => (
            <View
              key={village.id}
              className={`lr-pick join__village${village.id === draft.villageId ? ' lr-pick--chosen' : ''}`}
              onClick={() => {
                setDraft((d) => ({ ...d, villageId: village.id }))
                setErrors((e) => ({ ...e, village: undefined }))
              }}
            >
              <View className='lr-pick__name'>{village.name}</View>
              <View className='lr-muted'>{village.townName}</View>
              {village.id === draft.villageId ? <View className='lr-pick__check'>已选</View> : null}
            </View>
          ))}
        </View>
        <FieldError message={errors.village} />
      </Card>

      <Card title='2. 填写本人信息'>
        <InputField
          label='真实姓名'
          error={errors.realName}
          inputClassName='join__input join__input--name'
          placeholder='例如：李秀英'
          value={draft.realName}
          maxLength={20}
          onChange={(value) => update('realName', value)}
        />
        <InputField
          label='家庭住址'
          error={errors.householdAddress}
          inputClassName='join__input join__input--address'
          placeholder={chosen ? `例如：${chosen.name}3组12号` : '例如：张家村3组12号'}
          value={draft.householdAddress}
          maxLength={100}
          onChange={(value) => update('householdAddress', value)}
        />
        <InputField
          label='出生年份'
          error={errors.birthYear}
          inputClassName='join__input join__input--year'
          type='number'
          placeholder='例如：1958'
          value={draft.birthYear}
          maxLength={4}
          onChange={(value) => update('birthYear', value)}
        />
      </Card>

      <Card title='3. 留个手机号（可以不留）' className='join__phone'>
        <View className='lr-muted join__phone-why'>村（居）委会审核时可能打电话跟您核实，不填也可以。</View>
        {phoneCode ? (
          <View className='lr-row join__phone-row'>
            <View className='join__phone-done'>已授权手机号</View>
            <Button size='large' fill='outline' className='join__phone-clear' onClick={() => setPhoneCode('')}>
              不留了
            </Button>
          </View>
        ) : isH5 ? (
          <WideButton fill='outline' className='join__phone-test' onClick={authorizeTestPhone}>
            用测试手机号授权
          </WideButton>
        ) : (
          <WideButton
            fill='outline'
            className='join__phone-wechat'
            openType='getPhoneNumber'
            onGetPhoneNumber={(e) => gotPhoneCode(e.detail.code)}
          >
            用微信绑定的手机号
          </WideButton>
        )}
        <FieldError message={phoneError} />
      </Card>

      <FormEnd form={form} errorClassName='join__form-error' className='join__submit' onSubmit={submit}>
        提交申请
      </FormEnd>
    </Page>
  )
}

function FieldError({ message }: { message?: string }) {
  return message ? <View className='lr-error join__error'>{message}</View> : null
}

function OutcomeCard({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'refused') {
    return (
      <Card title='不能重复申请'>
        <View className='lr-text'>{outcome.message}</View>
      </Card>
    )
  }
  const { membership } = outcome
  const words = placeWords(membership.villageKind)
  return (
    <Card title='申请已提交'>
      <View className='lr-row join__outcome-row'>
        <View className='join__village-name'>{membership.villageName}</View>
        <StatusTag status={membership.status} />
      </View>
      <View className='lr-text'>
        {words.committee}会核对您的信息，审核通过后就能使用全部功能。审核结果可以在“我的”里查看。
      </View>
    </Card>
  )
}
