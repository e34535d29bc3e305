import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useEffect, useState, type ReactNode } from 'react'
import type {
  Meeting,
  Membership,
  OfflineTally,
  VillageKind,
  VillageMember,
  VoteResult,
  VoteSummary,
} from '@liren/shared/contracts'
import { meetingIsLive, placeWords, VOTE_STATE_LABEL } from '@liren/shared/rules'
import { Chip } from '../../../components/Choices'
import { Field } from '../../../components/Field'
import { InputField } from '../../../components/InputField'
import { WideButton } from '../../../components/WideButtons'
import { ApiError } from '../../../services/http'
import {
  castBallot,
  checkReceipt,
  closeVote,
  confirmOfflineTally,
  enterOfflineTally,
  openVote,
  saveReceipt,
  storedReceipt,
} from '../../../services/meetings'
import { errorText } from '../errors'
import { VoteCounts } from '../VoteCounts'
import { electorateLabel, PASS_RULE_LABEL } from '../labels'

export type Ask = (title: string, content: ReactNode, confirmText: string, run: () => Promise<void>) => void

/** What every vote on the page shares: the meeting, who is looking, the confirm dialog, a reload. */
export interface VoteContext {
  villageId: number
  meeting: Meeting
  membership: Membership | null
  committee: boolean
  villageKind: VillageKind
  ask: Ask
  reload: () => Promise<void>
  loadMembers: () => Promise<VillageMember[]>
}

const STATE_BADGE: Record<VoteSummary['state'], string> = {
  draft: 'lr-badge--grey',
  open: 'lr-badge--green',
  closed: 'lr-badge--grey',
}

/** One vote of the agenda: the question, how it is decided, and what the person looking can do. */
export function VoteBlock({
  vote,
  result,
  context,
}: {
  vote: VoteSummary
  result: VoteResult | null
  context: VoteContext
}) {
  const { meeting, committee, villageKind } = context
  const live = meetingIsLive(meeting.state)
  const unit = vote.electorate === 'households' ? '户' : '人'
  const [error, setError] = useState('')
  // The code just given by the server, shown large until the page is left.
  const [receipt, setReceipt] = useState<string | null>(null)
  // A refusal (e.g. the close before the tellers confirmed) is stale once the vote has moved on.
  const moved = `${vote.state}:${vote.offline?.id ?? 0}:${vote.offline?.counter.confirmed}:${vote.offline?.scrutineer.confirmed}`
  useEffect(() => setError(''), [moved])

  async function step(run: () => Promise<unknown>, done: string) {
    setError('')
    try {
      await run()
      void Taro.showToast({ title: done, icon: 'none', duration: 2000 })
    } catch (e) {
      setError(errorText(e))
    }
    await context.reload()
  }

  return (
    <View className={`vote vote--${vote.state}`}>
      <View className='vote__label'>表决</View>
      <View className='vote__question'>{vote.question}</View>
      <View className='lr-row vote__badges'>
        <View className={`lr-badge ${STATE_BADGE[vote.state]} vote__state`}>{VOTE_STATE_LABEL[vote.state]}</View>
        <View className='lr-badge lr-badge--blue vote__secret'>{vote.secret ? '无记名' : '记名'}</View>
      </View>
      <View className='lr-muted'>
        {electorateLabel(vote.electorate, villageKind)}；{PASS_RULE_LABEL[vote.passRule]}
        {vote.maxChoices > 1 ? `；最多选 ${vote.maxChoices} 项` : ''}。
      </View>
      {vote.state === 'open' ? (
        <View className='lr-text vote__progress'>
          应投 {vote.eligibleCount} {unit}。投了多少、怎么投的，表决结束后和结果一起公布。
        </View>
      ) : null}

      {vote.state === 'draft' && meeting.state === 'cancelled' ? (
        <View className='lr-muted vote__not-yet'>会议取消了，这项不表决了。</View>
      ) : vote.state === 'draft' ? (
        <View className='lr-muted vote__not-yet'>
          表决还没开始。开始后{meeting.online ? '可以在这里投票，也可以到会场投' : '请到会场投票'}。
        </View>
      ) : null}
      {vote.state === 'open' ? <Ballot vote={vote} context={context} receipt={receipt} onReceipt={setReceipt} /> : null}
      {vote.state === 'closed' && result ? <Result vote={vote} result={result} context={context} /> : null}
      {vote.offline && vote.state !== 'closed' ? (
        <OfflineView vote={vote} tally={vote.offline} context={context} />
      ) : null}

      {committee && live && vote.state !== 'closed' ? (
        <View className='vote__admin'>
          <View className='meeting__subtitle'>主持表决（{placeWords(villageKind).committee}）</View>
          {vote.state === 'open' ? <OfflineForm vote={vote} context={context} /> : null}
          <View className='lr-actions vote__committee'>
            {vote.state === 'draft' ? (
              <WideButton
                type='primary'
                className='vote__open'
                onClick={() =>
                  context.ask(
                    '开始表决',
                    `“${vote.question}”现在开始投票吗？开始后名单上的人就可以投了。`,
                    '开始表决',
                    () => step(() => openVote(context.villageId, vote.id, true), '表决已开始'),
                  )
                }
              >
                开始表决
              </WideButton>
            ) : (
              <WideButton
                type='primary'
                className='vote__close'
                onClick={() =>
                  context.ask(
                    '结束表决',
                    '结束后不能再投票，马上计票、公布结果。会场的票数要先录入，并经计票人和监票人确认。',
                    '结束表决',
                    () => step(() => closeVote(context.villageId, vote.id, true), '表决已结束'),
                  )
                }
              >
                结束表决
              </WideButton>
            )}
          </View>
        </View>
      ) : null}
      {error ? <View className='lr-error vote__error'>{error}</View> : null}
    </View>
  )
}

