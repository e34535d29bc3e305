import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Grid } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Field } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { useTextWithError } from '../../../lib/form-text'
import { NotFoundOnPage, usePageData } from '../../../lib/page-hooks'
import { ApiError } from '../../../services/http'
import { listGrids, listTownVillages, listVillageMembers, setGridWorkers, updateGrid } from '../../../services/setup'
import { MemberChooser } from '../components/MemberChooser'

export default function GridSetup() {
  const params = useRouter().params
  const townId = Number(params.townId)
  const villageId = Number(params.villageId)
  const gridId = Number(params.gridId)
  const name = useTextWithError()
  const [workers, setWorkers] = useState<number[]>([])
  const { data, reload, set } = usePageData(
    async () => {
      const [villages, grids, members] = await Promise.all([
        listTownVillages(townId),
        listGrids(villageId),
        listVillageMembers(villageId),
      ])
      const village = villages.find((v) => v.id === villageId)
      const grid = grids.find((g) => g.id === gridId)
      if (!village || !grid) throw new NotFoundOnPage('找不到这个网格。')
      name.setValue(grid.name)
      setWorkers(grid.workers.map((w) => w.membershipId))
      return { village, grid, members }
    },
    { onShow: false },
  )

  async function rename(grid: Grid) {
    const next = name.value.trim()
    if (!next) return name.setError('请填写网格名称')
    if (next === grid.name) return
    try {
      const saved = await updateGrid(villageId, gridId, { name: next }, ['GRID_NAME_TAKEN', 'VALIDATION_FAILED'])
      if (data.state === 'ready') set({ ...data.value, grid: saved })
      void Taro.showToast({ title: '名称已保存', icon: 'none', duration: 2000 })
    } catch (error) {
      if (error instanceof ApiError) name.setError(error.details[0]?.message ?? error.message)
    }
  }

  async function saveWorkers() {
    try {
      await setGridWorkers(villageId, gridId, workers)
      void Taro.showToast({ title: '网格员已保存', icon: 'none', duration: 2000 })
      setTimeout(() => void Taro.navigateBack(), 800)
    } catch {
      // http.ts has shown why.
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const { village, grid, members } = data.value
  return (
    <Page className='grid-setup'>
      <View className='lr-heading'>
        {village.name} · {grid.name}
      </View>

      <Card title='网格名称'>
        <Field label='名称' error={name.error}>
          <Input
            className='lr-input grid-setup__input--name'
            value={name.value}
            maxLength={64}
            onChange={name.change}
          />
        </Field>
        <Button
          size='large'
          block
          fill='outline'
          disabled={name.value.trim() === grid.name}
          onClick={() => rename(grid)}
        >
          保存名称
        </Button>
      </Card>

      <Card title='网格员'>
        <View className='lr-muted grid-setup__intro'>
          从本{placeWords(village.kind).place}已认证的成员里选，可以选几位。网格员负责处理这个网格里的事。
        </View>
        <MemberChooser
          members={members.filter((m) => m.status === 'verified')}
          chosen={workers}
          kind={village.kind}
          onChange={setWorkers}
        />
        <View className='lr-actions'>
          <Button type='primary' size='large' block className='grid-setup__save-workers' onClick={saveWorkers}>
            保存网格员（{workers.length} 位）
          </Button>
        </View>
      </Card>
    </Page>
  )
}
