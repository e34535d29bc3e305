import { View } from '@tarojs/components'
import Taro, { useLoad, useRouter, useUnload } from '@tarojs/taro'
import { useState } from 'react'
import type { PrivacyGuide } from '@liren/shared/contracts'
import { PRIVACY_GUIDE } from '@liren/shared/rules'
import { Card } from '../../components/Card'
import { Page } from '../../components/Page'
import { WideButton } from '../../components/WideButtons'
import { formatDate } from '../../lib/format'
import { AGREE_BUTTON_ID, answerWechat } from '../../lib/privacy'
import { ApiError } from '../../services/http'
import { acceptPrivacyGuide, getPrivacyGuide } from '../../services/privacy'
import { goOn, nextFrom } from '../../services/session'
import './index.css'

const isWeapp = process.env.TARO_ENV === 'weapp'

/**
 * Why the page is open: `next` — the guide is not accepted yet, and the person goes on there once they
 * agree; `wechat` — WeChat holds back a privacy API until they agree; otherwise just to read it (我的).
 */
type Mode = { kind: 'consent'; next: string } | { kind: 'wechat' } | { kind: 'read' }

function modeOf(params: Record<string, string | undefined>): Mode {
  if (params.for === 'wechat') return { kind: 'wechat' }
  if (params.next === undefined) return { kind: 'read' }
  return { kind: 'consent', next: nextFrom(params) }
}

export default function Privacy() {
  const mode = modeOf(useRouter().params)
  // The text shipped with the app; the server's, should it have a newer version (PRIVACY_VERSION).
  const [guide, setGuide] = useState<PrivacyGuide>({ ...PRIVACY_GUIDE, sections: [...PRIVACY_GUIDE.sections] })
  const [declined, setDeclined] = useState(false)
  const [sending, setSending] = useState(false)

  useLoad(() => {
    // The guide comes first: WeChat's "home" button would only lead back here.
    if (isWeapp && mode.kind === 'consent') Taro.hideHomeButton().catch(() => undefined)
  })

  // Leaving without an answer is no agreement.
  useUnload(() => {
    if (mode.kind === 'wechat') answerWechat(false)
  })

  async function agree() {
    setSending(true)
    try {
      await acceptPrivacyGuide(guide.version, ['PRIVACY_VERSION'])
      answerWechat(true)
      if (mode.kind === 'consent') await goOn(mode.next)
      else await Taro.navigateBack()
    } catch (error) {
      if (error instanceof ApiError && error.code === 'PRIVACY_VERSION') {
        // The guide changed since this app was built: show the current one to read and agree to.
        setGuide(await getPrivacyGuide().catch(() => guide))
        void Taro.showToast({ title: '指引有了新的内容，请再看一遍', icon: 'none', duration: 3000 })
      }
    } finally {
      setSending(false)
    }
  }

  function disagree() {
    if (mode.kind === 'wechat') {
      answerWechat(false)
      void Taro.navigateBack()
      return
    }
    setDeclined(true)
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 })
  }

  if (declined) {
    return (
      <Page className='privacy'>
        <Card title='不同意，就用不了里仁' className='privacy__declined'>
          <View className='lr-text'>
            里仁要记下您的姓名、住址这些信息，村（居）委会才能确认您是本村（社区）的人；上报问题、投票、记积分，也都要记下是谁做的。
          </View>
          <View className='lr-text privacy__declined-more'>
            您不同意，里仁就没法为您办这些事。您没有同意之前，里仁不会收集您的任何个人信息。
          </View>
          <View className='lr-muted privacy__declined-more'>
            想好了，可以回去再看一遍，同意后就能用。有疑问可以问村（居）委会。
          </View>
          <View className='lr-actions'>
            <WideButton type='primary' className='privacy__again' onClick={() => setDeclined(false)}>
              再看看隐私保护指引
            </WideButton>
          </View>
        </Card>
      </Page>
    )
  }

  const asking = mode.kind !== 'read'
  return (
    <Page className='privacy'>
      <View className='lr-heading privacy__title'>{guide.title}</View>
      <View className='lr-muted privacy__version'>版本：{formatDate(guide.version)}</View>
      {asking ? (
        <View className='lr-text privacy__intro'>
          用里仁之前，请您读一读：里仁收集您的哪些信息、为什么收集、谁能看到、保存多久。同意后才能继续。
        </View>
      ) : null}

      {guide.sections.map((section) => (
        <Card key={section.heading} title={section.heading} className='privacy__section'>
          <View className='lr-text privacy__body'>{section.body}</View>
        </Card>
      ))}

      {asking ? (
        <View className='privacy__answers'>
          <WideButton
            type='primary'
            loading={sending}
            className='lr-block-button privacy__agree'
            // In the mini-program the same tap is WeChat's own agreement (用户隐私保护指引).
            id={AGREE_BUTTON_ID}
            openType={isWeapp ? 'agreePrivacyAuthorization' : undefined}
            onAgreePrivacyAuthorization={isWeapp ? agree : undefined}
            onClick={isWeapp ? undefined : agree}
          >
            同意并继续
          </WideButton>
          <WideButton
            fill='outline'
            disabled={sending}
            className='lr-block-button privacy__disagree'
            onClick={disagree}
          >
            不同意
          </WideButton>
        </View>
      ) : (
        <View className='lr-muted privacy__read-note'>
          您已经同意了这份指引。在“我的 → 我的数据”里可以下载您的信息，或者注销账号。
        </View>
      )}
    </Page>
  )
}
