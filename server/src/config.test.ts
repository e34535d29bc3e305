import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig', () => {
  it('has development defaults', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ nodeEnv: 'development', port: 3000, databaseUrl: 'mysql://root@127.0.0.1:3306/liren', seedDemo: true })
    expect(c.wechat.apiBase).toBeNull()
  })

  it('requires secrets outside development', () => {
    expect(() => loadConfig({ NODE_ENV: 'test' })).toThrow(/JWT_SECRET/)
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(/WECHAT_APPID/)
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' })).toThrow(/DATA_KEYS/)
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), WECHAT_APPID: 'wx1', WECHAT_SECRET: 's', DATA_KEYS: `k1:${'A'.repeat(43)}=` })
    expect(prod.wechat.apiBase).toBe('https://api.weixin.qq.com')
    expect(prod.seedDemo).toBe(false)
  })

  it('names the setting at fault', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/)
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/databaseUrl/)
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/jwtSecret/)
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/)
  })
})
