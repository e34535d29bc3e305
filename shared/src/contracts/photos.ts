import { Type, type Static } from 'typebox'

// ---- photos (上传照片): used by reports and by points' evidence ----
/** A stored photo: re-encoded without EXIF, with a thumbnail; `key` is what a report or an award refers to. */
export const Photo = Type.Object({ key: Type.String(), url: Type.String(), thumbUrl: Type.String() })
export type Photo = Static<typeof Photo>
export const PhotoKey = Type.String({ pattern: '^[a-f0-9]{64}$', title: '照片' })
export const PhotoKeys = Type.Array(PhotoKey, { maxItems: 9, title: '照片' })
