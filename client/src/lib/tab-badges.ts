import Taro, { useDidShow } from '@tarojs/taro'
import { useSyncExternalStore } from 'react'
import type { Todo } from '@liren/shared/contracts'

/**
 * The tab bar's items, in the order of app.config.ts's tabBar list (a weapp test holds the two together).
 * In WeChat the bar is ours (src/custom-tab-bar): WeChat's own bar cannot enlarge its labels for
 * 适老化. In H5 it is Taro's, which listens for the tab bar APIs.
 */
export const TAB_ITEMS = [
  { key: 'home', pagePath: 'pages/index/index', text: '首页', icon: 'home' },
  { key: 'points', pagePath: 'pages/points/index', text: '积分', icon: 'points' },
  { key: 'mine', pagePath: 'pages/mine/index', text: '我的', icon: 'mine' },
] as const
export type TabKey = (typeof TAB_ITEMS)[number]['key']

interface TabBarState {
  /** The tab page in front (the bar draws it selected). */
  current: TabKey
  /** The red number on each tab (0: none). */
  counts: Readonly<Record<TabKey, number>>
}

let state: TabBarState = { current: 'home', counts: { home: 0, points: 0, mine: 0 } }
const listeners = new Set<() => void>()

function update(change: Partial<TabBarState>): void {
  state = { ...state, ...change }
  listeners.forEach((notify) => notify())
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** What the WeChat tab bar draws: the tab in front and the red numbers, shared by every tab page's bar. */
export function useTabBarState(): TabBarState {
  return useSyncExternalStore(subscribe, () => state)
}

/** A red number as it fits on a tab: 99+ above 99. */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count)
}

/** The things waiting for the person to act on (overdue reports are among the open ones; messages are 我的's). */
export function actionable(todo: Todo): number {
  const { applications = 0, reports, orders = 0, approvals = 0, votes } = todo
  return applications + (reports?.open ?? 0) + orders + approvals + votes.length
}

/**
 * Shows `count` as the red number on a tab, or takes it away at 0. In H5, through Taro's tab bar APIs;
 * they refuse while a page that is not a tab is in front (the answer came after the person went on): the
 * next show sets it again. In WeChat, our own bar draws it (WeChat disables those APIs for a custom bar).
 */
export function setTabCount(tab: TabKey, count: number): void {
  if (process.env.TARO_ENV === 'weapp') {
    if (state.counts[tab] !== count) update({ counts: { ...state.counts, [tab]: count } })
    return
  }
  const index = TAB_ITEMS.findIndex((item) => item.key === tab)
  const done = count > 0 ? Taro.setTabBarBadge({ index, text: badgeText(count) }) : Taro.removeTabBarBadge({ index })
  void Promise.resolve(done).catch(() => undefined)
}

/** A tab page marks itself as the one in front each time it shows, so that the bar draws it selected. */
export function useTabPage(tab: TabKey): void {
  useDidShow(() => {
    if (state.current !== tab) update({ current: tab })
  })
}
