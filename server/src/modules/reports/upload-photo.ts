import type { Photo } from '@liren/shared/contracts'
import type { Actor } from '../../core/audit.js'
import type { Db } from '../../core/db.js'
import { storePhoto } from '../../core/photos.js'
import type { Storage } from '../../core/storage.js'
import { photos } from '../../core/tables.js'

/** Stores an uploaded photo and records it as not yet used: a submit attaches it, or the cleanup removes it. */
export async function uploadPhoto(db: Db, storage: Storage, actor: Actor, bytes: Buffer): Promise<Photo> {
  const photo = await storePhoto(storage, bytes)
  await db.insert(photos).ignore().values({ key: photo.key, uploadedBy: actor.userId })
  return photo
}
