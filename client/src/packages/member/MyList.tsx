import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Card } from '../../components/Card'
import { NotReadyHere } from '../../components/LoadFailed'
import { Page } from '../../components/Page'
import { WideLinkButton } from '../../components/WideButtons'
import type { PageData } from '../../lib/page-hooks'

interface Empty {
  text: string
  action: string
  actionClassName: string
  url: string
}

/** One of my lists with nothing in it yet: what it would hold, said kindly, and the way to begin. */
export function EmptyList(props: Empty) {
  return (
    <>
      <View className='lr-muted my-list__empty'>{props.text}</View>
      <WideLinkButton fill='outline' className={props.actionClassName} url={props.url}>
        {props.action}
      </WideLinkButton>
    </>
  )
}

/** A page of one kind of my things (`name`, e.g. my-topics): its heading, then the list, or what stands for an empty one. */
export function MyListPage<T>(props: {
  name: string
  title: string
  intro?: string
  data: PageData<T[]>
  onRetry: () => void
  empty: Empty
  children: (items: T[]) => ReactNode
}) {
  const { data, name } = props
  return (
    <Page className={`my-list ${name}`}>
      <View className='lr-heading'>{props.title}</View>
      {props.intro ? <View className='lr-muted my-list__intro'>{props.intro}</View> : null}
      <NotReadyHere data={data} onRetry={props.onRetry} />
      {data.state === 'ready' ? (
        <Card className={data.value.length ? `${name}__list` : `${name}__empty`}>
          {data.value.length ? props.children(data.value) : <EmptyList {...props.empty} />}
        </Card>
      ) : null}
    </Page>
  )
}