/** While a vote is open: the choices, the ballot with its confirmation, then the receipt code. */
function Ballot({
  vote,
  context,
  receipt,
  onReceipt,
}: {
  vote: VoteSummary
  context: VoteContext
  receipt: string | null
  onReceipt: (code: string) => void
}) {
  const [chosen, setChosen] = useState<number[]>([])
  const [error, setError] = useState('')
  const kept = receipt ?? storedReceipt(vote.id)

  if (receipt) {
    return (
      <View className='vote__receipt'>
        <View className='vote__receipt-done'>投票成功</View>
        <View className='lr-text'>您的回执码：</View>
        <View className='vote__receipt-code'>{receipt}</View>
        <View className='lr-muted'>
          请抄下来或截图留着。表决结束后，可以用它查您的票有没有计入；回执码看不出您投了什么。
        </View>
      </View>
    )
  }
  if (vote.voted) {
    return (
      <View className='vote__voted'>
        <View className='vote__voted-text'>您已经投过票了</View>
        {kept ? (
          <View className='lr-muted'>
            回执码：<View className='vote__kept-code'>{kept}</View>
          </View>
        ) : null}
      </View>
    )
  }
  if (!context.meeting.online)
    return <View className='lr-muted vote__venue-only'>这项表决在会场举手或投纸质票，不在手机上投。</View>
  if (!vote.eligible) return <View className='lr-muted vote__not-eligible'>您不在这项表决的名单上。</View>

  const single = vote.maxChoices === 1
  const toggle = (id: number) => {
    setError('')
    if (single) setChosen([id])
    else
      setChosen(
        chosen.includes(id)
          ? chosen.filter((c) => c !== id)
          : chosen.length < vote.maxChoices
            ? [...chosen, id]
            : chosen,
      )
  }
  const labels = vote.options.filter((o) => chosen.includes(o.id)).map((o) => o.label)

  async function cast() {
    try {
      const { receiptCode } = await castBallot(context.villageId, vote.id, chosen, [
        'ALREADY_VOTED',
        'VOTE_NOT_OPEN',
        'NOT_ON_ROLL',
        'INVALID_CHOICES',
      ])
      saveReceipt(vote.id, receiptCode)
      onReceipt(receiptCode)
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'NOT_ON_ROLL' ? e.message : errorText(e))
    }
    await context.reload()
  }

  return (
    <View className='vote__ballot'>
      <View className='lr-text vote__pick'>{single ? '请选一项：' : `请选，最多 ${vote.maxChoices} 项：`}</View>
      <View className='vote__options'>
        {vote.options.map((o) => (
          <Chip
            key={o.id}
            on={chosen.includes(o.id)}
            onTap={() => toggle(o.id)}
            className={`vote__option vote__option--${o.kind}`}
          >
            {chosen.includes(o.id) ? `✓ ${o.label}` : o.label}
          </Chip>
        ))}
      </View>
      <View className='lr-actions'>
        <WideButton
          type='primary'
          disabled={chosen.length === 0}
          className='vote__cast'
          onClick={() =>
            context.ask('确认投票', <ConfirmBallot question={vote.question} labels={labels} />, '确定投票', cast)
          }
        >
          投票
        </WideButton>
      </View>
      {error ? <View className='lr-error vote__ballot-error'>{error}</View> : null}
    </View>
  )
}

