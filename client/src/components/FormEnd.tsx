import { View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import type { ReactNode } from 'react'

/** The end of a page's form: why it was refused (if it was), and the wide button that sends it. */
export function FormEnd(props: {
  error: string
  errorClassName: string
  saving: boolean
  className: string
  onSubmit: () => void
  children: ReactNode
}) {
  return (
    <>
      {props.error ? <View className={`lr-error ${props.errorClassName}`}>{props.error}</View> : null}
      <Button
        type='primary'
        size='large'
        block
        loading={props.saving}
        className={`lr-block-button ${props.className}`}
        onClick={props.onSubmit}
      >
        {props.children}
      </Button>
    </>
  )
}
