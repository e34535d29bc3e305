import { startWechatMock } from './server.js'

const mock = await startWechatMock(
  {
    appid: process.env.WECHAT_APPID ?? 'wx-liren-dev',
    secret: process.env.WECHAT_SECRET ?? 'liren-dev-wechat-secret',
  },
  Number(process.env.MOCK_WECHAT_PORT ?? 3100),
)
console.log(`WeChat API mock listening at ${mock.url}`)
const stop = () => void mock.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
