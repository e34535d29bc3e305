import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'

/**
 * Where stored files live, by key. The local directory is the default; an S3-compatible store can
 * replace it behind the same two calls (keys are content hashes, so a put of the same bytes is idempotent).
 */
export interface Storage {
  put(key: string, bytes: Buffer): Promise<void>
  /** The bytes, or null when there is no such file. */
  get(key: string): Promise<Buffer | null>
  /** Removes the file; nothing happens when there is none. */
  remove(key: string): Promise<void>
}

const SAFE_KEY = /^[a-z0-9][a-z0-9._-]{0,127}$/

export class LocalStorage implements Storage {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`unsafe storage key: ${key}`)
    // Two levels of fan-out keep directories small.
    return join(this.dir, key.slice(0, 2), key)
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key)
    await mkdir(dirname(path), { recursive: true })
    // Written aside, then renamed: a reader never sees half a file.
    const temp = `${path}.${randomUUID()}.tmp`
    await writeFile(temp, bytes)
    await rename(temp, path)
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }
}
