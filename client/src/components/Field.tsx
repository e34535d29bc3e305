import { View } from '@tarojs/components'
import type { ReactNode } from 'react'

/** A labelled form field with its error under it. Inputs inside take the `lr-input` class. */
export function Field(props: {
  label: string
  error?: string
  hint?: ReactNode
  children: ReactNode
  className?: string
}) {
  return (
    <View className={`lr-field${props.error ? ' lr-field--error' : ''} ${props.className ?? ''}`}>
      <View className='lr-field__label'>{props.label}</View>
      {props.hint ? <View className='lr-muted lr-field__hint'>{props.hint}</View> : null}
      {props.children}
      {props.error ? <View className='lr-error lr-field__error'>{props.error}</View> : null}
    </View>
  )
}

/**
 * Maps the server's field paths ("name", "body.name", "/name") onto form fields; the rest is returned apart.
 * `fieldOf` names the field of a path where the form's fields are not the paths' last parts.
 */
export function fieldErrors<F extends string>(
  details: readonly { field: string; message: string }[],
  fields: readonly F[],
  fieldOf: (path: string) => string | undefined = (path) => path.split(/[./]/).pop(),
): { fields: Partial<Record<F, string>>; other: string[] } {
  const found: Partial<Record<F, string>> = {}
  const other: string[] = []
  for (const detail of details) {
    const name = fieldOf(detail.field) as F | undefined
    if (name && fields.includes(name)) found[name] ??= detail.message
    else other.push(detail.message)
  }
  return { fields: found, other }
}

/** What a refusal says under the whole form: the messages no field shows, or the message itself when no field showed one. */
export function formMessage(mapped: { fields: object; other: string[] }, message: string): string {
  return mapped.other.join('；') || (Object.keys(mapped.fields).length ? '' : message)
}
