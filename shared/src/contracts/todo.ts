import { Type, type Static } from 'typebox'
import { Id } from './fragments.js'

/**
 * 待办: what waits for the caller in one village, as counts for the home page's and the tab bar's red dots.
 * Each count is there only when the caller's roles let them act on it (a resident never gets the
 * committee's); `votes` and `unread` are everyone's own.
 */

const Count = Type.Integer({ minimum: 0 })

/** A vote open now that the caller may cast online and has not (their household has not, for one per household). */
export const OpenVote = Type.Object({
  voteId: Id,
  meetingId: Id,
  meetingTitle: Type.String(),
  question: Type.String(),
})
export type OpenVote = Static<typeof OpenVote>

export const Todo = Type.Object({
  /** 入村申请 waiting for the committee's decision. */
  applications: Type.Optional(Count),
  /** Open reports the caller handles (the committee: the village's; a grid worker: their grids'), and how many are overdue. */
  reports: Type.Optional(Type.Object({ open: Count, overdue: Count })),
  /** 积分超市 orders waiting to be fulfilled (核销). */
  orders: Type.Optional(Count),
  /** Proposed awards another committee member made, waiting for the caller to check (复核). */
  approvals: Type.Optional(Count),
  votes: Type.Array(OpenVote),
  /** Unread messages in the caller's inbox (all villages, as the inbox shows them). */
  unread: Count,
})
export type Todo = Static<typeof Todo>
