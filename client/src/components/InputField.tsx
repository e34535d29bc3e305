import { Input, type InputProps } from '@nutui/nutui-react-taro'
import { Field } from './Field'

/**
 * A labelled one-line input with its hint and error. `inputClassName` is the input's own class (after
 * `lr-input`); `className` the field's. Input props not given keep NutUI's defaults.
 */
export function InputField(
  props: {
    label: string
    hint?: string
    error?: string
    className?: string
    inputClassName: string
    value: string
    maxLength: number
    onChange: (value: string) => void
  } & Partial<Pick<InputProps, 'type' | 'placeholder'>>,
) {
  const { label, hint, error, className, inputClassName, onChange, ...input } = props
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      <Input {...input} className={`lr-input ${inputClassName}`} onChange={(value: string) => onChange(value)} />
    </Field>
  )
}

/** One of a form's text inputs shown alike: what InputField shows, and the key of the draft's text it edits. */
export interface DraftInput<K> {
  key: K
  label: string
  hint?: string
  inputClassName: string
  maxLength: number
}

/** An InputField for each of `inputs`, in their order, bound to the form's draft by `bind` (see draftInputs). */
export function DraftInputFields<K extends string>(props: {
  inputs: readonly DraftInput<K>[]
  type?: InputProps['type']
  className?: string
  bind: (
    key: K,
    inputClassName: string,
  ) => { inputClassName: string; value: string; error?: string; onChange: (value: string) => void }
}) {
  return (
    <>
      {props.inputs.map(({ key, inputClassName, ...input }) => (
        <InputField
          key={key}
          type={props.type ?? 'text'}
          className={props.className}
          {...input}
          {...props.bind(key, inputClassName)}
        />
      ))}
    </>
  )
}
