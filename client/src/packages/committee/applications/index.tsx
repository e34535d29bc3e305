import { View } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button, Dialog, TextArea } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Application, Membership } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Page } from '../../../components/Page'
import { formatDateTime, shanghaiNow } from '../../../lib/format'
import { ApiError } from '../../../services/http'
import { getMe, listPendingApplications, rejectApplication, verifyApplication } from '../../../services/identity'
import './index.css'

type State =
  | { state: 'loading' }
  | { state: 'ready'; applications: Application[] }
  | { state: 'forbidden'; message: string }
  | { state: 'failed' }

type Decision = { kind: 'verify' | 'reject'; application: Application }

export default function Applications() {
  const [villageId, setVillageId] = useState(0)
  const [village, setVillage] = useState<Membership | null>(null)
  const [data, setData] = useState<State>({ state: 'loading' })
  const [decision, setDecision] = useState<Decision | null>(null)
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState('')

  async function load(id: number) {
    try {
      setData({ state: 'ready', applications: await listPendingApplications(id, ['FORBIDDEN']) })
    } catch (error) {
      if (error instanceof ApiError && error.code === 'FORBIDDEN') setData({ state: 'forbidden', message: error.message })
      else setData({ state: 'failed' })
    }
  }

  useLoad((params: Record<string, string | undefined>) => {
    const id = Number(params.villageId)
    setVillageId(id)
    getMe().then((me) => setVillage(me.memberships.find((m) => m.villageId === id) ?? null), () => undefined)
    void load(id)
  })

  function close() {
    setDecision(null)
    setReason('')
    setReasonError('')
  }

  /** Runs a decision; an application someone else already decided simply leaves the list. */
  async function decide(run: () => Promise<Application>, done: string) {
    try {
      await run()
      void Taro.showToast({ title: done, icon: 'none', duration: 2000 })
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'ALREADY_DECIDED') throw error
    }
    await load(villageId)
  }

  async function confirm() {
    if (!decision) return
    const { application } = decision
    if (decision.kind === 'verify') {
      await decide(() => verifyApplication(villageId, application.id, ['ALREADY_DECIDED']), `已通过${application.realName}的申请`).catch(
        () => undefined,
      )
      return close()
    }
    const text = reason.trim()
    if (text.length < 2 || text.length > 200) {
      setReasonError('请写明原因，2 到 200 个字')
      // Keeps the dialog open.
      throw new Error('invalid reason')
    }
    await decide(() => rejectApplication(villageId, application.id, text, ['ALREADY_DECIDED']), '已告知申请人未通过').catch(
      () => undefined,
    )
    close()
  }

  const words = placeWords(village?.villageKind ?? 'rural')
  return (
    <Page className='applications'>
      <View className='lr-heading'>{village ? `${village.villageName} · 入${words.place}申请` : '入村申请'}</View>
      <View className='lr-muted applications__intro'>请核对姓名、住址是否与花名册一致，再决定是否通过。</View>

      {data.state === 'loading' ? <View className='lr-muted'>正在加载…</View> : null}
      {data.state === 'forbidden' ? (
        <Card title='不能查看'>
          <View className='lr-text'>{data.message}</View>
        </Card>
      ) : null}
      {data.state === 'failed' ? (
        <Card title='没有加载成功'>
          <View className='lr-actions'>
            <Button size='large' onClick={() => load(villageId)}>
              再试一次
            </Button>
          </View>
        </Card>
      ) : null}
      {data.state === 'ready' && data.applications.length === 0 ? (
        <Card title='没有待审核的申请'>
          <View className='lr-muted'>新的申请会显示在这里。</View>
        </Card>
      ) : null}
      {data.state === 'ready'
        ? data.applications.map((application) => (
            <Card key={application.id} className='applications__item' title={application.realName}>
              <View className='lr-text'>住址：{application.householdAddress}</View>
              <View className='lr-text'>
                出生：{application.birthYear} 年（{shanghaiNow().year() - application.birthYear} 岁）
              </View>
              <View className='lr-muted'>申请时间：{formatDateTime(application.appliedAt)}</View>
              <View className='lr-actions'>
                <Button
                  size='large'
                  fill='outline'
                  className='applications__reject'
                  onClick={() => setDecision({ kind: 'reject', application })}
                >
                  不通过
                </Button>
                <Button
                  type='primary'
                  size='large'
                  className='applications__verify'
                  onClick={() => setDecision({ kind: 'verify', application })}
                >
                  通过
                </Button>
              </View>
            </Card>
          ))
        : null}

      <Dialog
        className='applications__dialog'
        visible={decision !== null}
        title={decision?.kind === 'reject' ? '不通过的原因' : '确认通过'}
        confirmText={decision?.kind === 'reject' ? '确定不通过' : '确定通过'}
        cancelText='再想想'
        onConfirm={confirm}
        onCancel={close}
        onClose={close}
      >
        {decision?.kind === 'verify' ? (
          <View className='lr-text'>
            确认 {decision.application.realName} 是本{words.place}{words.member}，通过申请吗？
          </View>
        ) : null}
        {decision?.kind === 'reject' ? (
          <View className='applications__reason'>
            <View className='lr-muted'>申请人会看到这个原因。</View>
            <TextArea
              className='applications__reason-input'
              placeholder='例如：住址与花名册不一致，请到村委会核对'
              value={reason}
              maxLength={200}
              showCount
              onChange={(value: string) => {
                setReason(value)
                setReasonError('')
              }}
            />
            {reasonError ? <View className='lr-error'>{reasonError}</View> : null}
          </View>
        ) : null}
      </Dialog>
    </Page>
  )
}
