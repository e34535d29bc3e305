/**
 * WeChat's toolchain accepts the production weapp output (client/dist/weapp, built by global-setup.ts):
 * every WXML and WXSS compiles with WeChat's own compilers, every reference resolves, every JS file
 * parses, and app.json, the page and component JSON, the file types and the package sizes obey WeChat's
 * rules. The rules and where they come from: toolchain.ts.
 */
import { describe, expect, test } from 'vitest'
import {
  checkPackage,
  MAIN_PACKAGE_LIMIT,
  packageSizes,
  repoDir,
  sizeLines,
  SUBPACKAGE_LIMIT,
  TOTAL_LIMIT,
} from './toolchain'
import { filesOf, weappDir } from './wechat-compilers'

describe('WeChat toolchain on the weapp output', () => {
  test('accepts the package: no problem under any rule', () => {
    const started = performance.now()
    const problems = checkPackage(weappDir, { projectDir: repoDir })
    const seconds = (performance.now() - started) / 1000
    const counts = ['.wxml', '.wxss', '.js', '.json'].map((ext) => `${filesOf(weappDir, ext).length} ${ext}`).join(', ')
    console.log(`checkPackage: ${seconds.toFixed(2)} s over ${counts}`)
    if (problems.length > 0) {
      console.log(problems.map((p) => `${p.file} [${p.rule}] ${p.message}`).join('\n'))
    }
    expect(problems).toEqual([])
  })

  test('each package within its size limit', () => {
    const sizes = packageSizes(weappDir)
    console.log(sizeLines(sizes).join('\n'))
    expect(sizes.main).toBeLessThanOrEqual(MAIN_PACKAGE_LIMIT)
    for (const sub of sizes.subpackages) expect(sub.bytes, sub.root).toBeLessThanOrEqual(SUBPACKAGE_LIMIT)
    expect(sizes.total).toBeLessThanOrEqual(TOTAL_LIMIT)
  })
})
