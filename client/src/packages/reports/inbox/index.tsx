import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import type { Notification } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { getInbox, markInboxRead } from '../../../services/reports'
import { reportPaths } from '../paths'
import './index.css'

/** My messages: what happened to my reports, and new work for handlers. Opening one marks it read. */
export default function InboxPage() {
  const { data, reload, set } = usePageData(() => getInbox(true))

  async function open(n: Notification) {
    if (!n.read) markInboxRead([n.id], true).catch(() => undefined)
    // A notice about a meeting or a topic names its page; one about a report, the report.
    if (n.page) await Taro.navigateTo({ url: `/${n.page}` })
    else if (n.reportId) await Taro.navigateTo({ url: reportPaths.detail(n.villageId, n.reportId) })
  }

  async function readAll() {
    try {
      set(await markInboxRead())
    } catch {
      // http.ts has shown why.
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />
  const inbox = data.value
  return (
    <Page className='inbox'>
      <View className='lr-row inbox__head'>
        <View className='lr-muted'>{inbox.unread ? `${inbox.unread} 条没看过` : '都看过了'}</View>
        {inbox.unread ? (
          <Button size='small' fill='outline' className='inbox__read-all' onClick={readAll}>
            全部标为已读
          </Button>
        ) : null}
      </View>
      {inbox.items.length === 0 ? (
        <Card>
          <View className='lr-muted'>还没有消息。您的上报有了进展，会在这里告诉您。</View>
        </Card>
      ) : null}
      {inbox.items.map((n) => (
        <View key={n.id} className={`inbox__item${n.read ? '' : ' inbox__item--unread'}`} onClick={() => open(n)}>
          <View className='inbox__title'>
            {n.read ? null : <View className='inbox__dot' />}
            {n.title}
          </View>
          <View className='lr-text inbox__body'>{n.body}</View>
          <View className='lr-muted'>{formatDateTime(n.createdAt)}</View>
        </View>
      ))}
    </Page>
  )
}
