import dayjs from 'dayjs'
import type { CreateMeetingBody, Meeting } from '@liren/shared/contracts'
import {
  type Electorate,
  type MeetingKind,
  type PassRule,
  VILLAGER_MEETING_NOTICE_DAYS,
  defaultElectorate,
} from '@liren/shared/rules'

/** One agenda item as the form holds it: text boxes are strings, the vote is optional. */
export interface ItemDraft {
  key: number
  /** Editing a draft: the item as the server knows it (kept with the topic put on it). */
  id?: number
  title: string
  description: string
  hasVote: boolean
  question: string
  secret: boolean
  /** null: the meeting's own electorate (representatives for a 代表会议, every adult otherwise). */
  electorate: Electorate | null
  passRule: PassRule
}

export interface MeetingDraft {
  kind: MeetingKind
  title: string
  description: string
  place: string
  date: string
  time: string
  /** 征求意见 closes at the end of this day (YYYY-MM-DD); empty: when the meeting starts. */
  commentsUntil: string
  online: boolean
  /** 紧急: called with less notice than the rule, for this reason (shown on the notice and the result). */
  urgent: boolean
  urgentReason: string
  items: ItemDraft[]
}

export const MEETING_FIELDS = [
  'kind',
  'title',
  'description',
  'place',
  'date',
  'time',
  'commentsUntil',
  'online',
  'urgentReason',
  'agenda',
] as const
export type MeetingErrors = Partial<Record<(typeof MEETING_FIELDS)[number], string>>
export const ITEM_FIELDS = ['title', 'description', 'question', 'vote'] as const
export type ItemErrors = Partial<Record<(typeof ITEM_FIELDS)[number], string>>

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && dayjs(text).format('YYYY-MM-DD') === text

let nextKey = 1
export function newItem(): ItemDraft {
  return {
    key: nextKey++,
    title: '',
    description: '',
    hasVote: true,
    question: '',
    secret: true,
    electorate: null,
    passRule: 'majority',
  }
}

/**
 * Defaults: a 村民会议 on the first day its ten days of notice allow (第二十一条), at 19:30 (after the day's
 * work), one item with a yes/no vote.
 */
export function defaultDraft(now: dayjs.Dayjs): MeetingDraft {
  return {
    kind: 'villager_meeting',
    title: '',
    description: '',
    place: '',
    date: now.add(VILLAGER_MEETING_NOTICE_DAYS, 'day').format('YYYY-MM-DD'),
    time: '19:30',
    commentsUntil: '',
    online: true,
    urgent: false,
    urgentReason: '',
    items: [newItem()],
  }
}

/** A draft meeting as the form holds it, to edit (its items keep their ids). */
export function meetingToDraft(m: Meeting): MeetingDraft {
  const at = dayjs(m.startsAt).utcOffset(8 * 60)
  const commentsUntil = m.commentsCloseAt !== m.startsAt ? dayjs(m.commentsCloseAt).utcOffset(8 * 60) : null
  return {
    kind: m.kind,
    title: m.title,
    description: m.description,
    place: m.place,
    date: at.format('YYYY-MM-DD'),
    time: at.format('HH:mm'),
    commentsUntil: commentsUntil ? commentsUntil.format('YYYY-MM-DD') : '',
    online: m.online,
    urgent: m.urgentReason !== null,
    urgentReason: m.urgentReason ?? '',
    items: m.agenda.map((item) => ({
      ...newItem(),
      id: item.id,
      title: item.title,
      description: item.description,
      hasVote: item.vote !== null,
      question: item.vote?.question ?? '',
      secret: item.vote?.secret ?? true,
      electorate: item.vote && item.vote.electorate !== defaultElectorate(m.kind) ? item.vote.electorate : null,
      passRule: item.vote?.passRule ?? 'majority',
    })),
  }
}

/** A draft kept on the phone (lib/kept-draft.ts), or null when it is not one; its items get keys of this visit. */
export function keptMeetingDraft(kept: unknown, now: dayjs.Dayjs): MeetingDraft | null {
  const saved = kept as Partial<MeetingDraft> | ''
  if (!saved || typeof saved !== 'object' || typeof saved.title !== 'string' || !Array.isArray(saved.items)) return null
  const items = saved.items.filter((item) => item && typeof item === 'object')
  return {
    ...defaultDraft(now),
    ...saved,
    items: items.length ? items.map((item) => ({ ...newItem(), ...item, key: nextKey++ })) : [newItem()],
  }
}

