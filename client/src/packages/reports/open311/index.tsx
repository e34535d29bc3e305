import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { IssuedOpen311Key, Open311Key } from '@liren/shared/contracts'
import { Card } from '../../../components/Card'
import { Fact, Facts } from '../../../components/Facts'
import { Field, fieldErrors } from '../../../components/Field'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { WideButton } from '../../../components/WideButtons'
import { formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { ApiError, fileUrl } from '../../../services/http'
import { listVillages } from '../../../services/identity'
import { createOpen311Key, listOpen311Keys, revokeOpen311Key } from '../../../services/reports'
import './index.css'

const LABEL_MAX = 60

/** Where outside systems reach the GeoReport v2 API: the H5 build is served by the API server itself. */
function open311Address(): string {
  const address = fileUrl('/open311/v2')
  return process.env.TARO_ENV === 'h5' && address.startsWith('/') ? `${window.location.origin}${address}` : address
}

export default function Open311Keys() {
  const villageId = Number(useRouter().params.villageId)
  // The village code is part of what the committee hands over, so the page waits for it too.
  const { data, reload, update } = usePageData(
    async () => {
      const [keys, villages] = await Promise.all([listOpen311Keys(villageId, true), listVillages()])
      return { keys, villageCode: villages.find((v) => v.id === villageId)?.code ?? '' }
    },
    { onShow: false },
  )
  const [label, setLabel] = useState('')
  const [labelError, setLabelError] = useState<string>()
  const [issued, setIssued] = useState<IssuedOpen311Key | null>(null)
  const [revoking, setRevoking] = useState<Open311Key | null>(null)

  async function create() {
    const wanted = label.trim()
    if (!wanted) return setLabelError('请写上这个密钥给谁用')
    if (wanted.length > LABEL_MAX) return setLabelError(`最多 ${LABEL_MAX} 个字`)
    setLabelError(undefined)
    try {
      setIssued(await createOpen311Key(villageId, wanted, ['VALIDATION_FAILED']))
      setLabel('')
      await reload()
    } catch (error) {
      // Other failures were shown by http.ts.
      if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return
      const { fields, other } = fieldErrors(error.details, ['label'] as const)
      setLabelError(fields.label ?? other[0] ?? error.message)
    }
  }

  async function revoke(key: Open311Key) {
    setRevoking(null)
    try {
      const keys = await revokeOpen311Key(villageId, key.id)
      update((now) => ({ ...now, keys }))
      void Taro.showToast({ title: '已停用', icon: 'none', duration: 2000 })
    } catch {
      // http.ts has shown why; the list shows what is true now.
      await reload()
    }
  }

  if (data.state !== 'ready') return <NotReady data={data} onRetry={reload} />

  return (
    <Page className='open311'>
      <View className='lr-heading'>对外接口密钥</View>
      <Card title='这是做什么的' className='open311__about'>
        <View className='lr-text'>
          县里的 12345
          热线等平台接到群众反映本村的事，可以用密钥直接送进“随手拍”，由村委会照常受理、办理。对方办事的人能查到办理进度。
        </View>
        <View className='lr-muted open311__about-more'>
          每个平台发一个密钥。不再对接了，就把它停用，对方就送不进来了。
        </View>
        <Facts>
          <Fact label='接口地址'>
            <Text className='lr-code'>{open311Address()}</Text>
          </Fact>
          {data.value.villageCode ? (
            <Fact label='村代码'>
              <Text className='lr-code'>{data.value.villageCode}</Text>
            </Fact>
          ) : null}
        </Facts>
        <View className='lr-muted open311__about-more'>
          把接口地址、村代码和密钥一起交给对方的技术人员（Open311 GeoReport v2 标准）。
        </View>
      </Card>

      {issued ? (
        <Card title={`新密钥：${issued.label}`} className='open311__issued'>
          <View className='open311__key lr-code'>
            <Text userSelect selectable>
              {issued.key}
            </Text>
          </View>
          <View className='lr-warning'>
            这个密钥只显示这一次，离开本页后就再也看不到了。请现在复制，交给对方的技术人员。
          </View>
          <View className='lr-actions'>
            <Button
              type='primary'
              size='large'
              className='open311__copy'
              onClick={() => Taro.setClipboardData({ data: issued.key }).catch(() => undefined)}
            >
              复制
            </Button>
            <Button size='large' fill='outline' className='open311__done' onClick={() => setIssued(null)}>
              已交给对方
            </Button>
          </View>
        </Card>
      ) : null}

      <Card title='发一个新密钥' className='open311__new'>
        <Field
          label='给谁用'
          hint='写上对接的平台，以后好认，例如：县12345热线'
          error={labelError}
          className='open311__label'
        >
          <Input
            className='lr-input'
            placeholder='平台名称'
            maxLength={LABEL_MAX}
            value={label}
            onChange={(value: string) => setLabel(value)}
          />
        </Field>
        <WideButton type='primary' className='open311__create' onClick={create}>
          生成密钥
        </WideButton>
      </Card>

      <Card title='已发的密钥' className='open311__keys'>
        {data.value.keys.length === 0 ? <View className='lr-muted'>还没有发过密钥。</View> : null}
        {data.value.keys.map((key) => (
          <View key={key.id} className={`open311__item${key.revoked ? ' open311__item--revoked' : ''}`}>
            <View className='open311__item-text'>
              <View className='lr-list-item__title'>{key.label}</View>
              <View className='lr-muted'>{formatDateTime(key.createdAt)} 发放</View>
            </View>
            {key.revoked ? (
              <View className='lr-badge lr-badge--grey'>已停用</View>
            ) : (
              <Button size='large' fill='outline' className='open311__revoke' onClick={() => setRevoking(key)}>
                停用
              </Button>
            )}
          </View>
        ))}
      </Card>

      <Dialog
        visible={revoking !== null}
        title='停用密钥'
        content={revoking ? `停用后，“${revoking.label}”就不能再往本村送上报了，也不能恢复。确定停用吗？` : ''}
        confirmText='确定停用'
        cancelText='先不停用'
        onConfirm={() => (revoking ? revoke(revoking) : undefined)}
        onCancel={() => setRevoking(null)}
        onClose={() => setRevoking(null)}
      />
    </Page>
  )
}
