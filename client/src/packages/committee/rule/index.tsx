import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import type { PointRule, RuleKind, SaveRuleBody } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { ChoiceField } from '../../../components/Choices'
import { DraftInputFields, InputField, type DraftInput } from '../../../components/InputField'
import { NotReady } from '../../../components/LoadFailed'
import { FormActions, Page } from '../../../components/Page'
import { draftFields, type TextKey } from '../../../lib/form-text'
import { NotFoundOnPage, usePageData, useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { createRule, listRules, updateRule } from '../../../services/points'
import './index.css'
import { SwitchCell } from '../../../components/SwitchCell'

const FIELDS = ['name', 'kind', 'points', 'capPerDay', 'capPerYear', 'approvalThreshold'] as const
type FieldName = (typeof FIELDS)[number]
type Errors = Partial<Record<FieldName, string>>

interface Draft {
  name: string
  kind: RuleKind
  points: string
  capPerDay: string
  capPerYear: string
  approvalThreshold: string
  active: boolean
}

const KIND_CHOICES = [
  { value: 'earn' as const, label: '加分' },
  { value: 'penalty' as const, label: '扣分' },
]

/** The numbers of a rule, as the form asks for them. */
const NUMBER_INPUTS: readonly DraftInput<TextKey<Draft>>[] = [
  { key: 'points', label: '分值', hint: '一次加或扣几分', inputClassName: 'rule__points', maxLength: 5 },
  { key: 'capPerDay', label: '每人每天最多', hint: '不填表示不限', inputClassName: 'rule__cap-day', maxLength: 6 },
  { key: 'capPerYear', label: '每人每年最多', hint: '不填表示不限', inputClassName: 'rule__cap-year', maxLength: 7 },
  {
    key: 'approvalThreshold',
    label: '一次超过多少分要复核',
    hint: '超过这个分值，要另一位成员在“待复核”里同意才生效；不填表示不用复核',
    inputClassName: 'rule__threshold',
    maxLength: 6,
  },
]

const EMPTY: Draft = {
  name: '',
  kind: 'earn',
  points: '',
  capPerDay: '',
  capPerYear: '',
  approvalThreshold: '',
  active: true,
}

function draftOf(rule: PointRule): Draft {
  const text = (n: number | null) => (n === null ? '' : String(n))
  return {
    name: rule.name,
    kind: rule.kind,
    points: String(rule.points),
    capPerDay: text(rule.capPerDay),
    capPerYear: text(rule.capPerYear),
    approvalThreshold: text(rule.approvalThreshold),
    active: rule.active,
  }
}

/** The code is what the ledger keys on; villagers never see it, so new rules get one made up. */
function newCode(): string {
  return `rule_${Date.now().toString(36)}`
}

function toBody(code: string, draft: Draft): { body: SaveRuleBody; errors: Errors } {
  const errors: Errors = {}
  const whole = (text: string, field: FieldName, max: number, optional: boolean): number | null => {
    if (optional && text.trim() === '') return null
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1 || n > max)
      errors[field] = optional ? `不填表示不限；要填请填 1 到 ${max} 的整数` : `请填 1 到 ${max} 的整数`
    return n
  }
  const name = draft.name.trim()
  if (name.length < 2 || name.length > 64) errors.name = '请写 2 到 64 个字'
  const points = whole(draft.points, 'points', 10000, false) ?? 0
  const capPerDay = whole(draft.capPerDay, 'capPerDay', 100000, true)
  const capPerYear = whole(draft.capPerYear, 'capPerYear', 1000000, true)
  // A cap below one award would refuse every award under the rule.
  if (!errors.capPerDay && capPerDay !== null && capPerDay < points)
    errors.capPerDay = `每天上限不能少于分值（${points} 分）`
  if (!errors.capPerYear && capPerYear !== null && capPerYear < Math.max(points, capPerDay ?? 0)) {
    errors.capPerYear = '每年上限不能少于分值和每天上限'
  }
  const body: SaveRuleBody = {
    code,
    name,
    kind: draft.kind,
    points,
    capPerDay,
    capPerYear,
    approvalThreshold: whole(draft.approvalThreshold, 'approvalThreshold', 100000, true),
    active: draft.active,
  }
  return { body, errors }
}

export default function RulePage() {
  const { villageId } = useVillageMembership()
  const code = decodeURIComponent(useRouter().params.code ?? '')
  const [draft, setDraft] = useState<Draft>(EMPTY)
  const { data, reload } = usePageData(
    async () => {
      const rule = (await listRules(villageId, true)).find((r) => r.code === code)
      if (!rule) throw new NotFoundOnPage('找不到这条细则，可能已被修改，请返回刷新。')
      setDraft(draftOf(rule))
      return rule
    },
    { enabled: code !== '', initial: null },
  )
  const form = useSubmit(FIELDS, ({ rule, body }: { rule: PointRule | null; body: SaveRuleBody }, { handled }) =>
    rule ? updateRule(villageId, rule.code, body, handled) : createRule(villageId, body, handled),
  )
  const { errors } = form

  async function save(rule: PointRule | null) {
    const { body, errors: found } = toBody(rule?.code ?? newCode(), draft)
    if (!(await form.submit({ rule, body }, found))) return
    void Taro.showToast({
      title: rule ? `已保存为第 ${rule.version + 1} 版` : '已新增',
      icon: 'none',
      duration: 2000,
    })
    setTimeout(() => void Taro.navigateBack(), 800)
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const rule = data.value
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch })
  const { text, choice } = draftFields(draft, setDraft, errors)
  return (
    <Page className='rule'>
      <View className='lr-heading'>{rule ? `修改：${rule.name}` : '新增积分细则'}</View>
      {rule ? (
        <View className='lr-warning rule__version-note'>
          现在是第 {rule.version} 版。保存后会生成第 {rule.version + 1} 版，以后按新版本记分；以前记的分不变，仍按第{' '}
          {rule.version} 版。
        </View>
      ) : null}
      <Card className='rule__form'>
        <InputField
          label='名称'
          hint='例如：志愿服务（每小时）、乱扔垃圾'
          maxLength={64}
          {...text('name', 'rule__name')}
        />
        <ChoiceField label='加分还是扣分' choices={KIND_CHOICES} {...choice('kind')} />
        <DraftInputFields inputs={NUMBER_INPUTS} type='number' bind={text} />
        {rule ? (
          <SwitchCell
            className='rule__active'
            title='启用'
            description={draft.active ? '正在使用' : '停用后不能再按这条加分扣分'}
            checked={draft.active}
            onChange={(active) => set({ active })}
          />
        ) : null}
        <FormActions form={form} className='rule__save' onSubmit={() => save(rule)}>
          {rule ? '保存为新版本' : '新增'}
        </FormActions>
      </Card>
    </Page>
  )
}
