/**
 * What WeChat's toolchain (DevTools, miniprogram-ci, the upload) would refuse in a weapp output folder,
 * checked offline. We do not install miniprogram-ci (≈280 MB, ~1,000 dependencies): this is an
 * equivalent check of the same rules, each written down beside its code with where it comes from.
 *
 * Sources, cited by short name in the comments below:
 * - [app.json]   https://developers.weixin.qq.com/miniprogram/dev/reference/configuration/app.html
 * - [page.json]  https://developers.weixin.qq.com/miniprogram/dev/reference/configuration/page.html
 * - [subpkg]     https://developers.weixin.qq.com/miniprogram/dev/framework/subpackages/basic.html
 *                and .../framework/subpackages.html (size limits)
 * - [component]  https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/
 * - [wxml]       https://developers.weixin.qq.com/miniprogram/dev/reference/wxml/import.html
 *                and .../reference/wxs/01wxs-module.html
 * - [module]     https://developers.weixin.qq.com/miniprogram/dev/reference/api/require.html
 * - [project]    https://developers.weixin.qq.com/miniprogram/dev/devtools/projectconfig.html
 * - [ci]         miniprogram-ci@2.1.42 (MIT), read for this file: dist/modules/corecompiler/original/
 *                json/app/checkAppFields.js (checkMainPkgPages, checkSubpackages, checkTabbar,
 *                checkTabbarPage, checkMainPkgPageIsInSubpkg, checkWindow, checkRequiredPrivateInfos),
 *                json/common.js (checkComponentPath), json/page/checkPageJSON.js, utils/common.js
 *                (checkPath), utils/tools.js (isHexColor), utils/white_ext_list.js (files it uploads),
 *                config/config.js (DefaultProjectAttr: MinTabbarCount 2, MaxTabbarCount 5,
 *                MaxTabbarIconSize 40 KB, MaxSubPackageLimit 100, MaxCodeSize 2 MB;
 *                TABBAR_ICON_WHITE_LIST .png .jpg .jpeg), schema/dist/app.js and page.js (the enums).
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { clientDir, compileWxml, compileWxss, filesOf, weappDir } from './wechat-compilers'

export interface Problem {
  /**
   * Path relative to the package folder (forward slashes): "." or a subpackage root for size rules,
   * "project.config.json" for the project file (in CheckOptions.projectDir).
   */
  file: string
  /** A stable name of the rule, as listed in RULES. */
  rule: string
  message: string
}

/** Every rule checkPackage applies, by name. */
export const RULES = [
  'wxml-compile',
  'wxss-compile',
  'wxml-reference',
  'wxss-import',
  'js-parse',
  'js-require',
  'cross-package',
  'json-parse',
  'app-json',
  'page-files',
  'subpackages',
  'tabbar',
  'window',
  'required-private-infos',
  'using-components',
  'file-types',
  'size-main',
  'size-subpackage',
  'size-total',
  'project-config',
] as const
export type Rule = (typeof RULES)[number]

export const repoDir = path.resolve(clientDir, '..')

const KB = 1024
const MB = 1024 * KB
/** Our budget for the main package (WeChat's own cap is 2 MB [subpkg], [ci] MaxCodeSize). */
export const MAIN_PACKAGE_LIMIT = 1.5 * MB
/** [subpkg]: "单个分包/主包大小不能超过 2M". */
export const SUBPACKAGE_LIMIT = 2 * MB
/**
 * [subpkg]: "整个小程序所有分包大小不超过 20M"; the setting WeChat's compiler receives
 * (MaxSubpackageFullCodeSize: 20 in miniprogram-ci's fullcompiler) says the same.
 */
export const TOTAL_LIMIT = 20 * MB

/**
 * The file types the upload keeps: miniprogram-ci's built-in `MiniProgramWhiteList` (its fallback when
 * WeChat's server cannot be asked). Files of any other type are left out of the uploaded package, so
 * nothing in the package may rely on one.
 */
export const UPLOADED_EXTENSIONS = new Set([
  '.wxml',
  '.wxss',
  '.wxs',
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.svg',
  '.js',
  '.json',
  '.cer',
  '.mp3',
  '.aac',
  '.m4a',
  '.mp4',
  '.wav',
  '.ogg',
  '.silk',
  '.wasm',
  '.br',
  '.cur',
  '.ico',
  '.skel',
  '.crt',
  '.cert',
])

/**
 * [app.json] requiredPrivateInfos: the eight location APIs; "自 2022 年 7 月 14 日后发布的小程序，使用以下
 * 8 个地理位置相关接口时，需要声明该字段，否则将无法正常使用" (the call fails with "the api need to be
 * declared in the requiredPrivateInfos field in app.json/ext.json"). The schema's enum is exactly these.
 */
