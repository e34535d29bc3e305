/**
 * NutUI's icons in the weapp output: every icon component the weapp JS contains, rendered by Taro's own
 * React reconciler and turned into the data Taro sends to WeChat (`hydrate`), must name a template that
 * WeChat's compiler (wcc) compiled from base.wxml, and that template must carry the icon's picture (the
 * SVG as a CSS mask in the node's style) into an attribute WeChat renders.
 *
 * Without this, NutUI draws icons as `<i>`: Taro asks WeChat for `tmpl_0_i`, which base.wxml lacks, and
 * the icon is simply missing (a Button's loading spinner, a Switch's spinner, an Input's clear cross).
 *
 * The icon components come from the built JS (vendors.js, common.js, run under node:vm; only the icon
 * modules and what they import are executed). The reconciler and `hydrate` are the @tarojs/react and
 * @tarojs/runtime packages the build bundles, loaded from node_modules with the weapp platform's
 * components merged in, as the weapp's taro.js does at launch.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileWxml, weappDir } from './wechat-compilers'

/** The icons our pages can show through NutUI: Button `loading`, Switch while its onChange runs, Input's clear cross. */
const ICONS_WE_USE = ['Loading', 'Loading1', 'MaskClose']

interface HydratedNode {
  nn: string
  cl?: string
  st?: string
  cn: HydratedNode[]
}

interface RenderedIcon {
  name: string
  node: HydratedNode
}

/** Loads the weapp's JS chunks into a sandbox and returns its webpack `require`. */
function loadWeappModules(): { m: Record<string, () => void>; (id: string): Record<string, unknown> } {
  const sandbox = vm.createContext({ wx: {}, console, setTimeout, clearTimeout })
  for (const file of ['runtime.js', 'taro.js', 'vendors.js', 'common.js']) {
    vm.runInContext(readFileSync(path.join(weappDir, file), 'utf8'), sandbox, { filename: file })
  }
  let webpackRequire: ReturnType<typeof loadWeappModules> | undefined
  // A chunk's third element is called with the runtime's require once the chunk is registered.
  ;(sandbox.wx as { webpackJsonp: unknown[] }).webpackJsonp.push([
    [-1],
    {},
    (req: typeof webpackRequire) => (webpackRequire = req),
  ])
  if (!webpackRequire) throw new Error('runtime.js did not take the chunk')
  return webpackRequire
}

/** Every icon component of the weapp JS, rendered alone with default props, as Taro would send it to WeChat. */
async function renderWeappIcons(): Promise<RenderedIcon[]> {
  process.env.TARO_ENV = 'weapp'
  process.env.TARO_PLATFORM = 'mini'
  const globals = globalThis as Record<string, unknown>
  globals.wx = {}
  // Build-time switches Taro's runtime reads; none of them concerns rendering a plain element.
  for (const name of [
    'INNER_HTML',
    'ADJACENT_HTML',
    'SIZE_APIS',
    'TEMPLATE_CONTENT',
    'CLONE_NODE',
    'CONTAINS',
    'MUTATION_OBSERVER',
  ]) {
    globals[`ENABLE_${name}`] = false
  }
  await import('@tarojs/plugin-platform-weapp/dist/runtime.js')
  const { document, hydrate } = (await import('@tarojs/runtime')) as unknown as {
    document: { createElement(name: string): unknown }
    hydrate(node: unknown): HydratedNode
  }
  const { render } = (await import('@tarojs/react')) as unknown as {
    render(element: unknown, container: unknown, done: () => void): void
  }
  const React = await import('react')

  const req = loadWeappModules()
  const iconModules = Object.keys(req.m).filter((id) => String(req.m[id]).includes('svg64:"data:image/svg+xml'))
  const icons: RenderedIcon[] = []
  for (const id of iconModules) {
    for (const component of Object.values(req(id))) {
      if (typeof component !== 'function') continue
      const container = document.createElement('view')
      await new Promise<void>((done) => render(React.createElement(component as React.FC), container, done))
      const [node] = hydrate(container).cn
      const name = /\bnut-icon-(\w+)\b/.exec(node?.cl ?? '')?.[1]
      if (node && name) icons.push({ name, node })
    }
  }
  return icons
}

