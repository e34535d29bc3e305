import type { Photo } from '@liren/shared/contracts'
import { upload, type PickedFile, type RequestOptions } from './http'

/** Uploads one photo; a report or a points award then refers to it by `key`. */
export function uploadPhoto(villageId: number, file: PickedFile, handled?: RequestOptions['handled']): Promise<Photo> {
  return upload<Photo>(`/api/villages/${villageId}/photos`, file, { handled })
}
