/** What other modules may use from identity. */
export {
  findVillage,
  isTownAdmin,
  myPersonId,
  requirePermission,
  type PermissionGuard,
  type VillageMember,
} from './village-access.js'
export { acceptPrivacyGuide } from './accept-privacy-guide.js'
export { consentState } from './consent-state.js'
export { clearInbox, eraseMembership, eraseUser, lockAccount, retireRosterPerson } from './erasure.js'
export { linkPerson } from './link-person.js'
export { requireResident } from './require-resident.js'
export { setNameVisibility } from './set-name-visibility.js'
export { forgetLiveUser, liveSessions } from './live-users.js'
export { endSessions, purgeSessions, startSession } from './sessions.js'
export { findMemberships } from './memberships.js'
export { countUnread, notify, pushNotifications, type Notice } from './notifications.js'
export { countPendingApplications } from './list-applications.js'
export { identityRoutes } from './routes.js'
export { seedDemoTown } from './seed-demo.js'
export * as identityTables from './tables.js'
