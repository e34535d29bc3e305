import { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { watchWechatPrivacy } from './lib/privacy'
import './app.css'

// Taro's H5 tab bar items are <a href="javascript:;">: following such a link runs an inline script, which
// the Content-Security-Policy refuses (and the browser logs). The tab's own click handler still runs;
// only the empty link is not followed.
if (process.env.TARO_ENV === 'h5')
  document.addEventListener(
    'click',
    (event) => {
      if ((event.target as Element | null)?.closest?.('a[href^="javascript:"]')) event.preventDefault()
    },
    true,
  )

function App({ children }: PropsWithChildren) {
  useLaunch(watchWechatPrivacy)
  return children
}

export default App
