/** What other modules may use from meetings. */
export { meetingRoutes } from './routes.js'
export { blankComments } from './blank-comments.js'
export * as meetingTables from './tables.js'
