/** What other modules may use from privacy (个人信息保护). */
export { privacyRoutes } from './routes.js'
