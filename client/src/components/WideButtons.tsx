import { Button } from '@nutui/nutui-react-taro'
import type { ComponentProps, ReactNode } from 'react'
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

/** The wide primary button at the top of a list page that opens another page, e.g. 发布志愿活动 above the activities. */
export function BlockLinkButton(props: { className: string; url: string; children: ReactNode }) {
  return (
    <WideLinkButton type='primary' className={`lr-block-button lr-list-action ${props.className}`} url={props.url}>
      {props.children}
    </WideLinkButton>
  )
}
