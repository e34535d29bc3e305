/**
 * checkPackage (toolchain.ts) fails on a broken build: each test copies the production weapp output to a
 * temporary folder, breaks the copy in one way, and expects a problem that names the rule and the file.
 * The first test shows that an unbroken copy passes, so every failure below comes from its one change.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { checkPackage, type Problem } from './toolchain'
import { filesOf, weappDir } from './wechat-compilers'

interface App {
  pages: string[]
  subPackages: { root: string; pages: string[] }[]
  tabBar: { custom?: boolean; list: { pagePath: string }[] }
  requiredPrivateInfos?: string[]
}

const temps: string[] = []
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A copy of the output at <tmp>/weapp, with a project.config.json beside it that points at it. */
function copy(): { dir: string; projectDir: string; app: App } {
  const projectDir = mkdtempSync(path.join(tmpdir(), 'liren-weapp-'))
  temps.push(projectDir)
  const dir = path.join(projectDir, 'weapp')
  cpSync(weappDir, dir, { recursive: true })
  writeFileSync(
    path.join(projectDir, 'project.config.json'),
    JSON.stringify({ miniprogramRoot: 'weapp/', compileType: 'miniprogram', appid: 'touristappid' }),
  )
  return { dir, projectDir, app: JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8')) as App }
}

/** The entry at `index` (negative counts from the end), which the output must have. */
function nth<T>(list: T[], index: number): T {
  const item = list.at(index)
  if (item === undefined) throw new Error(`the weapp output has no entry ${index} here`)
  return item
}

const writeApp = (dir: string, app: App) => writeFileSync(path.join(dir, 'app.json'), JSON.stringify(app))
const edit = (dir: string, file: string, change: (source: string) => string) => {
  const full = path.join(dir, file)
  const before = readFileSync(full, 'utf8')
  const after = change(before)
  expect(after, `the edit of ${file} changed nothing`).not.toBe(before)
  writeFileSync(full, after)
}

/** The problems of the copy, printed when the expectation fails. */
function check(dir: string, projectDir?: string): Problem[] {
  return checkPackage(dir, projectDir === undefined ? {} : { projectDir })
}

function expectProblem(problems: Problem[], rule: string, file: string, message?: RegExp): void {
  const found = problems.some(
    (p) => p.rule === rule && p.file === file && (message === undefined || message.test(p.message)),
  )
  expect(
    found,
    `expected [${rule}] on ${file}; got:\n${problems.map((p) => `${p.file} [${p.rule}] ${p.message}`).join('\n')}`,
  ).toBe(true)
}

describe('a broken weapp output fails the toolchain check', () => {
  test('an unbroken copy passes (so each failure below comes from its one change)', () => {
    const { dir, projectDir } = copy()
    expect(check(dir, projectDir)).toEqual([])
  })

  test('bad WXML: an unclosed tag fails wcc, and the page is named', () => {
    const { dir, app } = copy()
    const page = nth(app.pages, -1)
    edit(dir, `${page}.wxml`, (s) => `<view class="broken">\n${s}`)
    expectProblem(check(dir), 'wxml-compile', `${page}.wxml`, /end tag missing/)
  })

  test('bad WXSS: an unbalanced brace fails wcsc, and the file is named', () => {
    const { dir, app } = copy()
    const sub = nth(app.subPackages, -1)
    const file = `${sub.root}/${nth(sub.pages, 0)}.wxss`
    appendFileSync(path.join(dir, file), '\n.broken { color: red;\n')
    expectProblem(check(dir), 'wxss-compile', file)
  })

  test('a page listed in app.json with no files', () => {
    const { dir, app } = copy()
    writeApp(dir, { ...app, pages: [...app.pages, 'pages/ghost/index'] })
    const problems = check(dir)
    for (const ext of ['.js', '.json', '.wxml']) expectProblem(problems, 'page-files', `pages/ghost/index${ext}`)
  })

  test('a missing <import src> target (which wcc itself lets through)', () => {
    const { dir, app } = copy()
    const page = nth(app.pages, 1)
    edit(dir, `${page}.wxml`, (s) => s.replace(/base\.wxml/, 'gone.wxml'))
    expectProblem(check(dir), 'wxml-reference', `${page}.wxml`, /gone\.wxml/)
  })

  test('a JS syntax error', () => {
    const { dir, app } = copy()
    const sub = nth(app.subPackages, 0)
    const file = `${sub.root}/${nth(sub.pages, 0)}.js`
    appendFileSync(path.join(dir, file), '\nfunction broken( {\n')
    expectProblem(check(dir), 'js-parse', file)
  })

  test('a missing require target: a shared chunk of a subpackage is gone', () => {
    const { dir } = copy()
    const chunk = filesOf(dir, '.js').find((f) => /^packages\/[^/]+\/sub-vendors\.js$/.test(f))
    expect(chunk, 'a subpackage with a sub-vendors.js chunk').toBeDefined()
    const root = path.posix.dirname(chunk!)
    const users = filesOf(dir, '.js').filter(
      (f) =>
        f.startsWith(`${root}/`) && readFileSync(path.join(dir, f), 'utf8').includes('require("../sub-vendors.js")'),
    )
    expect(users.length).toBeGreaterThan(0)
    unlinkSync(path.join(dir, chunk!))
    const problems = check(dir)
    for (const file of users) expectProblem(problems, 'js-require', file, /sub-vendors\.js/)
  })

  test('a require of app.js that names no file', () => {
    const { dir } = copy()
    edit(dir, 'app.js', (s) => s.replace('require("./taro")', 'require("./taro-gone")'))
    expectProblem(check(dir), 'js-require', 'app.js', /taro-gone/)
  })

  test('a tabBar item pointing into a subpackage', () => {
    const { dir, app } = copy()
    const sub = nth(app.subPackages, 0)
    const list = app.tabBar.list.map((item, i) =>
      i === 0 ? { ...item, pagePath: `${sub.root}/${nth(sub.pages, 0)}` } : item,
    )
    writeApp(dir, { ...app, tabBar: { ...app.tabBar, list } })
    expectProblem(check(dir), 'tabbar', 'app.json', /main package/)
  })

  test('a custom tab bar without its component', () => {
    const { dir, app } = copy()
    expect(app.tabBar.custom).toBe(true)
    unlinkSync(path.join(dir, 'custom-tab-bar/index.wxml'))
    expectProblem(check(dir), 'tabbar', 'app.json', /custom-tab-bar\/index\.wxml is missing/)
  })

  test('a page json using a component that does not exist', () => {
    const { dir, app } = copy()
    const file = `${nth(app.pages, 0)}.json`
    const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { usingComponents?: Record<string, string> }
    writeFileSync(
      path.join(dir, file),
      JSON.stringify({ ...json, usingComponents: { ...json.usingComponents, fancy: '../../components/fancy/index' } }),
    )
    expectProblem(check(dir), 'using-components', file, /fancy/)
  })

  test('an oversized main package (a 2 MB file beside app.js)', () => {
    const { dir } = copy()
    writeFileSync(path.join(dir, 'assets', 'huge.png'), Buffer.alloc(2 * 1024 * 1024, 1))
    expectProblem(check(dir), 'size-main', '.', /assets\/huge\.png/)
  })

  test('an oversized subpackage (over 2 MB)', () => {
    const { dir, app } = copy()
    const root = nth(app.subPackages, 0).root
    writeFileSync(path.join(dir, root, 'huge.png'), Buffer.alloc(2 * 1024 * 1024 + 1, 1))
    expectProblem(check(dir), 'size-subpackage', `${root}/`)
  })

  test('chooseLocation called without requiredPrivateInfos', () => {
    const { dir, app } = copy()
    const callers = filesOf(dir, '.js').filter((f) =>
      /\.chooseLocation\s*\(/.test(readFileSync(path.join(dir, f), 'utf8')),
    )
    expect(callers.length, 'the output calls chooseLocation somewhere').toBeGreaterThan(0)
    const { requiredPrivateInfos, ...rest } = app
    expect(requiredPrivateInfos).toContain('chooseLocation')
    writeApp(dir, rest as App)
    const problems = check(dir)
    for (const file of callers) expectProblem(problems, 'required-private-infos', file, /chooseLocation/)
  })

  test('a subpackage page requiring a chunk of another subpackage', () => {
    const { dir, app } = copy()
    const a = nth(app.subPackages, 0)
    const b = nth(app.subPackages, 1)
    const target = filesOf(dir, '.js').find(
      (f) => f.startsWith(`${b.root}/`) && !b.pages.some((p) => f === `${b.root}/${p}.js`),
    )
    expect(target).toBeDefined()
    const file = `${a.root}/${nth(a.pages, 0)}.js`
    const relative = path.posix.relative(path.posix.dirname(file), target!)
    appendFileSync(path.join(dir, file), `\nrequire("${relative}");\n`)
    expectProblem(check(dir), 'cross-package', file, new RegExp(b.root))
  })

  test('a file type WeChat does not upload', () => {
    const { dir } = copy()
    writeFileSync(path.join(dir, 'assets', 'photo.webp'), 'RIFF')
    expectProblem(check(dir), 'file-types', 'assets/photo.webp')
  })

  test('project.config.json whose miniprogramRoot is not the built folder', () => {
    const { dir, projectDir } = copy()
    writeFileSync(
      path.join(projectDir, 'project.config.json'),
      JSON.stringify({ miniprogramRoot: 'dist/', compileType: 'miniprogram', appid: 'touristappid' }),
    )
    expectProblem(check(dir, projectDir), 'project-config', 'project.config.json', /miniprogramRoot/)
  })
})
