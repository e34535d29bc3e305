/** What other modules may use from setup. */
export { setupRoutes } from './routes.js'
