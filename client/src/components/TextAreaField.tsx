import { TextArea, type TextAreaProps } from '@nutui/nutui-react-taro'
import { Field } from './Field'

/**
 * A labelled box for a few lines of the person's own words, with its hint and error: unless told otherwise
 * (`autoSize`, `showCount` false), it grows with the text and counts the characters against `maxLength`.
 * `textAreaClassName` is the box's own class (after `lr-textarea`); `className` the field's.
 */
export function TextAreaField(
  props: {
    label: string
    hint?: string
    error?: string
    className?: string
    textAreaClassName: string
    value: string
    maxLength: number
    placeholder?: string
    onChange: (value: string) => void
  } & Partial<Pick<TextAreaProps, 'autoSize' | 'showCount'>>,
) {
  const { label, hint, error, className, textAreaClassName, autoSize, showCount, onChange, ...textArea } = props
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      <TextArea
        {...textArea}
        className={`lr-textarea ${textAreaClassName}`}
        showCount={showCount ?? true}
        autoSize={autoSize ?? true}
        onChange={(value: string) => onChange(value)}
      />
    </Field>
  )
}
