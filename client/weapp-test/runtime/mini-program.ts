/**
 * A headless WeChat mini-program runtime for the real weapp output (client/dist/weapp), built on WeChat's
 * own component framework (`miniprogram-exparser`, driven through `j-component`) under jsdom.
 *
 * It keeps WeChat's two layers apart, as WeChat does:
 * - the logic layer runs app.js, the pages' and components' JS in a V8 context of its own that has no
 *   `window` or `document`, only WeChat's globals (`wx`, `App`, `Page`, `Component`, `getApp`,
 *   `getCurrentPages`, `requirePlugin`);
 * - the view layer renders each page with the render functions WeChat's compiler (wcc) made from the
 *   WXML, as exparser components in jsdom. `setData` crosses from logic to view as JSON, events cross
 *   back as JSON, as on a phone.
 *
 * Navigation follows WeChat's rules (a page must be in app.json; `navigateTo`/`redirectTo` refuse tab
 * pages, `switchTab` accepts only tab pages; at most 10 pages on the stack). Every `wx.*` call is recorded;
 * what a phone would do (sign in, pick a photo, scan a code, read a location) comes from `WxDevice`, and
 * `wx.request`/`wx.uploadFile` reach a real Liren server over HTTP.
 *
 * What it does not prove: layout and styles as applied, Skyline, the exact behaviour of each `wx.*`
 * API (they are fakes that follow WeChat's documented success/fail shapes).
 */
import { readFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'
import { JSDOM } from 'jsdom'
import { compileWxml, weappDir } from '../wechat-compilers'
import { createWx, type WxCall, type WxDevice } from './wx'

const require = createRequire(import.meta.url)

// ---------------------------------------------------------------------------------------------------
// The view layer: jsdom + exparser, set up once per process (exparser keeps global registries).

const jsdom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
  pretendToBeVisual: true,
  url: 'https://servicewechat.com/liren/page-frame.html',
})
const viewGlobals: Record<string, unknown> = {
  window: jsdom.window,
  document: jsdom.window.document,
  navigator: jsdom.window.navigator,
  HTMLElement: jsdom.window.HTMLElement,
  Element: jsdom.window.Element,
  Node: jsdom.window.Node,
  Event: jsdom.window.Event,
  // Node's own CustomEvent is not jsdom's: every tap would fail with "parameter 1 is not of type 'Event'".
  CustomEvent: jsdom.window.CustomEvent,
  TouchEvent: jsdom.window.TouchEvent,
  Touch: jsdom.window.Touch,
  MouseEvent: jsdom.window.MouseEvent,
  getComputedStyle: jsdom.window.getComputedStyle.bind(jsdom.window),
  requestAnimationFrame: (fn: (t: number) => void) => setTimeout(() => fn(Date.now()), 16),
  cancelAnimationFrame: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
}
for (const [name, value] of Object.entries(viewGlobals)) {
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true })
}

const exparser = require('miniprogram-exparser') as Exparser
const jComponent = require('j-component') as JComponent

interface Exparser {
  Event: {
    create(name: string, detail: unknown, options: Record<string, unknown>): unknown
    dispatchEvent(node: unknown, event: unknown): void
  }
}
/** What j-component keeps on an exparser node about the WXML node it came from. */
interface WxNode {
  _vt?: { attrs: { name: string; value: unknown }[]; event: Record<string, { name: string }>; tagName: string }
  parentNode?: WxNode | null
  ownerShadowRoot?: { getHostNode(): WxNode } | null
  $$?: Element
}
interface JComponent {
  register(definition: Record<string, unknown>): string
  create(id: string, properties?: Record<string, unknown>): ViewRoot
}
/** A j-component root: the rendered page in jsdom and its exparser tree. */
interface ViewRoot {
  dom: HTMLElement
  instance: { setData(data: Record<string, unknown>, cb?: () => void): void; data: Record<string, unknown> }
  attach(parent: HTMLElement): void
  detach(): void
}

// ---------------------------------------------------------------------------------------------------

type AnyFn = (...args: unknown[]) => unknown
type Config = Record<string, unknown>

