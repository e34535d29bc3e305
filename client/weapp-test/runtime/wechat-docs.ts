/**
 * What WeChat's documentation says each API takes (developers.weixin.qq.com/miniprogram/dev/api/): the
 * runtime checks every `wx.*` call against it as the call is made, and a call WeChat would not accept
 * (an unknown option, a missing required one, a value out of range, an API not listed here) is a problem
 * of the phone, like a console error.
 */
import type { WxCall } from './wx'

// What WeChat's documentation says each API takes (developers.weixin.qq.com/miniprogram/dev/api/).
// Callbacks (success/fail/complete) are functions and not part of the recorded copy.

type Options = Record<string, unknown>
const isString = (v: unknown) => typeof v === 'string'
const stringsOnly = (v: unknown) => typeof v === 'object' && v !== null && Object.values(v).every(isString)
const subsetOf = (allowed: string[]) => (v: unknown) =>
  Array.isArray(v) && v.length > 0 && v.every((x) => allowed.includes(x as string))
const number = (min: number, max: number) => (v: unknown) => typeof v === 'number' && v >= min && v <= max
const pageUrl = (v: unknown) => typeof v === 'string' && v.startsWith('/')

/** Per API: the option names WeChat knows, and checks of those given (a missing required one fails its check). */
const WECHAT_OPTIONS: Record<
  string,
  {
    known: string[]
    required?: string[]
    checks?: Record<string, (v: unknown) => boolean>
    whole?: (o: Options) => string
  }
