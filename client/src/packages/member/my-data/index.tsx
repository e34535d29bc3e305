import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { PRIVACY_GUIDE } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Field } from '../../../components/Field'
import { Page } from '../../../components/Page'
import { WideButton, WideLinkButton } from '../../../components/WideButtons'
import { usePageData } from '../../../lib/page-hooks'
import { getMe } from '../../../services/identity'
import { deleteAccount, downloadMyData, downloadMyDataTable } from '../../../services/privacy'
import { clearTokens, LOGIN_PAGE, PRIVACY_PAGE } from '../../../services/session'
import './index.css'

const isWeapp = process.env.TARO_ENV === 'weapp'
const CONFIRM_WORD = '注销'

type Heading = (typeof PRIVACY_GUIDE.sections)[number]['heading']
/** The parts of the guide that say what is kept and for how long. */
const KEPT: readonly Heading[] = ['我们收集什么', '保存多久']

export default function MyData() {
  const { data } = usePageData(getMe, { onShow: false })
  const [downloading, setDownloading] = useState<'table' | 'json' | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [typed, setTyped] = useState('')
  const [deleting, setDeleting] = useState(false)

  async function download(which: 'table' | 'json') {
    setDownloading(which)
    try {
      await (which === 'table' ? downloadMyDataTable : downloadMyData)()
    } catch {
      // http.ts has said why.
    } finally {
      setDownloading(null)
    }
  }

  async function remove() {
    if (typed.trim() !== CONFIRM_WORD) return
    setDeleting(true)
    try {
      await deleteAccount()
      clearTokens()
      // The login page says 账号已注销 once it has loaded.
      await Taro.reLaunch({ url: `${LOGIN_PAGE}?deleted=1` })
    } catch {
      // http.ts has said why; nothing was deleted.
      setDeleting(false)
    }
  }

  const phones = data.state === 'ready' ? data.value.memberships.filter((m) => m.phone) : []
  return (
    <Page className='my-data'>
      <View className='lr-heading'>我的数据</View>

      <Card title='里仁存了您的哪些信息' className='my-data__kept'>
        {PRIVACY_GUIDE.sections
          .filter((section) => KEPT.includes(section.heading))
          .map((section) => (
            <View key={section.heading} className='my-data__part'>
              <View className='my-data__part-title'>{section.heading}</View>
              <View className='lr-text'>{section.body}</View>
            </View>
          ))}
        <View className='lr-actions'>
          <WideLinkButton fill='outline' className='my-data__guide' url={PRIVACY_PAGE}>
            看完整的隐私保护指引
          </WideLinkButton>
        </View>
      </Card>

      <Card title='我留的手机号' className='my-data__phones'>
        {data.state === 'loading' ? <View className='lr-muted'>正在加载…</View> : null}
        {data.state === 'failed' ? <View className='lr-muted'>没有加载成功，请稍后再试。</View> : null}
        {data.state === 'ready' && phones.length === 0 ? <View className='lr-text'>您没有留手机号。</View> : null}
        {phones.map((membership) => (
          <View key={membership.id} className='lr-fact my-data__phone'>
            <View className='lr-fact__label'>{membership.villageName}</View>
            <View className='lr-fact__value'>{membership.phone}</View>
          </View>
        ))}
        <View className='lr-muted my-data__note'>
          手机号加密保存，只有您和您所在村（社区）的村（居）委会、网格员能看到。
        </View>
      </Card>

      <Card title='下载我的数据' className='my-data__export'>
        <View className='lr-text'>把里仁存的您的全部信息下载下来。同样的信息有两种文件：</View>
        <DownloadChoice
          className='my-data__table'
          title='表格（给人看）'
          text='Excel 表格，一类信息一页，都用中文写明，时间是北京时间。手机、电脑都能打开。'
          buttonClassName='my-data__download-table'
          button='下载表格'
          primary
          loading={downloading === 'table'}
          onDownload={() => download('table')}
        />
        <DownloadChoice
          className='my-data__json'
          title='数据文件（给电脑程序用）'
          text='内容和表格一样，是电脑程序能直接读的格式。换用别的软件、要把数据搬过去时用它。'
          buttonClassName='my-data__download'
          button='下载数据文件'
          loading={downloading === 'json'}
          onDownload={() => download('json')}
        />
        {isWeapp ? (
          <View className='lr-muted my-data__note'>
            在微信里，表格会直接打开；数据文件会发到您选的聊天里（例如“文件传输助手”）。
          </View>
        ) : null}
      </Card>

      <Card title='注销账号' className='my-data__delete'>
        {confirming ? (
          <>
            <View className='lr-text'>注销以后：</View>
            <View className='my-data__consequences'>
              <View className='lr-text'>· 您的姓名、住址、出生年份、手机号会被删掉；</View>
              <View className='lr-text'>· 您上报过的问题还在，但变成匿名的，看不出是您报的；</View>
              <View className='lr-text'>· 积分和开会、投票的记录是村里的账目，会留下，但不再带您的名字；</View>
              <View className='lr-text my-data__final'>· 注销了就不能恢复。以后想再用，要重新申请加入。</View>
            </View>
            <Field label={`确定要注销，请输入“${CONFIRM_WORD}”两个字`}>
              <Input
                className='lr-input my-data__confirm-input'
                value={typed}
                maxLength={4}
                placeholder={CONFIRM_WORD}
                onChange={(value: string) => setTyped(value)}
              />
            </Field>
            <View className='lr-actions'>
              <Button
                size='large'
                fill='outline'
                disabled={deleting}
                className='my-data__keep'
                onClick={() => {
                  setConfirming(false)
                  setTyped('')
                }}
              >
                不注销了
              </Button>
              <Button
                type='primary'
                size='large'
                loading={deleting}
                disabled={typed.trim() !== CONFIRM_WORD}
                className='my-data__confirm'
                onClick={remove}
              >
                确认注销
              </Button>
            </View>
          </>
        ) : (
          <>
            <View className='lr-text'>不再用里仁了，可以注销账号。注销前可以先把数据下载下来。</View>
            <View className='lr-actions'>
              <WideButton fill='outline' className='my-data__start-delete' onClick={() => setConfirming(true)}>
                注销账号
              </WideButton>
            </View>
          </>
        )}
      </Card>
    </Page>
  )
}

/** One of the two files of 我的数据: who it is for, and its button. */
function DownloadChoice(props: {
  className: string
  title: string
  text: string
  buttonClassName: string
  button: string
  primary?: boolean
  loading: boolean
  onDownload: () => void
}) {
  return (
    <View className={`my-data__part ${props.className}`}>
      <View className='my-data__part-title'>{props.title}</View>
      <View className='lr-text'>{props.text}</View>
      <View className='lr-actions'>
        <WideButton
          type={props.primary ? 'primary' : undefined}
          fill={props.primary ? undefined : 'outline'}
          loading={props.loading}
          className={props.buttonClassName}
          onClick={props.onDownload}
        >
          {props.button}
        </WideButton>
      </View>
    </View>
  )
}
