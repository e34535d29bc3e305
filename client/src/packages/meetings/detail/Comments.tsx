import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input, TextArea } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { AgendaComment } from '@liren/shared/contracts'
import { formatDateTime } from '../../../lib/format'
import { addComment, hideComment } from '../../../services/meetings'
import { errorText } from '../errors'
import { WideButton } from '../../../components/WideButtons'

/**
 * 征求意见 on one agenda item: what members have said, a box to add one while the meeting is announced,
 * and for the committee a way to hide one (with the reason its author sees).
 */
export function Comments(props: {
  villageId: number
  meetingId: number
  itemId: number
  comments: AgendaComment[]
  open: boolean
  /** While the meeting is announced: when 征求意见 closes. */
  closesAt: string | null
  canWrite: boolean
  committee: boolean
  onChange: (all: AgendaComment[]) => void
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  const [saving, setSaving] = useState(false)
  const [hiding, setHiding] = useState<number | null>(null)
  const [reason, setReason] = useState('')

  async function send() {
    if (text.trim().length < 2) return setError('请写下您的意见，至少 2 个字')
    setSaving(true)
    setError('')
    try {
      props.onChange(
        await addComment(props.villageId, props.meetingId, props.itemId, text.trim(), [
          'CONTENT_REJECTED',
          'VALIDATION_FAILED',
          'MEETING_STATE',
        ]),
      )
      setText('')
      void Taro.showToast({ title: '意见已提交', icon: 'none', duration: 2000 })
    } catch (e) {
      setError(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  async function hide(id: number) {
    if (reason.trim().length < 2) return setError('请写明隐藏的原因')
    try {
      props.onChange(
        await hideComment(props.villageId, props.meetingId, id, reason.trim(), ['VALIDATION_FAILED', 'NOT_FOUND']),
      )
      setHiding(null)
      setReason('')
      setError('')
    } catch (e) {
      setError(errorText(e))
    }
  }

  if (!props.open && props.comments.length === 0) return null
  return (
    <View className='comments'>
      <View className='meeting__subtitle'>大家的意见（{props.comments.length} 条）</View>
      {props.closesAt ? (
        <View className='lr-muted comments__deadline'>
          {props.open ? `征求意见到 ${formatDateTime(props.closesAt)} 截止` : '征求意见已经截止了'}
        </View>
      ) : null}
      {props.comments.map((c) => (
        <View key={c.id} className={`comments__item ${c.held ? 'comments__item--held' : ''}`}>
          <View className='lr-row'>
            <View className='comments__author'>{c.author}</View>
            <View className='lr-muted'>{formatDateTime(c.createdAt)}</View>
          </View>
          <View className='lr-text comments__body'>{c.body}</View>
          {c.hiddenReason ? (
            <View className='lr-warning comments__hidden'>已隐藏：{c.hiddenReason}</View>
          ) : c.held ? (
            <View className='lr-muted'>正在审核，审核通过前只有您和村委会看得到。</View>
          ) : null}
          {props.committee && !c.hiddenReason ? (
            hiding === c.id ? (
              <View className='comments__hide-form'>
                <Input
                  className='lr-input comments__hide-reason'
                  value={reason}
                  placeholder='隐藏的原因，提意见的人会看到'
                  maxLength={200}
                  onChange={setReason}
                />
                <View className='lr-actions'>
                  <Button size='small' fill='outline' onClick={() => setHiding(null)}>
                    不隐藏了
                  </Button>
                  <Button size='small' type='primary' className='comments__hide-confirm' onClick={() => hide(c.id)}>
                    确定隐藏
                  </Button>
                </View>
              </View>
            ) : (
              <View className='comments__hide' onClick={() => setHiding(c.id)}>
                隐藏
              </View>
            )
          ) : null}
        </View>
      ))}
      {props.open && props.canWrite ? (
        <View className='comments__form'>
          <TextArea
            className='lr-textarea comments__input'
            value={text}
            maxLength={500}
            showCount
            placeholder='对这项议程有什么想法，写在这里，开会前村委会都会看'
            onChange={setText}
          />
          <View className='lr-actions'>
            <WideButton fill='outline' loading={saving} className='comments__send' onClick={send}>
              提意见
            </WideButton>
          </View>
        </View>
      ) : null}
      {error ? <View className='lr-error comments__error'>{error}</View> : null}
    </View>
  )
}
