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

export function goToLogin(): void {
  void Taro.reLaunch({ url: LOGIN_PAGE })
}

export const HOME_PAGE = '/pages/index/index'
export const PRIVACY_PAGE = '/pages/privacy/index'

/** The page being shown, with its query, to come back to (the home page when it is the login page). */
function currentUrl(): string {
  const router = Taro.getCurrentInstance().router
  const route = router?.path ? `/${router.path.split('?')[0]!.replace(/^\//, '')}` : ''
  if (!route || route === LOGIN_PAGE || route === PRIVACY_PAGE) return HOME_PAGE
  const query = Object.entries(router?.params ?? {})
    // Taro adds a time stamp and ids of its own.
    .filter(([key, value]) => value !== undefined && key !== 'stamp' && !key.startsWith('$taro'))
    .map(([key, value]) => `${key}=${value}`)
  return query.length ? `${route}?${query.join('&')}` : route
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