/** Something typed that would be a pity to lose. */
export const meetingDraftWorthKeeping = (draft: MeetingDraft): boolean =>
  [
    draft.title,
    draft.description,
    draft.place,
    ...draft.items.flatMap((i) => [i.title, i.description, i.question]),
  ].some((text) => text.trim() !== '')

export function toMeetingBody(draft: MeetingDraft): {
  body: CreateMeetingBody | null
  errors: MeetingErrors
  itemErrors: ItemErrors[]
} {
  const errors: MeetingErrors = {}
  const title = draft.title.trim()
  const place = draft.place.trim()
  if (title.length < 2) errors.title = '请写会议名称，至少 2 个字'
  if (place.length < 2) errors.place = '请写在哪里开会，至少 2 个字'
  const dateOk = isDate(draft.date)
  if (!dateOk || !TIME.test(draft.time)) errors.date = '请选开会的日子和时间'
  const commentsUntil = (draft.commentsUntil ?? '').trim() // a draft kept from before the field existed has none
  if (commentsUntil && !isDate(commentsUntil)) errors.commentsUntil = '请重新选一天，或者不设'
  else if (commentsUntil && dateOk && commentsUntil > draft.date) errors.commentsUntil = '征求意见要在开会以前截止'
  if (draft.items.length === 0) errors.agenda = '至少要有一项议程'
  const urgentReason = (draft.urgentReason ?? '').trim()
  if (draft.urgent && urgentReason.length < 2) errors.urgentReason = '请写为什么要紧急召开，至少 2 个字'
  const itemErrors = draft.items.map((item) => {
    const e: ItemErrors = {}
    if (item.title.trim().length < 2) e.title = '请写要议的事，至少 2 个字'
    if (item.hasVote && item.question.trim().length < 2) e.question = '请写要大家表决什么，至少 2 个字'
    return e
  })
  if (Object.keys(errors).length || itemErrors.some((e) => Object.keys(e).length))
    return { body: null, errors, itemErrors }
  const startsAt = dayjs(`${draft.date}T${draft.time}:00+08:00`)
  return {
    body: {
      kind: draft.kind,
      title,
      description: draft.description.trim() || undefined,
      place,
      startsAt: startsAt.toISOString(),
      // The end of the day chosen, or the start if the meeting is that day.
      ...(commentsUntil
        ? {
            commentsCloseAt: (commentsUntil === draft.date
              ? startsAt
              : dayjs(`${commentsUntil}T23:59:59+08:00`)
            ).toISOString(),
          }
        : {}),
      online: draft.online,
      ...(draft.urgent ? { urgentReason } : {}),
      agenda: draft.items.map((item) => ({
        ...(item.id ? { id: item.id } : {}),
        title: item.title.trim(),
        description: item.description.trim() || undefined,
        vote: item.hasVote
          ? {
              question: item.question.trim(),
              secret: item.secret,
              passRule: item.passRule,
              ...(item.electorate ? { electorate: item.electorate } : {}),
            }
          : undefined,
      })),
    },
    errors,
    itemErrors,
  }
}

/**
 * The server's field paths onto the form: `agenda.1.vote.maxChoices` is the second item's vote,
 * `agenda.0.title` its title, `startsAt` the date and time, `title` the meeting's own.
 */
export function serverErrors(
  details: readonly { field: string; message: string }[],
  count: number,
): { errors: MeetingErrors; itemErrors: ItemErrors[]; other: string[] } {
  const errors: MeetingErrors = {}
  const itemErrors: ItemErrors[] = Array.from({ length: count }, () => ({}))
  const other: string[] = []
  for (const { field, message } of details) {
    const parts = field
      .replace(/^\/?(body[./])?/, '')
      .split(/[./]/)
      .filter(Boolean)
    if (parts[0] === 'agenda' && parts[1] !== undefined && /^\d+$/.test(parts[1]) && itemErrors[Number(parts[1])]) {
      const e = itemErrors[Number(parts[1])]!
      const key =
        parts[2] === 'vote'
          ? parts[3] === 'question'
            ? 'question'
            : 'vote'
          : parts[2] === 'description'
            ? 'description'
            : 'title'
      e[key] ??= message
    } else if (parts[0] === 'startsAt') errors.date ??= message
    else if (parts[0] === 'commentsCloseAt') errors.commentsUntil ??= message
    else if (parts[0] && (MEETING_FIELDS as readonly string[]).includes(parts[0]))
      errors[parts[0] as keyof MeetingErrors] ??= message
    else other.push(message)
  }
  return { errors, itemErrors, other }
}
