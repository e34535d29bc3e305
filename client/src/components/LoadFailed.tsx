import { View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import { Card } from './Card'
import { Page } from './Page'

/** What a page shows when its data did not load: the reason (if any) and a retry. */
export function LoadFailed({ message, onRetry }: { message?: string; onRetry?: () => void }) {
  return (
    <Card title='没有加载成功'>
      <View className='lr-text'>{message ?? '请检查网络后再试。'}</View>
      {onRetry ? (
        <View className='lr-actions'>
          <Button size='large' onClick={onRetry}>
            再试一次
          </Button>
        </View>
      ) : null}
    </Card>
  )
}

/** In place of a part of the page whose data is loading or failed to load (with a retry); nothing once it is ready. */
export function NotReadyHere({
  data,
  onRetry,
}: {
  data: { state: 'loading' | 'failed' | 'ready'; message?: string }
  onRetry: () => void
}) {
  if (data.state === 'loading') return <View className='lr-muted'>正在加载…</View>
  return data.state === 'failed' ? <LoadFailed message={data.message} onRetry={onRetry} /> : null
}

/** The whole page while its data is loading, or after it failed to load (with a retry). */
export function NotReady({
  data,
  onRetry,
}: {
  data: { state: 'loading' | 'failed'; message?: string }
  onRetry: () => void
}) {
  return (
    <Page>
      <NotReadyHere data={data} onRetry={onRetry} />
    </Page>
  )
}