> = {
  login: { known: ['timeout'] },
  request: {
    known: [
      'url',
      'data',
      'header',
      'timeout',
      'method',
      'dataType',
      'responseType',
      'enableHttp2',
      'enableQuic',
      'enableCache',
      'enableHttpDNS',
      'httpDNSServiceId',
      'enableChunked',
      'forceCellularNetwork',
      'redirect',
    ],
    required: ['url'],
    checks: {
      url: (v) => typeof v === 'string' && /^https?:\/\//.test(v),
      method: (v) => ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'].includes(v as string),
      header: stringsOnly,
      timeout: number(1, 600_000),
      dataType: isString,
    },
  },
  uploadFile: {
    known: ['url', 'filePath', 'name', 'header', 'formData', 'timeout'],
    required: ['url', 'filePath', 'name'],
    checks: {
      url: (v) => typeof v === 'string' && /^https?:\/\//.test(v),
      filePath: isString,
      name: isString,
      header: stringsOnly,
      formData: (v) => typeof v === 'object',
      timeout: number(1, 600_000),
    },
  },
  chooseImage: {
    known: ['count', 'sizeType', 'sourceType'],
    checks: {
      count: (v) => Number.isInteger(v) && number(1, 9)(v),
      sizeType: subsetOf(['original', 'compressed']),
      sourceType: subsetOf(['album', 'camera']),
    },
  },
  chooseMedia: {
    known: ['count', 'mediaType', 'sourceType', 'maxDuration', 'sizeType', 'camera'],
    checks: {
      count: (v) => Number.isInteger(v) && number(1, 20)(v),
      mediaType: subsetOf(['image', 'video', 'mix']),
      sourceType: subsetOf(['album', 'camera']),
      sizeType: subsetOf(['original', 'compressed']),
    },
  },
  getImageInfo: { known: ['src'], required: ['src'], checks: { src: isString } },
  compressImage: {
    known: ['src', 'quality', 'compressedWidth', 'compressedHeight'],
    required: ['src'],
    checks: {
      src: isString,
      quality: number(0, 100),
      compressedWidth: number(1, 10_000),
      compressedHeight: number(1, 10_000),
    },
  },
  previewImage: {
    known: ['urls', 'current', 'showmenu', 'referrerPolicy'],
    required: ['urls'],
    checks: { urls: (v) => Array.isArray(v) && v.every(isString) },
  },
  chooseLocation: {
    known: ['latitude', 'longitude'],
    checks: { latitude: number(-90, 90), longitude: number(-180, 180) },
  },
  requestSubscribeMessage: {
    // entityIds is in Taro's typing, not in WeChat's documentation; WeChat ignores it.
    known: ['tmplIds', 'entityIds'],
    required: ['tmplIds'],
    checks: {
      tmplIds: (v) =>
        Array.isArray(v) && v.length >= 1 && v.length <= 3 && v.every((id) => typeof id === 'string' && id !== ''),
    },
  },
  navigateTo: { known: ['url', 'events', 'routeType'], required: ['url'], checks: { url: pageUrl } },
  redirectTo: { known: ['url'], required: ['url'], checks: { url: pageUrl } },
  reLaunch: { known: ['url'], required: ['url'], checks: { url: pageUrl } },
  switchTab: { known: ['url'], required: ['url'], checks: { url: (v) => pageUrl(v) && !String(v).includes('?') } },
  navigateBack: { known: ['delta'], checks: { delta: (v) => Number.isInteger(v) && (v as number) >= 1 } },
  // The tab bar's item `index` (0 to 4: at most five tabs); a text over 4 characters shows as "…".
  setTabBarBadge: {
    known: ['index', 'text'],
    required: ['index', 'text'],
    checks: {
      index: (v) => Number.isInteger(v) && number(0, 4)(v),
      text: (v) => isString(v) && (v as string).length <= 4,
    },
  },
  removeTabBarBadge: {
    known: ['index'],
    required: ['index'],
    checks: { index: (v) => Number.isInteger(v) && number(0, 4)(v) },
  },
  showToast: {
    known: ['title', 'icon', 'image', 'duration', 'mask'],
    required: ['title'],
    checks: {
      title: (v) => typeof v === 'string' && v !== '',
      icon: (v) => ['success', 'error', 'loading', 'none'].includes(v as string),
      duration: number(1, 60_000),
    },
    // With an icon, WeChat shows at most 7 characters of the title.
    whole: (o) =>
      (o.icon ?? 'success') !== 'none' && [...String(o.title)].length > 7
        ? `a title of ${[...String(o.title)].length} characters with an icon (at most 7 show)`
        : '',
  },
  showLoading: { known: ['title', 'mask'], required: ['title'], checks: { title: isString } },
  hideLoading: { known: ['noConflict'] },
  hideToast: { known: ['noConflict'] },
  hideHomeButton: { known: [] },
  pageScrollTo: { known: ['scrollTop', 'duration', 'selector', 'offsetTop'] },
  // The rest of what the app calls.
  scanCode: {
    known: ['onlyFromCamera', 'scanType'],
    checks: {
      onlyFromCamera: (v) => typeof v === 'boolean',
      scanType: subsetOf(['barCode', 'qrCode', 'wxCode', 'datamatrix', 'pdf417']),
    },
  },
  showModal: {
    known: [
      'title',
      'content',
      'showCancel',
      'cancelText',
      'cancelColor',
      'confirmText',
      'confirmColor',
      'editable',
      'placeholderText',
    ],
    checks: {
      title: isString,
      content: isString,
      cancelText: (v) => isString(v) && [...String(v)].length <= 4,
      confirmText: (v) => isString(v) && [...String(v)].length <= 4,
    },
  },
  setClipboardData: { known: ['data'], required: ['data'], checks: { data: isString } },
  makePhoneCall: { known: ['phoneNumber'], required: ['phoneNumber'], checks: { phoneNumber: isString } },
  setNavigationBarTitle: { known: ['title'], required: ['title'], checks: { title: isString } },
  downloadFile: {
    known: ['url', 'header', 'timeout', 'filePath'],
    required: ['url'],
    checks: {
      url: (v) => typeof v === 'string' && /^https?:\/\//.test(v),
      header: stringsOnly,
      timeout: number(1, 600_000),
      filePath: isString,
    },
  },
  openDocument: {
    known: ['filePath', 'showMenu', 'fileType'],
    required: ['filePath'],
    checks: {
      filePath: isString,
      fileType: (v) => ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf'].includes(v as string),
    },
  },
  shareFileMessage: {
    known: ['filePath', 'fileName'],
    required: ['filePath'],
    checks: { filePath: isString, fileName: isString },
  },
  chooseMessageFile: {
    known: ['count', 'type', 'extension'],
    required: ['count'],
    checks: {
      count: (v) => Number.isInteger(v) && number(1, 100)(v),
      type: (v) => ['all', 'video', 'image', 'file'].includes(v as string),
    },
  },
  checkSession: { known: [] },
  getSetting: { known: ['withSubscriptions'] },
  getSystemInfo: { known: [] },
  getNetworkType: { known: [] },
  getStorage: { known: ['key', 'encrypt'], required: ['key'] },
  setStorage: { known: ['key', 'data', 'encrypt'], required: ['key'] },
  removeStorage: { known: ['key'], required: ['key'] },
  getPrivacySetting: { known: [] },
  requirePrivacyAuthorize: { known: [] },
  openPrivacyContract: { known: [] },
  showShareMenu: { known: ['withShareTicket', 'menus'] },
  hideShareMenu: { known: ['menus'] },
  showActionSheet: { known: ['itemList', 'itemColor', 'alertText'], required: ['itemList'] },
  setNavigationBarColor: {
    known: ['frontColor', 'backgroundColor', 'animation'],
    required: ['frontColor', 'backgroundColor'],
  },
  startPullDownRefresh: { known: [] },
  stopPullDownRefresh: { known: [] },
  vibrateShort: { known: ['type'] },
  saveImageToPhotosAlbum: { known: ['filePath'], required: ['filePath'] },
  getLocation: { known: ['type', 'altitude', 'isHighAccuracy', 'highAccuracyExpireTime'] },
  openLocation: { known: ['latitude', 'longitude', 'scale', 'name', 'address'], required: ['latitude', 'longitude'] },
  getClipboardData: { known: [] },
  authorize: { known: ['scope'], required: ['scope'] },
  openSetting: { known: ['withSubscriptions'] },
}
/** Synchronous APIs: their arguments. */
const WECHAT_ARGS: Record<string, (args: unknown[]) => boolean> = {
  getStorageSync: (args) => args.length === 1 && isString(args[0]) && args[0] !== '',
  setStorageSync: (args) => args.length === 2 && isString(args[0]) && args[0] !== '' && args[1] !== undefined,
  removeStorageSync: (args) => args.length === 1 && isString(args[0]),
  onNeedPrivacyAuthorization: (args) => args.length === 1,
  getSystemInfoSync: (args) => args.length === 0,
  getWindowInfo: (args) => args.length === 0,
  getDeviceInfo: (args) => args.length === 0,
  getAppBaseInfo: (args) => args.length === 0,
  getMenuButtonBoundingClientRect: (args) => args.length === 0,
  clearStorageSync: (args) => args.length === 0,
  getStorageInfoSync: (args) => args.length === 0,
  getSystemSetting: (args) => args.length === 0,
  getAppAuthorizeSetting: (args) => args.length === 0,
  getLaunchOptionsSync: (args) => args.length === 0,
  getEnterOptionsSync: (args) => args.length === 0,
  getAccountInfoSync: (args) => args.length === 0,
  getUpdateManager: (args) => args.length === 0,
  getFileSystemManager: (args) => args.length === 0,
}

/** What is wrong with one call by WeChat's documentation ('' when nothing). */
export function againstDocs(call: WxCall): string {
  const where = `${call.api} on ${call.page ?? '(launch)'}`
  const args = WECHAT_ARGS[call.api]
  if (args) return args(call.options as unknown[]) ? '' : `${where}: arguments ${JSON.stringify(call.options)}`
  const doc = WECHAT_OPTIONS[call.api]
  if (!doc) return `${where}: not an API the runtime knows WeChat's documentation of`
  const options = (call.options ?? {}) as Options
  const unknown = Object.keys(options).filter((key) => !doc.known.includes(key))
  if (unknown.length) return `${where}: unknown options ${unknown.join(', ')}`
  for (const key of doc.required ?? []) if (options[key] === undefined) return `${where}: no ${key}`
  for (const [key, check] of Object.entries(doc.checks ?? {})) {
    if (options[key] !== undefined && !check(options[key])) return `${where}: ${key} = ${JSON.stringify(options[key])}`
  }
  const whole = doc.whole?.(options)
  if (whole) return `${where}: ${whole}`
  return ''
}
