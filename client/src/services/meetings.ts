import Taro from '@tarojs/taro'
import type {
  AgendaCommentList,
  Attendance,
  AttendanceStatus,
  BallotReceipt,
  CreateMatterBody,
  CreateMeetingBody,
  EditMeetingBody,
  Matter,
  MatterList,
  Meeting,
  MeetingCode,
  MeetingList,
  MeetingSettingsBody,
  MyVoteList,
  OfflineTally,
  OfflineTallyBody,
  OverduePetitionList,
  Petition,
  PetitionList,
  PostponeMeetingBody,
  PublicMeetingResults,
  ProposeTopicBody,
  RateMatterBody,
  RecordStageBody,
  StartPetitionBody,
  Topic,
  TopicList,
  TopicState,
  VoteResult,
} from '@liren/shared/contracts'
import type { MeetingAction } from '@liren/shared/rules'
import { download, request, villageApi, villageCollection, type Handled } from './http'

const meetings = villageApi('meetings')
const vote = (villageId: number, voteId: number) => `/api/villages/${villageId}/votes/${voteId}`
const topics = villageApi('topics')
const matters = villageApi('matters')
const petitions = villageApi('petitions')
const meetingRequests = villageCollection<MeetingList, Meeting, CreateMeetingBody>(meetings)
const matterRequests = villageCollection<MatterList, Matter, CreateMatterBody>(matters)
const petitionRequests = villageCollection<PetitionList, Petition, StartPetitionBody>(petitions)

// ---- meetings (会议) ----

/** The village's meetings, newest first (drafts only for the committee). */
export const listMeetings = meetingRequests.list

/** A draft meeting with its agenda (committee). 400 VALIDATION_FAILED with fields like `agenda.0.vote.maxChoices`. */
export const createMeeting = meetingRequests.create

export const getMeeting = meetingRequests.get

/**
 * The steps of a meeting: 发出通知 (freezes the roll), 开会, 散会, 公布. 409 MEETING_STATE, NO_AGENDA,
 * NOTICE_TOO_SHORT (field startsAt: the notice period, named), TOO_EARLY (before the announced time).
 */
export type MeetingStep = Extract<MeetingAction, 'announce' | 'start' | 'close' | 'publish'>

/** The committee edits a draft in full (items kept by their ids). 400 VALIDATION_FAILED, 409 MEETING_STATE. */
export function editMeeting(villageId: number, meetingId: number, body: EditMeetingBody, handled?: Handled) {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}`, { method: 'PUT', data: body, handled })
}

/** 延期 before any vote opens. 400 VALIDATION_FAILED (startsAt earlier), 409 NOTICE_TOO_SHORT / MEETING_STATE. */
export function postponeMeeting(villageId: number, meetingId: number, body: PostponeMeetingBody, handled?: Handled) {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/postpone`, { method: 'POST', data: body, handled })
}

/** 取消 before any vote opens, with a reason. 409 MEETING_STATE. */
export function cancelMeeting(villageId: number, meetingId: number, reason: string, handled?: Handled) {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/cancel`, {
    method: 'POST',
    data: { reason },
    handled,
  })
}

/** The village's rules for meetings (notice days, grace, petitions' answer days). */
export function getMeetingSettings(villageId: number, handled?: Handled): Promise<MeetingSettingsBody> {
  return request<MeetingSettingsBody>(`/api/villages/${villageId}/meeting-settings`, { handled, loading: false })
}

/** The committee sets them. 400 VALIDATION_FAILED. */
export function saveMeetingSettings(villageId: number, body: MeetingSettingsBody, handled?: Handled) {
  return request<MeetingSettingsBody>(`/api/villages/${villageId}/meeting-settings`, {
    method: 'PUT',
    data: body,
    handled,
  })
}

export function advanceMeeting(
  villageId: number,
  meetingId: number,
  step: MeetingStep,
  handled?: Handled,
): Promise<Meeting> {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/${step}`, { method: 'POST', handled })
}

