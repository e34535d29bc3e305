import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** One data key from DATA_KEYS: an id written into every value it encrypts, and 32 bytes as base64. */
export interface DataKey {
  id: string
  key: string
}

/** What a key id may be: it is written into the ciphertext between dots. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/

/** A value that cannot be decrypted: not in the ciphertext format, under a key we do not have, or altered. */
export class SecretError extends Error {}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16
const B64URL = /^[A-Za-z0-9_-]*$/

/** Decodes a key's base64 to its 32 bytes; throws (naming the key) when it is not exactly that. */
export function keyBytes({ id, key }: DataKey): Buffer {
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(key) ? Buffer.from(key, 'base64') : Buffer.alloc(0)
  if (bytes.length !== 32)
    throw new SecretError(
      `data key "${id}" must be 32 bytes as base64 (e.g. \`openssl rand -base64 32\`), got ${bytes.length} bytes`,
    )
  return bytes
}

/**
 * Authenticated encryption (AES-256-GCM) of short personal values, such as phone numbers, before they
 * reach the database. The first key encrypts; the others only decrypt, so keys can be rotated
 * (see rotate-keys.ts). A value is self-describing text, `v1.<keyId>.<iv>.<tag>.<ciphertext>` in
 * base64url (an 11-digit phone takes 76 characters with a 16-character key id); the version and key id
 * are authenticated with it, so nothing of it can be changed unnoticed.
 */
export class Secrets {
  private readonly keys = new Map<string, Buffer>()
  readonly currentKeyId: string

  constructor(keys: readonly DataKey[]) {
    if (keys.length === 0) throw new SecretError('at least one data key is needed')
    for (const k of keys) {
      if (!KEY_ID.test(k.id))
        throw new SecretError(`data key id "${k.id}" may only have letters, digits, _ and - (at most 16)`)
      if (this.keys.has(k.id)) throw new SecretError(`data key id "${k.id}" is given twice`)
      this.keys.set(k.id, keyBytes(k))
    }
    this.currentKeyId = keys[0]!.id
  }

  /** Encrypts under the current key; a fresh random IV each time, so equal values never look equal. */
  encrypt(plain: string): string
  encrypt(plain: string | null): string | null
  encrypt(plain: string | null): string | null {
    if (plain === null) return null
    const header = `${VERSION}.${this.currentKeyId}`
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(header))
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return [header, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
      '.',
    )
  }

  /** The plain value; throws SecretError rather than return anything it cannot vouch for. */
  decrypt(sealed: string): string
  decrypt(sealed: string | null): string | null
  decrypt(sealed: string | null): string | null {
    if (sealed === null) return null
    const parts = parse(sealed)
    if (!parts)
      throw new SecretError(
        'cannot decrypt: the value is not in the ciphertext format (v1.<keyId>.<iv>.<tag>.<ciphertext>)',
      )
    const key = this.keys.get(parts.keyId)
    if (!key)
      throw new SecretError(
        `cannot decrypt: unknown data key "${parts.keyId}" (DATA_KEYS has ${[...this.keys.keys()].join(', ')})`,
      )
    const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(`${VERSION}.${parts.keyId}`))
    decipher.setAuthTag(parts.tag)
    try {
      return Buffer.concat([decipher.update(parts.ct), decipher.final()]).toString('utf8')
    } catch {
      throw new SecretError(
        `cannot decrypt: the value under data key "${parts.keyId}" was altered or the key is not the one it was encrypted with`,
      )
    }
  }

  /** Whether a stored value is in the ciphertext format at all (anything else is a plaintext leftover). */
  isEncrypted(value: string): boolean {
    return parse(value) !== null
  }

  /** Whether a stored value is encrypted under the current key (rotation leaves it alone). */
  isCurrent(value: string): boolean {
    return parse(value)?.keyId === this.currentKeyId
  }
}

function parse(value: string): { keyId: string; iv: Buffer; tag: Buffer; ct: Buffer } | null {
  const parts = value.split('.')
  if (parts.length !== 5) return null
  const [version, keyId, iv, tag, ct] = parts as [string, string, string, string, string]
  if (version !== VERSION || !KEY_ID.test(keyId) || ![iv, tag, ct].every((p) => B64URL.test(p))) return null
  const bytes = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    ct: Buffer.from(ct, 'base64url'),
  }
  return bytes.iv.length === IV_BYTES && bytes.tag.length === TAG_BYTES ? bytes : null
}
