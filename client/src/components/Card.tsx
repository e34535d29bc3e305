import { View } from '@tarojs/components'
import type { ReactNode } from 'react'

export function Card({ title, children, className }: { title?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <View className={`lr-card ${className ?? ''}`}>
      {title ? <View className='lr-card__title'>{title}</View> : null}
      {children}
    </View>
  )
}