export const PRIVATE_INFOS = [
  'chooseAddress',
  'chooseLocation',
  'choosePoi',
  'getFuzzyLocation',
  'getLocation',
  'onLocationChange',
  'startLocationUpdate',
  'startLocationUpdateBackground',
] as const
/** [ci] checkRequiredPrivateInfos: getFuzzyLocation excludes the precise-location APIs. */
const PRECISE_LOCATION = ['getLocation', 'onLocationChange', 'startLocationUpdate', 'startLocationUpdateBackground']

type Json = Record<string, unknown>

interface SubPackage {
  /** Normalized, with a trailing slash. */
  root: string
  pages: string[]
  independent: boolean
}

export interface PackageSizes {
  main: number
  subpackages: { root: string; bytes: number }[]
  total: number
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`
/** [ci] isHexColor: #rgb, #rgba, #rrggbb or #rrggbbaa. */
const isHexColor = (value: unknown) =>
  typeof value === 'string' && /^#([a-f\d]{3}|[a-f\d]{4}|[a-f\d]{6}|[a-f\d]{8})$/i.test(value)

function readJsonFile(file: string): { json?: unknown; error?: string } {
  try {
    return { json: JSON.parse(readFileSync(file, 'utf8')) }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

function sizeOfFiles(dir: string, files: string[]): number {
  return files.reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0)
}

function subPackagesOf(app: Json | undefined): SubPackage[] {
  const list = app?.subPackages ?? app?.subpackages
  if (!Array.isArray(list)) return []
  return list.filter(isObject).flatMap((entry) => {
    if (typeof entry.root !== 'string' || entry.root === '') return []
    const root = `${path.posix.normalize(entry.root).replace(/^\/+|\/+$/g, '')}/`
    const pages = Array.isArray(entry.pages) ? entry.pages.filter((p): p is string => typeof p === 'string') : []
    return [{ root, pages, independent: entry.independent === true }]
  })
}

/**
 * Sizes as WeChat splits the package [subpkg]: "subPackages 配置路径外的目录将被打包到主包中", so the main
 * package is every file outside the subpackage roots. Every file counts (also those the upload leaves out),
 * so the numbers never understate.
 */
export function packageSizes(dir: string = weappDir): PackageSizes {
  const all = filesOf(dir, '')
  const app = readJsonFile(path.join(dir, 'app.json')).json
  const subs = subPackagesOf(isObject(app) ? app : undefined)
  const subpackages = subs.map((sub) => ({
    root: sub.root.replace(/\/$/, ''),
    bytes: sizeOfFiles(
      dir,
      all.filter((f) => f.startsWith(sub.root)),
    ),
  }))
  const main = sizeOfFiles(
    dir,
    all.filter((f) => !subs.some((sub) => f.startsWith(sub.root))),
  )
  return { main, subpackages, total: sizeOfFiles(dir, all) }
}

/** The size of each package, one line each (subpackages, then the main package with its limit, then the whole). */
export function sizeLines(sizes: PackageSizes): string[] {
  return [
    ...sizes.subpackages.map((sub) => `subpackage ${sub.root}: ${kb(sub.bytes)}`),
    `main package: ${kb(sizes.main)} (limit ${kb(MAIN_PACKAGE_LIMIT)})`,
    `total: ${kb(sizes.total)}`,
  ]
}

export interface CheckOptions {
  /**
   * The folder holding project.config.json, the file WeChat DevTools opens. When given, its
   * miniprogramRoot must point at `dir`. The repository root for the real output.
   */
  projectDir?: string
}

/**
 * Applies every rule to the weapp output in `dir` and returns what WeChat's toolchain would refuse; an
 * empty list means the package passes.
 */
export function checkPackage(dir: string = weappDir, options: CheckOptions = {}): Problem[] {
  const problems: Problem[] = []
  const report = (file: string, rule: Rule, message: string) => problems.push({ file, rule, message })

  const allFiles = filesOf(dir, '')
  const fileSet = new Set(allFiles)
  const isFile = (rel: string) => fileSet.has(rel)

  // ---- project.config.json [project], [ci] getRawAppJSON --------------------------------------------
  // DevTools opens the folder holding project.config.json and looks for app.json in miniprogramRoot:
  // "根据 project.config.json 中 miniprogramRoot 指定的小程序目录 %s，在该目录下未找到 app.json" otherwise.
  if (options.projectDir !== undefined) checkProjectConfig(dir, options.projectDir, report)

  // ---- app.json -----------------------------------------------------------------------------------
  const appRead = isFile('app.json') ? readJsonFile(path.join(dir, 'app.json')) : { error: 'app.json not found' }
  const app = isObject(appRead.json) ? appRead.json : undefined
  // [ci] getRawAppJSON: app.json must exist and be a JSON object; [module] app.js is the App() entry.
  if (!app) report('app.json', 'app-json', appRead.error ?? 'app.json must be a JSON object')
  if (!isFile('app.js')) report('app.js', 'page-files', 'app.js is missing: WeChat runs it first to register App()')

  const subs = subPackagesOf(app)
  const packageOf = (rel: string): SubPackage | undefined => subs.find((sub) => rel.startsWith(sub.root))
  const mainPages = Array.isArray(app?.pages) ? (app.pages as unknown[]) : []

  // Every page of the app (path without extension), for the page and component checks below.
  const pagePaths: string[] = []

  if (app) {
    // [app.json] pages is required and its first entry is the home page; [ci] schema requires "pages".
    if (!Array.isArray(app.pages) || app.pages.length === 0) {
      report('app.json', 'app-json', '["pages"] must list at least one page (the first is the home page)')
    }
    // [ci] checkMainPkgPages: each entry a valid path, no repeats ("%s 在 %s 中重复"), its .wxml and .js exist.
    const seen = new Set<string>()
    mainPages.forEach((page, i) => {
      const where = `["pages"][${i}]`
      if (!checkJsonPath(page, where, report)) return
      if (seen.has(page)) report('app.json', 'app-json', `${where}: "${page}" is listed twice in ["pages"]`)
      seen.add(page)
      pagePaths.push(page)
      // [ci] checkMainPkgPageIsInSubpkg: "["pages"][i] 不应该在 ["subPackages"][j] 中".
      const inSub = subs.find((sub) => page.startsWith(sub.root))
      if (inSub)
        report(
          'app.json',
          'subpackages',
          `${where}: "${page}" is a main-package page inside subpackage root "${inSub.root}"`,
        )
    })

    checkSubpackages(app, subs, fileSet, report, (page) => pagePaths.push(page))
    checkTabBar(app, mainPages, fileSet, dir, report)
    checkWindow('app.json', isObject(app.window) ? app.window : undefined, app, report)
    checkPrivateInfos(app, dir, allFiles, report)
  }

  // [ci] checkPageExist: "%s 对应的 .wxml / .js 文件不存在"; .json too: every Taro page declares its
  // custom components there, and without it the page has none ([page.json]).
  const allPages = [...new Set(pagePaths)]
  for (const page of allPages) {
    for (const ext of ['.js', '.json', '.wxml']) {
      if (!isFile(`${page}${ext}`))
        report(`${page}${ext}`, 'page-files', `page "${page}" listed in app.json has no ${ext} file`)
    }
  }

  // ---- every .json parses (DevTools: "Empty file is NOT a valid json file", JSON_PARSE_ERR) ---------
  const jsons = new Map<string, Json>()
  for (const file of allFiles.filter((f) => f.endsWith('.json'))) {
    const read = readJsonFile(path.join(dir, file))
    if (read.error !== undefined) report(file, 'json-parse', read.error)
    else if (isObject(read.json)) jsons.set(file, read.json)
    else report(file, 'json-parse', 'must be a JSON object')
  }

  // ---- page json: window fields and custom components ------------------------------------------
  for (const page of allPages) {
    const json = jsons.get(`${page}.json`)
    // [page.json] a page's json holds the window fields at its top level; [ci] checkPageJSON checks
    // the same hex colours and enums as for app.json's window.
    if (json) checkWindow(`${page}.json`, json, app ?? {}, report)
  }
  checkComponents(app, allPages, jsons, fileSet, packageOf, report)

  // ---- WXML and WXSS with WeChat's compilers ------------------------------------------------------
  // DevTools compiles every WXML with wcc and every WXSS with wcsc before preview or upload; a compile
  // error stops both. One run per compiler over the whole package (as DevTools does); the failing file
  // is taken from the compiler's message, which names it.
  const wxml = compileWxml(dir)
  if (!wxml.ok)
    reportCompileError('wxml-compile', wxml.error, [...filesOf(dir, '.wxml'), ...filesOf(dir, '.wxs')], report)
  const wxss = compileWxss(dir)
  if (!wxss.ok) reportCompileError('wxss-compile', wxss.error, filesOf(dir, '.wxss'), report)

  // [wxml] <import src>, <include src> and <wxs src> name a file by a path relative to the including
  // file or absolute from the package root. wcc reports a missing <wxs src> but compiles a missing
  // <import>/<include> silently (the page then renders nothing), so each target is checked here.
  // [subpkg] "packageA 无法 import packageB 的 template".
  for (const file of allFiles.filter((f) => f.endsWith('.wxml'))) {
    const source = readFileSync(path.join(dir, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '')
    for (const match of source.matchAll(/<(import|include|wxs)\b[^>]*?\bsrc\s*=\s*(["'])(.*?)\2/g)) {
      const [, tag = '', , src = ''] = match
      if (src.includes('{{')) {
        report(file, 'wxml-reference', `<${tag} src="${src}">: the path must be static`)
        continue
      }
      const target = resolveRef(file, src)
      if (target === undefined || !isFile(target))
        report(file, 'wxml-reference', `<${tag} src="${src}">: ${target ?? src} does not exist in the package`)
      else checkCrossPackage(file, target, `<${tag} src="${src}">`, packageOf, report)
    }
  }

  // WXSS @import targets (wcsc also fails on a missing one: "path ... not found from ..."); the same
  // subpackage rule [subpkg] "packageA 无法使用 packageB 的资源".
  for (const file of allFiles.filter((f) => f.endsWith('.wxss'))) {
    const source = readFileSync(path.join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')
    for (const match of source.matchAll(/@import\s+(?:url\(\s*)?(["'])([^"']+)\1/g)) {
      const src = match[2] ?? ''
      const target = resolveRef(file, src)
      if (target === undefined || !isFile(target))
        report(file, 'wxss-import', `@import "${src}": ${target ?? src} does not exist in the package`)
      else checkCrossPackage(file, target, `@import "${src}"`, packageOf, report)
    }
  }

  // ---- JavaScript ---------------------------------------------------------------------------------
  for (const file of allFiles.filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(path.join(dir, file), 'utf8')
    // WeChat wraps each JS file in a module function (define(path, function(require, module, exports,
    // ...) {...})): a file that does not parse as a function body fails when the page loads. Compiled
    // the same way here, with the file's name so that the error says where.
    try {
      vm.compileFunction(source, ['require', 'module', 'exports'], { filename: file })
    } catch (error) {
      // V8 puts "<file>:<line>" first in a SyntaxError's stack.
      const line = /^[^\n]*:(\d+)\n/.exec(String((error as Error).stack ?? ''))?.[1]
      report(file, 'js-parse', `${firstLine(error)}${line ? ` (line ${line})` : ''}`)
      continue
    }
    // [module] require(path): "需要引入模块文件相对于当前文件的相对路径"; ".js" may be left out.
    // An absolute path needs resolveAlias, and a bare name an npm module built into miniprogram_npm.
    // [subpkg] "packageA 无法 require packageB JS 文件，但可以 require 主包、packageA 内的 JS 文件".
    for (const match of source.matchAll(/(?<![\w$.])require\(\s*(["'])([^"'\n]+)\1\s*\)/g)) {
      const spec = match[2] ?? ''
      if (!spec.startsWith('.')) {
        if (!resolveModule(`miniprogram_npm/${spec}`, isFile))
          report(
            file,
            'js-require',
            `require("${spec}"): not a relative path and no miniprogram_npm/${spec} in the package`,
          )
        continue
      }
      const base = resolveRef(file, spec)
      const target = base === undefined ? undefined : resolveModule(base, isFile)
      if (!target)
        report(
          file,
          'js-require',
          `require("${spec}"): no ${base ?? spec}${base?.endsWith('.js') ? '' : '(.js)'} in the package`,
        )
      else checkCrossPackage(file, target, `require("${spec}")`, packageOf, report)
    }
  }

  // ---- file types the upload keeps ---------------------------------------------------------------
  // [ci] compile filters the file list by MiniProgramWhiteList: any other file is silently left out of
  // the upload, so a package that ships one relies on a file WeChat will not have. The one exception is
  // webpack's extracted licence text (*.LICENSE.txt): only a comment of the matching .js names it, and
  // nothing loads it at run time.
  for (const file of allFiles) {
    if (UPLOADED_EXTENSIONS.has(path.posix.extname(file).toLowerCase())) continue
    if (/\.LICENSE\.txt$/.test(file) && isFile(file.replace(/\.LICENSE\.txt$/, ''))) continue
    report(
      file,
      'file-types',
      `WeChat does not upload ${path.posix.extname(file) || 'extension-less'} files (allowed: ${[...UPLOADED_EXTENSIONS].join(' ')})`,
    )
  }

  // ---- sizes -------------------------------------------------------------------------------------
  const sizes = packageSizes(dir)
  const biggest = (prefix: (f: string) => boolean) =>
    allFiles
      .filter(prefix)
      .map((f) => ({ f, size: statSync(path.join(dir, f)).size }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(({ f, size }) => `${f} ${kb(size)}`)
      .join(', ')
  if (sizes.main > MAIN_PACKAGE_LIMIT) {
    report(
      '.',
      'size-main',
      `main package is ${kb(sizes.main)}, ${kb(sizes.main - MAIN_PACKAGE_LIMIT)} over our ${kb(MAIN_PACKAGE_LIMIT)} budget (WeChat refuses over 2 MB); biggest: ${biggest((f) => !packageOf(f))}`,
    )
  }
  for (const sub of sizes.subpackages) {
    if (sub.bytes > SUBPACKAGE_LIMIT) {
      report(
        `${sub.root}/`,
        'size-subpackage',
        `subpackage ${sub.root} is ${kb(sub.bytes)}, over WeChat's 2 MB per package; biggest: ${biggest((f) => f.startsWith(`${sub.root}/`))}`,
      )
    }
  }
  if (sizes.total > TOTAL_LIMIT)
    report('.', 'size-total', `the whole package is ${kb(sizes.total)}, over WeChat's 20 MB`)

  return problems
}

