import { Image, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { Photo } from '@liren/shared/contracts'
import { pickAndUploadPhotos } from '../lib/photos'
import { fileUrl } from '../services/http'
import './PhotoPicker.css'

/** Shows photos full screen, swiping through all of them. */
export function previewPhotos(photos: readonly Photo[], index: number): void {
  const urls = photos.map((p) => fileUrl(p.url))
  void Taro.previewImage({ urls, current: urls[index] }).catch(() => undefined)
}

/** Thumbnails of a set of photos; tap one to see it large. */
export function PhotoStrip({ photos, className }: { photos: readonly Photo[]; className?: string }) {
  if (!photos.length) return null
  return (
    <View className={`photo-picker ${className ?? ''}`}>
      {photos.map((photo, index) => (
        <Image
          key={photo.key}
          className='photo-picker__thumb'
          src={fileUrl(photo.thumbUrl)}
          mode='aspectFill'
          onClick={() => previewPhotos(photos, index)}
        />
      ))}
    </View>
  )
}

/** Up to `max` photos: add (taken or picked, shrunk and uploaded at once), see, remove. */
export function PhotoPicker(props: {
  villageId: number
  photos: Photo[]
  onChange: (photos: Photo[]) => void
  max?: number
  className?: string
}) {
  const max = props.max ?? 9
  const room = max - props.photos.length

  async function add() {
    const added = await pickAndUploadPhotos(props.villageId, room)
    if (added.length) props.onChange([...props.photos, ...added].slice(0, max))
  }

  return (
    <View className={`photo-picker ${props.className ?? ''}`}>
      {props.photos.map((photo, index) => (
        <View key={photo.key} className='photo-picker__item'>
          <Image
            className='photo-picker__thumb'
            src={fileUrl(photo.thumbUrl)}
            mode='aspectFill'
            onClick={() => previewPhotos(props.photos, index)}
          />
          <View
            className='photo-picker__remove'
            onClick={() => props.onChange(props.photos.filter((p) => p.key !== photo.key))}
          >
            删除
          </View>
        </View>
      ))}
      {room > 0 ? (
        <View className='photo-picker__add' onClick={add}>
          <View className='photo-picker__plus'>＋</View>
          <View>{props.photos.length ? '再加照片' : '加照片'}</View>
        </View>
      ) : null}
    </View>
  )
}