/** The question again, what was chosen, and that a ballot cannot be changed. */
function ConfirmBallot({ question, labels }: { question: string; labels: string[] }) {
  return (
    <View className='vote__confirm'>
      <View className='vote__confirm-question'>{question}</View>
      <View>您选的是：</View>
      <View className='vote__confirm-choice'>{labels.join('、')}</View>
      <View className='lr-error'>投了不能改。</View>
    </View>
  )
}

/** After the close: the published result, and 查我的票. */
function Result({ vote, result, context }: { vote: VoteSummary; result: VoteResult; context: VoteContext }) {
  return (
    <VoteCounts result={result} meetingKind={context.meeting.kind}>
      <MyReceipt vote={vote} context={context} />
    </VoteCounts>
  )
}

/** 查我的票: whether the ballot of the receipt code kept on the phone (or typed in) is in the box. */
function MyReceipt({ vote, context }: { vote: VoteSummary; context: VoteContext }) {
  const kept = storedReceipt(vote.id)
  const [typed, setTyped] = useState('')
  const [answer, setAnswer] = useState<{ code: string; counted: boolean } | null>(null)
  const [error, setError] = useState('')
  if (!kept && !vote.voted) return null

  async function check(code: string) {
    const clean = code.trim().toUpperCase()
    setError('')
    if (!/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(clean)) {
      setError('回执码是 12 个字母和数字，像 ABCD-EFGH-JKLM')
      return
    }
    try {
      setAnswer({ code: clean, ...(await checkReceipt(context.villageId, vote.id, clean, ['VALIDATION_FAILED'])) })
    } catch (e) {
      setError(errorText(e))
    }
  }

  return (
    <View className='vote__my-receipt'>
      <View className='meeting__subtitle'>查我的票</View>
      {kept ? (
        <View className='lr-text'>
          这部手机记着您的回执码：<View className='vote__kept-code'>{kept}</View>
        </View>
      ) : (
        <View className='lr-muted'>输入投票后拿到的回执码：</View>
      )}
      {kept ? null : (
        <Input
          className='lr-input vote__receipt-input'
          placeholder='ABCD-EFGH-JKLM'
          value={typed}
          maxLength={14}
          onChange={(value: string) => setTyped(value)}
        />
      )}
      <View className='lr-actions'>
        <WideButton fill='outline' className='vote__check-receipt' onClick={() => check(kept ?? typed)}>
          查我的票
        </WideButton>
      </View>
      {answer ? (
        <View
          className={`vote__receipt-answer ${answer.counted ? 'vote__receipt-answer--counted' : 'vote__receipt-answer--missing'}`}
        >
          {answer.counted ? '✓ 已计入' : '没有找到这张票，请核对回执码，或问问计票人'}
        </View>
      ) : null}
      {error ? <View className='lr-error'>{error}</View> : null}
    </View>
  )
}

