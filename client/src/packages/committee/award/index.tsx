import { View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import type { ManualAwardBody, ManualAwardResult, Person, Photo, PointRule } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { Chip } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { PhotoPicker } from '../../../components/PhotoPicker'
import { FormActions, LinkButton, Page } from '../../../components/Page'
import { TextAreaField } from '../../../components/TextAreaField'
import { useSubmit } from '../../../lib/page-hooks'
import { ruleLimits } from '../../../lib/points'
import { useVillageMembership } from '../../../lib/village'
import { awardPoints, listRules } from '../../../services/points'
import { PersonPicker } from '../../../components/PersonPicker'
import { pointsAdminPaths } from '../paths'
import './index.css'

const FIELDS = ['personId', 'ruleCode', 'points', 'reason', 'evidence'] as const
/** Refusals shown under the form, where the person is looking. */
const REFUSALS = ['CAP_REACHED', 'RULE_NOT_FOUND', 'PERSON_NOT_FOUND']
type Errors = Partial<Record<(typeof FIELDS)[number], string>>

interface Done {
  result: ManualAwardResult
  person: Person
  rule: PointRule
  points: number
}

export default function Award() {
  const { villageId } = useVillageMembership()
  const [rules, setRules] = useState<PointRule[]>([])
  const [person, setPerson] = useState<Person | null>(null)
  const [rule, setRule] = useState<PointRule | null>(null)
  const [points, setPoints] = useState('')
  const [reason, setReason] = useState('')
  const [evidence, setEvidence] = useState<Photo[]>([])
  const [done, setDone] = useState<Done | null>(null)
  // One key per submission of this form as filled in: a retry after a lost answer counts once.
  const form = useSubmit(
    FIELDS,
    (body: Omit<ManualAwardBody, 'idempotencyKey'>, { handled, idempotencyKey }) =>
      awardPoints(villageId, { ...body, idempotencyKey }, handled),
    { refusals: REFUSALS, fieldCodes: { PHOTO_NOT_FOUND: 'evidence' }, idempotency: 'award' },
  )
  const { errors } = form

  useDidShow(() => {
    listRules(villageId).then(
      (all) => setRules(all.filter((r) => r.active)),
      () => undefined,
    )
  })

  /** Any change makes it a different submission. */
  function changed<T>(set: (value: T) => void): (value: T) => void {
    return (value) => {
      form.newAttempt()
      set(value)
    }
  }

  function chooseRule(next: PointRule) {
    form.newAttempt()
    setRule(next)
    setPoints(String(next.points))
  }

  async function submit() {
    const found: Errors = {}
    const n = Number(points)
    if (!person) found.personId = '请先找到并选中这个人'
    if (!rule) found.ruleCode = '请选一条细则'
    if (!Number.isInteger(n) || n < 1 || n > 100000) found.points = '请填 1 到 100000 的整数'
    if (reason.trim().length < 2) found.reason = '请写明理由，至少 2 个字'
    if (!person || !rule) return form.submit(null, found)
    const evidenceKeys = evidence.map((p) => p.key)
    const body = { personId: person.id, ruleCode: rule.code, points: n, reason: reason.trim(), evidence: evidenceKeys }
    const result = await form.submit(body, found)
    if (!result) return
    setDone({ result, person, rule, points: n })
    setPerson(null)
    setReason('')
    setEvidence([])
  }

  const groups = [
    { title: '加分', rules: rules.filter((r) => r.kind === 'earn') },
    { title: '扣分', rules: rules.filter((r) => r.kind === 'penalty') },
  ]
  const word = rule?.kind === 'penalty' ? '扣' : '加'
  return (
    <Page className='award'>
      {done ? (
        <Card className={`award__done award__done--${done.result.status}`}>
          {done.result.status === 'done' ? (
            <View className='award__done-title'>
              已给 {done.person.name} {done.rule.kind === 'penalty' ? '扣' : '加'} {done.points} 分
            </View>
          ) : (
            <>
              <View className='award__done-title'>已提交复核</View>
              <View className='lr-text'>
                给 {done.person.name} {done.rule.kind === 'penalty' ? '扣' : '加'} {done.points} 分，超过了“
                {done.rule.name}”不用复核的分值，要另一位成员在“待复核”里同意后才生效。
              </View>
              <View className='lr-actions'>
                <LinkButton size='large' block fill='outline' url={pointsAdminPaths.approvals(villageId)}>
                  看待复核
                </LinkButton>
              </View>
            </>
          )}
        </Card>
      ) : null}

      <Card title='给谁'>
        <PersonPicker villageId={villageId} value={person} onChange={changed(setPerson)} className='award__person' />
        {errors.personId ? <View className='lr-error lr-field__error'>{errors.personId}</View> : null}
      </Card>

      <Card title='按哪条细则'>
        {groups.map((group) =>
          group.rules.length ? (
            <View key={group.title} className='award__group'>
              <View className='award__group-title'>{group.title}</View>
              <View className='lr-chips'>
                {group.rules.map((r) => (
                  <Chip key={r.code} on={rule?.code === r.code} onTap={() => chooseRule(r)} className='award__rule'>
                    {r.name} {r.kind === 'earn' ? '+' : '-'}
                    {r.points}
                  </Chip>
                ))}
              </View>
            </View>
          ) : null,
        )}
        {errors.ruleCode ? <View className='lr-error'>{errors.ruleCode}</View> : null}
        {rule ? <View className='lr-muted award__limits'>{ruleLimits(rule)}</View> : null}
      </Card>

      <Card title={`${word}几分，为什么`}>
        <InputField
          label='分值'
          hint='默认是细则的分值；志愿服务等按小时算的，可以改成实际的分数'
          error={errors.points}
          inputClassName='award__points'
          type='number'
          value={points}
          maxLength={6}
          onChange={changed(setPoints)}
        />
        {rule?.approvalThreshold !== null && rule !== null && Number(points) > rule.approvalThreshold ? (
          <View className='lr-warning award__needs-approval'>
            超过 {rule.approvalThreshold} 分，提交后要另一位成员复核才生效。
          </View>
        ) : null}
        <TextAreaField
          label='理由'
          hint='本人和复核的人都会看到'
          error={errors.reason}
          textAreaClassName='award__reason'
          value={reason}
          maxLength={200}
          autoSize={false}
          placeholder='例如：11月20日帮助清理河道垃圾'
          onChange={changed(setReason)}
        />
        <Field label='照片（可以不拍）' hint='做了什么、扣分的原因，拍下来给复核的人看' error={errors.evidence}>
          <PhotoPicker
            villageId={villageId}
            photos={evidence}
            onChange={changed(setEvidence)}
            max={9}
            className='award__evidence'
          />
        </Field>
        <FormActions form={form} className='award__submit' onSubmit={submit}>
          确定{word}分
        </FormActions>
      </Card>
    </Page>
  )
}