export interface AppJson {
  pages: string[]
  subPackages?: { root: string; pages: string[] }[]
  subpackages?: { root: string; pages: string[] }[]
  tabBar?: { custom?: boolean; list: { pagePath: string; text: string }[] }
}

/** Something that went wrong that a person on a phone would suffer from (or WeChat would refuse). */
export interface RuntimeProblem {
  kind: 'console.error' | 'console.warn' | 'unhandled rejection' | 'exception' | 'navigation' | 'template' | 'wx'
  message: string
  page: string | null
}

export interface PageView {
  route: string
  query: Record<string, string>
  /** The logic-layer page instance (Taro's page config bound to this page). */
  logic: Config & { data: Config; route: string; options: Record<string, string> }
  view: ViewRoot
  container: HTMLElement
  /** A tab page's own copy of the custom tab bar (app.json tabBar.custom), drawn below the page. */
  tabBar?: { view: ViewRoot; container: HTMLElement }
}

export interface MiniProgramOptions {
  /** The weapp output folder (default: client/dist/weapp). */
  dir?: string
  /** Where `wx.request` goes: the origin in the build (TARO_APP_API_BASE) is replaced by this one. */
  server: string
  device?: Partial<WxDevice>
  /** Storage carried over from an earlier run (a phone's storage survives closing the mini-program). */
  storage?: Map<string, unknown>
}

const json = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T))

/** An event as WeChat hands it to the logic layer: plain data (touches as coordinates, no DOM nodes). */
function eventJson(event: unknown): unknown {
  if (typeof event !== 'object' || event === null) return event
  const e = event as Record<string, unknown>
  const touches = (list: unknown) =>
    Array.from((list as ArrayLike<Record<string, unknown>>) ?? []).map((t) => ({
      identifier: t.identifier,
      pageX: t.pageX,
      pageY: t.pageY,
      clientX: t.clientX,
      clientY: t.clientY,
    }))
  const target = (t: unknown) => {
    const x = (t ?? {}) as Record<string, unknown>
    return { id: x.id, offsetLeft: x.offsetLeft ?? 0, offsetTop: x.offsetTop ?? 0, dataset: json(x.dataset ?? {}) }
  }
  return {
    type: e.type,
    timeStamp: e.timeStamp,
    target: target(e.target),
    currentTarget: target(e.currentTarget),
    detail: json(e.detail ?? {}),
    touches: touches(e.touches),
    changedTouches: touches(e.changedTouches),
    mark: {},
  }
}

/** The mini-program whose view is being rendered (set at each render, so that its problems are its own). */
let rendering: MiniProgram | null = null
let phones = 0

let gwxCache: { dir: string; gwx: (path: string) => AnyFn | undefined } | null = null

/** wcc's render functions for every WXML of the package, compiled once per folder. */
function renderFunctions(dir: string): (path: string) => AnyFn | undefined {
  if (gwxCache?.dir === dir) return gwxCache.gwx
  const compiled = compileWxml(dir)
  if (!compiled.ok) throw new Error(`wcc failed: ${compiled.error}`)
  // The compiled code expects the view layer's globals (window, __WXML_GLOBAL__) and declares `$gwx`. Its
  // warnings (a template not found, a recursive template) go to the mini-program that is rendering.
  const viewConsole = {
    ...console,
    log: () => undefined,
    warn: (...args: unknown[]) => rendering?.problem('template', args.map(describe).join(' ')),
    error: (...args: unknown[]) => rendering?.problem('template', args.map(describe).join(' ')),
  }
  // Each package's compiled templates get a realm of their own: wcc's code defines non-configurable
  // helpers on the built-in prototypes, which a second package's code could not define again.
  const realm = vm.createContext({ console: viewConsole, window: {} })
  const compiledGwx = vm.runInContext(
    `var __WXML_GLOBAL__; var $gwx; var wh; var $gwn; var $gwl;\n${compiled.output}\n$gwx;`,
    realm,
    {
      filename: path.join(dir, '$gwx.js'),
    },
  ) as (path: string) => AnyFn | undefined
  // The data a render function reads must be of its realm too (WXS checks values by their constructors):
  // it crosses as JSON, as setData's data does on a phone.
  const intoRealm = vm.runInContext('(function (text) { return JSON.parse(text) })', realm) as (text: string) => unknown
  const gwx = (file: string): AnyFn | undefined => {
    const render = compiledGwx(file)
    return render && ((env: unknown, ...rest: unknown[]) => render(intoRealm(JSON.stringify(env ?? {})), ...rest))
  }
  gwxCache = { dir, gwx }
  return gwx
}