type Report = (file: string, rule: Rule, message: string) => void

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? ''
}

/** Resolves `ref` as WeChat does: absolute from the package root, or relative to `from`'s folder. */
function resolveRef(from: string, ref: string): string | undefined {
  const joined = ref.startsWith('/')
    ? path.posix.normalize(ref.slice(1))
    : path.posix.normalize(path.posix.join(path.posix.dirname(from), ref))
  return joined.startsWith('../') || joined === '..' ? undefined : joined
}

/** [module] a module path names `x.js` (".js" may be left out) or a folder's index.js. */
function resolveModule(base: string, isFile: (rel: string) => boolean): string | undefined {
  return [base, `${base}.js`, `${base}/index.js`].find((candidate) => candidate.endsWith('.js') && isFile(candidate))
}

/**
 * [subpkg] references between packages: a subpackage may use its own files and the main package's, the
 * main package only its own; an independent subpackage only its own ("独立分包...不能依赖主包和其他分包中的内容").
 */
function checkCrossPackage(
  from: string,
  target: string,
  what: string,
  packageOf: (rel: string) => SubPackage | undefined,
  report: Report,
): void {
  const source = packageOf(from)
  const dest = packageOf(target)
  if (dest === source) return
  if (dest === undefined && !source?.independent) return
  const name = (sub: SubPackage | undefined) => (sub ? `subpackage ${sub.root}` : 'the main package')
  report(from, 'cross-package', `${what}: a file of ${name(source)} may not use ${target} from ${name(dest)}`)
}

