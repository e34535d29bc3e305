import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import type { ComponentProps } from 'react'

/** A button that opens another page of the app (`url`); the rest is NutUI's Button as it is. */
export function LinkButton({ url, ...button }: Omit<ComponentProps<typeof Button>, 'onClick'> & { url: string }) {
  return <Button {...button} onClick={() => void Taro.navigateTo({ url })} />
}