export class MiniProgram {
  readonly dir: string
  readonly app: AppJson
  readonly calls: WxCall[] = []
  readonly problems: RuntimeProblem[] = []
  readonly storage: Map<string, unknown>
  readonly stack: PageView[] = []
  /** The red numbers WeChat's own tab bar shows, by item index (set through wx.setTabBarBadge). */
  readonly tabBadges = new Map<number, string>()
  /** Timers of the logic layer, so that closing the mini-program stops them. */
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly intervals = new Set<ReturnType<typeof setInterval>>()
  private readonly context: vm.Context
  private readonly modules = new Map<string, { exports: unknown }>()
  private readonly pageConfigs = new Map<string, Config>()
  private readonly viewIds = new Map<string, string>()
  private componentConfigs = new Map<string, Config>()
  private loadingPath: string | null = null
  private appInstance: Config | null = null
  private readonly gwx: (path: string) => AnyFn | undefined
  private readonly root: HTMLElement
  private closed = false
  /** Tells this phone's components apart from another's in exparser's registry (which is global). */
  private readonly serial = (phones += 1)
  readonly wx: Record<string, AnyFn>
  private readonly onRejection = (reason: unknown) => this.problem('unhandled rejection', describe(reason))

  private constructor(options: MiniProgramOptions) {
    this.dir = options.dir ?? weappDir
    this.app = JSON.parse(readFileSync(path.join(this.dir, 'app.json'), 'utf8')) as AppJson
    this.storage = options.storage ?? new Map()
    this.gwx = renderFunctions(this.dir)
    this.root = jsdom.window.document.createElement('div')
    jsdom.window.document.body.appendChild(this.root)
    this.wx = createWx(this, options.server, options.device ?? {})
    this.context = this.createLogicContext()
    process.on('unhandledRejection', this.onRejection)
    rendering = this
  }

  /** Launches the mini-program as WeChat does: app.js, then App's onLaunch/onShow, then the entry page. */
  static async launch(
    options: MiniProgramOptions & { path?: string; query?: Record<string, string> },
  ): Promise<MiniProgram> {
    const mp = new MiniProgram(options)
    const entry = options.path ?? mp.app.pages[0] ?? ''
    mp.requireModule('app.js')
    if (!mp.appInstance) throw new Error('app.js did not call App()')
    const launchOptions = { path: entry, query: options.query ?? {}, scene: 1001, referrerInfo: {} }
    mp.callLogic(mp.appInstance, 'onLaunch', json(launchOptions))
    mp.callLogic(mp.appInstance, 'onShow', json(launchOptions))
    await mp.openPage(entry, options.query ?? {})
    await mp.settle()
    return mp
  }

  // -------------------------------------------------------------------------------------------------
  // Problems and logs

  problem(kind: RuntimeProblem['kind'], message: string): void {
    this.problems.push({ kind, message, page: this.current()?.route ?? null })
  }

  // -------------------------------------------------------------------------------------------------
  // The logic layer

