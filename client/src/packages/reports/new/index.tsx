import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Location, Photo, SubmitReportBody } from '@liren/shared/contracts'
import { PRIVATE_BY_DEFAULT, URGENCIES, URGENCY_LABEL, type Urgency } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Chip } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { FormEnd, Page } from '../../../components/Page'
import { useKeptDraft } from '../../../lib/kept-draft'
import { browserPosition, mapLink, pointWords } from '../../../lib/position'
import { usePageData, useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { newIdempotencyKey } from '../../../services/points'
import { getReportSettings, submitReport } from '../../../services/reports'
import { PhotosField } from '../../../components/PhotosField'
import { DraftRestored } from '../../../components/DraftRestored'
import { TextAreaField } from '../../../components/TextAreaField'
import { deadlineText } from '../labels'
import { reportPaths } from '../paths'
import './index.css'
import { SwitchCell } from '../../../components/SwitchCell'

const isWeapp = process.env.TARO_ENV === 'weapp'

/** The map point of a location, when it has one. */
function pointOf(location: Location | null): { latitude: number; longitude: number } | null {
  const { latitude, longitude } = location ?? {}
  return latitude !== undefined && longitude !== undefined ? { latitude, longitude } : null
}
const MAX_DESCRIPTION = 500

/** Everything typed so far, kept on the phone until the report is filed. */
interface Draft {
  category: string
  description: string
  photos: Photo[]
  /** Picked on the map (mini-program), or where the phone is (H5: the browser's position, no address). */
  location: Location | null
  /** Typed (H5, which has no map to pick from). */
  address: string
  urgency: Urgency
  anonymous: boolean
  public: boolean
  /** One per report being filed: a retry after a lost answer files it once. */
  idempotencyKey: string
}

const FIELDS = ['category', 'description', 'photos', 'location', 'urgency'] as const
type FieldName = (typeof FIELDS)[number]
type Errors = Partial<Record<FieldName, string>>

const draftKey = (villageId: number) => `liren:report-draft:${villageId}`

function emptyDraft(): Draft {
  return {
    category: '',
    description: '',
    photos: [],
    location: null,
    address: '',
    urgency: 'blue',
    anonymous: false,
    public: true,
    idempotencyKey: newIdempotencyKey('report'),
  }
}

function fromKept(kept: unknown): Draft | null {
  const saved = kept as Draft | ''
  return saved && typeof saved === 'object' && typeof saved.description === 'string'
    ? { ...emptyDraft(), ...saved }
    : null
}

/** The top-level field a server detail is about: "location/latitude" → location. */
function fieldOf(path: string): string {
  return path.replace(/^\/|^body[./]/, '').split(/[./]/)[0] ?? ''
}

const URGENCY_HINT: Record<Urgency, string> = {
  blue: '一般的事，不急',
  orange: '比较急，要尽快处理',
  red: '很急，有危险，要马上处理',
}

export default function NewReport() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => getReportSettings(villageId, true), { onShow: false })
  const kept = useKeptDraft(draftKey(villageId), {
    empty: emptyDraft,
    fromKept,
    worthKeeping: (d) => d.description.trim() !== '' || d.photos.length > 0,
  })
  const { draft, setDraft } = kept
  const form = useSubmit(FIELDS, (report: SubmitReportBody, { handled }) => submitReport(villageId, report, handled), {
    // The server's message says what to do ("请修改后再提交"); the detail says what was wrong.
    fieldCodes: { CONTENT_REJECTED: 'description', CATEGORY_NOT_FOUND: 'category', PHOTO_NOT_FOUND: 'photos' },
    anyRefusal: true,
    fieldOf,
    onRefused: (error) => {
      if (error.code === 'CATEGORY_NOT_FOUND') void reload()
    },
  })
  const { errors, setErrors, setFormError } = form

  // The settings load once; a page that could not load them tries again when it shows again.
  useDidShow(() => {
    if (data.state === 'failed') void reload()
  })

  function change(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }))
    setErrors((e) => {
      const next = { ...e }
      for (const key of Object.keys(patch)) delete next[key as FieldName]
      if ('address' in patch) delete next.location
      return next
    })
  }

  function chooseCategory(category: string) {
    // Disputes stay among the people concerned unless the reporter decides otherwise.
    change({ category, public: !PRIVATE_BY_DEFAULT.includes(category) })
  }

  async function pickLocation() {
    try {
      const picked = await Taro.chooseLocation({
        ...(draft.location ? { latitude: draft.location.latitude, longitude: draft.location.longitude } : {}),
      })
      const address = [picked.address, picked.name].filter(Boolean).join(' ').slice(0, 200)
      change({ location: { latitude: picked.latitude, longitude: picked.longitude, ...(address ? { address } : {}) } })
    } catch {
      // The person closed the map.
    }
  }

  const point = pointOf(draft.location)
  const [locating, setLocating] = useState(false)
  const [locateError, setLocateError] = useState('')
  async function locate() {
    setLocateError('')
    setLocating(true)
    try {
      change({ location: await browserPosition() })
    } catch (error) {
      setLocateError((error as Error).message)
    } finally {
      setLocating(false)
    }
  }

  function startOver() {
    kept.startOver()
    setErrors({})
    setFormError('')
  }

  function check(): Errors {
    const found: Errors = {}
    if (!draft.category) found.category = '请选一个类别'
    if (!draft.description.trim()) found.description = '请写一写看到了什么'
    return found
  }

  function body(): SubmitReportBody {
    // The mini-program picks a place on the map; H5 has the browser's position and the typed address.
    const address = draft.address.trim()
    const location = isWeapp
      ? draft.location
      : draft.location || address
        ? { ...draft.location, ...(address ? { address } : {}) }
        : null
    return {
      category: draft.category,
      description: draft.description.trim(),
      ...(draft.photos.length ? { photos: draft.photos.map((p) => p.key) } : {}),
      ...(location ? { location } : {}),
      urgency: draft.urgency,
      anonymous: draft.anonymous,
      public: draft.public,
      idempotencyKey: draft.idempotencyKey,
    }
  }

  async function submit() {
    const found = check()
    if (!Object.keys(found).length && data.state === 'ready') askToBeTold(data.value.subscribeTemplateId)
    const report = await form.submit(body(), found)
    if (!report) return
    kept.markSent()
    void Taro.showToast({ title: '上报成功', icon: 'success', duration: 1500 })
    await Taro.redirectTo({ url: reportPaths.detail(villageId, report.id) })
  }

  /** A yes-or-no of the report (匿名, 公开): its row with a switch, and what the choice now means. */
  const yesOrNo = (name: 'anonymous' | 'public', title: string, meaning: string) => (
    <SwitchCell
      className='report-new__switch'
      switchClassName={`report-new__${name}`}
      title={title}
      description={meaning}
      checked={draft[name]}
      onChange={(on) => change({ [name]: on })}
    />
  )

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const settings = data.value
  const deadline = settings.deadlines[draft.urgency]
  return (
    <Page className='report-new'>
      {kept.restored ? <DraftRestored onStartOver={startOver} className='report-new__restored' /> : null}
      <Card>
        <Field label='遇到了什么事' error={errors.category}>
          <View className='lr-chips report-new__categories'>
            {settings.categories.map((category) => (
              <Chip key={category} on={draft.category === category} onTap={() => chooseCategory(category)}>
                {category}
              </Chip>
            ))}
          </View>
        </Field>

        <TextAreaField
          label='说一说情况'
          hint='在哪里、什么时候、是什么样子'
          error={errors.description}
          textAreaClassName='lr-textarea--tall report-new__description'
          value={draft.description}
          maxLength={MAX_DESCRIPTION}
          placeholder='例如：村东头小桥的护栏断了，晚上走路很危险'
          onChange={(description) => change({ description })}
        />

        <PhotosField
          villageId={villageId}
          photos={draft.photos}
          error={errors.photos}
          onChange={(photos) => change({ photos })}
          className='report-new__photos'
        />

        {/* Why the place is asked for, said before WeChat's map asks for the location. */}
        <Field
          label='地点（可以不填）'
          hint={
            isWeapp
              ? '选个位置，处理的人好找到地方；不选也可以'
              : '用手机现在的位置，或者写个地点，处理的人好找到地方；都不填也可以'
          }
          error={errors.location}
          className='report-new__location'
        >
          {isWeapp ? (
            <>
              {draft.location ? (
                <View className='lr-text report-new__place'>{draft.location.address ?? '已在地图上选好'}</View>
              ) : null}
              <View className='lr-actions report-new__place-buttons'>
                <Button size='large' fill='outline' onClick={pickLocation}>
                  {draft.location ? '重新选' : '在地图上选地点'}
                </Button>
                {draft.location ? (
                  <Button size='large' fill='outline' onClick={() => change({ location: null })}>
                    不填地点
                  </Button>
                ) : null}
              </View>
            </>
          ) : (
            <>
              {point ? (
                <View className='report-new__point'>
                  <View className='lr-text report-new__point-words'>{pointWords(point)}</View>
                  <a className='report-new__map-link' href={mapLink(point)} target='_blank' rel='noopener noreferrer'>
                    在地图上看这个位置 ›
                  </a>
                </View>
              ) : null}
              <View className='lr-actions report-new__place-buttons'>
                <Button size='large' fill='outline' className='report-new__locate' loading={locating} onClick={locate}>
                  {draft.location ? '重新取位置' : '用我现在的位置'}
                </Button>
                {draft.location ? (
                  <Button size='large' fill='outline' onClick={() => change({ location: null })}>
                    不用位置
                  </Button>
                ) : null}
              </View>
              {locateError ? <View className='lr-error report-new__locate-error'>{locateError}</View> : null}
              <Input
                className='lr-input report-new__address'
                value={draft.address}
                maxLength={100}
                placeholder='例如：村委会东边的小桥'
                onChange={(value: string) => change({ address: value })}
              />
            </>
          )}
        </Field>

        <Field label='急不急' error={errors.urgency}>
          <View className='lr-chips report-new__urgencies'>
            {URGENCIES.map((urgency) => (
              <Chip
                key={urgency}
                on={draft.urgency === urgency}
                onTap={() => change({ urgency })}
                className={`report-new__urgency report-new__urgency--${urgency}`}
              >
                <View className={`report-new__dot report-new__dot--${urgency}`} />
                {URGENCY_LABEL[urgency]}
              </Chip>
            ))}
          </View>
          <View className='lr-muted report-new__urgency-hint'>
            {URGENCY_HINT[draft.urgency]}：{deadlineText(deadline.acceptHours)}内有人受理，
            {deadlineText(deadline.resolveHours)}内办好。
          </View>
        </Field>
      </Card>

      <Card className='report-new__switches'>
        {yesOrNo(
          'anonymous',
          '匿名上报',
          draft.anonymous ? '别人看不到您的名字，只有处理的干部能看到' : '大家能看到是您上报的',
        )}
        {yesOrNo(
          'public',
          '让全村都能看到',
          draft.public
            ? '公开后，大家能看到这件事，遇到同样问题的可以点“我也遇到”'
            : '不公开：只有您和处理的干部能看到',
        )}
      </Card>

      <FormEnd form={form} errorClassName='report-new__error' className='report-new__submit' onSubmit={submit}>
        提交上报
      </FormEnd>
    </Page>
  )
}

/**
 * In the mini-program, asks once per report whether WeChat may tell the person of its progress
 * (订阅消息: WeChat allows one message per "yes"), with the template the server sends report news with
 * (none: the server sends none, so nothing is asked). It must run inside the tap; a "no" changes nothing
 * (the 我的消息 inbox has everything anyway).
 */
function askToBeTold(templateId: string | null): void {
  if (process.env.TARO_ENV !== 'weapp' || !templateId) return
  // Taro's typing insists on entityIds as well; an empty list is what WeChat gets without it.
  Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] }).catch(() => undefined)
}
