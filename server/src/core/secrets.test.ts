import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config.js'
import { Secrets, SecretError } from './secrets.js'

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64')
const k1 = { id: 'k1', key: key(1) }
const k2 = { id: 'k2', key: key(2) }

/** The value with one character of part `i` (0 version … 4 ciphertext) changed. */
function tamper(sealed: string, i: number): string {
  const parts = sealed.split('.')
  const p = parts[i]!
  parts[i] = (p[0] === 'A' ? 'B' : 'A') + p.slice(1)
  return parts.join('.')
}

describe('Secrets', () => {
  it('encrypts to self-describing text that fits a VARCHAR(200), different every time', () => {
    const secrets = new Secrets([k1])
    const a = secrets.encrypt('13800138000')
    const b = secrets.encrypt('13800138000')
    expect(a).toMatch(/^v1\.k1\.[\w-]{16}\.[\w-]{22}\.[\w-]{15}$/)
    expect(a).not.toBe(b)
    expect(secrets.decrypt(a)).toBe('13800138000')
    expect(secrets.decrypt(b)).toBe('13800138000')
    expect(secrets.encrypt(null)).toBeNull()
    expect(secrets.decrypt(null)).toBeNull()
    const longest = new Secrets([{ id: 'x'.repeat(16), key: key(3) }]).encrypt('+86 0571-8800123456')
    expect(longest.length).toBeLessThanOrEqual(200)
  })

  it('decrypts under any of its keys and encrypts under the first', () => {
    const old = new Secrets([k1]).encrypt('0571-88001234')
    const rotated = new Secrets([k2, k1])
    expect(rotated.decrypt(old)).toBe('0571-88001234')
    expect(rotated.isCurrent(old)).toBe(false)
    expect(rotated.isCurrent(rotated.encrypt('x'))).toBe(true)
    expect(rotated.isEncrypted(old)).toBe(true)
    expect(rotated.isEncrypted('13800138000')).toBe(false)
  })

  it('throws on a tampered value, an unknown key, a wrong key or plaintext; never returns garbage', () => {
    const secrets = new Secrets([k1, k2])
    const sealed = secrets.encrypt('13800138000')
    for (const part of [2, 3, 4])
      expect(() => secrets.decrypt(tamper(sealed, part)), `part ${part}`).toThrow(SecretError)
    expect(() => secrets.decrypt(tamper(sealed, 4))).toThrow(/altered/)
    // The key id is authenticated too: relabelled as another key we have, it does not decrypt.
    expect(() => secrets.decrypt(sealed.replace('v1.k1.', 'v1.k2.'))).toThrow(/altered/)
    expect(() => secrets.decrypt(sealed.replace('v1.k1.', 'v1.k9.'))).toThrow(/unknown data key "k9"/)
    expect(() => new Secrets([k2]).decrypt(sealed)).toThrow(/unknown data key "k1"/)
    // Same id, another key (a mistyped DATA_KEYS).
    expect(() => new Secrets([{ id: 'k1', key: key(9) }]).decrypt(sealed)).toThrow(/altered or the key is not/)
    // A shortened tag, a missing part, a plaintext leftover.
    const parts = sealed.split('.')
    expect(() => secrets.decrypt([...parts.slice(0, 3), parts[3]!.slice(0, 8), parts[4]].join('.'))).toThrow(
      /ciphertext format/,
    )
    expect(() => secrets.decrypt(parts.slice(0, 4).join('.'))).toThrow(/ciphertext format/)
    expect(() => secrets.decrypt('13800138000')).toThrow(/ciphertext format/)
  })

  it('refuses keys that are not 32 bytes, ids it cannot write, and the same id twice', () => {
    expect(() => new Secrets([{ id: 'k1', key: Buffer.alloc(16).toString('base64') }])).toThrow(/32 bytes/)
    expect(() => new Secrets([{ id: 'k.1', key: key(1) }])).toThrow(SecretError)
    expect(() => new Secrets([k1, k1])).toThrow(/twice/)
    expect(() => new Secrets([])).toThrow(SecretError)
  })
})

describe('DATA_KEYS', () => {
  const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), WECHAT_APPID: 'wx1', WECHAT_SECRET: 's' }

  it('is read as keyId:base64 entries, the current key first', () => {
    expect(loadConfig({ DATA_KEYS: `k2:${key(2)}, k1:${key(1)}` }).dataKeys).toEqual([k2, k1])
    expect(loadConfig({ ...prod, DATA_KEYS: `k1:${key(1)}` }).dataKeys).toEqual([k1])
  })

  it('has a labelled development key outside production only', () => {
    expect(loadConfig({}).dataKeys.map((k) => k.id)).toEqual(['dev'])
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(16) }).dataKeys.map((k) => k.id)).toEqual(['dev'])
    expect(() => loadConfig(prod)).toThrow(/DATA_KEYS is required in production/)
    const devKey = loadConfig({}).dataKeys[0]!.key
    expect(() => loadConfig({ ...prod, DATA_KEYS: `dev:${devKey}` })).toThrow(/development key/)
    expect(() => loadConfig({ ...prod, DATA_KEYS: `k1:${devKey}` })).toThrow(/development key/)
  })

  it('names DATA_KEYS when it is wrong', () => {
    for (const bad of [
      'k1',
      `k1:${Buffer.alloc(31).toString('base64')}`,
      'k1:not base64!',
      `k1:${key(1)},k1:${key(2)}`,
      `k.1:${key(1)}`,
      `k1:${key(1)},`,
    ]) {
      expect(() => loadConfig({ DATA_KEYS: bad }), bad).toThrow(/DATA_KEYS/)
    }
  })
})
