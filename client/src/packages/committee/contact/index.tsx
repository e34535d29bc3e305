import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { VillageContactForm } from '../../../components/VillageContactForm'
import { NotFoundOnPage, usePageData } from '../../../lib/page-hooks'
import { getMe } from '../../../services/identity'

/** The committee sets its office phone and hours, which its village's people see on 首页. */
export default function CommitteeContactPage() {
  const villageId = Number(useRouter().params.villageId)
  const { data, reload } = usePageData(async () => {
    const membership = (await getMe()).memberships.find((m) => m.villageId === villageId)
    if (!membership) throw new NotFoundOnPage('找不到这个村（社区）。')
    return membership
  })
  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const membership = data.value
  const words = placeWords(membership.villageKind)
  return (
    <Page className='contact'>
      <View className='lr-heading'>{membership.villageName}</View>
      <Card title={`${words.committee}的电话和办公时间`}>
        <View className='lr-muted'>
          {words.member}在首页看到这个电话，点一下就能打过来；申请没通过、积分账户没开通时，也会让他们打这个电话。
        </View>
        <VillageContactForm
          villageId={villageId}
          committee={words.committee}
          contact={membership}
          onSaved={() => setTimeout(() => void Taro.navigateBack(), 800)}
        />
      </Card>
    </Page>
  )
}