/** The venue counts entered for an open vote, who counted them, and for a teller the 确认计票 button. */
function OfflineView({ vote, tally, context }: { vote: VoteSummary; tally: OfflineTally; context: VoteContext }) {
  const me = context.membership?.id
  const myPart =
    tally.counter.membershipId === me && !tally.counter.confirmed
      ? tally.counter
      : tally.scrutineer.membershipId === me && !tally.scrutineer.confirmed
        ? tally.scrutineer
        : null
  const [error, setError] = useState('')
  const counts = vote.options
    .map((o) => `${o.label} ${tally.counts.find((c) => c.optionId === o.id)?.count ?? 0} 票`)
    .join('，')

  async function confirm() {
    setError('')
    try {
      await confirmOfflineTally(context.villageId, vote.id, tally.id, true)
      void Taro.showToast({ title: '已确认', icon: 'none', duration: 2000 })
    } catch (e) {
      setError(errorText(e))
    }
    await context.reload()
  }

  return (
    <View className='vote__offline'>
      <View className='meeting__subtitle'>会场投票</View>
      {/* The server sends an open vote's venue counts only to the one who entered them and the two tellers. */}
      <View className='lr-text'>会场投票 {tally.ballots} 人</View>
      <View className='lr-text vote__offline-counts'>{counts}</View>
      <View className='lr-muted vote__offline-private'>表决结束前，这些票数只有录入的人和计票人、监票人看得到。</View>
      {tally.reason ? <View className='lr-muted'>更正原因：{tally.reason}</View> : null}
      {[
        ['计票人', tally.counter],
        ['监票人', tally.scrutineer],
      ].map(([role, teller]) => {
        const t = teller as OfflineTally['counter']
        return (
          <View key={role as string} className='lr-row vote__teller'>
            <View className='lr-text'>
              {role as string}：{t.name}
            </View>
            <View className={`lr-badge ${t.confirmed ? 'lr-badge--green' : 'lr-badge--grey'}`}>
              {t.confirmed ? '已确认' : '待确认'}
            </View>
          </View>
        )
      })}
      {myPart ? (
        <View className='lr-actions'>
          <WideButton
            type='primary'
            className='vote__confirm-tally'
            onClick={() =>
              context.ask(
                '确认计票',
                `您核对过会场的票数吗？${counts}，共 ${tally.ballots} 人投票。确认后不能撤回。`,
                '确认无误',
                confirm,
              )
            }
          >
            确认计票
          </WideButton>
        </View>
      ) : null}
      {error ? <View className='lr-error vote__confirm-error'>{error}</View> : null}
    </View>
  )
}

