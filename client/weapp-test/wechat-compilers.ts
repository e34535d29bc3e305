/**
 * WeChat's own WXML and WXSS compilers (wcc and wcsc from `miniprogram-compiler`), run on a weapp output
 * folder. The binaries install without the exec bit, and the package's `wxssToJs` returns its error
 * instead of throwing: so both are spawned here directly and their exit status is what counts.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** The production weapp output that `npm start` builds and WeChat DevTools opens. */
export const weappDir = path.join(clientDir, 'dist', 'weapp')

const compilerDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('miniprogram-compiler/package.json')),
  'bin',
  'linux',
)

function binary(name: 'wcc' | 'wcsc'): string {
  const file = path.join(compilerDir, name)
  chmodSync(file, 0o755)
  return file
}

/** Every file under `dir` whose name ends with `ext`, as paths relative to `dir` with forward slashes. */
export function filesOf(dir: string, ext: string): string[] {
  const found: string[] = []
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel)
      else if (rel.endsWith(ext)) found.push(rel)
    }
  }
  walk('')
  return found.sort()
}

export interface CompileResult {
  ok: boolean
  /** wcc: JavaScript source defining `$gwx`; wcsc: its `name=code` output. */
  output: string
  error: string
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    return null
  }
}

/**
 * Compiles every WXML (and WXS) file of `dir` with wcc, as WeChat DevTools does: one run over the whole
 * package, custom components declared per file. The output defines `$gwx(path)`, which returns a page's
 * render function.
 */
export function compileWxml(dir: string = weappDir): CompileResult {
  const wxml = filesOf(dir, '.wxml')
  const wxs = filesOf(dir, '.wxs')
  const components: string[] = []
  let declaring = 0
  for (const file of wxml) {
    const json = readJson(path.join(dir, file.replace(/\.wxml$/, '.json')))
    const using = json?.usingComponents as Record<string, string> | undefined
    if (using && Object.keys(using).length > 0) {
      declaring += 1
      components.push(file, String(Object.keys(using).length), ...Object.keys(using))
    }
  }
  const componentArg = [String(declaring), ...components].join(' ')
  return runCompiler('wcc', ['-d', '-cc', componentArg, ...wxml, ...wxs, '-gn', '$gwx'], dir)
}

/**
 * Compiles every WXSS file of `dir` with wcsc in one run (a file's `@import` targets must be in the same
 * run), page and component styles first, as WeChat DevTools orders them.
 */
export function compileWxss(dir: string = weappDir): CompileResult {
  const files = filesOf(dir, '.wxss')
  const withJson = files.filter((f) => readJson(path.join(dir, f.replace(/\.wxss$/, '.json'))) !== null)
  const others = files.filter((f) => !withJson.includes(f))
  return runCompiler('wcsc', ['-db', '-pc', String(withJson.length), ...withJson, ...others], dir)
}

/** Runs one of WeChat's compilers in `dir`; its output is the compiled code, however large. */
function runCompiler(compiler: 'wcc' | 'wcsc', args: string[], dir: string): CompileResult {
  const result = spawnSync(binary(compiler), args, { cwd: dir, maxBuffer: 256 * 1024 * 1024 })
  return {
    ok: result.status === 0,
    output: result.stdout.toString(),
    error: result.stderr.toString() || (result.error?.message ?? ''),
  }
}
