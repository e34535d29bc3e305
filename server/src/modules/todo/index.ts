/** 待办: what waits for a person in a village, across the modules (it sits above them all). */
export { todoRoutes } from './routes.js'
