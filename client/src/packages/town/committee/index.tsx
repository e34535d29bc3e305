import { View } from '@tarojs/components'
import Taro, { useLoad, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Village, VillageMember } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { ApiError } from '../../../services/http'
import { listTownVillages, listVillageMembers, setCommittee } from '../../../services/setup'
import { MemberChooser } from '../components/MemberChooser'

type Data =
  | { state: 'loading' }
  | { state: 'ready'; village: Village; members: VillageMember[] }
  | { state: 'failed'; message?: string }

export default function CommitteeSetup() {
  const params = useRouter().params
  const townId = Number(params.townId)
  const villageId = Number(params.villageId)
  const [data, setData] = useState<Data>({ state: 'loading' })
  const [chosen, setChosen] = useState<number[]>([])

  async function load() {
    try {
      const [villages, members] = await Promise.all([listTownVillages(townId), listVillageMembers(villageId)])
      const village = villages.find((v) => v.id === villageId)
      if (!village) return setData({ state: 'failed', message: '找不到这个村（社区）。' })
      setData({ state: 'ready', village, members })
      setChosen(members.filter((m) => m.roles.includes('committee')).map((m) => m.membershipId))
    } catch (error) {
      setData({ state: 'failed', message: error instanceof ApiError && error.status !== 0 ? error.message : undefined })
    }
  }

  useLoad(() => void load())

  async function save(committeeWord: string) {
    try {
      const committee = await setCommittee(villageId, chosen)
      void Taro.showToast({ title: `${committeeWord}现有 ${committee.length} 人`, icon: 'none', duration: 2000 })
      setTimeout(() => void Taro.navigateBack(), 800)
    } catch {
      // http.ts has shown why.
    }
  }

  if (data.state === 'loading' || data.state === 'failed') return <NotReady data={data} onRetry={load} />

  const { village, members } = data
  const words = placeWords(village.kind)
  return (
    <Page className='committee-setup'>
      <View className='lr-heading'>
        {village.name} · {words.committee}成员
      </View>
      <Card>
        <View className='lr-muted committee-setup__intro'>
          勾选的人是{words.committee}成员，可以审核入{words.place}申请、管理花名册。没勾的人不再是{words.committee}
          成员。
        </View>
        <MemberChooser members={members} chosen={chosen} kind={village.kind} onChange={setChosen} />
        <View className='lr-actions'>
          <Button
            type='primary'
            size='large'
            block
            className='committee-setup__save'
            onClick={() => save(words.committee)}
          >
            保存（{chosen.length} 人）
          </Button>
        </View>
      </Card>
    </Page>
  )
}
