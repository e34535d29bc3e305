import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { NotFoundOnPage, usePageData } from '../../../lib/page-hooks'
import { listTownVillages, listVillageMembers, setCommittee } from '../../../services/setup'
import { MemberChooser } from '../components/MemberChooser'

export default function CommitteeSetup() {
  const params = useRouter().params
  const townId = Number(params.townId)
  const villageId = Number(params.villageId)
  const [chosen, setChosen] = useState<number[]>([])
  const { data, reload } = usePageData(
    async () => {
      const [villages, members] = await Promise.all([listTownVillages(townId), listVillageMembers(villageId)])
      const village = villages.find((v) => v.id === villageId)
      if (!village) throw new NotFoundOnPage('找不到这个村（社区）。')
      setChosen(members.filter((m) => m.roles.includes('committee')).map((m) => m.membershipId))
      return { village, members }
    },
    { onShow: false },
  )

  async function save(committeeWord: string) {
    try {
      const committee = await setCommittee(villageId, chosen)
      void Taro.showToast({ title: `${committeeWord}现有 ${committee.length} 人`, icon: 'none', duration: 2000 })
      setTimeout(() => void Taro.navigateBack(), 800)
    } catch {
      // http.ts has shown why.
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const { village, members } = data.value
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
