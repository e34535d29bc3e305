import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { useLargeText } from '../lib/large-text'

/** The wrapper of every page: carries the style variables, large-text mode included. */
export function Page({ children, className }: { children: ReactNode; className?: string }) {
  const large = useLargeText()
  const classes = ['lr-page', large ? 'lr-large' : '', className ?? ''].filter(Boolean).join(' ')
  return <View className={classes}>{children}</View>
}
