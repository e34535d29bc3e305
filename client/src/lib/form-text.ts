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
 * The props that bind an InputField (its input of class `inputClassName`) to one text of a form's draft: its
 * value, the error about it and its change. `draft` is null while the form is closed (its inputs are not
 * shown then).
 */
export function draftInputs<D>(draft: D | null, setDraft: (draft: D) => void, errors: Partial<Record<string, string>>) {
  return (key: TextKey<D>, inputClassName: string) => ({
    inputClassName,
    value: draft ? (draft[key] as string) : '',
    error: errors[key as string],
    onChange: (value: string) => {
      if (draft) setDraft({ ...draft, [key]: value })
    },
  })
}