/** Template names base.wxml defines, read from wcc's compiled output (what WeChat will look up). */
function compiledBaseTemplates(): Set<string> {
  const compiled = compileWxml()
  if (!compiled.ok) throw new Error(`wcc failed: ${compiled.error}`)
  const list = /var x=\[([^\]]*)\]/.exec(compiled.output)?.[1] ?? ''
  const files = list.split(',').map((f) => f.trim().replace(/^'|'$/g, ''))
  // wcc lists each file by its own path first, then as other files import it ('./base.wxml', ...).
  const base = files.indexOf('base.wxml')
  if (base < 0) throw new Error('wcc output does not name base.wxml')
  const names = new Set<string>()
  for (const [, file, name] of compiled.output.matchAll(/d_\[x\[(\d+)\]\]\["([^"]+)"\]=function/g)) {
    if (Number(file) === base && name) names.add(name)
  }
  return names
}

/** The template name base.wxml's `<template is="{{xs.a(depth, nn, l)}}">` picks, by Taro's own utils.wxs. */
function templateChooser(): (depth: number, nn: string) => string {
  const module = { exports: {} as { a(depth: number, nn: string, l: string): string } }
  vm.runInNewContext(readFileSync(path.join(weappDir, 'utils.wxs'), 'utf8'), { module })
  return (depth, nn) => module.exports.a(depth, nn, '')
}

/** The attributes of a template's root element in base.wxml. */
function rootElement(baseWxml: string, template: string): { tag: string; attributes: string } | null {
  const match = new RegExp(`<template name="${template}">\\s*<([\\w-]+)([^>]*)>`).exec(baseWxml)
  return match ? { tag: match[1] ?? '', attributes: match[2] ?? '' } : null
}

describe('NutUI icons in the weapp output', () => {
  let icons: RenderedIcon[]
  let templates: Set<string>
  let chooseTemplate: (depth: number, nn: string) => string
  let baseWxml: string

  beforeAll(async () => {
    icons = await renderWeappIcons()
    templates = compiledBaseTemplates()
    chooseTemplate = templateChooser()
    baseWxml = readFileSync(path.join(weappDir, 'base.wxml'), 'utf8')
  })

  it('contains the icons our NutUI components draw', () => {
    const names = icons.map((icon) => icon.name)
    expect(names).toEqual(expect.arrayContaining(ICONS_WE_USE))
  })

  it('renders every icon through a template WeChat compiled, at every nesting depth', () => {
    const missing = new Set<string>()
    for (const { name, node } of icons) {
      // Taro's base.wxml nests templates by depth (0-14; deeper nodes restart in a custom component).
      for (let depth = 0; depth < 15; depth++) {
        const template = chooseTemplate(depth, node.nn)
        if (!templates.has(template)) missing.add(`${name}: ${template}`)
      }
    }
    expect([...missing]).toEqual([])
  })

  it("carries each icon's picture and classes into the rendered element's style and class", () => {
    for (const { name, node } of icons) {
      // The picture is NutUI's inline SVG, used as a mask over the text colour.
      expect(node.st, name).toMatch(/(^|\s)mask: url\('data:image\/svg\+xml;base64,[A-Za-z0-9+/=]{40,}'\)/)
      expect(node.st, name).toMatch(/-webkit-mask: url\('data:image\/svg\+xml;base64,/)
      expect(node.st, name).toContain('background-color: currentColor')
      expect(node.cl, name).toContain('nut-icon')
      const root = rootElement(baseWxml, chooseTemplate(0, node.nn))
      expect(root, name).not.toBeNull()
      expect(root?.tag, name).toBe('view')
      expect(root?.attributes, name).toContain('style="{{i.st}}"')
      expect(root?.attributes, name).toContain('class="{{i.cl}}"')
    }
  })
})
