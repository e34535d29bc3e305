import Taro from '@tarojs/taro'
import { useSyncExternalStore } from 'react'

const KEY = 'liren.largeText'
const listeners = new Set<() => void>()
let enabled: boolean = Taro.getStorageSync(KEY) === true
markDocument()

export function setLargeText(on: boolean): void {
  enabled = on
  Taro.setStorageSync(KEY, on)
  markDocument()
  listeners.forEach((notify) => notify())
}

/**
 * H5 only: the tab bar is drawn outside every page, so large-text mode marks the document for it too
 * (app.css). WeChat draws its own tab bar, at its own size.
 */
function markDocument(): void {
  if (process.env.TARO_ENV === 'h5') document.documentElement.classList.toggle('lr-large-text', enabled)
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The 适老化 large-text preference, shared by every mounted page. */
export function useLargeText(): boolean {
  return useSyncExternalStore(subscribe, () => enabled)
}