/** The committee checks in a villager without a phone. 409 ALREADY_CONFIRMED, 404 NOT_ON_ROLL. */
export function checkInPerson(
  villageId: number,
  meetingId: number,
  personId: number,
  handled?: Handled,
): Promise<Meeting> {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/attendance`, {
    method: 'POST',
    data: { personId },
    handled,
  })
}

/**
 * 到会名单 (committee): who is called, who has arrived and how, who voted on their phone (closed votes only).
 * `loading: false` for the page's refresh every few seconds. 409 MEETING_STATE for a draft.
 */
export function getAttendance(
  villageId: number,
  meetingId: number,
  status: AttendanceStatus,
  options: { handled?: Handled; loading?: boolean } = {},
): Promise<Attendance> {
  return request<Attendance>(`${meetings(villageId)}/${meetingId}/attendance?status=${status}`, options)
}

/** 签到表: the A4 sheet to print, for villagers without a phone to sign by hand (committee). */
export function downloadSignInSheet(villageId: number, meeting: { meetingId: number; title: string }): Promise<void> {
  return download(`${meetings(villageId)}/${meeting.meetingId}/sign-in-sheet.pdf`, `${meeting.title}-签到表.pdf`)
}

/** The meeting's sign-in code for the venue (committee): a mini-program code in weapp, a plain QR in H5. */
export function getMeetingCode(villageId: number, meetingId: number, handled?: Handled): Promise<MeetingCode> {
  return request<MeetingCode>(`${meetings(villageId)}/${meetingId}/code`, { handled })
}

/** A member signs in with the code scanned at the venue. 400 CODE_INVALID, 409 ALREADY_CONFIRMED / MEETING_STATE, 404 NOT_ON_ROLL. */
export function checkInByCode(
  villageId: number,
  meetingId: number,
  token: string,
  handled?: Handled,
): Promise<Meeting> {
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
export function castBallot(
  villageId: number,
  voteId: number,
  choices: number[],
  handled?: Handled,
): Promise<BallotReceipt> {
  return request<BallotReceipt>(`${vote(villageId, voteId)}/ballots`, { method: 'POST', data: { choices }, handled })
}

/** 409 RESULTS_HIDDEN before the vote closes. */
export function getVoteResult(villageId: number, voteId: number, handled?: Handled): Promise<VoteResult> {
  return request<VoteResult>(`${vote(villageId, voteId)}/result`, { handled })
}

/** 表决结果公示 of a closed meeting, for anyone: no sign-in. 409 RESULTS_HIDDEN before it closes. */
export function getPublicResults(
  villageId: number,
  meetingId: number,
  handled?: Handled,
): Promise<PublicMeetingResults> {
  return request<PublicMeetingResults>(`/api/public/villages/${villageId}/meetings/${meetingId}/results`, {
    auth: false,
    handled,
  })
}

/** Whether the ballot of this receipt code is in the box. */
export function checkReceipt(
  villageId: number,
  voteId: number,
  code: string,
  handled?: Handled,
): Promise<{ counted: boolean }> {
  return request<{ counted: boolean }>(`${vote(villageId, voteId)}/receipts/${encodeURIComponent(code)}`, { handled })
}

/**
 * The counts at the venue (committee), to be confirmed by the two tellers named; a correction is a new
 * entry with a reason. 400 OFFLINE_EXCEEDS_ROLL, TELLER_INVALID, VALIDATION_FAILED.
 */
export function enterOfflineTally(
  villageId: number,
  voteId: number,
  body: OfflineTallyBody,
  handled?: Handled,
): Promise<OfflineTally> {
  return request<OfflineTally>(`${vote(villageId, voteId)}/offline`, { method: 'POST', data: body, handled })
}

/** A teller (计票人 or 监票人) confirms the venue counts, in their own phone. */
export function confirmOfflineTally(
  villageId: number,
  voteId: number,
  tallyId: number,
  handled?: Handled,
): Promise<OfflineTally> {
  return request<OfflineTally>(`${vote(villageId, voteId)}/offline/${tallyId}/confirm`, { method: 'POST', handled })
}

// ---- topics (说事 / 议题征集) ----

/**
 * A matter a resident wants a meeting to take up (verified members on the roster). Photos are uploaded
 * first; send their keys. 400 CONTENT_REJECTED (the words), VALIDATION_FAILED, PHOTO_NOT_FOUND.
 */
export function proposeTopic(villageId: number, body: ProposeTopicBody, handled?: Handled): Promise<Topic> {
  return request<Topic>(topics(villageId), { method: 'POST', data: body, handled })
}

/** The village's topics in one state (open ones: most supporters first). */
export function listTopics(villageId: number, state?: TopicState, handled?: Handled): Promise<TopicList> {
  return request<TopicList>(state ? `${topics(villageId)}?state=${state}` : topics(villageId), { handled })
}

/** 我的提议: the topics I proposed, held ones too. */
export function listMyTopics(villageId: number, handled?: Handled): Promise<TopicList> {
  return request<TopicList>(`${topics(villageId)}/mine`, { handled })
}

/** 我的投票: the votes I took part in; the receipt codes are on the phone (storedReceipt). */
export function listMyVotes(villageId: number, handled?: Handled): Promise<MyVoteList> {
  return request<MyVoteList>(`/api/villages/${villageId}/votes/mine`, { handled })
}

export function getTopic(villageId: number, topicId: number, handled?: Handled): Promise<Topic> {
  return request<Topic>(`${topics(villageId)}/${topicId}`, { handled })
}

/** 附议. 409 ALREADY_SUPPORTED (the proposer counts already), TOPIC_CLOSED. */
export function supportTopic(villageId: number, topicId: number, handled?: Handled): Promise<Topic> {
  return request<Topic>(`${topics(villageId)}/${topicId}/support`, { method: 'POST', handled })
}

/** Committee: onto a draft meeting's agenda, as a new item at the end. 409 MEETING_STATE, TOPIC_CLOSED. */
export function acceptTopic(villageId: number, topicId: number, meetingId: number, handled?: Handled): Promise<Topic> {
  return request<Topic>(`${topics(villageId)}/${topicId}/accept`, { method: 'POST', data: { meetingId }, handled })
}

/** Committee: the same matter as another open topic. 409 TOPIC_CLOSED. */
export function mergeTopic(villageId: number, topicId: number, intoTopicId: number, handled?: Handled): Promise<Topic> {
  return request<Topic>(`${topics(villageId)}/${topicId}/merge`, { method: 'POST', data: { intoTopicId }, handled })
}

/** Committee: 不予采纳, with the reason the proposer and everyone see. 409 TOPIC_CLOSED. */
export function declineTopic(villageId: number, topicId: number, reason: string, handled?: Handled): Promise<Topic> {
  return request<Topic>(`${topics(villageId)}/${topicId}/decline`, { method: 'POST', data: { reason }, handled })
}

// ---- 提议召集 (petitions: villagers make the committee convene a meeting) ----

/**
 * A member starts a petition for a 村民会议 or 村民代表会议; their signature is the first. 400 CONTENT_REJECTED
 * (the words), VALIDATION_FAILED.
 */
export const startPetition = petitionRequests.create

/** The village's petitions, the latest first (without who signed). */
export const listPetitions = petitionRequests.list

/** One petition: the counts, whether I signed, and (for the committee) who signed. 404 PETITION_NOT_FOUND. */
export const getPetition = petitionRequests.get

/** My signature, once. 409 ALREADY_SIGNED, PETITION_CLOSED (a meeting answered it); 404 NOT_ON_ROSTER. */
export function signPetition(villageId: number, petitionId: number, handled?: Handled): Promise<Petition> {
  return request<Petition>(`${petitions(villageId)}/${petitionId}/signatures`, { method: 'POST', handled })
}

/** Committee: the signature of a villager without a phone (signed on paper). 409 ALREADY_SIGNED, PETITION_CLOSED. */
export function recordPetitionSignature(
  villageId: number,
  petitionId: number,
  personId: number,
  handled?: Handled,
): Promise<Petition> {
  return request<Petition>(`${petitions(villageId)}/${petitionId}/signatures/recorded`, {
    method: 'POST',
    data: { personId },
    handled,
  })
}

/**
 * Committee: the meeting that answers it (of the kind asked for, noticed). 400 VALIDATION_FAILED (field
 * meetingId: the wrong kind, or held before), 409 MEETING_STATE, PETITION_CLOSED.
 */
export function answerPetition(
  villageId: number,
  petitionId: number,
  meetingId: number,
  handled?: Handled,
): Promise<Petition> {
  return request<Petition>(`${petitions(villageId)}/${petitionId}/answer`, {
    method: 'POST',
    data: { meetingId },
    handled,
  })
}

/**
 * A topic a tenth of the adults back becomes a petition for a 村民会议 (its proposer or the committee).
 * 403 (someone else's topic), 409 TOO_FEW_SUPPORTERS, TOPIC_CLOSED, PETITION_EXISTS: the server's words say which.
 */
export function petitionFromTopic(villageId: number, topicId: number, handled?: Handled): Promise<Petition> {
  return request<Petition>(`${topics(villageId)}/${topicId}/petition`, { method: 'POST', handled })
}

/** Town admin: the town's petitions whose meeting is overdue, the oldest due first. */
export function listOverduePetitions(townId: number, handled?: Handled): Promise<OverduePetitionList> {
  return request<OverduePetitionList>(`/api/towns/${townId}/petitions/overdue`, { handled })
}

// ---- 四议两公开 major matters (重大事项) and 监督评议 ----

/** Committee: a new major matter, before its first stage (党支部提议). 400 VALIDATION_FAILED. */
export const createMatter = matterRequests.create

/** The village's major matters, newest first. */
export const listMatters = matterRequests.list

export const getMatter = matterRequests.get

/**
 * Committee: the next stage, as it happened. 400 STAGE_ORDER (not the next one), VALIDATION_FAILED
 * (field meetingId: 决议 needs the meeting); 409 MEETING_STATE (that meeting has not closed, or is not a
 * 村民会议 / 村民代表会议).
 */
export function recordMatterStage(
  villageId: number,
  matterId: number,
  body: RecordStageBody,
  handled?: Handled,
): Promise<Matter> {
  return request<Matter>(`${matters(villageId)}/${matterId}/stages`, { method: 'POST', data: body, handled })
}

/** 监督评议: a member on the roster rates the matter once. 409 NOT_RATABLE (result not yet public), ALREADY_RATED. */
export function rateMatter(
  villageId: number,
  matterId: number,
  body: RateMatterBody,
  handled?: Handled,
): Promise<Matter> {
  return request<Matter>(`${matters(villageId)}/${matterId}/ratings`, { method: 'POST', data: body, handled })
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

/** The committee writes the minutes after the close (before 公布). 409 MEETING_STATE, 400 VALIDATION_FAILED (minutes). */
export function saveMinutes(
  villageId: number,
  meetingId: number,
  minutes: string,
  handled?: Handled,
): Promise<Meeting> {
  return request<Meeting>(`${meetings(villageId)}/${meetingId}/minutes`, { method: 'PUT', data: { minutes }, handled })
}

/** The printable result notice (A4 PDF), after the close: saved in H5, opened in WeChat's viewer in the mini-program. */
export function downloadResultNotice(villageId: number, meeting: Meeting): Promise<void> {
  return download(`${meetings(villageId)}/${meeting.id}/notice.pdf`, `${meeting.title}-表决结果公示.pdf`)
}

// ---- 征求意见 (comments on agenda items) ----

export function listComments(villageId: number, meetingId: number, handled?: Handled): Promise<AgendaCommentList> {
  return request<AgendaCommentList>(`${meetings(villageId)}/${meetingId}/comments`, { handled })
}

/** Between the notice and the meeting. 400 CONTENT_REJECTED / VALIDATION_FAILED (body), 409 MEETING_STATE. */
export function addComment(
  villageId: number,
  meetingId: number,
  itemId: number,
  body: string,
  handled?: Handled,
): Promise<AgendaCommentList> {
  return request<AgendaCommentList>(`${meetings(villageId)}/${meetingId}/agenda/${itemId}/comments`, {
    method: 'POST',
    data: { body },
    handled,
  })
}

/** The committee hides a comment, with a reason its author sees. */
export function hideComment(
  villageId: number,
  meetingId: number,
  commentId: number,
  reason: string,
  handled?: Handled,
): Promise<AgendaCommentList> {
  return request<AgendaCommentList>(`${meetings(villageId)}/${meetingId}/comments/${commentId}/hide`, {
    method: 'POST',
    data: { reason },
    handled,
  })
}
