import { View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Grid, HouseholdDetail, HouseholdPatch, VillageKind } from '@liren/shared/contracts'
import { can } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ChoiceField } from '../../../components/Choices'
import { Fact, Facts } from '../../../components/Facts'
import { Field } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { EditFormActions, Page } from '../../../components/Page'
import { shanghaiToday } from '../../../lib/format'
import { draftFields } from '../../../lib/form-text'
import { usePageData, useSubmit } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { getHousehold, updateHousehold } from '../../../services/roster'
import { listGrids } from '../../../services/setup'
import { PersonRow } from '../components/PersonRow'
import { rosterPaths } from '../paths'

interface Draft {
  address: string
  gridId: number | null
  headPersonId: number | null
}
const FIELDS: readonly (keyof Draft)[] = ['address', 'gridId', 'headPersonId']

function patchOf(detail: HouseholdDetail, draft: Draft): HouseholdPatch | null {
  const { household } = detail
  const patch: HouseholdPatch = {}
  if (draft.address.trim() !== household.address) patch.address = draft.address.trim()
  if (draft.gridId !== household.gridId) patch.gridId = draft.gridId
  if (draft.headPersonId !== household.headPersonId) patch.headPersonId = draft.headPersonId
  return Object.keys(patch).length ? patch : null
}

export default function HouseholdPage() {
  const { villageId, membership } = useVillageMembership()
  const householdId = Number(useRouter().params.householdId)
  const today = shanghaiToday()
  const { data, reload } = usePageData(() => getHousehold(villageId, householdId, true))
  const [grids, setGrids] = useState<Grid[]>([])
  const [draft, setDraft] = useState<Draft | null>(null)
  const form = useSubmit(FIELDS, (patch: HouseholdPatch, { handled }) =>
    updateHousehold(villageId, householdId, patch, handled),
  )
  const { errors } = form
  const { choice } = draftFields(draft, setDraft, errors)

  useDidShow(() => {
    listGrids(villageId, true).then(setGrids, () => undefined)
  })

  async function submit(detail: HouseholdDetail) {
    if (!draft) return
    if (draft.address.trim().length < 1) return form.setErrors({ address: '请填写住址' })
    const patch = patchOf(detail, draft)
    if (!patch) return setDraft(null)
    if (!(await form.submit(patch))) return
    void Taro.showToast({ title: '已保存', icon: 'none', duration: 2000 })
    setDraft(null)
    await reload()
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const detail = data.value
  const { household, people } = detail
  const kind: VillageKind = membership?.villageKind ?? 'rural'
  const canEdit = can(membership, 'roster.edit')

  return (
    <Page className='household'>
      <View className='lr-heading'>户号 {household.number}</View>

      {draft ? (
        <Card title='修改这一户' className='household__form'>
          <Field label='住址' error={errors.address}>
            <Input
              className='lr-input household__input--address'
              value={draft.address}
              maxLength={200}
              onChange={(address: string) => {
                setDraft({ ...draft, address })
                form.setErrors({ ...errors, address: undefined })
              }}
            />
          </Field>
          <ChoiceField
            label='网格'
            choices={[
              ...grids.map((g) => ({ value: g.id as number | null, label: g.name })),
              { value: null, label: '不属于网格' },
            ]}
            {...choice('gridId')}
          />
          <ChoiceField
            label='户主'
            choices={people
              .filter((p) => p.status === 'resident')
              .map((p) => ({ value: p.id as number | null, label: p.name }))}
            {...choice('headPersonId')}
          />
          <EditFormActions
            form={form}
            className='household__save'
            onSave={() => submit(detail)}
            onClose={() => setDraft(null)}
          />
        </Card>
      ) : (
        <Card className='household__facts'>
          <Facts>
            <Fact label='住址'>{household.address}</Fact>
            <Fact label='网格'>{household.gridName ?? '不属于网格'}</Fact>
            <Fact label='户主'>{household.headName ?? '没有登记'}</Fact>
            <Fact label='人数'>{household.memberCount} 人</Fact>
          </Facts>
          {canEdit ? (
            <View className='lr-actions'>
              <Button
                type='primary'
                size='large'
                className='household__edit'
                onClick={() => {
                  setDraft({
                    address: household.address,
                    gridId: household.gridId,
                    headPersonId: household.headPersonId,
                  })
                  form.clear()
                }}
              >
                修改住址、网格或户主
              </Button>
            </View>
          ) : null}
        </Card>
      )}

      <Card title={`家庭成员（${people.length} 人）`} className='household__people'>
        {people.length === 0 ? <View className='lr-muted'>这一户还没有人。</View> : null}
        {people.map((person) => (
          <PersonRow
            key={person.id}
            person={person}
            kind={kind}
            today={today}
            withHousehold={false}
            onTap={() => Taro.navigateTo({ url: rosterPaths.person(villageId, person.id) })}
          />
        ))}
      </Card>
    </Page>
  )
}
