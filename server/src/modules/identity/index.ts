/** What other modules may use from identity. */
export { findVillage, requireVillageRole, type VillageMember } from './village-access.js'
export { identityRoutes } from './routes.js'
export { seedDemoTown } from './seed-demo.js'
