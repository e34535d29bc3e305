import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { Membership } from '@liren/shared/contracts'
import { can, placeWords } from '@liren/shared/rules'
import { Card } from './Card'
import { LinkButton } from './Page'
import { WideButton } from './WideButtons'
import './CommitteeContact.css'

/** Where the committee sets its office phone and hours. */
export const contactPage = (villageId: number) => `/packages/committee/contact/index?villageId=${villageId}`

function call(phone: string) {
  void Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined)
}

/**
 * The committee's phone (tap to call) and office hours, for the village's people; nothing when neither is
 * set. Its own committee also sees how to set them.
 */
export function CommitteeContact({ membership }: { membership: Membership }) {
  const words = placeWords(membership.villageKind)
  const { committeePhone: phone, officeHours: hours } = membership
  const mayEdit = can(membership, 'village.contact')
  if (!phone && !hours && !mayEdit) return null
  return (
    <Card title={`联系${words.committee}`} className='committee-contact'>
      {phone ? <View className='committee-contact__phone'>电话 {phone}</View> : null}
      {hours ? <View className='lr-text committee-contact__hours'>办公时间：{hours}</View> : null}
      {phone ? (
        <View className='lr-actions'>
          <WideButton type='primary' className='committee-contact__call' onClick={() => call(phone)}>
            打电话
          </WideButton>
        </View>
      ) : null}
      {mayEdit ? (
        <>
          {!phone && !hours ? (
            <View className='lr-muted'>
              还没有填{words.committee}的电话和办公时间。填上后，{words.member}在首页就能看到，点一下就能打电话。
            </View>
          ) : null}
          <View className='lr-actions'>
            <LinkButton
              size='large'
              fill='outline'
              className='committee-contact__edit'
              url={contactPage(membership.villageId)}
            >
              {phone || hours ? '修改电话和办公时间' : '填写电话和办公时间'}
            </LinkButton>
          </View>
        </>
      ) : null}
    </Card>
  )
}

/**
 * "请联系村委会" said with the way to do it: the phone (tap to call) and the office hours, when the
 * committee has set them.
 */
export function CommitteeContactLine({ membership, lead }: { membership: Membership; lead: string }) {
  const { committeePhone: phone, officeHours: hours } = membership
  return (
    <View className='lr-text committee-contact-line'>
      {lead}
      {phone ? (
        <>
          ，电话{' '}
          <View className='committee-contact-line__phone' onClick={() => call(phone)}>
            {phone}
          </View>
        </>
      ) : null}
      {hours ? `（办公时间：${hours}）` : ''}。
    </View>
  )
}
