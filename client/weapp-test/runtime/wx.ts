/**
 * The `wx` object of the headless runtime: every API the weapp output calls, each following WeChat's
 * documented shapes (options with success/fail/complete; `errMsg` of the form "<api>:ok" or
 * "<api>:fail <reason>"), each call recorded in `mp.calls`.
 *
 * Navigation obeys WeChat's rules and reports what WeChat would refuse. Network calls go to a real Liren
 * server. What a phone's hardware or WeChat itself would answer (the signed-in WeChat account, the
 * camera, the album, the map, the phone-number button's consent) comes from a `WxDevice`.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { MiniProgram } from './mini-program'
import { againstDocs } from './wechat-docs'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => unknown
type Options = Record<string, unknown> & { success?: AnyFn; fail?: AnyFn; complete?: AnyFn }

export interface WxCall {
  api: string
  options: unknown
  /** 'ok', or WeChat's fail reason. */
  result: string
  /** What WeChat answered: the success or fail payload (a copy), or a synchronous API's return value. */
  answer?: unknown
  page: string | null
}

/** What the phone and the person holding it would do when WeChat asks. */
export interface WxDevice {
  /** The WeChat account signed in on this phone (wx.login asks WeChat for a code for it). */
  openid: string
  /** Photos the album or camera gives (real image files on disk); empty means the person cancels. */
  photos: string[]
  /** The place picked on WeChat's map; null means the person cancels. */
  location: { name: string; address: string; latitude: number; longitude: number } | null
  /**
   * What the camera reads for wx.scanCode, as WeChat answers: `scanType` 'QR_CODE' (default), 'WX_CODE'
   * (a mini-program code: `path` is the page and query it carries), 'EAN_13'…; null means the person cancels.
   */
  scan: (() => { result: string; scanType?: string; path?: string }) | null
  /** Subscribe-message consent per template: 'accept' | 'reject'. */
  subscribe: 'accept' | 'reject'
  /** Answers wx.showModal: true is the confirm button. */
  confirm: (options: { title?: string; content?: string }) => boolean
  /** Files picked from a chat for wx.chooseMessageFile. */
  messageFiles: string[]
}

const TMP = path.join(tmpdir(), 'liren-weapp-runtime')
const USER_DATA_PATH = 'wxfile://usr'

class WxFail extends Error {}

