import { View } from '@tarojs/components'
import type { ReactNode } from 'react'

/** Label–value lines, e.g. 住址：张家村一组 3 号. */
export function Facts({ children }: { children: ReactNode }) {
  return <View className='lr-facts'>{children}</View>
}

export function Fact({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <View className={`lr-fact ${className ?? ''}`}>
      <View className='lr-fact__label'>{label}</View>
      <View className='lr-fact__value'>{children}</View>
    </View>
  )
}
