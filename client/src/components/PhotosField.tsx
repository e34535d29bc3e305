import type { ComponentProps } from 'react'
import { Field } from './Field'
import { PhotoPicker } from './PhotoPicker'

/** A form's field of photos the person may add or leave out, up to nine (e.g. of what they report). */
export function PhotosField({
  error,
  label = '照片（可以不拍，最多 9 张）',
  ...picker
}: ComponentProps<typeof PhotoPicker> & { error?: string; label?: string }) {
  return (
    <Field label={label} error={error}>
      <PhotoPicker {...picker} />
    </Field>
  )
}