  private createLogicContext(): vm.Context {
    const mp = this
    const logicConsole = {
      log: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      warn: (...args: unknown[]) => mp.problem('console.warn', args.map(describe).join(' ')),
      error: (...args: unknown[]) => mp.problem('console.error', args.map(describe).join(' ')),
    }
    const track = <T extends ReturnType<typeof setTimeout>>(set: Set<T>, id: T) => (set.add(id), id)
    const sandbox: Record<string, unknown> = {
      console: logicConsole,
      wx: this.wx,
      setTimeout: (fn: AnyFn, ms?: number, ...args: unknown[]) => {
        const id: ReturnType<typeof setTimeout> = setTimeout(() => {
          mp.timers.delete(id)
          mp.guard(() => fn(...args))
        }, ms)
        return track(mp.timers, id)
      },
      clearTimeout: (id: ReturnType<typeof setTimeout>) => (mp.timers.delete(id), clearTimeout(id)),
      setInterval: (fn: AnyFn, ms?: number, ...args: unknown[]) =>
        track(
          mp.intervals,
          setInterval(() => mp.guard(() => fn(...args)), ms),
        ),
      clearInterval: (id: ReturnType<typeof setInterval>) => (mp.intervals.delete(id), clearInterval(id)),
      App: (config: Config) => {
        mp.appInstance = config
      },
      getApp: () => mp.appInstance,
      Page: (config: Config) => {
        if (!mp.loadingPath) throw new Error('Page() called outside a page file')
        mp.pageConfigs.set(mp.loadingPath.replace(/\.js$/, ''), config)
      },
      Component: (config: Config) => {
        if (!mp.loadingPath) throw new Error('Component() called outside a component file')
        mp.componentConfigs.set(mp.loadingPath.replace(/\.js$/, ''), config)
      },
      Behavior: (config: Config) => config,
      getCurrentPages: () => mp.stack.map((p) => p.logic),
      requirePlugin: () => {
        throw new Error('requirePlugin: the package uses no plugins')
      },
    }
    sandbox.global = sandbox
    sandbox.globalThis = sandbox
    return vm.createContext(sandbox, { name: 'weapp logic layer' })
  }

  /** Runs a file of the package in the logic layer as WeChat's `require` does (CommonJS, relative paths). */
  requireModule(file: string): unknown {
    const normalized = path.posix.normalize(file.endsWith('.js') ? file : `${file}.js`)
    const cached = this.modules.get(normalized)
    if (cached) return cached.exports
    const full = path.join(this.dir, normalized)
    if (!existsSync(full)) throw new Error(`module not found: ${normalized}`)
    const module = { exports: {} as unknown }
    this.modules.set(normalized, module)
    const source = readFileSync(full, 'utf8')
    const wrapper = vm.runInContext(`(function (require, module, exports) {${source}\n})`, this.context, {
      filename: full,
    })
    const localRequire = (spec: string) => this.requireModule(path.posix.join(path.posix.dirname(normalized), spec))
    const previous = this.loadingPath
    this.loadingPath = normalized
    try {
      ;(wrapper as AnyFn)(localRequire, module, module.exports)
    } finally {
      this.loadingPath = previous
    }
    return module.exports
  }

  /** Calls a lifecycle or handler of the logic layer, as WeChat does: an exception is reported, not thrown. */
  callLogic(target: Config, name: string, ...args: unknown[]): unknown {
    const fn = target[name]
    if (typeof fn !== 'function') return undefined
    return this.guard(() => (fn as AnyFn).apply(target, args))
  }

  /** Calls a callback the logic layer passed to `wx` (success, fail, complete). */
  callLogicFn(fn: AnyFn, ...args: unknown[]): unknown {
    return this.guard(() => fn(...args))
  }