/** 录入现场票数 (committee): a count per option and the two tellers, who then confirm in their phones. */
function OfflineForm({ vote, context }: { vote: VoteSummary; context: VoteContext }) {
  const [open, setOpen] = useState(false)
  const [members, setMembers] = useState<VillageMember[]>([])
  const [counts, setCounts] = useState<Record<number, string>>({})
  const [counter, setCounter] = useState<number | null>(null)
  const [scrutineer, setScrutineer] = useState<number | null>(null)
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [saving, setSaving] = useState(false)
  // Counts entered by another committee member are not shown here; the server then asks for a reason.
  const [correcting, setCorrecting] = useState(vote.offline !== null)

  async function start() {
    try {
      setMembers(await context.loadMembers())
      setCounts(
        Object.fromEntries(
          vote.options.map((o) => [o.id, String(vote.offline?.counts.find((c) => c.optionId === o.id)?.count ?? 0)]),
        ),
      )
      setCounter(vote.offline?.counter.membershipId ?? null)
      setScrutineer(vote.offline?.scrutineer.membershipId ?? null)
      setReason('')
      setCorrecting((was) => was || vote.offline !== null)
      setError('')
      setOpen(true)
    } catch {
      // http.ts has shown why.
    }
  }

  async function submit() {
    const parsed = vote.options.map((o) => ({ optionId: o.id, count: Number(counts[o.id] ?? '') }))
    if (parsed.some((c) => !Number.isInteger(c.count) || c.count < 0)) return setError('每个选项请填 0 或正整数')
    if (!counter || !scrutineer) return setError('请选计票人和监票人')
    if (counter === scrutineer) return setError('计票人和监票人不能是同一个人')
    if (correcting && reason.trim().length < 2) return setError('更正票数请写明原因，至少 2 个字')
    setSaving(true)
    setError('')
    try {
      await enterOfflineTally(
        context.villageId,
        vote.id,
        {
          counts: parsed,
          counterMembershipId: counter,
          scrutineerMembershipId: scrutineer,
          ...(correcting ? { reason: reason.trim() } : {}),
        },
        ['OFFLINE_EXCEEDS_ROLL', 'TELLER_INVALID', 'VALIDATION_FAILED', 'VOTE_NOT_OPEN'],
      )
      void Taro.showToast({ title: '已录入，请两位确认', icon: 'none', duration: 2000 })
      setOpen(false)
      await context.reload()
    } catch (e) {
      if (e instanceof ApiError && e.details.some((d) => d.field === 'reason')) setCorrecting(true)
      setError(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  if (!open) {
    return (
      <View className='lr-actions'>
        <WideButton fill='outline' className='vote__offline-open' onClick={start}>
          {correcting ? '更正现场票数' : '录入现场票数'}
        </WideButton>
      </View>
    )
  }

  return (
    <View className='vote__offline-form'>
      <View className='meeting__subtitle'>{correcting ? '更正现场票数' : '录入现场票数'}</View>
      <View className='lr-muted vote__offline-note'>
        会场举手或投纸质票的，数好后填在这里。登记了到会、没在手机上投票的人，算作在会场投票。
      </View>
      {vote.options.map((o) => (
        <InputField
          key={o.id}
          label={o.label}
          className='vote__offline-field'
          inputClassName={`vote__offline-count vote__offline-count--${o.kind}`}
          type='number'
          value={counts[o.id] ?? ''}
          maxLength={6}
          onChange={(value) => setCounts({ ...counts, [o.id]: value })}
        />
      ))}
      <TellerChoice
        label='计票人'
        hint='计票人、监票人要是两个不同的人；录入后请他们在自己的手机上确认'
        members={members}
        value={counter}
        onChange={setCounter}
        className='vote__counter'
      />
      <TellerChoice
        label='监票人'
        members={members}
        value={scrutineer}
        onChange={setScrutineer}
        className='vote__scrutineer'
      />
      {correcting ? (
        <InputField
          label='更正原因'
          inputClassName='vote__offline-reason'
          value={reason}
          maxLength={200}
          onChange={setReason}
        />
      ) : null}
      {error ? <View className='lr-error vote__offline-error'>{error}</View> : null}
      <View className='lr-actions'>
        <Button size='large' fill='outline' onClick={() => setOpen(false)}>
          先不录
        </Button>
        <Button type='primary' size='large' loading={saving} className='vote__offline-submit' onClick={submit}>
          录入
        </Button>
      </View>
    </View>
  )
}

function TellerChoice(props: {
  label: string
  hint?: string
  members: VillageMember[]
  value: number | null
  onChange: (id: number) => void
  className: string
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      <View className={`lr-chips ${props.className}`}>
        {props.members.map((m) => (
          <Chip
            key={m.membershipId}
            on={props.value === m.membershipId}
            onTap={() => props.onChange(m.membershipId)}
            className='vote__teller-choice'
          >
            {m.realName}
          </Chip>
        ))}
      </View>
    </Field>
  )
}
