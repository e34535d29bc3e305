import Taro from '@tarojs/taro'
import type { Photo } from '@liren/shared/contracts'
import type { PickedFile } from '../services/http'
import { uploadPhoto } from '../services/photos'

/** Photos are shrunk on the phone to this many pixels on the longer side before they are sent. */
const MAX_SIDE = 1600
const isH5 = process.env.TARO_ENV === 'h5'

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image()
    image.onload = () => resolve(image)
    image.onerror = reject
    image.src = src
  })
}

/** H5: redraws the picture as a JPEG of at most MAX_SIDE pixels; the original when the browser cannot. */
async function shrinkInBrowser(file: File, src: string): Promise<Blob> {
  try {
    const image = await loadImage(src)
    const scale = Math.min(1, MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight))
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(image.naturalWidth * scale)
    canvas.height = Math.round(image.naturalHeight * scale)
    const context = canvas.getContext('2d')
    if (!context) return file
    context.drawImage(image, 0, 0, canvas.width, canvas.height)
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8))
    return blob && blob.size < file.size ? blob : file
  } catch {
    return file
  }
}

/** Mini-program: WeChat's own compression, scaled down to MAX_SIDE on the longer side. */
async function shrinkInWeapp(path: string): Promise<string> {
  try {
    const { width, height } = await Taro.getImageInfo({ src: path })
    const size =
      width >= height
        ? { compressedWidth: Math.min(width, MAX_SIDE) }
        : { compressedHeight: Math.min(height, MAX_SIDE) }
    return (await Taro.compressImage({ src: path, quality: 80, ...size })).tempFilePath
  } catch {
    return path
  }
}

/** A photo the person picked: its temporary path, size, and in H5 the browser's file. */
interface Picked {
  path: string
  size: number
  file?: File
}

/**
 * The picker: WeChat's chooseMedia in the mini-program (WeChat no longer maintains chooseImage there);
 * in H5 the browser's own file dialog, which offers the camera too. Rejects when the person closes it.
 */
async function pickPhotos(count: number): Promise<Picked[]> {
  if (isH5) {
    const picked = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album'] })
    return picked.tempFiles.map((f) => ({
      path: f.path,
      size: f.size,
      file: (f as { originalFileObj?: File }).originalFileObj,
    }))
  }
  const picked = await Taro.chooseMedia({
    count,
    mediaType: ['image'],
    sizeType: ['compressed'],
    sourceType: ['album', 'camera'],
  })
  return picked.tempFiles.map((f) => ({ path: f.tempFilePath, size: f.size }))
}

/**
 * Lets the person pick up to `count` photos (camera or album), shrinks and uploads them one by one.
 * Resolves with the photos stored; an empty list when they picked none. A refused upload is toasted by http.ts.
 */
export async function pickAndUploadPhotos(villageId: number, count: number): Promise<Photo[]> {
  let picked: Picked[]
  try {
    picked = await pickPhotos(count)
  } catch {
    // The person closed the picker.
    return []
  }
  const stored: Photo[] = []
  for (const [index, chosen] of picked.slice(0, count).entries()) {
    let file: PickedFile
    const name = `photo-${index + 1}.jpg`
    if (isH5) {
      if (!chosen.file) continue
      const blob = await shrinkInBrowser(chosen.file, chosen.path)
      file = { name, size: blob.size, blob }
    } else {
      file = { name, size: chosen.size, path: await shrinkInWeapp(chosen.path) }
    }
    try {
      stored.push(await uploadPhoto(villageId, file))
    } catch {
      // http.ts has shown why (too big, not a picture…); the others still go up.
    }
  }
  return stored
}
