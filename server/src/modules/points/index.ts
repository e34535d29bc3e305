/** What other modules may call: award points by rule inside their own transaction. */
export { award, type AwardRequest } from './award.js'
export { awardLater, payQueuedAwards } from './award-queue.js'
export { pointsRoutes } from './routes.js'
export { activityRoutes } from './routes-activities.js'
export { serviceRoutes } from './routes-services.js'
export { shopRoutes } from './routes-shop.js'
export { expireOrders } from './shop-orders.js'
export { seedDemoRules } from './seed-rules.js'
