import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { TextArea } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Matter, RateMatterBody } from '@liren/shared/contracts'
import { RATINGS, RATING_LABEL, type Rating } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Chip } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { WideButton } from '../../../components/WideButtons'
import { useSubmit } from '../../../lib/page-hooks'
import { rateMatter } from '../../../services/meetings'

const BADGE: Record<Rating, string> = {
  satisfied: 'lr-badge--green',
  basically_satisfied: 'lr-badge--blue',
  unsatisfied: 'lr-badge--red',
}

const COUNT: Record<Rating, (m: Matter) => number> = {
  satisfied: (m) => m.ratings.satisfied,
  basically_satisfied: (m) => m.ratings.basicallySatisfied,
  unsatisfied: (m) => m.ratings.unsatisfied,
}

/** 监督评议: after 实施结果公开 each member rates the matter once; everyone sees the counts. */
export function RatingCard(props: {
  villageId: number
  matter: Matter
  committeeWord: string
  onRated: (matter: Matter) => void
  onStale: () => Promise<void>
}) {
  const { matter } = props
  const [rating, setRating] = useState<Rating | null>(null)
  const [comment, setComment] = useState('')
  const form = useSubmit(
    [],
    (body: RateMatterBody, { handled }) => rateMatter(props.villageId, matter.id, body, handled),
    {
      quiet: ['ALREADY_RATED', 'NOT_RATABLE'],
      anyRefusal: true,
      onRefused: async (caught) => {
        if (caught.code === 'ALREADY_RATED') {
          form.setFormError('您已经评议过了，每人只能评一次。')
          await props.onStale()
        } else if (caught.code === 'NOT_RATABLE') {
          form.setFormError('办理结果还没公开，现在还不能评议。')
          await props.onStale()
        } else form.setFormError(caught.details[0]?.message ?? caught.message)
      },
    },
  )
  const { formError: error, setFormError: setError, saving } = form
  const raters = RATINGS.reduce((sum, r) => sum + COUNT[r](matter), 0)

  async function send() {
    if (!rating) return setError('请先选一个：满意、基本满意还是不满意')
    const words = comment.trim()
    const next = await form.submit({ rating, ...(words ? { comment: words } : {}) })
    if (!next) return
    void Taro.showToast({ title: '谢谢您的评议', icon: 'none', duration: 2000 })
    props.onRated(next)
  }

  return (
    <Card title='监督评议' className='matter__rating'>
      {matter.needsRework ? (
        <View className='lr-warning matter__rework-note'>
          <View className='lr-badge lr-badge--red matter__rework-badge'>需要整改</View>
          <View>满意的人不到三分之一，这件事要由{props.committeeWord}整改。</View>
        </View>
      ) : null}
      <View className='matter__counts'>
        {RATINGS.map((r) => (
          <View key={r} className={`matter__count matter__count--${r}`}>
            <View className='matter__count-number'>{COUNT[r](matter)}</View>
            <View className='matter__count-label'>{RATING_LABEL[r]}</View>
          </View>
        ))}
      </View>
      <View className='lr-muted matter__raters'>{raters === 0 ? '还没有人评议。' : `一共 ${raters} 人评议。`}</View>

      {matter.myRating ? (
        <View className='matter__mine'>
          您的评议：
          <View className={`lr-badge ${BADGE[matter.myRating]} matter__my-rating`}>
            {RATING_LABEL[matter.myRating]}
          </View>
          <View className='lr-muted'>每人只能评一次，评了不能改。</View>
        </View>
      ) : null}

      {matter.canRate ? (
        <View className='matter__rate'>
          <View className='lr-text matter__rate-ask'>这件事办得怎么样？请您评一评（每人一次，评了不能改）。</View>
          <View className='lr-stack matter__rate-choices'>
            {RATINGS.map((r) => (
              <Chip
                key={r}
                on={rating === r}
                onTap={() => {
                  setRating(r)
                  setError('')
                }}
                className={`matter__rate-choice matter__rate-choice--${r}`}
              >
                {RATING_LABEL[r]}
              </Chip>
            ))}
          </View>
          <Field label='想说的话（可以不写）' className='matter__comment-field'>
            <TextArea
              className='lr-textarea matter__comment'
              value={comment}
              maxLength={300}
              showCount
              autoSize
              placeholder='例如：路修得结实，排水沟还要再清一清'
              onChange={(v: string) => setComment(v)}
            />
          </Field>
        </View>
      ) : null}
      {error ? <View className='lr-error matter__rate-error'>{error}</View> : null}
      {matter.canRate ? (
        <WideButton type='primary' loading={saving} className='lr-block-button matter__rate-send' onClick={send}>
          提交评议
        </WideButton>
      ) : null}
    </Card>
  )
}