export function createWx(mp: MiniProgram, server: string, deviceOptions: Partial<WxDevice>): Record<string, AnyFn> {
  const device: WxDevice = {
    openid: 'weapp-new-person',
    photos: [],
    location: null,
    scan: null,
    subscribe: 'accept',
    confirm: () => true,
    messageFiles: [],
    ...deviceOptions,
  }
  mkdirSync(TMP, { recursive: true })
  /** WeChat's temporary and user files (wxfile://…) on this machine's disk. */
  const files = new Map<string, string>()
  let fileCounter = 0
  const tempFile = (realPath: string, ext = path.extname(realPath)) => {
    const name = `wxfile://tmp_${(fileCounter += 1)}${ext}`
    files.set(name, realPath)
    return name
  }
  const realPath = (wxPath: string): string => {
    const known = files.get(wxPath)
    if (known) return known
    if (wxPath.startsWith(`${USER_DATA_PATH}/`)) return path.join(TMP, 'usr', wxPath.slice(USER_DATA_PATH.length + 1))
    throw new WxFail(`no such file or directory ${wxPath}`)
  }

  const apiOrigin = (url: string): string => {
    const parsed = new URL(url)
    const target = new URL(server)
    parsed.protocol = target.protocol
    parsed.host = target.host
    return parsed.toString()
  }

  const record = (api: string, options: unknown, result: string, answer?: unknown) => {
    const call: WxCall = {
      api,
      options: safeCopy(options),
      result,
      answer: safeCopy(answer),
      page: mp.current()?.route ?? null,
    }
    mp.calls.push(call)
    const wrong = againstDocs(call)
    if (wrong) mp.problem('wx', wrong)
    mp.touch()
  }

  /**
   * An asynchronous API: runs `run`, then calls success or fail and complete, like WeChat (never
   * synchronously). Called with none of those callbacks, it returns a promise of the same answer, as
   * WeChat's base library does since 2.10.2 (Taro passes such calls straight through for APIs it does
   * not wrap itself, e.g. chooseMedia).
   */
  const asyncApi =
    (api: string, run: (options: Options) => unknown | Promise<unknown>) =>
    (options: Options = {}): Promise<Record<string, unknown>> | undefined => {
      mp.pendingRequests += 1
      const wantsPromise = ![options.success, options.fail, options.complete].some((cb) => typeof cb === 'function')
      let settle: {
        resolve: (v: Record<string, unknown>) => void
        reject: (e: Record<string, unknown>) => void
      } | null = null
      const promise = wantsPromise
        ? new Promise<Record<string, unknown>>((resolve, reject) => (settle = { resolve, reject }))
        : undefined
      const finish = (ok: boolean, payload: Record<string, unknown>) => {
        mp.pendingRequests -= 1
        record(api, options, ok ? 'ok' : String(payload.errMsg).replace(`${api}:fail `, ''), payload)
        const cb = ok ? options.success : options.fail
        if (cb) mp.callLogicFn(cb, payload)
        if (options.complete) mp.callLogicFn(options.complete, payload)
        if (settle) (ok ? settle.resolve : settle.reject)(payload)
      }
      setTimeout(() => {
        Promise.resolve()
          .then(() => run(options))
          .then(
            (result) => finish(true, { errMsg: `${api}:ok`, ...(result as Record<string, unknown>) }),
            (error: unknown) =>
              finish(false, { errMsg: `${api}:fail ${error instanceof Error ? error.message : String(error)}` }),
          )
      }, 0)
      return promise
    }

  /** A synchronous API: WeChat throws on failure. */
  const syncApi =
    <T>(api: string, run: (...args: unknown[]) => T) =>
    (...args: unknown[]): T => {
      try {
        const result = run(...args)
        record(api, args, 'ok', result)
        return result
      } catch (error) {
        record(api, args, error instanceof Error ? error.message : String(error))
        throw error
      }
    }

  // --- navigation, with WeChat's rules -----------------------------------------------------------

  const parseUrl = (url: unknown, api: string): { route: string; query: Record<string, string> } => {
    if (typeof url !== 'string' || url === '') throw new WxFail('parameter error: parameter.url should be String')
    const [pathPart = '', search = ''] = url.split('?')
    const from = mp.current()?.route ?? ''
    const route = pathPart.startsWith('/')
      ? pathPart.slice(1)
      : path.posix.normalize(path.posix.join(path.posix.dirname(from), pathPart))
    if (!mp.allPages().includes(route)) {
      mp.problem('navigation', `${api} to ${url}: page "${route}" is not found (not in app.json)`)
      throw new WxFail(`page "${route}" is not found`)
    }
    const query: Record<string, string> = {}
    for (const [key, value] of new URLSearchParams(search)) query[key] = value
    return { route, query }
  }
  const isTab = (route: string) => mp.tabPages().includes(route)
  /** Opens a page; a page in app.json that cannot load (its files missing, its script broken) is a problem. */
  const open = async (api: string, route: string, query: Record<string, string>) => {
    try {
      await mp.openPage(route, query)
    } catch (error) {
      mp.problem('navigation', `${api} to ${route}: ${error instanceof Error ? error.message : String(error)}`)
      throw new WxFail(`page "${route}" could not be opened`)
    }
  }

  const navigateTo = asyncApi('navigateTo', async (options) => {
    const { route, query } = parseUrl(options.url, 'navigateTo')
    if (isTab(route)) {
      mp.problem('navigation', `navigateTo ${String(options.url)}: can not navigateTo a tabbar page`)
      throw new WxFail('can not navigateTo a tabbar page')
    }
    if (mp.stack.length >= 10) throw new WxFail('webview count limit exceed')
    await open('navigateTo', route, query)
    return {}
  })
  const redirectTo = asyncApi('redirectTo', async (options) => {
    const { route, query } = parseUrl(options.url, 'redirectTo')
    if (isTab(route)) {
      mp.problem('navigation', `redirectTo ${String(options.url)}: can not redirectTo a tabbar page`)
      throw new WxFail('can not redirectTo a tabbar page')
    }
    const current = mp.current()
    if (current) mp.closePage(current)
    await open('redirectTo', route, query)
    return {}
  })
  const switchTab = asyncApi('switchTab', async (options) => {
    const { route } = parseUrl(options.url, 'switchTab')
    if (!isTab(route)) {
      mp.problem('navigation', `switchTab ${String(options.url)}: can not switch to no-tabBar page`)
      throw new WxFail('can not switch to no-tabBar page')
    }
    for (const page of [...mp.stack].reverse()) mp.closePage(page)
    await open('switchTab', route, {})
    return {}
  })
  const reLaunch = asyncApi('reLaunch', async (options) => {
    const { route, query } = parseUrl(options.url, 'reLaunch')
    for (const page of [...mp.stack].reverse()) mp.closePage(page)
    await open('reLaunch', route, query)
    return {}
  })
  const navigateBack = asyncApi('navigateBack', async (options) => {
    const delta = Math.max(1, Number(options.delta ?? 1))
    if (mp.stack.length <= 1) throw new WxFail('cannot navigate back at first page.')
    for (let i = 0; i < delta && mp.stack.length > 1; i++) mp.closePage(mp.current()!)
    const back = mp.current()
    if (back) mp.callLogic(back.logic, 'onShow')
    return {}
  })

  // --- network: the real server ---------------------------------------------------------------------

  const request = asyncApi('request', async (options) => {
    await mp.requestsMayGo()
    const method = String(options.method ?? 'GET').toUpperCase()
    const headers = { ...((options.header as Record<string, string>) ?? {}) }
    let body: string | undefined
    if (options.data !== undefined && method !== 'GET') {
      body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data)
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json'
    }
    let url = apiOrigin(String(options.url))
    if (method === 'GET' && options.data && typeof options.data === 'object') {
      const target = new URL(url)
      for (const [key, value] of Object.entries(options.data as Record<string, unknown>)) {
        if (value !== undefined && value !== null) target.searchParams.set(key, String(value))
      }
      url = target.toString()
    }
    const response = await fetch(url, { method, headers, body })
    const text = await response.text()
    let data: unknown = text
    if (options.dataType !== 'text') {
      try {
        data = JSON.parse(text)
      } catch {
        data = text
      }
    }
    return { statusCode: response.status, data, header: Object.fromEntries(response.headers) }
  })

  const uploadFile = asyncApi('uploadFile', async (options) => {
    await mp.requestsMayGo()
    const form = new FormData()
    for (const [key, value] of Object.entries((options.formData as Record<string, unknown>) ?? {}))
      form.append(key, String(value))
    const file = realPath(String(options.filePath))
    form.append(String(options.name), new Blob([readFileSync(file)]), path.basename(file))
    const response = await fetch(apiOrigin(String(options.url)), {
      method: 'POST',
      headers: (options.header as Record<string, string>) ?? {},
      body: form,
    })
    return { statusCode: response.status, data: await response.text() }
  })

  const downloadFile = asyncApi('downloadFile', async (options) => {
    await mp.requestsMayGo()
    const response = await fetch(apiOrigin(String(options.url)), {
      headers: (options.header as Record<string, string>) ?? {},
    })
    const bytes = Buffer.from(await response.arrayBuffer())
    const target = options.filePath ? String(options.filePath) : `wxfile://tmp_download_${(fileCounter += 1)}`
    const disk = options.filePath ? realPath(target) : path.join(TMP, `download-${fileCounter}`)
    mkdirSync(path.dirname(disk), { recursive: true })
    writeFileSync(disk, bytes)
    files.set(target, disk)
    return options.filePath
      ? { statusCode: response.status, filePath: target }
      : { statusCode: response.status, tempFilePath: target }
  })

  // --- WeChat's sign-in, the phone and the person ---------------------------------------------------

  const login = asyncApi('login', async () => {
    // On a phone WeChat issues the code for the signed-in account; here WeChat's mock does, through the
    // server's development door.
    const response = await fetch(`${server}/api/dev/wechat-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: device.openid }),
    })
    if (!response.ok) throw new WxFail(`no code (${response.status})`)
    return { code: ((await response.json()) as { code: string }).code }
  })

  /** The photos the album or camera gives, as chooseImage or chooseMedia answers (an empty album: "cancel"). */
  const chosenPhotos = (count: number) => {
    if (device.photos.length === 0) throw new WxFail('cancel')
    return device.photos
      .slice(0, count)
      .map((photo) => ({ tempFilePath: tempFile(photo), size: readFileSync(photo).length }))
  }
  const chooseImage = asyncApi('chooseImage', async (options) => {
    const chosen = chosenPhotos(Number(options.count ?? 9)).map((c) => ({ path: c.tempFilePath, size: c.size }))
    return { tempFiles: chosen, tempFilePaths: chosen.map((c) => c.path) }
  })
  const chooseMedia = asyncApi('chooseMedia', async (options) => {
    const chosen = chosenPhotos(Number(options.count ?? 9)).map((c) => ({
      ...c,
      width: 1200,
      height: 900,
      fileType: 'image',
    }))
    return { tempFiles: chosen, type: 'image' }
  })

  const storage = mp.storage
  const sync = <T>(api: string, run: (...args: unknown[]) => T) => syncApi(api, run)
  const noop = (api: string) => asyncApi(api, async () => ({}))
  const systemInfo = {
    brand: 'devtools',
    model: 'headless',
    pixelRatio: 2,
    screenWidth: 375,
    screenHeight: 812,
    windowWidth: 375,
    windowHeight: 724,
    statusBarHeight: 44,
    language: 'zh_CN',
    version: '8.0.50',
    system: 'Linux',
    platform: 'devtools',
    SDKVersion: '3.6.0',
    fontSizeSetting: 16,
    safeArea: { top: 44, left: 0, right: 375, bottom: 778, width: 375, height: 734 },
  }

  /** A red number on an item of WeChat's tab bar: refused while the page in front is not a tab page. */
  const tabBadge = (api: string, change: (index: number, options: Options) => void) =>
    asyncApi(api, async (options) => {
      if (!isTab(mp.current()?.route ?? '')) throw new WxFail('not TabBar page')
      // WeChat disables its tab bar APIs when the bar is the mini-program's own (app.json tabBar.custom).
      if (mp.app.tabBar?.custom === true) throw new WxFail('custom tabBar is drawn by the mini-program')
      const index = Number(options.index)
      if (index >= mp.tabPages().length) throw new WxFail('tabbar item not found')
      change(index, options)
      return {}
    })

  const wx: Record<string, AnyFn> & { env?: unknown } = {
    // navigation
    navigateTo,
    redirectTo,
    switchTab,
    reLaunch,
    navigateBack,
    // network
    request,
    uploadFile,
    downloadFile,
    // sign-in and open capabilities
    login,
    checkSession: noop('checkSession'),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', async (options) => {
      const ids = (options.tmplIds as string[]) ?? []
      if (!Array.isArray(ids) || ids.length === 0) throw new WxFail('Invalid template id')
      return Object.fromEntries(ids.map((id) => [id, device.subscribe]))
    }),
    getSetting: asyncApi('getSetting', async () => ({ authSetting: {} })),
    openSetting: asyncApi('openSetting', async () => ({ authSetting: {} })),
    authorize: noop('authorize'),
    onNeedPrivacyAuthorization: sync('onNeedPrivacyAuthorization', () => undefined),
    requirePrivacyAuthorize: noop('requirePrivacyAuthorize'),
    getPrivacySetting: asyncApi('getPrivacySetting', async () => ({
      needAuthorization: false,
      privacyContractName: '《里仁小程序隐私保护指引》',
    })),
    openPrivacyContract: noop('openPrivacyContract'),
    showShareMenu: noop('showShareMenu'),
    hideShareMenu: noop('hideShareMenu'),
    hideHomeButton: noop('hideHomeButton'),
    shareFileMessage: asyncApi('shareFileMessage', async (options) => {
      realPath(String(options.filePath))
      return {}
    }),
    // media, files, location, scanning
    chooseImage,
    chooseMedia,
    chooseMessageFile: asyncApi('chooseMessageFile', async (options) => {
      if (device.messageFiles.length === 0) throw new WxFail('cancel')
      const chosen = device.messageFiles.slice(0, Number(options.count ?? 1)).map((file) => ({
        path: tempFile(file),
        name: path.basename(file),
        size: readFileSync(file).length,
        type: 'file',
        time: Math.floor(Date.now() / 1000),
      }))
      return { tempFiles: chosen }
    }),
    getImageInfo: asyncApi('getImageInfo', async (options) => {
      realPath(String(options.src))
      return { width: 1200, height: 900, path: options.src, orientation: 'up', type: 'jpeg' }
    }),
    compressImage: asyncApi('compressImage', async (options) => ({
      tempFilePath: tempFile(realPath(String(options.src)), '.jpg'),
    })),
    previewImage: noop('previewImage'),
    saveImageToPhotosAlbum: noop('saveImageToPhotosAlbum'),
    openDocument: asyncApi('openDocument', async (options) => {
      if (!existsSync(realPath(String(options.filePath)))) throw new WxFail('file not found')
      return {}
    }),
    getFileSystemManager: sync('getFileSystemManager', () => ({
      readFileSync: (filePath: string, encoding?: string) =>
        readFileSync(realPath(filePath), encoding as BufferEncoding | undefined),
      writeFileSync: (filePath: string, data: string | Buffer) => writeFileSync(realPath(filePath), data),
      accessSync: (filePath: string) => {
        if (!existsSync(realPath(filePath))) throw new Error(`access:fail no such file or directory ${filePath}`)
      },
    })),
    chooseLocation: asyncApi('chooseLocation', async () => {
      if (!device.location) throw new WxFail('cancel')
      return { ...device.location }
    }),
    getLocation: asyncApi('getLocation', async () => {
      if (!device.location) throw new WxFail('auth deny')
      return { latitude: device.location.latitude, longitude: device.location.longitude, accuracy: 30 }
    }),
    openLocation: noop('openLocation'),
    scanCode: asyncApi('scanCode', async (options) => {
      if (!device.scan) throw new WxFail('cancel')
      const read = { charSet: 'utf-8', scanType: 'QR_CODE', rawData: '', ...device.scan() }
      // The camera reads only the kinds of code asked for (default: barCode, qrCode, wxCode); shown
      // another kind, it keeps looking until the person gives up.
      const asked = Array.isArray(options.scanType) ? (options.scanType as string[]) : ['barCode', 'qrCode', 'wxCode']
      if (!asked.includes(scanKind(read.scanType))) throw new WxFail('cancel')
      return read
    }),
    makePhoneCall: noop('makePhoneCall'),
    setClipboardData: noop('setClipboardData'),
    getClipboardData: asyncApi('getClipboardData', async () => ({ data: '' })),
    vibrateShort: noop('vibrateShort'),
    // interface
    showToast: asyncApi('showToast', async () => ({})),
    hideToast: noop('hideToast'),
    setTabBarBadge: tabBadge('setTabBarBadge', (index, options) => void mp.tabBadges.set(index, String(options.text))),
    removeTabBarBadge: tabBadge('removeTabBarBadge', (index) => void mp.tabBadges.delete(index)),
    showLoading: noop('showLoading'),
    hideLoading: noop('hideLoading'),
    showModal: asyncApi('showModal', async (options) => {
      const confirm = device.confirm(options as { title?: string; content?: string })
      return { confirm, cancel: !confirm }
    }),
    showActionSheet: asyncApi('showActionSheet', async () => ({ tapIndex: 0 })),
    setNavigationBarTitle: noop('setNavigationBarTitle'),
    setNavigationBarColor: noop('setNavigationBarColor'),
    setBackgroundColor: noop('setBackgroundColor'),
    setBackgroundTextStyle: noop('setBackgroundTextStyle'),
    pageScrollTo: noop('pageScrollTo'),
    startPullDownRefresh: noop('startPullDownRefresh'),
    stopPullDownRefresh: noop('stopPullDownRefresh'),
    nextTick: (fn: unknown) => void Promise.resolve().then(() => (fn as AnyFn)()),
    // storage (kept per phone)
    getStorageSync: sync('getStorageSync', (key) =>
      storage.has(String(key)) ? safeCopy(storage.get(String(key))) : '',
    ),
    setStorageSync: sync('setStorageSync', (key, value) => void storage.set(String(key), safeCopy(value))),
    removeStorageSync: sync('removeStorageSync', (key) => void storage.delete(String(key))),
    clearStorageSync: sync('clearStorageSync', () => storage.clear()),
    getStorageInfoSync: sync('getStorageInfoSync', () => ({
      keys: [...storage.keys()],
      currentSize: 1,
      limitSize: 10240,
    })),
    getStorage: asyncApi('getStorage', async (options) => {
      if (!storage.has(String(options.key))) throw new WxFail('data not found')
      return { data: safeCopy(storage.get(String(options.key))) }
    }),
    setStorage: asyncApi(
      'setStorage',
      async (options) => void storage.set(String(options.key), safeCopy(options.data)),
    ),
    removeStorage: asyncApi('removeStorage', async (options) => void storage.delete(String(options.key))),
    // the system
    getSystemInfoSync: sync('getSystemInfoSync', () => ({ ...systemInfo })),
    getSystemInfo: asyncApi('getSystemInfo', async () => ({ ...systemInfo })),
    getWindowInfo: sync('getWindowInfo', () => ({ ...systemInfo })),
    getDeviceInfo: sync('getDeviceInfo', () => ({ ...systemInfo })),
    getAppBaseInfo: sync('getAppBaseInfo', () => ({ ...systemInfo })),
    getSystemSetting: sync('getSystemSetting', () => ({
      bluetoothEnabled: false,
      locationEnabled: true,
      wifiEnabled: true,
    })),
    getAppAuthorizeSetting: sync('getAppAuthorizeSetting', () => ({
      cameraAuthorized: 'authorized',
      locationAuthorized: 'authorized',
    })),
    getMenuButtonBoundingClientRect: sync('getMenuButtonBoundingClientRect', () => ({
      width: 87,
      height: 32,
      top: 48,
      right: 368,
      bottom: 80,
      left: 281,
    })),
    getLaunchOptionsSync: sync('getLaunchOptionsSync', () => ({ path: mp.app.pages[0], query: {}, scene: 1001 })),
    getEnterOptionsSync: sync('getEnterOptionsSync', () => ({ path: mp.app.pages[0], query: {}, scene: 1001 })),
    getAccountInfoSync: sync('getAccountInfoSync', () => ({
      miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
    })),
    getUpdateManager: sync('getUpdateManager', () => ({
      onCheckForUpdate: () => undefined,
      onUpdateReady: () => undefined,
      onUpdateFailed: () => undefined,
      applyUpdate: () => undefined,
    })),
    canIUse: (schema: unknown) => typeof schema === 'string',
    onAppShow: () => undefined,
    onAppHide: () => undefined,
    offAppShow: () => undefined,
    offAppHide: () => undefined,
    onError: () => undefined,
    onUnhandledRejection: () => undefined,
    onPageNotFound: () => undefined,
    onNetworkStatusChange: () => undefined,
    getNetworkType: asyncApi('getNetworkType', async () => ({ networkType: 'wifi' })),
    createSelectorQuery: () => selectorQuery(),
    createIntersectionObserver: () => ({
      relativeToViewport: function () {
        return this
      },
      observe: () => undefined,
      disconnect: () => undefined,
    }),
    reportAnalytics: () => undefined,
  }
  wx.env = { USER_DATA_PATH }
  mkdirSync(path.join(TMP, 'usr'), { recursive: true })
  return wx
}

/** The `scanType` option value (the kind of code asked for) that reads a code of a result's `scanType`. */
function scanKind(resultType: string): string {
  if (resultType === 'WX_CODE') return 'wxCode'
  if (resultType === 'QR_CODE') return 'qrCode'
  if (resultType === 'DATA_MATRIX') return 'datamatrix'
  if (resultType === 'PDF_417') return 'pdf417'
  return 'barCode'
}

/** A SelectorQuery with no layout engine behind it: every node measures 0 (layout is not what this proves). */
function selectorQuery() {
  const results: unknown[] = []
  const query = {
    in: () => query,
    select: () => nodesRef(false),
    selectAll: () => nodesRef(true),
    selectViewport: () => nodesRef(false),
    exec: (cb?: (res: unknown[]) => void) => setTimeout(() => cb?.(results), 0),
  }
  const nodesRef = (all: boolean) => ({
    boundingClientRect: (cb?: AnyFn) => (
      results.push(all ? [] : { width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 }),
      cb && cb(results.at(-1)),
      query
    ),
    scrollOffset: (cb?: AnyFn) => (results.push({ scrollTop: 0, scrollLeft: 0 }), cb && cb(results.at(-1)), query),
    fields: (_f: unknown, cb?: AnyFn) => (results.push(all ? [] : {}), cb && cb(results.at(-1)), query),
    node: (cb?: AnyFn) => (results.push(all ? [] : null), cb && cb(results.at(-1)), query),
  })
  return query
}

function safeCopy<T>(value: T): T {
  try {
    return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
  } catch {
    return value
  }
}
