import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, TextArea } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { Application, PersonMatch } from '@liren/shared/contracts'
import { placeWords } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { Page } from '../../../components/Page'
import { formatDate, formatDateTime, shanghaiNow } from '../../../lib/format'
import { useTextWithError } from '../../../lib/form-text'
import { usePageData } from '../../../lib/page-hooks'
import { useVillageMembership } from '../../../lib/village'
import { ApiError } from '../../../services/http'
import { listPendingApplications, rejectApplication, verifyApplication } from '../../../services/identity'
import './index.css'

/** Which roster person the applicant is: one of the suggestions, or nobody on the roster yet. */
type Pick = { personId: number } | 'none'

type Decision =
  { kind: 'verify'; application: Application; match: PersonMatch | null } | { kind: 'reject'; application: Application }

/** The roster changed under us (someone linked that person meanwhile): show the list afresh. */
const STALE_CHOICE = ['PERSON_ALREADY_LINKED', 'PERSON_NOT_FOUND']

export default function Applications() {
  const { villageId, membership: village } = useVillageMembership()
  const { data, reload } = usePageData(() => listPendingApplications(villageId, ['FORBIDDEN']), { onShow: false })
  const [picks, setPicks] = useState<Record<number, Pick>>({})
  const [unpicked, setUnpicked] = useState<number | null>(null)
  const [decision, setDecision] = useState<Decision | null>(null)
  const reason = useTextWithError()

  function close() {
    setDecision(null)
    reason.change('')
  }

  function pick(application: Application, choice: Pick) {
    setPicks((all) => ({ ...all, [application.id]: choice }))
    if (unpicked === application.id) setUnpicked(null)
  }

  /** 通过: when the roster suggests someone, the committee says first who the applicant is. */
  function startVerify(application: Application) {
    const choice = picks[application.id]
    const selectable = application.matches.some((m) => !m.linked)
    if (selectable && choice === undefined) return setUnpicked(application.id)
    const match =
      choice && choice !== 'none' ? (application.matches.find((m) => m.personId === choice.personId) ?? null) : null
    setDecision({ kind: 'verify', application, match })
  }

  /** Runs a decision; an application someone else already decided simply leaves the list. */
  async function decide(run: () => Promise<Application>, done: string) {
    try {
      await run()
      void Taro.showToast({ title: done, icon: 'none', duration: 2000 })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (STALE_CHOICE.includes(error.code)) {
        void Taro.showToast({ title: error.message, icon: 'none', duration: 3000 })
        setPicks({})
      } else if (error.code !== 'ALREADY_DECIDED') throw error
    }
    await reload()
  }

  async function confirm() {
    if (!decision) return
    const { application } = decision
    if (decision.kind === 'verify') {
      const personId = decision.match?.personId ?? null
      await decide(
        () => verifyApplication(villageId, application.id, personId, ['ALREADY_DECIDED', ...STALE_CHOICE]),
        `已通过${application.realName}的申请`,
      ).catch(() => undefined)
      return close()
    }
    const text = reason.value.trim()
    if (text.length < 2 || text.length > 200) {
      reason.setError('请写明原因，2 到 200 个字')
      // Keeps the dialog open.
      throw new Error('invalid reason')
    }
    await decide(
      () => rejectApplication(villageId, application.id, text, ['ALREADY_DECIDED']),
      '已告知申请人未通过',
    ).catch(() => undefined)
    close()
  }

  const words = placeWords(village?.villageKind ?? 'rural')
  return (
    <Page className='applications'>
      <View className='lr-heading'>{village ? `${village.villageName} · 入${words.place}申请` : '入村申请'}</View>
      <View className='lr-muted applications__intro'>请核对申请人是花名册里的哪一位，再决定是否通过。</View>

      {data.state === 'loading' ? <View className='lr-muted'>正在加载…</View> : null}
      {data.state === 'failed' && data.code === 'FORBIDDEN' ? (
        <Card title='不能查看'>
          <View className='lr-text'>{data.message}</View>
        </Card>
      ) : null}
      {data.state === 'failed' && data.code !== 'FORBIDDEN' ? (
        <Card title='没有加载成功'>
          <View className='lr-actions'>
            <Button size='large' onClick={reload}>
              再试一次
            </Button>
          </View>
        </Card>
      ) : null}
      {data.state === 'ready' && data.value.length === 0 ? (
        <Card title='没有待审核的申请'>
          <View className='lr-muted'>新的申请会显示在这里。</View>
        </Card>
      ) : null}
      {data.state === 'ready'
        ? data.value.map((application) => (
            <Card key={application.id} className='applications__item' title={application.realName}>
              <View className='lr-text'>住址：{application.householdAddress}</View>
              <View className='lr-text'>
                出生：{application.birthYear} 年（{shanghaiNow().year() - application.birthYear} 岁）
              </View>
              {application.phone ? <PhoneLine phone={application.phone} /> : null}
              <View className='lr-muted'>申请时间：{formatDateTime(application.appliedAt)}</View>

              <RosterMatches
                application={application}
                pick={picks[application.id]}
                onPick={(choice) => pick(application, choice)}
                member={words.member}
              />
              {unpicked === application.id ? (
                <View className='lr-error applications__unpicked'>请先选一位花名册里的人，或者选“花名册里没有”。</View>
              ) : null}

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
                  onClick={() => startVerify(application)}
                >
                  通过
                </Button>
              </View>
            </Card>
          ))
        : null}

      <ConfirmDialog
        className='applications__dialog'
        subject={decision}
        title={decision?.kind === 'reject' ? '不通过的原因' : '确认通过'}
        confirmText={decision?.kind === 'reject' ? '确定不通过' : '确定通过'}
        onConfirm={confirm}
        onDismiss={close}
      >
        {(chosen) => (
          <>
            {chosen.kind === 'verify' && chosen.match ? (
              <View className='applications__same'>
                <View className='lr-text'>
                  申请人：{chosen.application.realName}，{chosen.application.birthYear} 年出生
                </View>
                <View className='lr-text'>
                  花名册：{chosen.match.name}，{formatDate(chosen.match.birthDate)}出生，户号{' '}
                  {chosen.match.householdNumber}
                </View>
                <View className='lr-text applications__same-question'>
                  是同一个人吗？通过后，这个账号就对应花名册里的这个人。
                </View>
              </View>
            ) : null}
            {chosen.kind === 'verify' && !chosen.match ? (
              <>
                <View className='lr-text'>
                  确认 {chosen.application.realName} 是本{words.place}
                  {words.member}，通过申请吗？
                </View>
                <View className='lr-warning applications__unlinked'>
                  没有选花名册里的人：通过后，{chosen.application.realName}
                  暂时没有积分账户，也不能在手机上表决，要等在花名册里关联上才有。
                </View>
              </>
            ) : null}
            {chosen.kind === 'reject' ? (
              <View className='applications__reason'>
                <View className='lr-muted'>申请人会看到这个原因。</View>
                <TextArea
                  className='lr-textarea applications__reason-input'
                  placeholder='例如：住址与花名册不一致，请到村委会核对'
                  value={reason.value}
                  maxLength={200}
                  showCount
                  onChange={reason.change}
                />
                {reason.error ? <View className='lr-error'>{reason.error}</View> : null}
              </View>
            ) : null}
          </>
        )}
      </ConfirmDialog>
    </Page>
  )
}

