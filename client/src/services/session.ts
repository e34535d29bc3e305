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
