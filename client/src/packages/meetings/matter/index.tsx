import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import type { Matter, MeetingList } from '@liren/shared/contracts'
import { MATTER_STAGES, MATTER_STAGE_LABEL } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Fact, Facts } from '../../../components/Facts'
import { NotReady } from '../../../components/LoadFailed'
import { Page } from '../../../components/Page'
import { formatDate, formatDateTime } from '../../../lib/format'
import { usePageData } from '../../../lib/page-hooks'
import { getMatter, getMeeting } from '../../../services/meetings'
import { MATTER_STAGE_NOTE } from '../labels'
import { MatterBadges } from '../MatterBadges'
import { useMeetingsVillage } from '../meetings-village'
import { meetingPaths } from '../paths'
import { RatingCard } from './RatingCard'
import { StageForm } from './StageForm'
import './index.css'

/** The titles of the meetings that decided a matter (决议), by id, for the links on its path. */
type Titles = Record<number, string>

/** A major matter (重大事项): its six stages as a path, the committee recording the next, and 监督评议. */
export default function MatterDetail() {
  const { villageId, kind, words, committee } = useMeetingsVillage()
  const matterId = Number(useRouter().params.matterId)

  /** The matter with the titles of its meetings, those already known looked up no more. */
  async function withTitles(matter: Matter, known: Titles = {}) {
    const ids = matter.stages.flatMap((s) => (s.meetingId && !known[s.meetingId] ? [s.meetingId] : []))
    const found = await Promise.all(ids.map((id) => getMeeting(villageId, id, true).catch(() => null)))
    const titles: Titles = { ...known }
    for (const m of found) if (m) titles[m.id] = m.title
    return { matter, titles }
  }
  const { data, reload: load, set } = usePageData(async () => withTitles(await getMatter(villageId, matterId, true)))
  const show = async (matter: Matter, known?: Titles) => set(await withTitles(matter, known))

  if (data.state !== 'ready') return <NotReady data={data} onRetry={load} />

  const { matter, titles } = data.value
  const recorded = new Map(matter.stages.map((s) => [s.stage, s]))
  const resultPublic = recorded.has('result_public')
  /** Titles of meetings picked in the form, so the new stage's link reads right away. */
  const saved = (next: Matter, picked?: MeetingList[number]) =>
    void show(next, picked ? { ...titles, [picked.id]: picked.title } : titles)

  return (
    <Page className='matter'>
      <View className='lr-heading matter__title'>{matter.title}</View>
      <MatterBadges matter={matter} block='matter' />

      <Card className='matter__what'>
        <View className='lr-text lr-prose matter__description'>{matter.description}</View>
        <Facts>
          <Fact label='记下时间'>{formatDateTime(matter.createdAt)}</Fact>
        </Facts>
      </Card>

      <Card title='办理经过（四议两公开）' className='matter__path'>
        {MATTER_STAGES.map((stage, index) => {
          const done = recorded.get(stage)
          const state = done ? 'done' : stage === matter.nextStage ? 'next' : 'later'
          return (
            <View key={stage} className={`matter__stage matter__stage--${state}`}>
              <View className='matter__stage-dot'>{done ? '✓' : index + 1}</View>
              <View className='matter__stage-body'>
                <View className='matter__stage-title'>
                  {MATTER_STAGE_LABEL[stage]}
                  {state === 'next' ? <View className='lr-badge lr-badge--blue matter__stage-next'>下一步</View> : null}
                </View>
                {done ? (
                  <>
                    <View className='lr-muted matter__stage-date'>{formatDate(done.heldOn)}</View>
                    <View className='lr-text lr-prose matter__stage-outcome'>{done.outcome}</View>
                    {done.document ? (
                      <View className='lr-muted matter__stage-document'>文件：{done.document}</View>
                    ) : null}
                    {done.meetingId ? (
                      <View
                        className='matter__link matter__stage-meeting'
                        onClick={() => Taro.navigateTo({ url: meetingPaths.detail(villageId, done.meetingId!) })}
                      >
                        {titles[done.meetingId] ? `看会议“${titles[done.meetingId]}” ›` : '看这次会议 ›'}
                      </View>
                    ) : null}
                  </>
                ) : (
                  <View className='lr-muted matter__stage-note'>{MATTER_STAGE_NOTE[stage]}</View>
                )}
              </View>
            </View>
          )
        })}
      </Card>

      {committee && matter.nextStage ? (
        <StageForm
          key={matter.nextStage}
          villageId={villageId}
          matter={matter}
          stage={matter.nextStage}
          kind={kind}
          onSaved={saved}
          onStale={load}
        />
      ) : null}

      {resultPublic ? (
        <RatingCard
          villageId={villageId}
          matter={matter}
          committeeWord={words.committee}
          onRated={(next) => saved(next)}
          onStale={load}
        />
      ) : (
        <View className='lr-muted matter__rate-later'>
          办理结果公开后，大家可以在这里评一评：满意、基本满意还是不满意。
        </View>
      )}
    </Page>
  )
}
