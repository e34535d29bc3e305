/** What other modules may use from the roster. */
export { rosterRoutes } from './routes.js'
export { findPeople, personInVillage } from './people.js'