  guard<T>(fn: () => T): T | undefined {
    try {
      return fn()
    } catch (error) {
      this.problem('exception', describe(error))
      return undefined
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Pages and the view layer

  allPages(): string[] {
    const subs = this.app.subPackages ?? this.app.subpackages ?? []
    return [...this.app.pages, ...subs.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/+$/, '')}/${p}`))]
  }

  tabPages(): string[] {
    return (this.app.tabBar?.list ?? []).map((item) => item.pagePath)
  }

  current(): PageView | undefined {
    return this.stack[this.stack.length - 1]
  }

  /** The exparser component id for a WXML file's render function (each file registered once). */
  private viewComponent(
    file: string,
    usingComponents: Record<string, string>,
    methods: Record<string, AnyFn>,
    extra: Config = {},
  ): string {
    const render = this.gwx(`${file}.wxml`)
    if (!render) throw new Error(`no compiled template for ${file}.wxml`)
    return jComponent.register({ template: render, usingComponents, methods, ...extra })
  }

  /** The view ids of the custom components a page or component's JSON declares (`usingComponents`). */
  private customComponents(file: string, self?: { file: string; id: string }): Record<string, string> {
    const declared = JSON.parse(readFileSync(path.join(this.dir, `${file}.json`), 'utf8')) as {
      usingComponents?: Record<string, string>
    }
    const using: Record<string, string> = {}
    for (const [tag, target] of Object.entries(declared.usingComponents ?? {})) {
      const componentFile = path.posix.normalize(path.posix.join(path.posix.dirname(file), target))
      using[tag] = componentFile === self?.file ? self.id : this.componentId(componentFile)
    }
    return using
  }

  private componentId(file: string): string {
    const known = this.viewIds.get(file)
    if (known) return known
    this.requireModule(`${file}.js`)
    const config = this.componentConfigs.get(file)
    if (!config) throw new Error(`${file}.js did not call Component()`)
    const mp = this
    const logicOf = (node: object): Config => (node as { __logic?: Config }).__logic!
    const methods: Record<string, AnyFn> = {}
    for (const [name, fn] of Object.entries((config.methods as Record<string, AnyFn>) ?? {})) {
      methods[name] = function (this: object, event: unknown) {
        return mp.guard(() => fn.call(logicOf(this), eventJson(event)))
      }
    }
    // Registered with a placeholder first: a component may use itself (Taro's recursion).
    const id = `liren-${this.serial}-${file.replace(/[^a-z0-9]/gi, '-')}`
    this.viewIds.set(file, id)
    const using = this.customComponents(file, { file, id })
    const lifetimes = (config.lifetimes as Record<string, AnyFn>) ?? {}
    const lifetime = (name: string) => (lifetimes[name] ?? config[name]) as AnyFn | undefined
    const properties = config.properties as Config
    const options = (config.options as Config) ?? {}
    this.viewComponent(file, using, methods, {
      id,
      properties,
      options: { virtualHost: options.virtualHost, multipleSlots: options.multipleSlots },
      lifetimes: {
        created(this: object) {
          const view = this as {
            setData(d: Config, cb?: () => void): void
            data: Config
            id?: string
            dataset?: Config
          }
          const logic: Config = Object.create((config.methods as object) ?? null)
          logic.data = view.data
          logic.properties = view.data
          logic.props = view.data
          logic.is = file
          logic.setData = (data: Config, cb?: () => void) => {
            rendering = mp
            view.setData(json(data), cb)
          }
          ;(this as { __logic?: Config }).__logic = logic
          const fn = lifetime('created')
          if (fn) mp.guard(() => fn.call(logic))
        },
        attached(this: object) {
          const logic = logicOf(this)
          logic.data = (this as { data: Config }).data
          const fn = lifetime('attached')
          if (fn) mp.guard(() => fn.call(logic))
        },
        ready(this: object) {
          const fn = lifetime('ready')
          if (fn) mp.guard(() => fn.call(logicOf(this)))
        },
        detached(this: object) {
          const fn = lifetime('detached')
          if (fn) mp.guard(() => fn.call(logicOf(this)))
        },
      },
    })
    return id
  }

  /** Opens `route` on top of the stack: loads its JS, makes the logic instance, renders its view. */
  async openPage(route: string, query: Record<string, string>): Promise<PageView> {
    const file = route.replace(/^\/+/, '')
    if (!this.pageConfigs.has(file)) {
      // A subpackage's page file requires its subpackage's common chunks itself.
      this.requireModule(`${file}.js`)
    }
    const config = this.pageConfigs.get(file)
    if (!config) throw new Error(`${file}.js did not call Page()`)
    const mp = this
    const logic = Object.create(config) as PageView['logic']
    logic.route = file
    ;(logic as Config).__route__ = file
    logic.options = { ...query }
    logic.data = json((config.data as Config) ?? {})
    let viewId = this.viewIds.get(`page:${file}`)
    if (!viewId) {
      // One view component per page file; each instance calls its own logic instance.
      const methods: Record<string, AnyFn> = {}
      for (const [name, value] of allFunctions(config)) {
        methods[name] = function (this: { __logic: Config }, event: unknown) {
          return mp.guard(() => value.call(this.__logic, eventJson(event)))
        }
      }
      viewId = this.viewComponent(file, this.customComponents(file), methods)
      this.viewIds.set(`page:${file}`, viewId)
    }
    const view = jComponent.create(viewId)
    ;(view.instance as unknown as { __logic: Config }).__logic = logic
    ;(logic as Config).setData = (data: Config, cb?: () => void) => {
      if (!mp.stack.some((p) => p.logic === logic)) return
      rendering = mp
      view.instance.setData(json(data), cb)
    }
    const container = jsdom.window.document.createElement('div')
    container.setAttribute('data-route', file)
    this.root.appendChild(container)
    view.attach(container)
    const page: PageView = { route: file, query, logic, view, container, tabBar: this.customTabBar(file) }
    const previous = this.current()
    if (previous) this.callLogic(previous.logic, 'onHide')
    this.stack.push(page)
    this.callLogic(logic, 'onLoad', json(query))
    this.callLogic(logic, 'onShow')
    // onReady follows the first render, which the view does after the data onLoad set has crossed over.
    // (No settle() here: a navigation API is still pending while its page opens.)
    await new Promise((r) => setTimeout(r, 0))
    this.callLogic(logic, 'onReady')
    return page
  }

  /**
   * WeChat gives each tab page its own instance of the custom tab bar component (custom-tab-bar/index),
   * when app.json's tabBar is custom; other pages have none.
   */
  private customTabBar(route: string): PageView['tabBar'] {
    if (this.app.tabBar?.custom !== true || !this.tabPages().includes(route)) return undefined
    const view = jComponent.create(this.componentId('custom-tab-bar/index'))
    const container = jsdom.window.document.createElement('div')
    container.setAttribute('data-tab-bar', route)
    this.root.appendChild(container)
    view.attach(container)
    return { view, container }
  }

  closePage(page: PageView): void {
    this.callLogic(page.logic, 'onUnload')
    page.view.detach()
    page.container.remove()
    page.tabBar?.view.detach()
    page.tabBar?.container.remove()
    const index = this.stack.indexOf(page)
    if (index >= 0) this.stack.splice(index, 1)
  }

  /** Lets pending microtasks, timers and HTTP calls finish: resolves once nothing changed for `quietMs`. */
  async settle(quietMs = 60, maxMs = 10_000): Promise<void> {
    const started = Date.now()
    let last = this.activity()
    let quietSince = Date.now()
    while (Date.now() - started < maxMs) {
      await new Promise((r) => setTimeout(r, 15))
      const now = this.activity()
      if (now !== last) {
        last = now
        quietSince = Date.now()
      } else if ((this.pendingRequests === 0 || this.gate) && Date.now() - quietSince >= quietMs) {
        return
      }
    }
  }

  pendingRequests = 0
  private gate: { promise: Promise<void>; release: () => void } | null = null

  /**
   * Holds every request to the server until the returned function is called (a slow network): what a
   * page shows while it waits (a button's spinner) can be looked at. Settling does not wait for held requests.
   */
  holdRequests(): () => Promise<void> {
    let release = () => undefined as void
    const promise = new Promise<void>((resolve) => (release = resolve))
    this.gate = { promise, release }
    return async () => {
      this.gate = null
      release()
      await this.settle()
    }
  }

  /** Resolves when requests may go (at once unless they are held). */
  async requestsMayGo(): Promise<void> {
    if (this.gate) await this.gate.promise
  }

  private activityCounter = 0
  touch(): void {
    this.activityCounter += 1
  }
  private activity(): string {
    return `${this.activityCounter}:${this.calls.length}:${this.pendingRequests}:${this.root.innerHTML.length}`
  }

  // -------------------------------------------------------------------------------------------------
  // What a person sees and does

  /** The current page's rendered element (jsdom). */
  screen(): HTMLElement {
    const page = this.current()
    if (!page) throw new Error('no page is open')
    return page.container
  }

  /** The text the current page shows. */
  text(): string {
    return this.screen().textContent ?? ''
  }

  /** The WXML attributes of a rendered element (what the template bound, e.g. placeholder, open-type). */
  attrs(element: Element): Record<string, unknown> {
    const node = (element as unknown as { __wxElement?: WxNode }).__wxElement
    // j-component keeps the names camelCased (openType); WXML writes them dashed (open-type): both are given.
    const dashed = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    return Object.fromEntries(
      (node?._vt?.attrs ?? []).flatMap((a) => [
        [a.name, a.value],
        [dashed(a.name), a.value],
      ]),
    )
  }

  /** Elements of the current page matching a CSS selector over the rendered tag names (view, button, input…). */
  all(selector: string): Element[] {
    return [...this.screen().querySelectorAll(selector)]
  }

  /**
   * The innermost element showing `text`: one whose whole text is `text` if there is one, else the first
   * (in the page's order) whose text contains it. Null if the page does not show it.
   */
  findText(text: string | RegExp, within: Element = this.screen()): Element | null {
    const matches = (el: Element) =>
      typeof text === 'string' ? (el.textContent ?? '').includes(text) : text.test(el.textContent ?? '')
    const innermost: Element[] = []
    const walk = (el: Element) => {
      const inner = [...el.children].filter(matches)
      if (inner.length === 0) innermost.push(el)
      else inner.forEach(walk)
    }
    if (matches(within)) walk(within)
    const exact = innermost.find((el) => typeof text === 'string' && (el.textContent ?? '').trim() === text)
    return exact ?? innermost[0] ?? null
  }

  /** Waits until the current page shows `text` (or `timeoutMs` passes: then throws with what it shows). */
  async waitForText(text: string | RegExp, timeoutMs = 10_000): Promise<Element> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.current() ? this.findText(text) : null
      if (found) return found
      if (Date.now() > deadline) {
        throw new Error(
          `page ${this.current()?.route ?? '(none)'} does not show ${String(text)}; it shows: ${this.current() ? this.text().slice(0, 600) : ''}`,
        )
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  /** Waits until `route` is the page on top. */
  async waitForPage(route: string, timeoutMs = 10_000): Promise<PageView> {
    const deadline = Date.now() + timeoutMs
    while (this.current()?.route !== route) {
      if (Date.now() > deadline)
        throw new Error(`expected page ${route}, the page on top is ${this.current()?.route ?? '(none)'}`)
      await new Promise((r) => setTimeout(r, 25))
    }
    await this.settle()
    return this.current()!
  }

  /** The WXML events bound on an element or an ancestor within its page (what a tap there can reach). */
  private boundEvents(element: Element, name: string): boolean {
    let node = (element as unknown as { __wxElement?: WxNode }).__wxElement ?? null
    while (node) {
      if (Object.values(node._vt?.event ?? {}).some((e) => e.name === name)) return true
      node = node.parentNode ?? node.ownerShadowRoot?.getHostNode() ?? null
    }
    return false
  }

  /**
   * Taps an element (or the innermost one showing `target`) with a real touchstart/touchend, which the
   * view turns into a tap as WeChat does. A tap that reaches no bound handler is a problem (and throws):
   * on a phone, nothing would happen.
   */
  async tap(target: string | RegExp | Element): Promise<void> {
    const element = typeof target === 'string' || target instanceof RegExp ? await this.waitForText(target) : target
    if (!this.boundEvents(element, 'tap')) {
      const message = `tap on "${(element.textContent ?? '').slice(0, 40)}" reaches no handler`
      this.problem('template', message)
      throw new Error(message)
    }
    const window = jsdom.window as unknown as { TouchEvent: new (type: string, init: Record<string, unknown>) => Event }
    const point = { identifier: 1, target: element, clientX: 10, clientY: 10, pageX: 10, pageY: 10 }
    element.dispatchEvent(
      new window.TouchEvent('touchstart', {
        bubbles: true,
        cancelable: true,
        touches: [point],
        changedTouches: [point],
      }),
    )
    await new Promise((r) => setTimeout(r, 5))
    element.dispatchEvent(
      new window.TouchEvent('touchend', { bubbles: true, cancelable: true, touches: [], changedTouches: [point] }),
    )
    await this.settle()
    // A button's open-type is WeChat's own behaviour on that tap.
    const button = element.closest('button')
    const openType = button ? this.attrs(button)['open-type'] : undefined
    if (button && openType === 'agreePrivacyAuthorization') await this.fire(button, 'agreeprivacyauthorization', {})
  }

  /** Dispatches a component event WeChat's native component would fire (input, change, getphonenumber…). */
  async fire(element: Element, name: string, detail: Record<string, unknown>): Promise<void> {
    const node = (element as unknown as { __wxElement?: WxNode }).__wxElement
    if (!node) throw new Error('not a rendered WXML element')
    if (!this.boundEvents(element, name)) {
      const message = `"${name}" on <${element.tagName.toLowerCase()}> reaches no handler`
      this.problem('template', message)
      throw new Error(message)
    }
    exparser.Event.dispatchEvent(node, exparser.Event.create(name, detail, { bubbles: false, composed: false }))
    await this.settle()
  }

  /** Types into the input or textarea whose placeholder contains `placeholder` (or the element given). */
  async type(target: string | Element, value: string): Promise<void> {
    const element =
      typeof target === 'string'
        ? this.all('input, textarea').find((el) => String(this.attrs(el).placeholder ?? '').includes(target))
        : target
    if (!element) throw new Error(`no input with placeholder "${String(target)}" on ${this.current()?.route}`)
    await this.fire(element, 'focus', { value: '' }).catch(() => undefined)
    await this.fire(element, 'input', { value, cursor: value.length, keyCode: 0 })
    await this.fire(element, 'blur', { value }).catch(() => undefined)
  }

  /** The custom tab bar of the page in front (null on a page that is not a tab, or with WeChat's own bar). */
  tabBar(): HTMLElement | null {
    return this.current()?.tabBar?.container ?? null
  }

  /**
   * Taps an item of the tab bar: of the custom one as a person would (a real tap on its label), else of
   * WeChat's own (drawn by WeChat from app.json, not by the page).
   */
  async tapTab(text: string): Promise<void> {
    const bar = this.tabBar()
    if (this.app.tabBar?.custom === true) {
      const label = bar ? this.findText(text, bar) : null
      if (!label) throw new Error(`the page in front (${this.current()?.route}) shows no tab "${text}"`)
      await this.tap(label)
      return
    }
    const item = this.app.tabBar?.list.find((i) => i.text === text)
    if (!item) throw new Error(`the tab bar has no "${text}"`)
    await new Promise((resolve) => this.wx.switchTab!({ url: `/${item.pagePath}`, complete: resolve }))
    await this.settle()
  }

  /** The share card the current page gives WeChat (`onShareAppMessage`), as WeChat asks for it. */
  shareCard(from: 'menu' | 'button' = 'menu'): { title?: string; path?: string; imageUrl?: string } | undefined {
    const page = this.current()
    if (!page) throw new Error('no page is open')
    return json(
      this.callLogic(page.logic, 'onShareAppMessage', { from }) as { title?: string; path?: string } | undefined,
    )
  }

  /** Closes the mini-program: unloads every page, stops its timers. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const page of [...this.stack].reverse()) this.closePage(page)
    for (const id of this.timers) clearTimeout(id)
    for (const id of this.intervals) clearInterval(id)
    this.root.remove()
    if (rendering === this) rendering = null
    process.off('unhandledRejection', this.onRejection)
  }
}

function allFunctions(config: Config): [string, AnyFn][] {
  return Object.entries(config).filter((entry): entry is [string, AnyFn] => typeof entry[1] === 'function')
}

export function describe(value: unknown): string {
  if (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && 'stack' in value && 'message' in value)
  ) {
    const error = value as Error
    return `${error.message}\n${(error.stack ?? '').split('\n').slice(1, 4).join('\n')}`
  }
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}
