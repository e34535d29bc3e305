import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig', () => {
  it('has development defaults', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'mysql://root@127.0.0.1:3306/liren',
      seedDemo: true,
    })
    expect(c.wechat.apiBase).toBeNull()
  })

  it('requires secrets outside development', () => {
    expect(() => loadConfig({ NODE_ENV: 'test' })).toThrow(/JWT_SECRET/)
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(/WECHAT_APPID/)
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' }),
    ).toThrow(/DATA_KEYS/)
    const prod = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      WECHAT_APPID: 'wx1',
      WECHAT_SECRET: 's',
      DATA_KEYS: `k1:${'A'.repeat(43)}=`,
    })
    expect(prod.wechat.apiBase).toBe('https://api.weixin.qq.com')
    expect(prod.seedDemo).toBe(false)
  })

  it('refuses the development secrets in production, even when set explicitly, and a JWT secret too short to be one', () => {
    const prod = {
      NODE_ENV: 'production',
      WECHAT_APPID: 'wx1',
      WECHAT_SECRET: 's',
      DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    }
    expect(loadConfig({ ...prod, JWT_SECRET: 'p'.repeat(32) }).jwtSecret).toBe('p'.repeat(32))
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'liren-development-secret-not-for-production' })).toThrow(
      /JWT_SECRET must not be the development secret/,
    )
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'test-secret-test-secret' })).toThrow(ConfigError)
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'p'.repeat(31) })).toThrow(
      /JWT_SECRET must be at least 32 characters in production, got 31/,
    )
    // The public development data key, however it is written: its id, its base64, base64url or without padding, under any id.
    const devKey = Buffer.from('liren-dev-data-key-NOT-A-SECRET!')
    for (const written of [
      `dev:${Buffer.alloc(32, 7).toString('base64')}`,
      `k1:${devKey.toString('base64')}`,
      `k1:${devKey.toString('base64').replace(/=+$/, '')}`,
      `k1:${devKey.toString('base64url')}`,
      `k2:${Buffer.alloc(32, 7).toString('base64')},old:${devKey.toString('base64url')}`,
    ]) {
      expect(() => loadConfig({ ...prod, JWT_SECRET: 'p'.repeat(32), DATA_KEYS: written }), written).toThrow(
        /DATA_KEYS must not use the development key in production/,
      )
    }
    // Development and tests keep their shorter, public secrets.
    expect(loadConfig({}).jwtSecret).toBe('liren-development-secret-not-for-production')
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret' }).jwtSecret).toBe(
      'test-secret-test-secret',
    )
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
