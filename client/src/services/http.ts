import Taro from '@tarojs/taro'
import type { ApiErrorBody, FieldError, TokenPair } from '@liren/shared/contracts'
import { clearTokens, getRefreshToken, getToken, goToLogin, saveTokens } from './session'

// The H5 build is served by the API server, so by default it calls its own origin.
const API_BASE =
  (process.env.TARO_ENV === 'h5' ? process.env.TARO_APP_H5_API_BASE : process.env.TARO_APP_API_BASE) ?? ''

/** Codes made up on the client, for failures that never reached the server's error shape. */
export const ClientErrorCode = {
  NETWORK: 'NETWORK',
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const

export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly details: FieldError[]

  constructor(status: number, body: ApiErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.status = status
    this.details = body.details ?? []
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface RequestOptions {
  method?: Method
  data?: unknown
  /** Send the bearer token (default true). */
  auth?: boolean
  /** Error codes the caller shows itself: no toast for them. `true` silences every toast. */
  handled?: readonly string[] | true
  /** Show the loading indicator (default true). */
  loading?: boolean
}

let loadingCount = 0

function startLoading(): void {
  loadingCount += 1
  if (loadingCount === 1) void Taro.showLoading({ title: '请稍候', mask: true })
}

function stopLoading(): void {
  loadingCount = Math.max(0, loadingCount - 1)
  if (loadingCount === 0) Taro.hideLoading()
}

function showError(error: ApiError): void {
  void Taro.showToast({ title: error.message, icon: 'none', duration: 2500 })
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).code === 'string' &&
    typeof (value as ApiErrorBody).message === 'string'
  )
}

interface RawResponse {
  status: number
  data: unknown
}

async function send(path: string, options: RequestOptions): Promise<RawResponse> {
  const header: Record<string, string> = {}
  if (options.data !== undefined) header['Content-Type'] = 'application/json'
  const token = options.auth === false ? '' : getToken()
  if (token) header.Authorization = `Bearer ${token}`
  try {
    const response = await Taro.request({
      url: API_BASE + path,
      method: options.method ?? 'GET',
      data: options.data as Record<string, unknown> | undefined,
      header,
      dataType: 'json',
      timeout: 15000,
    })
    return { status: response.statusCode, data: response.data }
  } catch {
    throw networkError()
  }
}

function networkError(): ApiError {
  return new ApiError(0, { code: ClientErrorCode.NETWORK, message: '网络不通，请检查网络后再试' })
}

function toError(response: RawResponse): ApiError {
  if (isErrorBody(response.data)) return new ApiError(response.status, response.data)
  return new ApiError(response.status, {
    code: ClientErrorCode.BAD_RESPONSE,
    message: response.status >= 500 ? '服务暂时不可用，请稍后再试' : '请求没有成功，请稍后再试',
  })
}

// One refresh at a time: parallel requests that all see TOKEN_EXPIRED share it.
let refreshing: Promise<boolean> | null = null

function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = getRefreshToken()
    if (!refreshToken) return false
    const response = await send('/api/auth/refresh', { method: 'POST', data: { refreshToken }, auth: false }).catch(
      () => null,
    )
    if (!response || response.status !== 200) return false
    saveTokens(response.data as TokenPair)
    return true
  })().finally(() => {
    refreshing = null
  })
  return refreshing
}

/** The one way the client talks to the server. Resolves with the JSON body, rejects with ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const withLoading = options.loading !== false
  if (withLoading) startLoading()
  let error: ApiError
  try {
    let response = await send(path, options)
    if (response.status === 401 && options.auth !== false && isErrorBody(response.data)) {
      if (response.data.code === 'TOKEN_EXPIRED' && (await refreshTokens())) {
        response = await send(path, options)
      }
      if (response.status === 401) {
        clearTokens()
        goToLogin()
      }
    }
    if (response.status >= 200 && response.status < 300) return response.data as T
    error = toError(response)
  } catch (caught) {
    error = caught instanceof ApiError ? caught : networkError()
  } finally {
    if (withLoading) stopLoading()
  }
  const handled = options.handled
  if (handled !== true && !handled?.includes(error.code)) showError(error)
  throw error
}
