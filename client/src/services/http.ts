import Taro from '@tarojs/taro'
import type { ApiErrorBody, FieldError, TokenPair } from '@liren/shared/contracts'
import { clearTokens, getRefreshToken, getToken, goToLogin, saveTokens } from './session'

// The H5 build is served by the API server, so by default it calls its own origin.
const API_BASE =
  (process.env.TARO_ENV === 'h5' ? process.env.TARO_APP_H5_API_BASE : process.env.TARO_APP_API_BASE) ?? ''

/**
 * Where a stored file (a photo's `url` or `thumbUrl`, given as a path like `/files/<hash>.jpg`) is: the
 * mini-program needs the server's address in front, H5 is served by the server itself.
 */
export function fileUrl(path: string): string {
  return API_BASE + path
}

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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** How a call behaves around the exchange itself: the same for JSON, uploads and downloads. */
export interface CallOptions {
  /** Send the bearer token (default true). */
  auth?: boolean
  /** Error codes the caller shows itself: no toast for them. `true` silences every toast. */
  handled?: readonly string[] | true
  /** Show the loading indicator (default true). */
  loading?: boolean
}

export interface RequestOptions extends CallOptions {
  method?: Method
  data?: unknown
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

async function send(path: string, options: RequestOptions, token: string): Promise<RawResponse> {
  const header: Record<string, string> = {}
  if (options.data !== undefined) header['Content-Type'] = 'application/json'
  if (token) header.Authorization = `Bearer ${token}`
  let method = options.method ?? 'GET'
  // wx.request knows no PATCH: the mini-program sends POST and names the real method in a header.
  if (method === 'PATCH' && process.env.TARO_ENV !== 'h5') {
    method = 'POST'
    header['X-HTTP-Method-Override'] = 'PATCH'
  }
  try {
    const response = await Taro.request({
      url: API_BASE + path,
      method: method as Exclude<Method, 'PATCH'>,
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
    const response = await send('/api/auth/refresh', { method: 'POST', data: { refreshToken } }, '').catch(() => null)
    if (!response || response.status !== 200) return false
    saveTokens(response.data as TokenPair)
    return true
  })().finally(() => {
    refreshing = null
  })
  return refreshing
}

/**
 * Every exchange with the server goes through here: the loading indicator, the bearer token, one
 * retry after refreshing an expired token, and failures turned into ApiError (with a toast unless handled).
 */
async function exchange(options: CallOptions, attempt: (token: string) => Promise<RawResponse>): Promise<RawResponse> {
  const withLoading = options.loading !== false
  const token = () => (options.auth === false ? '' : getToken())
  if (withLoading) startLoading()
  let error: ApiError
  try {
    let response = await attempt(token())
    if (response.status === 401 && options.auth !== false && isErrorBody(response.data)) {
      if (response.data.code === 'TOKEN_EXPIRED' && (await refreshTokens())) {
        response = await attempt(token())
      }
      if (response.status === 401) {
        clearTokens()
        goToLogin()
      }
    }
    if (response.status >= 200 && response.status < 300) return response
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

/** The one way the client talks to the server. Resolves with the JSON body, rejects with ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await exchange(options, (token) => send(path, options, token))).data as T
}

/** The error codes a caller shows its own way (`RequestOptions['handled']`), as every service takes them. */
export type Handled = RequestOptions['handled']

/** Where a part of a village's API is: `villageApi('meetings')(3)` is /api/villages/3/meetings. */
export function villageApi(part: string): (villageId: number) => string {
  return (villageId) => `/api/villages/${villageId}/${part}`
}

/**
 * The requests a village's collection (its meetings, activities…) at `path` answers alike: the list, a new
 * one (`create`, answered with it), and one by its id (`get`).
 */
export function villageCollection<List, Item, Body>(path: (villageId: number) => string) {
  return {
    list: (villageId: number, handled?: Handled) => request<List>(path(villageId), { handled }),
    create: (villageId: number, body: Body, handled?: Handled) =>
      request<Item>(path(villageId), { method: 'POST', data: body, handled }),
    get: (villageId: number, id: number, handled?: Handled) => request<Item>(`${path(villageId)}/${id}`, { handled }),
  }
}

type QueryValue = string | number | boolean | null | undefined

/** `path?a=1&b=x`, leaving out empty values. */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const pairs = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  return pairs.length ? `${path}?${pairs.join('&')}` : path
}

/**
 * A file the person picked: in H5 the browser's File, in the mini-program the temporary path that
 * wx.chooseMessageFile gives (committees receive their Excel files in WeChat chats).
 */
export interface PickedFile {
  name: string
  size: number
  blob?: Blob
  path?: string
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

async function sendFile(path: string, file: PickedFile, field: string, token: string): Promise<RawResponse> {
  const header: Record<string, string> = {}
  if (token) header.Authorization = `Bearer ${token}`
  try {
    if (process.env.TARO_ENV === 'h5') {
      if (!file.blob) throw networkError()
      const form = new FormData()
      form.append(field, file.blob, file.name)
      const response = await fetch(API_BASE + path, { method: 'POST', headers: header, body: form })
      return { status: response.status, data: parseJson(await response.text()) }
    }
    if (!file.path) throw networkError()
    const response = await Taro.uploadFile({
      url: API_BASE + path,
      filePath: file.path,
      name: field,
      header,
      timeout: 60000,
    })
    return { status: response.statusCode, data: parseJson(response.data) }
  } catch (caught) {
    throw caught instanceof ApiError ? caught : networkError()
  }
}

/** POSTs one file as multipart/form-data (field `file` unless named). Resolves with the JSON body. */
export async function upload<T>(
  path: string,
  file: PickedFile,
  options: CallOptions & { field?: string } = {},
): Promise<T> {
  return (await exchange(options, (token) => sendFile(path, file, options.field ?? 'file', token))).data as T
}

/** A downloaded file: in H5 its bytes, in the mini-program the local path it was written to. */
interface Fetched extends RawResponse {
  blob?: Blob
  filePath?: string
}

async function fetchFile(path: string, fileName: string, token: string): Promise<Fetched> {
  const header: Record<string, string> = {}
  if (token) header.Authorization = `Bearer ${token}`
  try {
    if (process.env.TARO_ENV === 'h5') {
      const response = await fetch(API_BASE + path, { headers: header })
      if (!response.ok) return { status: response.status, data: parseJson(await response.text()) }
      return { status: response.status, data: null, blob: await response.blob() }
    }
    // A path of our own keeps the file's name when the person forwards it from the document viewer.
    const filePath = `${Taro.env.USER_DATA_PATH}/${fileName}`
    const response = await Taro.downloadFile({ url: API_BASE + path, header, filePath, timeout: 60000 })
    if (response.statusCode >= 200 && response.statusCode < 300)
      return { status: response.statusCode, data: null, filePath }
    // The error body was written to the file.
    const text = Taro.getFileSystemManager().readFileSync(filePath, 'utf8') as string
    return { status: response.statusCode, data: parseJson(text) }
  } catch (caught) {
    throw caught instanceof ApiError ? caught : networkError()
  }
}

function saveInBrowser(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // The browser has started the download by now; give it a moment before letting go of the data.
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

const VIEWABLE = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf']

/**
 * Fetches a binary file (e.g. an Excel sheet) with the bearer token and hands it to the person:
 * H5 saves it as `fileName`, the mini-program opens it in WeChat's document viewer (from where it can be
 * forwarded or saved), or offers to send it to a chat when the viewer cannot show it.
 */
export async function download(path: string, fileName: string, options: CallOptions = {}): Promise<void> {
  const file = (await exchange(options, (token) => fetchFile(path, fileName, token))) as Fetched
  if (process.env.TARO_ENV === 'h5' && file.blob) return saveInBrowser(file.blob, fileName)
  if (file.filePath) {
    const extension = fileName.split('.').pop() ?? ''
    // WeChat's viewer opens Office files and PDF only; anything else (a CSV) is sent to a chat, to open on a computer.
    if (VIEWABLE.includes(extension)) {
      await Taro.openDocument({
        filePath: file.filePath,
        fileType: extension as keyof Taro.openDocument.FileType,
        showMenu: true,
      })
    } else {
      await Taro.shareFileMessage({ filePath: file.filePath, fileName })
    }
  }
}
