import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ReactNode } from 'react'

/**
 * One row of a list that opens something (the page at `url`, or `onTap`): its title, what follows, and the
 * arrow that says it opens. With `badges` (even when there are none to show now) the title shares a row
 * with them.
 */
export function ListLink(props: {
  title: ReactNode
  className: string
  url?: string
  onTap?: () => void
  badges?: ReactNode
  titleClassName?: string
  children?: ReactNode
}) {
  const title = (
    <View className={`lr-list-item__title${props.titleClassName ? ` ${props.titleClassName}` : ''}`}>
      {props.title}
    </View>
  )
  const open =
    props.onTap ??
    (() => {
      if (props.url) void Taro.navigateTo({ url: props.url })
    })
  return (
    <View className={`lr-list-item ${props.className}`} onClick={open}>
      {props.badges === undefined ? (
        title
      ) : (
        <View className='lr-row'>
          {title}
          {props.badges}
        </View>
      )}
      {props.children}
      <View className='lr-list-item__arrow'>›</View>
    </View>
  )
}
