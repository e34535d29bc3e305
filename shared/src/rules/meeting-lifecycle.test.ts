import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MEETING_SETTINGS,
  MEETING_ACTIONS,
  MEETING_LIFECYCLE,
  MEETING_STATES,
  earliestStart,
  meetingActions,
  meetingAllows,
  meetingIsLive,
  noticeProblem,
  requiredNoticeDays,
} from './meetings.js'

const settings = DEFAULT_MEETING_SETTINGS
// 2026-12-06 10:00 in China.
const now = new Date('2026-12-06T02:00:00Z')
const daysLater = (days: number, hour = 10) => new Date(Date.UTC(2026, 11, 6 + days, hour - 8))

describe('the meeting lifecycle table', () => {
  it('every action moves between known states; ended meetings allow nothing; a draft is only announced', () => {
    for (const action of MEETING_ACTIONS) {
      const { from, to } = MEETING_LIFECYCLE[action]
      for (const s of [...from, to]) expect(MEETING_STATES).toContain(s)
    }
    expect(meetingActions('draft')).toEqual(['announce'])
    expect(meetingActions('announced')).toEqual(['postpone', 'start', 'cancel'])
    expect(meetingActions('postponed')).toEqual(['postpone', 'start', 'cancel'])
    expect(meetingActions('in_session')).toEqual(['close'])
    expect(meetingActions('closed')).toEqual(['publish'])
    expect(meetingActions('published')).toEqual([])
    expect(meetingActions('cancelled')).toEqual([])
    expect(meetingAllows('in_session', 'cancel')).toBe(false)
  })

  it('a meeting is live from its notice to its close', () => {
    expect(MEETING_STATES.filter(meetingIsLive)).toEqual(['announced', 'postponed', 'in_session'])
  })
})

describe('notice (第二十一条) and time', () => {
  it('ten calendar days for a 村民会议, the village’s days for a 代表会议, none for a 议事协商会', () => {
    expect(requiredNoticeDays('villager_meeting', settings)).toBe(10)
    expect(requiredNoticeDays('representative_meeting', settings)).toBe(3)
    expect(requiredNoticeDays('representative_meeting', { ...settings, representativeNoticeDays: 5 })).toBe(5)
    expect(requiredNoticeDays('deliberation', settings)).toBe(0)
    // Calendar days in China: noticed on the 6th for the 16th is ten days, whatever the hours.
    expect(noticeProblem('villager_meeting', daysLater(10, 8), now, settings, false)).toBeNull()
    expect(noticeProblem('villager_meeting', daysLater(9, 23), now, settings, false)).toContain('只有 9 天')
    expect(noticeProblem('representative_meeting', daysLater(2), now, settings, false)).toContain('提前 3 天')
    expect(noticeProblem('representative_meeting', daysLater(3), now, settings, false)).toBeNull()
    expect(noticeProblem('deliberation', daysLater(0, 11), now, settings, false)).toBeNull()
  })

  it('紧急 skips the period, never a start already past beyond the grace', () => {
    expect(noticeProblem('villager_meeting', daysLater(0, 11), now, settings, true)).toBeNull()
    const pastGrace = new Date(now.getTime() - 31 * 60_000)
    expect(noticeProblem('villager_meeting', pastGrace, now, settings, true)).toContain('已经过了')
    expect(noticeProblem('deliberation', new Date(now.getTime() - 29 * 60_000), now, settings, false)).toBeNull()
  })

  it('a session and a vote may begin from the announced time less the grace', () => {
    expect(earliestStart(daysLater(1), settings).getTime()).toBe(daysLater(1).getTime() - 30 * 60_000)
    expect(earliestStart(daysLater(1), { ...settings, startGraceMinutes: 0 })).toEqual(daysLater(1))
  })
})
