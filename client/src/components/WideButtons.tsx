import { Button } from '@nutui/nutui-react-taro'
import type { ComponentProps } from 'react'
import { LinkButton } from './Page'

// The pages' large buttons that take the whole width (for fingers that are not steady); the rest of the
// props are NutUI's Button's as they are.

/** A large, full-width button. */
export function WideButton(props: ComponentProps<typeof Button>) {
  return <Button size='large' block {...props} />
}

/** A large, full-width button that opens another page of the app (`url`). */
export function WideLinkButton(props: ComponentProps<typeof LinkButton>) {
  return <LinkButton size='large' block {...props} />
}
