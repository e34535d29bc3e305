import Taro from '@tarojs/taro'
import type {
  BallotReceipt,
  CreateMeetingBody,
  Meeting,
  MeetingCode,
  MeetingList,
  OfflineTally,
  OfflineTallyBody,
  VoteResult,
} from '@liren/shared/contracts'
import { request, type RequestOptions } from './http'

type Handled = RequestOptions['handled']

const meetings = (villageId: number) => `/api/villages/${villageId}/meetings`
const vote = (villageId: number, voteId: number) => `/api/villages/${villageId}/votes/${voteId}`

// ---- meetings (会议) ----

/** The village's meetings, newest first (drafts only for the committee). */
export function listMeetings(villageId: number, handled?: Handled): Promise<MeetingList> {
  return request<MeetingList>(meetings(villageId), { handled })
}

/** A draft meeting with its agenda (committee). 400 VALIDATION_FAILED with fields like `agenda.0.vote.maxChoices`. */
export function createMeeting(villageId: number, body: CreateMeetingBody, handled?: Handled): Promise<Meeting> {
  return request<Meeting>(meetings(villageId), { method: 'POST', data: body, handled })
}

export function getMeeting(villageId: number, meetingId: number, handled?: Handled): Promise<Meeting> {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}`, { handled })
}

/** The steps of a meeting: 发出通知 (freezes the roll), 开会, 散会, 公布. 409 MEETING_STATE, NO_AGENDA. */
export type MeetingStep = 'announce' | 'start' | 'close' | 'publish'

export function advanceMeeting(villageId: number, meetingId: number, step: MeetingStep, handled?: Handled): Promise<Meeting> {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/${step}`, { method: 'POST', handled })
}

/** The committee checks in a villager without a phone. 409 ALREADY_CONFIRMED, 404 NOT_ON_ROLL. */
export function checkInPerson(villageId: number, meetingId: number, personId: number, handled?: Handled): Promise<Meeting> {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/attendance`, { method: 'POST', data: { personId }, handled })
}

/** The meeting's sign-in code for the venue (committee): a mini-program code in weapp, a plain QR in H5. */
export function getMeetingCode(villageId: number, meetingId: number, handled?: Handled): Promise<MeetingCode> {
  return request<MeetingCode>(`${meetings(villageId)}/${meetingId}/code`, { handled })
}

/** A member signs in with the code scanned at the venue. 400 CODE_INVALID, 409 ALREADY_CONFIRMED / MEETING_STATE, 404 NOT_ON_ROLL. */
export function checkInByCode(villageId: number, meetingId: number, token: string, handled?: Handled): Promise<Meeting> {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/check-in`, { method: 'POST', data: { token }, handled })
}

// ---- votes (表决) ----

/** 409 VOTE_NOT_OPEN (already opened), MEETING_STATE. */
export function openVote(villageId: number, voteId: number, handled?: Handled): Promise<{ opened: boolean }> {
  return request<{ opened: boolean }>(`${vote(villageId, voteId)}/open`, { method: 'POST', handled })
}

/** The tally, kept and published. 409 VOTE_NOT_OPEN, OFFLINE_UNCONFIRMED (the tellers have not both confirmed the venue counts). */
export function closeVote(villageId: number, voteId: number, handled?: Handled): Promise<VoteResult> {
  return request<VoteResult>(`${vote(villageId, voteId)}/close`, { method: 'POST', handled })
}

/** A ballot is final. 409 ALREADY_VOTED, VOTE_NOT_OPEN; 403 NOT_ON_ROLL; 400 INVALID_CHOICES. */
export function castBallot(villageId: number, voteId: number, choices: number[], handled?: Handled): Promise<BallotReceipt> {
  return request<BallotReceipt>(`${vote(villageId, voteId)}/ballots`, { method: 'POST', data: { choices }, handled })
}

/** 409 RESULTS_HIDDEN before the vote closes. */
export function getVoteResult(villageId: number, voteId: number, handled?: Handled): Promise<VoteResult> {
  return request<VoteResult>(`${vote(villageId, voteId)}/result`, { handled })
}

/** Whether the ballot of this receipt code is in the box. */
export function checkReceipt(villageId: number, voteId: number, code: string, handled?: Handled): Promise<{ counted: boolean }> {
  return request<{ counted: boolean }>(`${vote(villageId, voteId)}/receipts/${encodeURIComponent(code)}`, { handled })
}

/**
 * The counts at the venue (committee), to be confirmed by the two tellers named; a correction is a new
 * entry with a reason. 400 OFFLINE_EXCEEDS_ROLL, TELLER_INVALID, VALIDATION_FAILED.
 */
export function enterOfflineTally(villageId: number, voteId: number, body: OfflineTallyBody, handled?: Handled): Promise<OfflineTally> {
  return request<OfflineTally>(`${vote(villageId, voteId)}/offline`, { method: 'POST', data: body, handled })
}

/** A teller (计票人 or 监票人) confirms the venue counts, in their own phone. */
export function confirmOfflineTally(villageId: number, voteId: number, tallyId: number, handled?: Handled): Promise<OfflineTally> {
  return request<OfflineTally>(`${vote(villageId, voteId)}/offline/${tallyId}/confirm`, { method: 'POST', handled })
}

// ---- receipts kept on the phone ----

const receiptKey = (voteId: number) => `liren.vote-receipt.${voteId}`

/** The receipt code is shown once by the server: the phone keeps it so the voter can check it later. */
export function saveReceipt(voteId: number, code: string): void {
  try {
    Taro.setStorageSync(receiptKey(voteId), code)
  } catch {
    // Storage full: the code is still on the screen to write down.
  }
}

export function storedReceipt(voteId: number): string | null {
  try {
    const code: unknown = Taro.getStorageSync(receiptKey(voteId))
    return typeof code === 'string' && code ? code : null
  } catch {
    return null
  }
}
