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
