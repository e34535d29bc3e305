import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import type { ComponentProps, ReactNode } from 'react'
import { useLargeText } from '../lib/large-text'

// The page's own pieces live here with it, so that the H5 build loads them with every page rather than
// as small chunks of their own (each one more request).

/**
 * The wrapper of every page: carries the style variables, large-text mode included. A tab page (`tab`)
 * keeps room at its end for WeChat's tab bar, ours, which is drawn over the page (H5's is not).
 */
export function Page({ children, className, tab }: { children: ReactNode; className?: string; tab?: boolean }) {
  const large = useLargeText()
  const tabRoom = tab && process.env.TARO_ENV === 'weapp' ? 'lr-page--tab' : ''
  const classes = ['lr-page', large ? 'lr-large' : '', tabRoom, className ?? ''].filter(Boolean).join(' ')
  return <View className={classes}>{children}</View>
}

/** A button that opens another page of the app (`url`); the rest is NutUI's Button as it is. */
export function LinkButton({ url, ...button }: Omit<ComponentProps<typeof Button>, 'onClick'> & { url: string }) {
  return <Button {...button} onClick={() => void Taro.navigateTo({ url })} />
}

/**
 * The end of a page's form: why it was refused (if it was), and the wide button that sends it (busy while
 * `form` is saving). `form` is the form's useSubmit.
 */
export function FormEnd(props: {
  form: { formError: string; saving?: boolean }
  errorClassName: string
  className: string
  onSubmit: () => void
  children: ReactNode
}) {
  return (
    <>
      {props.form.formError ? <View className={`lr-error ${props.errorClassName}`}>{props.form.formError}</View> : null}
      <Button
        type='primary'
        size='large'
        block
        loading={props.form.saving}
        className={`lr-block-button ${props.className}`}
        onClick={props.onSubmit}
      >
        {props.children}
      </Button>
    </>
  )
}

/**
 * The end of a form in a card: why it was refused (if it was; `errorClassName` is that line's own class),
 * then the button that sends it (busy while `form` is saving), as wide as the card; or, with `cancel`, the
 * button that closes the form without saving (e.g. 不改了) beside it. `form` is the form's useSubmit.
 */
export function FormActions(props: {
  form: { formError: string; saving?: boolean }
  className: string
  errorClassName?: string
  onSubmit: () => void
  cancel?: { text: string; onTap: () => void }
  children: ReactNode
}) {
  const errorClasses = props.errorClassName ? `lr-error ${props.errorClassName}` : 'lr-error'
  return (
    <>
      {props.form.formError ? <View className={errorClasses}>{props.form.formError}</View> : null}
      <View className='lr-actions'>
        {props.cancel ? (
          <Button size='large' fill='outline' onClick={props.cancel.onTap}>
            {props.cancel.text}
          </Button>
        ) : null}
        <Button
          type='primary'
          size='large'
          block={!props.cancel}
          loading={props.form.saving}
          className={props.className}
          onClick={props.onSubmit}
        >
          {props.children}
        </Button>
      </View>
    </>
  )
}

/** The end of a form that edits what the page shows: 保存, and 不改了 beside it to close the form unsaved. */
export function EditFormActions(props: {
  form: { formError: string; saving?: boolean }
  className: string
  onSave: () => void
  onClose: () => void
}) {
  return (
    <FormActions
      form={props.form}
      className={props.className}
      onSubmit={props.onSave}
      cancel={{ text: '不改了', onTap: props.onClose }}
    >
      保存
    </FormActions>
  )
}
