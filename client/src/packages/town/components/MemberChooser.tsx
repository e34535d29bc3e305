import { View } from '@tarojs/components'
import type { Role, VillageKind, VillageMember } from '@liren/shared/contracts'
import { roleLabel } from '@liren/shared/rules'
import './MemberChooser.css'

/** Tick any number of the village's members (an applicant still waiting is marked: choosing them verifies them). */
export function MemberChooser(props: {
  members: VillageMember[]
  chosen: readonly number[]
  kind: VillageKind
  onChange: (chosen: number[]) => void
}) {
  const { members, chosen } = props
  function toggle(id: number) {
    props.onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id])
  }
  if (members.length === 0) return <View className='lr-muted'>还没有可以选择的成员。</View>
  return (
    <View className='member-chooser'>
      {members.map((member) => {
        const on = chosen.includes(member.membershipId)
        return (
          <View
            key={member.membershipId}
            className={`lr-pick member-chooser__item${on ? ' lr-pick--chosen' : ''}`}
            onClick={() => toggle(member.membershipId)}
          >
            <View className='member-chooser__box'>{on ? '✓' : ''}</View>
            <View className='member-chooser__text'>
              <View className='lr-pick__name'>{member.realName}</View>
              <View className='lr-muted'>
                {member.status === 'pending'
                  ? '等待审核（选为委员后即通过认证）'
                  : member.roles.map((role) => roleLabel(role as Role, props.kind)).join('、') || '成员'}
              </View>
            </View>
          </View>
        )
      })}
    </View>
  )
}
