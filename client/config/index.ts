import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

// The workspace package @liren/shared is TypeScript source: Taro must compile it like our own code.
const sharedSrc = path.resolve(__dirname, '../../shared/src')

// shared imports its siblings as './x.js' (NodeNext style) while the files are .ts.
// Taro's webpack-chain predates `extensionAlias`, hence the plain set().
function resolveSharedImports(chain: { resolve: { set: (key: string, value: unknown) => unknown } }) {
  chain.resolve.set('extensionAlias', { '.js': ['.ts', '.js'] })
}

// NutUI's icons are <i> elements, which Taro's weapp templates cannot render: in the weapp build their
// settings module resolves to ours, which draws them as views (src/lib/nutui-icon-config.ts).
const nutuiIconSettings = path.join(
  path.dirname(require.resolve('@nutui/icons-react-taro/package.json')),
  'dist/es/icons/internal.js',
)
function drawNutuiIconsAsViews(chain: { resolve: { alias: { set: (key: string, value: string) => unknown } } }) {
  chain.resolve.alias.set(nutuiIconSettings, path.resolve(__dirname, '../src/lib/nutui-icon-config.ts'))
}

// NutUI is drawn at 375 px; our own styles at 750 px.
function designWidth(input?: string | number | { file?: string }): number {
  const file = typeof input === 'object' && input ? (input.file ?? '') : ''
  return file.replace(/\\+/g, '/').includes('@nutui/') ? 375 : 750
}

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'liren',
    designWidth,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    // npm nests this package under client/ (its optional vite peer), where Taro's runtime packages
    // at the root cannot see it.
    alias: {
      '@tarojs/plugin-framework-react': path.resolve(__dirname, '../node_modules/@tarojs/plugin-framework-react'),
    },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    // Map markers name their image by path (an imported image would be inlined as data, which maps refuse).
    copy: { patterns: [{ from: 'src/assets/map/', to: `dist/${process.env.TARO_ENV}/assets/map/` }], options: {} },
    framework: 'react',
    compiler: {
      type: 'webpack5',
      // Prebundling NutUI puts all of it in one chunk and breaks WeChat's 2 MB package limit.
      prebundle: { exclude: ['@nutui/nutui-react-taro', '@nutui/icons-react-taro'] },
    },
    // No persistent webpack cache: with it, a module whose exports grew kept its old export list in a
    // subpackage's shared chunk (sub-common), and the weapp called functions that were not there (found by
    // the weapp tests on 2026-12-06; a clean build was right). A clean weapp build takes ~50 s here.
    cache: { enable: false },
    mini: {
      compile: { include: [sharedSrc] },
      // NutUI components import their CSS in different orders; the rules do not overlap.
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        resolveSharedImports(chain)
        drawNutuiIconsAsViews(chain)
      },
    },
    h5: {
      publicPath: './',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedSrc] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        resolveSharedImports(chain)
        // Taro splits only initial chunks, so every lazily loaded page carried its own copy of
        // NutUI and the Taro components; sharing them across pages roughly halves the H5 total.
        chain.optimization.splitChunks({ ...chain.optimization.get('splitChunks'), chunks: 'all' })
        // webpack's 244 KiB hint only adds noise here; the budget that matters, WeChat's, is
        // checked by weapp-test/toolchain.ts (the size rules).
        chain.performance.hints(false)
      },
    },
  }
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig)
  return merge({}, baseConfig, prodConfig)
})
