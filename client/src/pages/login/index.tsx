import { View } from '@tarojs/components'
import Taro, { useLoad, useReady, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { DevIdentity } from '@liren/shared/contracts'
import { Card } from '../../components/Card'
import { Page } from '../../components/Page'
import { WideButton } from '../../components/WideButtons'
import { ApiError } from '../../services/http'
import { getDevWechatCode, getMe, listDevIdentities, signInWithWechatCode } from '../../services/identity'
import { goOn, nextFrom } from '../../services/session'
import './index.css'

const isH5 = process.env.TARO_ENV === 'h5'

type Picker =
  | { state: 'loading' }
  | { state: 'ready'; identities: DevIdentity[] }
  | { state: 'unavailable' }
  | { state: 'failed'; message: string }

function newOpenid(): string {
  return `h5-new-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

export default function Login() {
  const [picker, setPicker] = useState<Picker>({ state: 'loading' })
  const [busy, setBusy] = useState(false)
  const params = useRouter().params
  /** Sent here right after deleting the account (我的数据). */
  const deleted = params.deleted === '1'
  /** Where the person was going (a page shared with them, say): there once signed in. */
  const next = nextFrom(params)

  async function signIn(getCode: () => Promise<string>) {
    setBusy(true)
    try {
      await signInWithWechatCode(await getCode())
      // Until the privacy guide is accepted, getMe sends the person there instead (and on from there to `next`).
      if (!(await getMe()).needsPrivacyConsent) await goOn(next)
    } catch {
      // http.ts has already told the person what went wrong.
    } finally {
      setBusy(false)
    }
  }

  const signInWithWechat = () =>
    signIn(async () => {
      const { code } = await Taro.login()
      return code
    })

  const signInAs = (openid: string) => signIn(async () => (await getDevWechatCode(openid)).code)

  async function loadIdentities() {
    setPicker({ state: 'loading' })
    try {
      setPicker({ state: 'ready', identities: await listDevIdentities(true) })
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setPicker({ state: 'unavailable' })
      else setPicker({ state: 'failed', message: error instanceof Error ? error.message : '加载失败' })
    }
  }

  useLoad(() => {
    if (isH5) void loadIdentities()
  })

  // Once the page is up: H5 hides a toast that was shown for the page before it.
  useReady(() => {
    if (deleted) void Taro.showToast({ title: '账号已注销', icon: 'none', duration: 3000 })
  })

  return (
    <Page className='login'>
      <View className='login__hero'>
        <View className='login__name'>里仁</View>
        <View className='login__slogan'>村里的事，大家一起商量</View>
      </View>

      {deleted ? (
        <Card title='账号已注销' className='login__deleted'>
          <View className='lr-text'>您在里仁的个人信息已经删除。以后想再用，重新登录、申请加入就可以。</View>
        </Card>
      ) : null}

      {isH5 ? (
        <H5Picker
          picker={picker}
          busy={busy}
          onPick={signInAs}
          onNew={() => signInAs(newOpenid())}
          onRetry={loadIdentities}
        />
      ) : (
        <Card>
          <View className='lr-text'>用微信登录后，就可以申请加入您所在的村（社区）。</View>
          <View className='lr-actions'>
            <WideButton type='primary' loading={busy} onClick={signInWithWechat}>
              微信登录
            </WideButton>
          </View>
        </Card>
      )}
    </Page>
  )
}

function H5Picker(props: {
  picker: Picker
  busy: boolean
  onPick: (openid: string) => void
  onNew: () => void
  onRetry: () => void
}) {
  const { picker, busy } = props
  if (picker.state === 'loading')
    return (
      <Card>
        <View className='lr-muted'>正在加载…</View>
      </Card>
    )
  if (picker.state === 'unavailable') {
    return (
      <Card title='请在微信中打开里仁'>
        <View className='lr-text'>网页版只用于试用和测试。请在微信里搜索“里仁”小程序使用。</View>
      </Card>
    )
  }
  if (picker.state === 'failed') {
    return (
      <Card title='没有加载成功'>
        <View className='lr-text'>{picker.message}</View>
        <View className='lr-actions'>
          <Button size='large' onClick={props.onRetry}>
            再试一次
          </Button>
        </View>
      </Card>
    )
  }
  return (
    <>
      <Card title='新来的？'>
        <View className='lr-muted'>用一个新身份登录，然后申请加入村（社区）。</View>
        <View className='lr-actions'>
          <WideButton type='primary' disabled={busy} className='login__new' onClick={props.onNew}>
            我是新用户
          </WideButton>
        </View>
      </Card>
      <Card title='选择试用身份'>
        <View className='lr-muted'>这是测试环境，可以用示范村里的人登录。</View>
        <View className='login__identities'>
          {picker.identities.map((identity) => (
            <WideButton
              key={identity.openid}
              fill='outline'
              disabled={busy}
              className='login__identity'
              onClick={() => props.onPick(identity.openid)}
            >
              {identity.label}
            </WideButton>
          ))}
        </View>
      </Card>
    </>
  )
}