/**
 * [ci] checkPath, for paths written in app.json: a non-empty string without "\\", "//" or "../", not
 * starting with "/", "." or " ".
 */
function checkJsonPath(value: unknown, where: string, report: Report): value is string {
  let error = ''
  if (typeof value !== 'string') error = 'must be a string'
  else if (value === '') error = "must not be ''"
  else if (value.includes('\\')) error = 'must not contain "\\"'
  else if (value.includes('//')) error = 'must not contain "//"'
  else if (value.startsWith('.') || value.startsWith('/') || value.startsWith(' '))
    error = `must not start with "${value[0]}"`
  else if (value.includes('../') || value.endsWith('/..')) error = 'must not contain "../"'
  if (error) report('app.json', 'app-json', `${where}: ${JSON.stringify(value)} ${error}`)
  return error === ''
}

/**
 * [ci] checkSubpackages and [subpkg]: at most 100 subpackages; each root a folder of the package,
 * named once, not inside another root ("subPackages 的根目录不能是另外一个 subPackages 内的子目录");
 * each page listed once and with its files.
 */
function checkSubpackages(
  app: Json,
  subs: SubPackage[],
  fileSet: Set<string>,
  report: Report,
  addPage: (page: string) => void,
): void {
  const key = app.subPackages !== undefined ? 'subPackages' : 'subpackages'
  const list = app[key]
  if (list === undefined) return
  if (!Array.isArray(list)) {
    report('app.json', 'subpackages', `["${key}"] must be an array`)
    return
  }
  if (list.length > 100) report('app.json', 'subpackages', `["${key}"] has ${list.length} entries; WeChat allows 100`)
  const roots = new Map<string, number>()
  list.forEach((entry: unknown, i) => {
    const where = `["${key}"][${i}]`
    if (!isObject(entry) || !checkJsonPath(entry.root, `${where}["root"]`, report)) return
    const root = `${path.posix.normalize(entry.root).replace(/\/+$/, '')}/`
    if (roots.has(root))
      report(
        'app.json',
        'subpackages',
        `${where}["root"]: "${entry.root}" is the same root as ["${key}"][${roots.get(root)}]`,
      )
    roots.set(root, i)
    if (![...fileSet].some((f) => f.startsWith(root)))
      report('app.json', 'subpackages', `${where}["root"]: "${entry.root}" is not a folder of the package`)
    if (!Array.isArray(entry.pages)) {
      report('app.json', 'subpackages', `${where}["pages"] must be an array`)
      return
    }
    const seen = new Set<string>()
    entry.pages.forEach((page: unknown, j) => {
      if (!checkJsonPath(page, `${where}["pages"][${j}]`, report)) return
      const full = path.posix.join(root, page)
      if (seen.has(full)) report('app.json', 'subpackages', `${where}["pages"][${j}]: "${page}" is listed twice`)
      seen.add(full)
      addPage(full)
    })
  })
  for (const a of subs) {
    for (const b of subs) {
      if (a !== b && a.root.startsWith(b.root))
        report('app.json', 'subpackages', `subpackage root "${a.root}" is inside subpackage root "${b.root}"`)
    }
  }
}

