import { createHash } from 'node:crypto'
import { ErrorCode, type Photo } from '@liren/shared/contracts'
import dayjs from 'dayjs'
import { and, eq, inArray, isNull, lt } from 'drizzle-orm'
import sharp from 'sharp'
import { affectedRows, type Db, type Tx } from './db.js'
import { AppError } from './errors.js'
import type { Storage } from './storage.js'
import { photos } from './tables.js'

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024
/** Larger pictures are refused before decoding (a decompression bomb is small on the wire). */
const MAX_PIXELS = 40_000_000
const LONG_EDGE = 2048
const THUMB_EDGE = 360

/** What the bytes are, from their first bytes (never from the file name or the declared type). */
export function sniffImage(bytes: Buffer): 'jpeg' | 'png' | 'webp' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png'
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'webp'
  return null
}

const unsupported = () =>
  new AppError(400, ErrorCode.UNSUPPORTED_FILE, '只能上传照片（JPG、PNG 或 WebP）', [
    { field: 'file', message: '不是照片' },
  ])

export const photoUrls = (key: string): Photo => ({
  key,
  url: `/files/${key}.jpg`,
  thumbUrl: `/files/${key}-thumb.jpg`,
})

/**
 * Stores an uploaded photo: checks what it really is, decodes it within a pixel limit, turns it the
 * right way up, re-encodes it as JPEG without any metadata (EXIF, GPS included, is dropped) and makes a
 * thumbnail. The key is the hash of the stored bytes, so the same photo twice is one file. The original
 * is never kept.
 */
export async function storePhoto(storage: Storage, bytes: Buffer): Promise<Photo> {
  if (bytes.length > MAX_PHOTO_BYTES)
    throw new AppError(413, ErrorCode.FILE_TOO_LARGE, '照片太大了，请小于 10 MB', [
      { field: 'file', message: '超过 10 MB' },
    ])
  if (!sniffImage(bytes)) throw unsupported()
  let full: Buffer
  let thumb: Buffer
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate()
    full = await image
      .clone()
      .resize(LONG_EDGE, LONG_EDGE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer()
    thumb = await image.clone().resize(THUMB_EDGE, THUMB_EDGE, { fit: 'cover' }).jpeg({ quality: 75 }).toBuffer()
  } catch {
    throw unsupported()
  }
  const key = createHash('sha256').update(full).digest('hex')
  await Promise.all([storage.put(`${key}.jpg`, full), storage.put(`${key}-thumb.jpg`, thumb)])
  return photoUrls(key)
}

/**
 * Photos a report or an award refers to: each must have been uploaded, and is marked as used so the
 * cleanup leaves it alone. `field` names the request field at fault when one is missing.
 */
export async function attachPhotos(tx: Tx, keys: readonly string[], field: string): Promise<void> {
  if (keys.length === 0) return
  const unique = [...new Set(keys)]
  const found = await tx.select({ key: photos.key }).from(photos).where(inArray(photos.key, unique))
  if (found.length !== unique.length)
    throw new AppError(400, ErrorCode.PHOTO_NOT_FOUND, '有照片没有上传成功，请重新上传', [
      { field, message: '照片不存在' },
    ])
  await tx
    .update(photos)
    .set({ attachedAt: new Date() })
    .where(and(inArray(photos.key, unique), isNull(photos.attachedAt)))
}

/** Photos uploaded but never used within a day are deleted (a rejected submit keeps nothing). */
export async function removeUnusedPhotos(db: Db, storage: Storage, now = new Date()): Promise<number> {
  const cutoff = dayjs(now).subtract(1, 'day').toDate()
  const stale = await db
    .select({ key: photos.key })
    .from(photos)
    .where(and(isNull(photos.attachedAt), lt(photos.createdAt, cutoff)))
    .limit(200)
  let removed = 0
  for (const { key } of stale) {
    const gone = await db.delete(photos).where(and(eq(photos.key, key), isNull(photos.attachedAt)))
    if (affectedRows(gone) !== 1) continue
    await storage.remove(`${key}.jpg`)
    await storage.remove(`${key}-thumb.jpg`)
    removed++
  }
  return removed
}
