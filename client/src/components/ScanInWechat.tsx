import { View } from '@tarojs/components'

/**
 * Where the mini-program's 扫码 button would be, in a browser (H5 cannot open the camera as a scanner): how to
 * do it in WeChat instead. `action` names the button there, e.g. 扫码签到.
 */
export function ScanInWechat({ action, className }: { action: string; className?: string }) {
  return (
    <View className={`lr-warning ${className ?? ''}`}>
      {action}要用微信：请在微信里打开里仁小程序，再点“{action}”，对准二维码扫一下就好。
    </View>
  )
}
