import { useState } from 'react'

/** A text the person types with the error said about it: typing again clears the error. */
export function useTextWithError(initial = '') {
  const [value, setValue] = useState(initial)
  const [error, setError] = useState('')
  const change = (text: string) => {
    setValue(text)
    setError('')
  }
  return { value, error, change, setValue, setError }
}

/** The texts of a form's draft: the keys whose values are strings. */
export type TextKey<D> = { [K in keyof D]: D[K] extends string ? K : never }[keyof D]

/**
 * Binds a form's fields to its draft: each gets the draft's value, the error about it and the change of it.
 * `text` is for an InputField (its input of class `inputClassName`), `choice` for a ChoiceField. `draft` is
 * null while the form is closed (its fields are not shown then).
 */
export function draftFields<D>(draft: D | null, setDraft: (draft: D) => void, errors: Partial<Record<string, string>>) {
  const set = (key: keyof D, value: unknown) => {
    if (draft) setDraft({ ...draft, [key]: value })
  }
  return {
    text: (key: TextKey<D>, inputClassName: string) => ({
      inputClassName,
      value: draft ? (draft[key] as string) : '',
      error: errors[key as string],
      onChange: (value: string) => set(key, value),
    }),
    choice: <K extends keyof D>(key: K) => ({
      value: draft?.[key] as D[K],
      error: errors[key as string],
      onChange: (value: D[K]) => set(key, value),
    }),
  }
}
