import type { UserConfigExport } from '@tarojs/cli'

// The H5 dev server stands in for the API server's origin: pass API calls through to it.
const apiOrigin = process.env.TARO_APP_API_BASE || 'http://127.0.0.1:3000'

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  h5: {
    devServer: {
      host: '127.0.0.1',
      port: 10086,
      open: false,
      proxy: { '/api': { target: apiOrigin, changeOrigin: true } },
    },
  },
} satisfies UserConfigExport<'webpack5'>
