/** What other modules may call: award points by rule inside their own transaction. */
export { award, type AwardRequest } from './award.js'
export { pointsRoutes } from './routes.js'
export { seedDemoRules } from './seed-rules.js'
