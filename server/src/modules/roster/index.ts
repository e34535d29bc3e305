/** What other modules may use from the roster. */
export { rosterRoutes } from './routes.js'
export { getPerson } from './get-person.js'
