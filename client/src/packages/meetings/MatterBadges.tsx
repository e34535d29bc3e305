import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { Matter } from '@liren/shared/contracts'
import { matterProgressText } from './labels'

/**
 * A major matter's badges: how far it has come and whether it needs rework, then the page's own (`children`).
 * `block` is the page's class prefix (`matter`, `matters`).
 */
export function MatterBadges({
  matter,
  block,
  children,
}: {
  matter: Pick<Matter, 'stages' | 'nextStage' | 'needsRework'>
  block: string
  children?: ReactNode
}) {
  return (
    <View className={`lr-row ${block}__badges`}>
      <View className={`lr-badge ${matter.nextStage ? 'lr-badge--blue' : 'lr-badge--green'} ${block}__progress`}>
        {matterProgressText(matter)}
      </View>
      {matter.needsRework ? <View className={`lr-badge lr-badge--red ${block}__rework`}>需要整改</View> : null}
      {children}
    </View>
  )
}
