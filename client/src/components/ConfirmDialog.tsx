import { Dialog } from '@nutui/nutui-react-taro'
import type { ReactNode } from 'react'

/**
 * Asks to confirm what the person chose to do (`subject`, open while there is one): the content is about
 * it, and both the cancel button and closing the dialog call `onDismiss`.
 */
export function ConfirmDialog<T>(props: {
  subject: T | null
  title: string
  confirmText: string
  cancelText?: string
  className?: string
  onConfirm: () => void
  onDismiss: () => void
  children: (subject: T) => ReactNode
}) {
  return (
    <Dialog
      className={props.className}
      visible={props.subject !== null}
      title={props.title}
      confirmText={props.confirmText}
      cancelText={props.cancelText ?? '再想想'}
      onConfirm={props.onConfirm}
      onCancel={props.onDismiss}
      onClose={props.onDismiss}
    >
      {props.subject !== null ? props.children(props.subject) : null}
    </Dialog>
  )
}
