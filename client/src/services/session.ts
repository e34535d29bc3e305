import Taro from '@tarojs/taro'
import type { TokenPair } from '@liren/shared/contracts'

const TOKEN = 'liren.token'
const REFRESH = 'liren.refreshToken'

export function getToken(): string {
  return (Taro.getStorageSync(TOKEN) as string | undefined) || ''
}

export function getRefreshToken(): string {
  return (Taro.getStorageSync(REFRESH) as string | undefined) || ''
}

export function saveTokens(pair: Pick<TokenPair, 'token' | 'refreshToken'>): void {
  Taro.setStorageSync(TOKEN, pair.token)
  Taro.setStorageSync(REFRESH, pair.refreshToken)
}

export function clearTokens(): void {
  Taro.removeStorageSync(TOKEN)
  Taro.removeStorageSync(REFRESH)
}

export function isSignedIn(): boolean {
  return getToken() !== ''
}

export const LOGIN_PAGE = '/pages/login/index'
export const HOME_PAGE = '/pages/index/index'
export const PRIVACY_PAGE = '/pages/privacy/index'
const TAB_PAGES = [HOME_PAGE, '/pages/points/index', '/pages/mine/index']

/** The route on top (with a leading /), or '' before any page. */
function currentRoute(): string {
  const path = Taro.getCurrentInstance().router?.path
  return path ? `/${path.split('?')[0]!.replace(/^\//, '')}` : ''
}

/** Where a login or privacy page sends the person on (`next`, a page of ours), else the home page. */
export function nextFrom(params: Record<string, string | undefined>): string {
  let next = params.next ?? ''
  try {
    next = decodeURIComponent(next)
  } catch {
    // Already decoded by the platform.
  }
  return next.startsWith('/') && !next.startsWith('//') ? next : HOME_PAGE
}

/** Goes on to `next`: a tab page by switching tabs, any other page in place of this one. */
export async function goOn(next: string): Promise<void> {
  const path = next.split('?')[0]!
  if (TAB_PAGES.includes(path)) await Taro.switchTab({ url: path })
  else await Taro.redirectTo({ url: next })
}

/**
 * The page being shown, with its query, to come back to. On the login or privacy page: where that page
 * sends the person on. The home page when there is nothing else.
 */
function currentUrl(): string {
  const router = Taro.getCurrentInstance().router
  const route = currentRoute()
  if (route === LOGIN_PAGE || route === PRIVACY_PAGE) return nextFrom(router?.params ?? {})
  if (!route) return HOME_PAGE
  const query = Object.entries(router?.params ?? {})
    // Taro adds a time stamp and ids of its own.
    .filter(([key, value]) => value !== undefined && key !== 'stamp' && !key.startsWith('$taro'))
    .map(([key, value]) => `${key}=${value}`)
  return query.length ? `${route}?${query.join('&')}` : route
}

let sendingToLogin = false

/**
 * To the login page. Once signed in, the person comes back to the page they were on (a meeting someone
 * shared with them, say), unless `comeBack` is false (after signing out: home). Sent once, even when
 * several of a page's requests are refused at the same time.
 */
export function goToLogin(comeBack = true): void {
  if (sendingToLogin || currentRoute() === LOGIN_PAGE) return
  sendingToLogin = true
  const next = comeBack ? currentUrl() : HOME_PAGE
  const url = next === HOME_PAGE ? LOGIN_PAGE : `${LOGIN_PAGE}?next=${encodeURIComponent(next)}`
  void Taro.reLaunch({ url }).finally(() => {
    sendingToLogin = false
  })
}

let askingConsent = false

/**
 * The privacy guide comes before anything else: like a sign-in, it is asked for wherever the person is,
 * and they come back to that page once they agree. Asked once even when several requests notice it.
 */
export function askPrivacyConsent(): void {
  if (askingConsent) return
  askingConsent = true
  const next = currentUrl()
  void Taro.reLaunch({ url: `${PRIVACY_PAGE}?next=${encodeURIComponent(next)}` }).finally(() => {
    askingConsent = false
  })
}
