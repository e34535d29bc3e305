import { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { watchWechatPrivacy } from './lib/privacy'
import './app.css'

function App({ children }: PropsWithChildren) {
  useLaunch(watchWechatPrivacy)
  return children
}

export default App
