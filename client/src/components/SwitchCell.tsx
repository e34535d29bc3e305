import { View } from '@tarojs/components'
import { Cell, Switch } from '@nutui/nutui-react-taro'
import type { ReactNode } from 'react'

/**
 * A yes-or-no row: its words on the left, a switch on the right. Tapping anywhere on the row flips it,
 * not only the small switch, so the target is the whole row (at least 44 px tall). `switchClassName` is
 * the switch's own class.
 */
export function SwitchCell(props: {
  className?: string
  switchClassName?: string
  title: ReactNode
  description?: ReactNode
  checked: boolean
  onChange: (on: boolean) => void
}) {
  return (
    <Cell
      className={`lr-switch-cell ${props.className ?? ''}`}
      title={props.title}
      description={props.description}
      clickable
      onClick={() => props.onChange(!props.checked)}
      extra={
        // The switch flips itself; its tap must not reach the row and flip it back.
        <View className='lr-switch-cell__switch' onClick={(event) => event.stopPropagation()}>
          <Switch checked={props.checked} onChange={props.onChange} className={props.switchClassName} />
        </View>
      }
      align='center'
    />
  )
}
