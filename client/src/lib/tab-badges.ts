import Taro from '@tarojs/taro'
import type { Todo } from '@liren/shared/contracts'

/** The tab bar's pages that carry a red number, by their place in app.config.ts's tabBar list. */
const TABS = { home: 0, mine: 2 } as const

/** The things waiting for the person to act on (overdue reports are among the open ones; messages are 我的's). */
export function actionable(todo: Todo): number {
  const { applications = 0, reports, orders = 0, approvals = 0, votes } = todo
  return applications + (reports?.open ?? 0) + orders + approvals + votes.length
}

/**
 * Shows `count` as the red number on a tab (99+ above 99, as it must fit), or takes it away at 0. The same
 * calls work in WeChat and in H5, where Taro's tab bar listens for them. WeChat refuses them while a page
 * that is not a tab is in front (the answer came after the person went on): the next show sets it again.
 */
export function setTabCount(tab: keyof typeof TABS, count: number): void {
  const index = TABS[tab]
  const done =
    count > 0
      ? Taro.setTabBarBadge({ index, text: count > 99 ? '99+' : String(count) })
      : Taro.removeTabBarBadge({ index })
  void Promise.resolve(done).catch(() => undefined)
}
