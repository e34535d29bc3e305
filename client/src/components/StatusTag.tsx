import { Tag } from '@nutui/nutui-react-taro'
import type { MembershipStatus } from '@liren/shared/contracts'
import { STATUS_LABEL } from '@liren/shared/rules'

const TAG_TYPE = { pending: 'warning', verified: 'success', rejected: 'danger' } as const

export function StatusTag({ status }: { status: MembershipStatus }) {
  return (
    <Tag type={TAG_TYPE[status]} className={`lr-status lr-status--${status}`}>
      {STATUS_LABEL[status]}
    </Tag>
  )
}
