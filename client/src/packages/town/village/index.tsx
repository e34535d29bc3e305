import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { UpdateVillageBody, Village } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ChoiceField } from '../../../components/Choices'
import { Fact, Facts } from '../../../components/Facts'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { ListLink } from '../../../components/ListLink'
import { NotReady } from '../../../components/LoadFailed'
import { VillageContactForm } from '../../../components/VillageContactForm'
import { EditFormActions, LinkButton, Page } from '../../../components/Page'
import { draftFields, useTextWithError } from '../../../lib/form-text'
import { NotFoundOnPage, usePageData, useSubmit } from '../../../lib/page-hooks'
import { ApiError } from '../../../services/http'
import { createGrid, listGrids, listTownVillages, listVillageMembers, updateVillage } from '../../../services/setup'
import { townPaths } from '../paths'
import { KIND_CHOICES, kindLabel, VILLAGE_FIELDS, validateVillage, type VillageDraft } from '../validate'
import './index.css'

export default function VillageSetup() {
  const params = useRouter().params
  const townId = Number(params.townId)
  const villageId = Number(params.villageId)
  const { data, reload } = usePageData(async () => {
    const [villages, grids, members] = await Promise.all([
      listTownVillages(townId),
      listGrids(villageId),
      listVillageMembers(villageId),
    ])
    const village = villages.find((v) => v.id === villageId)
    if (!village) throw new NotFoundOnPage('找不到这个村（社区）。')
    return { village, grids, members }
  })
  const [draft, setDraft] = useState<VillageDraft | null>(null)
  const form = useSubmit(VILLAGE_FIELDS, (body: UpdateVillageBody, { handled }) =>
    updateVillage(villageId, body, handled),
  )
  const { errors } = form
  const { text, choice } = draftFields(draft, setDraft, errors)
  const gridName = useTextWithError()

  async function saveVillage(village: Village) {
    if (!draft) return
    const found = validateVillage(draft, false)
    const body: UpdateVillageBody = {}
    if (draft.name.trim() !== village.name) body.name = draft.name.trim()
    if (draft.kind !== village.kind) body.kind = draft.kind
    if (!Object.values(found).some(Boolean) && !Object.keys(body).length) return setDraft(null)
    if (!(await form.submit(body, found))) return
    void Taro.showToast({ title: '已保存', icon: 'none', duration: 2000 })
    setDraft(null)
    await reload()
  }

  async function addGrid() {
    const name = gridName.value.trim()
    if (!name) return gridName.setError('请填写网格名称，例如“三组网格”')
    gridName.setError('')
    try {
      await createGrid(villageId, { name }, ['GRID_NAME_TAKEN', 'VALIDATION_FAILED'])
      void Taro.showToast({ title: `已添加${name}`, icon: 'none', duration: 2000 })
      gridName.setValue('')
      await reload()
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'GRID_NAME_TAKEN' || error.code === 'VALIDATION_FAILED')) {
        gridName.setError(error.details[0]?.message ?? error.message)
      }
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const { village, grids, members } = data.value
  const words = placeWords(village.kind)
  const committee = members.filter((m) => m.roles.includes('committee'))

  return (
    <Page className='village-setup'>
      <View className='lr-heading'>{village.name}</View>

      {draft ? (
        <Card title='修改名称或类型' className='village-setup__form'>
          <InputField label='名称' maxLength={64} {...text('name', 'village-setup__input--name')} />
          <ChoiceField label='类型' choices={KIND_CHOICES} {...choice('kind')} />
          {/* This form has never shown its saving on the button. */}
          <EditFormActions
            form={{ formError: form.formError }}
            className='village-setup__save'
            onSave={() => saveVillage(village)}
            onClose={() => setDraft(null)}
          />
        </Card>
      ) : (
        <Card title='基本信息' className='village-setup__facts'>
          <Facts>
            <Fact label='名称'>{village.name}</Fact>
            <Fact label='类型'>{kindLabel(village.kind)}</Fact>
            <Fact label='代码'>
              <Text className='lr-code'>{village.code}</Text>（不能修改）
            </Fact>
          </Facts>
          <View className='lr-actions'>
            <Button
              size='large'
              fill='outline'
              className='village-setup__edit'
              onClick={() => {
                setDraft({ name: village.name, kind: village.kind, code: village.code })
                form.clear()
              }}
            >
              修改名称或类型
            </Button>
          </View>
        </Card>
      )}

      <Card title={`${words.committee}电话和办公时间`} className='village-setup__contact'>
        <VillageContactForm villageId={villageId} committee={words.committee} contact={village} onSaved={reload} />
      </Card>

      <Card title={`网格（${grids.length} 个）`} className='village-setup__grids'>
        {grids.length === 0 ? <View className='lr-muted'>还没有网格。</View> : null}
        {grids.map((grid) => (
          <ListLink
            key={grid.id}
            className='village-setup__grid'
            url={townPaths.grid(townId, villageId, grid.id)}
            title={grid.name}
          >
            <View className='lr-text'>
              网格员：{grid.workers.length ? grid.workers.map((w) => w.realName).join('、') : '还没有'}
            </View>
            <View className='lr-muted'>{grid.householdCount} 户</View>
          </ListLink>
        ))}
        <View className='village-setup__new-grid'>
          <Field label='添加网格' error={gridName.error}>
            <View className='village-setup__new-grid-row'>
              <Input
                className='lr-input village-setup__input--grid'
                placeholder='例如：三组网格'
                value={gridName.value}
                maxLength={64}
                onChange={gridName.change}
              />
              <Button type='primary' size='large' className='village-setup__add-grid' onClick={addGrid}>
                添加
              </Button>
            </View>
          </Field>
        </View>
      </Card>

      <Card title={`${words.committee}成员（${committee.length} 人）`} className='village-setup__committee'>
        {committee.length === 0 ? <View className='lr-muted'>还没有{words.committee}成员。</View> : null}
        {committee.length > 0 ? <View className='lr-text'>{committee.map((m) => m.realName).join('、')}</View> : null}
        {members.length === 0 ? (
          <View className='lr-muted village-setup__no-members'>
            这里还没有已认证的{words.member}。{words.committee}成员要先在里仁申请加入本{words.place}，通过审核后才能选。
          </View>
        ) : null}
        <View className='lr-actions'>
          <LinkButton
            type='primary'
            size='large'
            className='village-setup__choose-committee'
            disabled={members.length === 0}
            url={townPaths.committee(townId, villageId)}
          >
            选择{words.committee}成员
          </LinkButton>
        </View>
      </Card>
    </Page>
  )
}
