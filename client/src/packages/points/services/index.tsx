import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Dialog } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { NeighbourService } from '@liren/shared/contracts'
import { SERVICE_KIND_LABEL, SERVICE_STATUS_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Choices } from '../../../components/Choices'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideLinkButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { listServices, serviceAction } from '../../../services/points'
import { pointsPaths } from '../paths'
import './index.css'

type Filter = 'open' | 'mine' | 'all'
type Action = 'take' | 'complete' | 'cancel'

const FILTERS = [
  { value: 'open' as const, label: '可以接的' },
  { value: 'mine' as const, label: '与我有关' },
  { value: 'all' as const, label: '全部' },
]

/** Who receives the help confirms it is done: the taker of an offer, the poster of a request. */
function isReceiver(service: NeighbourService): boolean {
  return service.kind === 'offer' ? service.takenByMe : service.mine
}

/** The question before an action, with where the points go. */
function question(service: NeighbourService, action: Action): string {
  if (action === 'cancel') return `撤下“${service.title}”吗？撤下后别人就看不到了。`
  if (action === 'take') {
    return service.kind === 'offer'
      ? `接受${service.posterName}的帮助“${service.title}”吗？完成后由您确认，${service.points} 积分从您这里转给对方。`
      : `去帮${service.posterName}“${service.title}”吗？对方确认完成后，您会得到 ${service.points} 积分。`
  }
  return `确认“${service.title}”已经完成了吗？确认后 ${service.points} 积分会从您这里转给${service.kind === 'offer' ? service.posterName : (service.takerName ?? '对方')}。`
}

const DONE: Record<Action, string> = { take: '已接下', complete: '已确认完成，积分已转给对方', cancel: '已撤下' }
const TITLE: Record<Action, string> = { take: '接下这件事', complete: '确认完成', cancel: '撤下' }

export default function Services() {
  const { villageId } = useVillageMembership()
  const { data, reload } = usePageData(() => listServices(villageId, true))
  // 我的报名 opens the list on what is mine.
  const [filter, setFilter] = useState<Filter>(useRouter().params.filter === 'mine' ? 'mine' : 'open')
  const [pending, setPending] = useState<{ service: NeighbourService; action: Action } | null>(null)

  async function confirm() {
    if (!pending) return
    const { service, action } = pending
    setPending(null)
    try {
      await serviceAction(villageId, service.id, action)
      void Taro.showToast({ title: DONE[action], icon: 'none', duration: 2500 })
    } catch {
      // http.ts has shown why (taken meanwhile, not enough points…).
    }
    await reload()
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  const shown = data.value.filter((s) =>
    filter === 'open' ? s.status === 'open' && !s.mine : filter === 'mine' ? s.mine || s.takenByMe : true,
  )
  return (
    <Page className='services'>
      <Card className='services__intro'>
        <View className='lr-text'>
          会做的事可以帮邻居（接送孩子、陪老人说话、修修补补），需要帮忙也可以发出来。做完后，受帮助的一方确认，约定的积分就转给帮忙的人。
        </View>
        <View className='lr-actions'>
          <WideLinkButton type='primary' className='services__new' url={pointsPaths.newService(villageId)}>
            发布
          </WideLinkButton>
        </View>
      </Card>

      <Choices choices={FILTERS} value={filter} onChange={setFilter} className='services__filters' />

      {shown.length === 0 ? (
        <Card>
          <View className='lr-muted'>
            {filter === 'open'
              ? '现在没有等人接的事。'
              : filter === 'mine'
                ? '您还没有发布或接下过。'
                : '还没有人发布。'}
          </View>
        </Card>
      ) : null}
      {shown.map((service) => (
        <Card key={service.id} className={`services__item services__item--${service.status}`}>
          <View className='lr-row'>
            <View className={`lr-badge ${service.kind === 'offer' ? 'lr-badge--green' : 'lr-badge--blue'}`}>
              {SERVICE_KIND_LABEL[service.kind]}
            </View>
            <View className='services__title'>{service.title}</View>
          </View>
          <View className='lr-text services__description'>{service.description}</View>
          <View className='lr-row services__meta'>
            <View className='services__points'>{service.points} 积分</View>
            <View className='lr-badge lr-badge--grey'>{SERVICE_STATUS_LABEL[service.status]}</View>
          </View>
          <View className='lr-muted'>
            {service.mine ? '我发布的' : `${service.posterName}发布`}
            {service.takerName ? ` · ${service.takenByMe ? '我' : service.takerName}接下` : ''} ·{' '}
            {formatDateTime(service.createdAt)}
          </View>
          <View className='lr-actions services__buttons'>
            {service.status === 'open' && !service.mine ? (
              <Button
                type='primary'
                size='large'
                className='services__take'
                onClick={() => setPending({ service, action: 'take' })}
              >
                我来接
              </Button>
            ) : null}
            {service.status === 'taken' && isReceiver(service) ? (
              <Button
                type='primary'
                size='large'
                className='services__complete'
                onClick={() => setPending({ service, action: 'complete' })}
              >
                确认完成
              </Button>
            ) : null}
            {service.status === 'taken' && !isReceiver(service) && (service.mine || service.takenByMe) ? (
              <View className='lr-muted'>做完后，请对方在这里确认完成。</View>
            ) : null}
            {service.mine && service.status === 'open' ? (
              <Button
                size='large'
                fill='outline'
                className='services__cancel'
                onClick={() => setPending({ service, action: 'cancel' })}
              >
                撤下
              </Button>
            ) : null}
          </View>
        </Card>
      ))}

      <Dialog
        visible={pending !== null}
        title={pending ? TITLE[pending.action] : ''}
        confirmText='确定'
        cancelText='再想想'
        onConfirm={confirm}
        onCancel={() => setPending(null)}
        onClose={() => setPending(null)}
      >
        {pending ? <View className='lr-text'>{question(pending.service, pending.action)}</View> : null}
      </Dialog>
    </Page>
  )
}
