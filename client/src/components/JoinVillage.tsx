import { View } from '@tarojs/components'
import { WideLinkButton } from './WideButtons'

/** The form for joining a village (or community). */
export const JOIN_PAGE = '/packages/member/join/index'

/** 申请加入, for someone who has no village yet: opens the form to join one. */
export function JoinButton({ className }: { className: string }) {
  return (
    <View className='lr-actions'>
      <WideLinkButton type='primary' className={className} url={JOIN_PAGE}>
        申请加入
      </WideLinkButton>
    </View>
  )
}
