import Taro from '@tarojs/taro'
import { useSyncExternalStore } from 'react'

const KEY = 'liren.largeText'
const listeners = new Set<() => void>()
let enabled: boolean = Taro.getStorageSync(KEY) === true

export function setLargeText(on: boolean): void {
  enabled = on
  Taro.setStorageSync(KEY, on)
  listeners.forEach((notify) => notify())
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The 适老化 large-text preference, shared by every mounted page. */
export function useLargeText(): boolean {
  return useSyncExternalStore(subscribe, () => enabled)
}
