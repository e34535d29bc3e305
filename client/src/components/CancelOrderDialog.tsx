import type { ReactNode } from 'react'
import { ConfirmDialog } from './ConfirmDialog'

/**
 * Asks to confirm cancelling a redemption (`order`, open while there is one), the member's own or, at the
 * committee, anyone's: the content says whose and what comes back.
 */
export function CancelOrderDialog<O>(props: {
  order: O | null
  onConfirm: () => void
  onDismiss: () => void
  children: (order: O) => ReactNode
}) {
  return (
    <ConfirmDialog
      subject={props.order}
      title='取消兑换'
      confirmText='确定取消'
      cancelText='不取消'
      onConfirm={props.onConfirm}
      onDismiss={props.onDismiss}
    >
      {props.children}
    </ConfirmDialog>
  )
}
