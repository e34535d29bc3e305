import Taro from '@tarojs/taro'
import { PRIVACY_PAGE } from '../services/session'

/** The id of the guide's 同意 button: WeChat checks that this very button was tapped before it lets a held API go on. */
export const AGREE_BUTTON_ID = 'privacy-agree'

let waiting: ((option: Taro.onNeedPrivacyAuthorization.ResolveOption) => void) | null = null

/**
 * WeChat holds back a privacy API (the phone-number button, the map) until the person has agreed inside
 * WeChat too. When it does, show our guide, and tell WeChat the answer (answerWechat). Mini-program only.
 */
export function watchWechatPrivacy(): void {
  if (process.env.TARO_ENV !== 'weapp' || typeof Taro.onNeedPrivacyAuthorization !== 'function') return
  Taro.onNeedPrivacyAuthorization((resolve) => {
    waiting = resolve
    void Taro.navigateTo({ url: `${PRIVACY_PAGE}?for=wechat` })
  })
}

/** Lets the API WeChat held back go on (agreed) or fail (not agreed); nothing when WeChat is not waiting. */
export function answerWechat(agreed: boolean): void {
  waiting?.(agreed ? { buttonId: AGREE_BUTTON_ID, event: 'agree' } : { event: 'disagree' })
  waiting = null
}
