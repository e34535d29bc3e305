import { View } from '@tarojs/components'
import './DraftRestored.css'

/** Above a form that was left half-filled: the text is still there, or start over. */
export function DraftRestored({ onStartOver, className }: { onStartOver: () => void; className?: string }) {
  return (
    <View className={`lr-warning lr-row draft-restored ${className ?? ''}`}>
      <View>上次没写完的内容已经帮您留着了。</View>
      <View className='draft-restored__start-over' onClick={onStartOver}>
        清空重写
      </View>
    </View>
  )
}