/** The phone the applicant gave, to call and check with them: one tap dials it. */
function PhoneLine({ phone }: { phone: string }) {
  const call = () => Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined)
  return (
    <View className='lr-row applications__phone-row'>
      <View className='lr-text'>电话：</View>
      <View className='applications__phone' onClick={call}>
        {phone}
      </View>
      <View className='lr-muted'>点一下就能打</View>
    </View>
  )
}

/** The roster people the server thinks this applicant may be, best first, and "not on the roster". */
function RosterMatches(props: {
  application: Application
  pick: Pick | undefined
  onPick: (pick: Pick) => void
  member: string
}) {
  const { application, pick } = props
  const chosen = (match: PersonMatch) => pick !== undefined && pick !== 'none' && pick.personId === match.personId
  return (
    <View className='applications__matches'>
      <View className='applications__matches-title'>
        {application.matches.length ? '花名册里可能是：' : '花名册里没有找到相近的人。'}
      </View>
      {application.matches.map((match) => (
        <View
          key={match.personId}
          className={[
            'lr-pick applications__match',
            chosen(match) ? 'lr-pick--chosen' : '',
            match.linked ? 'applications__match--linked' : '',
          ].join(' ')}
          onClick={() => (match.linked ? undefined : props.onPick({ personId: match.personId }))}
        >
          <View className='lr-pick__name'>{match.name}</View>
          <View className='lr-text'>
            {formatDate(match.birthDate)}出生 · 户号 {match.householdNumber}
          </View>
          <View className='lr-muted'>{match.address}</View>
          {match.reasons.length ? (
            <View className='lr-row applications__reasons'>
              {match.reasons.map((reason) => (
                <View key={reason} className={`lr-badge ${match.linked ? 'lr-badge--grey' : 'lr-badge--green'}`}>
                  {reason}
                </View>
              ))}
            </View>
          ) : null}
          {match.linked ? <View className='applications__match-note'>已被其他用户关联</View> : null}
          {chosen(match) ? <View className='lr-pick__check'>已选</View> : null}
        </View>
      ))}
      {application.matches.length ? (
        <View
          className={`lr-pick applications__match applications__match--none${pick === 'none' ? ' lr-pick--chosen' : ''}`}
          onClick={() => props.onPick('none')}
        >
          <View className='lr-pick__name'>花名册里没有</View>
          <View className='lr-muted'>都不是这位{props.member}</View>
          {pick === 'none' ? <View className='lr-pick__check'>已选</View> : null}
        </View>
      ) : null}
    </View>
  )
}
