/** What other modules may use from meetings. */
export { meetingRoutes } from './routes.js'
export { blankComments } from './blank-comments.js'
export * as meetingTables from './tables.js'
// Test factories build meetings through the same use cases the routes call.
export { createMeeting } from './create-meeting.js'
export { advanceMeeting, remindMeetings } from './meeting-state.js'
export { openVote } from './votes.js'
export { votesAwaiting } from './view.js'
