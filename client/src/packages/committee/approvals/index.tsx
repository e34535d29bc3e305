import { View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Approval } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { NotReady } from '../../../components/LoadFailed'
import { PhotoStrip } from '../../../components/PhotoPicker'
import { Page } from '../../../components/Page'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { getMe } from '../../../services/identity'
import { decideApproval, listApprovals } from '../../../services/points'
import './index.css'

export default function Approvals() {
  const { villageId } = useVillageMembership()
  const [deciding, setDeciding] = useState<{ approval: Approval; approve: boolean } | null>(null)
  const [myUserId, setMyUserId] = useState<number | null>(null)
  // The server has the last word (MAKER_CHECKER); what it refused is explained on the card.
  const [ownProposals, setOwnProposals] = useState<number[]>([])

  useDidShow(() => {
    getMe().then(
      (me) => setMyUserId(me.userId),
      () => undefined,
    )
  })
  const { data, reload } = usePageData(async () =>
    (await listApprovals(villageId, true)).filter((a) => a.status === 'pending'),
  )

  async function confirm() {
    if (!deciding) return
    const { approval, approve } = deciding
    setDeciding(null)
    try {
      await decideApproval(villageId, approval.id, approve, ['MAKER_CHECKER', 'ALREADY_DECIDED'])
      void Taro.showToast({
        title: approve ? '已同意，积分已记上' : '已不同意，积分不记',
        icon: 'none',
        duration: 2500,
      })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.code === 'MAKER_CHECKER') setOwnProposals((ids) => [...ids, approval.id])
      else if (error.code === 'ALREADY_DECIDED')
        void Taro.showToast({ title: '别人已经复核过了', icon: 'none', duration: 2500 })
    }
    await reload()
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  return (
    <Page className='approvals'>
      <View className='lr-muted approvals__intro'>
        分值较大的加分、扣分，要另一位成员核对后才生效。自己提出的不能自己复核。
      </View>
      {data.value.length === 0 ? (
        <Card title='没有待复核的'>
          <View className='lr-muted'>有需要复核的会显示在这里。</View>
        </Card>
      ) : null}
      {data.value.map((approval) => (
        <Card key={approval.id} className='approvals__item'>
          <View className='lr-row'>
            <View className='approvals__name'>{approval.personName}</View>
            <View className={`approvals__amount approvals__amount--${approval.kind}`}>
              {approval.kind === 'earn' ? '加' : '扣'} {approval.amount} 分
            </View>
          </View>
          <View className='lr-text'>细则：{approval.ruleName}</View>
          <View className='lr-text'>理由：{approval.reason}</View>
          <PhotoStrip photos={approval.evidence} className='approvals__evidence' />
          <View className='lr-muted'>提出时间：{formatDateTime(approval.createdAt)}</View>
          {ownProposals.includes(approval.id) || approval.createdBy === myUserId ? (
            <View className='lr-warning approvals__own'>这是您提出的，要请另一位成员来复核。</View>
          ) : (
            <View className='lr-actions'>
              <Button
                size='large'
                fill='outline'
                className='approvals__reject'
                onClick={() => setDeciding({ approval, approve: false })}
              >
                不同意
              </Button>
              <Button
                type='primary'
                size='large'
                className='approvals__approve'
                onClick={() => setDeciding({ approval, approve: true })}
              >
                同意
              </Button>
            </View>
          )}
        </Card>
      ))}

      <ConfirmDialog
        subject={deciding}
        title={deciding?.approve ? '同意' : '不同意'}
        confirmText={deciding?.approve ? '确定同意' : '确定不同意'}
        onConfirm={confirm}
        onDismiss={() => setDeciding(null)}
      >
        {(chosen) => (
          <View className='lr-text'>
            {chosen.approve
              ? `同意给 ${chosen.approval.personName} ${chosen.approval.kind === 'earn' ? '加' : '扣'} ${chosen.approval.amount} 分吗？同意后马上生效。`
              : `不同意这次${chosen.approval.kind === 'earn' ? '加分' : '扣分'}吗？不同意就不记分。`}
          </View>
        )}
      </ConfirmDialog>
    </Page>
  )
}
