import { venueCode, verifyVenueCode } from '../../../core/venue-code.js'

/** An activity's sign-in code (see core/venue-code.ts): printed for the venue, scanned to sign in and out. */
export const activityCode = (secret: string, villageId: number, activityId: number) =>
  venueCode(secret, 'activity', villageId, activityId)
export const verifyActivityCode = (secret: string, token: string, villageId: number, activityId: number) =>
  verifyVenueCode(secret, 'activity', token, villageId, activityId)

/** The mini-program page a scanned code opens; it receives the code as `scene`. */
export const ACTIVITY_PAGE = 'packages/points/activity/index'