/**
 * [app.json] tabBar and [ci] checkTabbar / checkTabbarPage: "list ... 最少 2 个、最多 5 个 tab"; each
 * pagePath "必须在 pages 中先定义" (the main package's pages: [subpkg] "tabBar 页面必须在主包内"), without
 * "?" or ".", not repeated; text required; iconPath/selectedIconPath "icon 大小限制为 40kb ... 不支持网络图片"
 * and, per [ci] TABBAR_ICON_WHITE_LIST, .png .jpg or .jpeg; color, selectedColor and backgroundColor
 * HexColor ("仅支持十六进制颜色"); borderStyle black/white; position bottom/top.
 */
function checkTabBar(app: Json, mainPages: unknown[], fileSet: Set<string>, dir: string, report: Report): void {
  const tabBar = app.tabBar
  if (tabBar === undefined) return
  const bad = (message: string) => report('app.json', 'tabbar', message)
  if (!isObject(tabBar) || !Array.isArray(tabBar.list)) {
    bad('["tabBar"]["list"] is required')
    return
  }
  const themed = typeof app.themeLocation === 'string'
  const variable = (value: unknown) => themed && typeof value === 'string' && value.startsWith('@')
  const max = tabBar.custom === true ? 10 : 5
  if (tabBar.list.length < 2 || tabBar.list.length > max)
    bad(`["tabBar"]["list"] has ${tabBar.list.length} items; WeChat needs 2 to ${max}`)
  for (const field of ['color', 'selectedColor', 'backgroundColor']) {
    const value = tabBar[field]
    if (value !== undefined && !isHexColor(value) && !variable(value))
      bad(`["tabBar"]["${field}"]: ${JSON.stringify(value)} is not a hex colour`)
  }
  if (
    tabBar.borderStyle !== undefined &&
    !['black', 'white'].includes(tabBar.borderStyle as string) &&
    !variable(tabBar.borderStyle)
  ) {
    bad(`["tabBar"]["borderStyle"]: ${JSON.stringify(tabBar.borderStyle)} must be black or white`)
  }
  if (tabBar.position !== undefined && !['bottom', 'top'].includes(tabBar.position as string)) {
    bad(`["tabBar"]["position"]: ${JSON.stringify(tabBar.position)} must be bottom or top`)
  }
  tabBar.list.forEach((item: unknown, i) => {
    const where = `["tabBar"]["list"][${i}]`
    if (!isObject(item)) {
      bad(`${where} must be an object`)
      return
    }
    const { pagePath } = item
    if (typeof pagePath !== 'string' || pagePath === '') bad(`${where}["pagePath"] is required`)
    else {
      if (pagePath.includes('?') || pagePath.includes('.'))
        bad(`${where}["pagePath"]: "${pagePath}" must not contain "?" or "."`)
      if (!mainPages.includes(pagePath))
        bad(`${where}["pagePath"]: "${pagePath}" must be a page of the main package's ["pages"]`)
      const first = (tabBar.list as unknown[]).findIndex((other) => isObject(other) && other.pagePath === pagePath)
      if (first < i) bad(`${where}["pagePath"]: "${pagePath}" is the same as ["tabBar"]["list"][${first}]`)
    }
    if (tabBar.custom !== true && (typeof item.text !== 'string' || item.text.trim() === ''))
      bad(`${where}["text"] must be a non-empty string`)
    for (const field of ['iconPath', 'selectedIconPath']) {
      const icon = item[field]
      if (icon === undefined || variable(icon)) continue
      if (typeof icon !== 'string' || icon === '') {
        bad(`${where}["${field}"] must be a non-empty string`)
        continue
      }
      const rel = icon.replace(/^\/+/, '')
      if (/^[a-z]+:\/\//i.test(icon))
        bad(`${where}["${field}"]: "${icon}" is a network image; tabBar icons must be files of the package`)
      else if (!fileSet.has(rel)) bad(`${where}["${field}"]: "${icon}" not found`)
      else {
        const size = statSync(path.join(dir, rel)).size
        if (size > 40 * KB) bad(`${where}["${field}"]: "${icon}" is ${kb(size)}; WeChat allows 40 KB`)
        if (!['.png', '.jpg', '.jpeg'].includes(path.posix.extname(rel).toLowerCase()))
          bad(`${where}["${field}"]: "${icon}" must be .png, .jpg or .jpeg`)
      }
    }
  })
  // A custom bar is the component custom-tab-bar/index at the package root: without it WeChat shows no bar.
  if (tabBar.custom === true) {
    for (const ext of ['js', 'json', 'wxml']) {
      if (!fileSet.has(`custom-tab-bar/index.${ext}`))
        bad(`["tabBar"]["custom"] is true but custom-tab-bar/index.${ext} is missing`)
    }
    if (fileSet.has('custom-tab-bar/index.json')) {
      const json = JSON.parse(readFileSync(path.join(dir, 'custom-tab-bar/index.json'), 'utf8')) as Json
      if (json.component !== true) bad('custom-tab-bar/index.json must declare "component": true')
    }
  }
}

/**
 * [app.json] window / [page.json], with [ci] checkWindow and the schema's enums:
 * navigationBarBackgroundColor and backgroundColor are HexColor ("is not hexColor"),
 * navigationBarTextStyle black/white, backgroundTextStyle dark/light, navigationStyle default/custom,
 * pageOrientation auto/portrait/landscape. "@name" values are theme variables, only with themeLocation.
 */
function checkWindow(file: string, window: Json | undefined, app: Json, report: Report): void {
  if (!window) return
  const themed = typeof app.themeLocation === 'string'
  const variable = (value: unknown) => themed && typeof value === 'string' && value.startsWith('@')
  const prefix = file === 'app.json' ? '["window"]' : ''
  for (const field of ['navigationBarBackgroundColor', 'backgroundColor']) {
    const value = window[field]
    if (value !== undefined && !isHexColor(value) && !variable(value))
      report(file, 'window', `${prefix}["${field}"]: ${JSON.stringify(value)} is not hexColor`)
  }
  const enums: Record<string, string[]> = {
    navigationBarTextStyle: ['black', 'white'],
    backgroundTextStyle: ['dark', 'light'],
    navigationStyle: ['default', 'custom'],
    pageOrientation: ['auto', 'portrait', 'landscape'],
  }
  for (const [field, allowed] of Object.entries(enums)) {
    const value = window[field]
    if (value !== undefined && !allowed.includes(value as string) && !variable(value)) {
      report(file, 'window', `${prefix}["${field}"]: ${JSON.stringify(value)} must be one of ${allowed.join(', ')}`)
    }
  }
  if (window.navigationBarTitleText !== undefined && typeof window.navigationBarTitleText !== 'string') {
    report(file, 'window', `${prefix}["navigationBarTitleText"] must be a string`)
  }
}

/**
 * [app.json] requiredPrivateInfos: only the eight names of PRIVATE_INFOS; [ci] getFuzzyLocation not
 * together with a precise-location API; and every one of those APIs the code calls (wx.chooseLocation,
 * or Taro.chooseLocation, which Taro forwards to wx) must be declared, or WeChat fails the call.
 */
function checkPrivateInfos(app: Json, dir: string, allFiles: string[], report: Report): void {
  const declared = app.requiredPrivateInfos
  let names: string[] = []
  if (declared !== undefined) {
    if (!Array.isArray(declared))
      report('app.json', 'required-private-infos', '["requiredPrivateInfos"] must be an array')
    else {
      names = declared.filter((n): n is string => typeof n === 'string')
      for (const name of declared) {
        if (!(PRIVATE_INFOS as readonly unknown[]).includes(name))
          report(
            'app.json',
            'required-private-infos',
            `["requiredPrivateInfos"]: ${JSON.stringify(name)} is not one of ${PRIVATE_INFOS.join(', ')}`,
          )
      }
      const precise = names.filter((n) => PRECISE_LOCATION.includes(n))
      if (names.includes('getFuzzyLocation') && precise.length > 0) {
        report(
          'app.json',
          'required-private-infos',
          `["requiredPrivateInfos"]: 'getFuzzyLocation' cannot be declared with ${precise.map((n) => `'${n}'`).join('、')}`,
        )
      }
    }
  }
  // A call is `<object>.name(` or `<object>["name"](`; the API name lists inside Taro's runtime are
  // strings, not calls, and are not matched.
  const call = new RegExp(`(?:\\.\\s*|\\[\\s*["'])(${PRIVATE_INFOS.join('|')})(?:["']\\s*\\])?\\s*\\(`, 'g')
  for (const file of allFiles.filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(path.join(dir, file), 'utf8')
    const called = new Set([...source.matchAll(call)].map((m) => m[1] ?? ''))
    for (const name of called) {
      if (!names.includes(name))
        report(
          file,
          'required-private-infos',
          `calls ${name}, which app.json's ["requiredPrivateInfos"] does not declare: WeChat fails the call`,
        )
    }
  }
}

/**
 * [component] and [ci] checkComponentPath: each usingComponents entry (in app.json, a page's json or a
 * component's json) names a component by a path absolute from the package root or relative to the
 * json's folder (or `<path>/index`); its .json and .wxml must exist ("在 %s 路径下未找到组件"), and its
 * .js, which calls Component(); the component's json must say "component": true ("需要在 json 文件中进行
 * 自定义组件声明（将 component 字段设为 true）"). Across packages the [subpkg] rules apply.
 */
function checkComponents(
  app: Json | undefined,
  pages: string[],
  jsons: Map<string, Json>,
  fileSet: Set<string>,
  packageOf: (rel: string) => SubPackage | undefined,
  report: Report,
): void {
  const queue: string[] = [...(app ? ['app.json'] : []), ...pages.map((p) => `${p}.json`)]
  const visited = new Set<string>()
  const components = new Set<string>()
  while (queue.length > 0) {
    const file = queue.shift()!
    if (visited.has(file)) continue
    visited.add(file)
    const json = jsons.get(file)
    if (!json || json.usingComponents === undefined) continue
    if (!isObject(json.usingComponents)) {
      report(file, 'using-components', '["usingComponents"] must be an object')
      continue
    }
    for (const [tag, value] of Object.entries(json.usingComponents)) {
      const where = `["usingComponents"]["${tag}"]: ${JSON.stringify(value)}`
      if (typeof value !== 'string' || value === '') {
        report(file, 'using-components', `${where} must be a non-empty path`)
        continue
      }
      if (value.startsWith('plugin://') || value.startsWith('plugin-private://')) continue
      // A bare name is looked up beside the json, then in miniprogram_npm of each folder up to the root.
      const bases: string[] = []
      if (value.startsWith('/') || value.startsWith('.')) {
        const base = resolveRef(file, value)
        if (base !== undefined) bases.push(base)
      } else {
        let folder = path.posix.dirname(file)
        bases.push(path.posix.join(folder, value))
        for (;;) {
          bases.push(path.posix.join(folder, 'miniprogram_npm', value))
          if (folder === '.') break
          folder = path.posix.dirname(folder)
        }
      }
      const found = bases
        .flatMap((b) => [b, `${b}/index`])
        .find((b) => fileSet.has(`${b}.json`) && fileSet.has(`${b}.wxml`))
      if (!found) {
        report(file, 'using-components', `${where}: no component (.json and .wxml) at ${bases.join(' or ') || value}`)
        continue
      }
      if (!fileSet.has(`${found}.js`)) report(file, 'using-components', `${where}: ${found}.js is missing`)
      checkCrossPackage(file, `${found}.json`, `usingComponents "${tag}"`, packageOf, report)
      components.add(`${found}.json`)
      queue.push(`${found}.json`)
    }
  }
  for (const file of components) {
    const json = jsons.get(file)
    if (json && json.component !== true)
      report(file, 'using-components', 'a custom component\'s json must declare "component": true')
  }
}

/**
 * Maps a compiler's error output to the files it names (wcc: "pages/x/index.wxml:2:2: end tag missing";
 * wcsc: "ERR: packages/y/index.wxss(2:3): unexpected `{`" or "path `./a.wxss` not found from `b.wxss`").
 * One broken file stops the whole run, so usually one file is named; if none is, the package is.
 */
function reportCompileError(rule: Rule, stderr: string, files: string[], report: Report): void {
  const known = new Set(files)
  const named = new Set<string>()
  for (const match of stderr.matchAll(/[\w@$./-]+\.(?:wxml|wxss|wxs)\b/g)) {
    const file = match[0].replace(/^\.\//, '')
    if (known.has(file)) named.add(file)
  }
  const message =
    stderr.trim().split('\n').filter(Boolean).slice(0, 5).join(' | ') || 'the compiler failed without a message'
  if (named.size === 0) report('.', rule, message)
  for (const file of named) report(file, rule, message)
}

/**
 * [project] project.config.json: the file DevTools opens; miniprogramRoot is "小程序源码的目录(需为相对
 * 路径)", which must hold app.json ([ci] APP_JSON_NOT_FOUND); compileType "miniprogram"; an appid.
 */
function checkProjectConfig(dir: string, projectDir: string, report: Report): void {
  const file = path.join(projectDir, 'project.config.json')
  const name = 'project.config.json'
  if (!existsSync(file)) {
    report(name, 'project-config', 'project.config.json not found')
    return
  }
  const read = readJsonFile(file)
  if (!isObject(read.json)) {
    report(name, 'project-config', read.error ?? 'must be a JSON object')
    return
  }
  const config = read.json
  const root = config.miniprogramRoot
  if (typeof root !== 'string' || root === '' || path.isAbsolute(root)) {
    report(
      name,
      'project-config',
      `["miniprogramRoot"]: ${JSON.stringify(root)} must be a relative path to the weapp output`,
    )
  } else {
    const target = path.resolve(projectDir, root)
    if (!existsSync(path.join(target, 'app.json')))
      report(name, 'project-config', `["miniprogramRoot"]: "${root}" has no app.json`)
    else if (path.relative(target, dir) !== '')
      report(name, 'project-config', `["miniprogramRoot"]: "${root}" is not the built folder ${dir}`)
  }
  if (config.compileType !== undefined && config.compileType !== 'miniprogram') {
    report(name, 'project-config', `["compileType"]: ${JSON.stringify(config.compileType)} must be "miniprogram"`)
  }
  if (typeof config.appid !== 'string' || config.appid === '')
    report(name, 'project-config', '["appid"] is required (touristappid for a test account)')
}
