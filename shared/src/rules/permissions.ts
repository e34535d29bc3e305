import type { MembershipStatus, Role } from '../contracts/identity.js'

/**
 * Who may do what, in one table read by both sides: the server's route guard (`requirePermission`) and use
 * cases, and the client when it decides which buttons to show. Roles are per village: a committee member of
 * one village is a stranger in another.
 */
export interface Permission {
  /** Verified members of the village holding one of these roles may. */
  roles: readonly Role[]
  /** An admin of the village's town may too, in every village of the town, member or not. */
  townAdmin?: true
  /** Members holding one of these roles may for an object they are tied to; `tie` says how (checked by the use case). */
  tied?: { roles: readonly Role[]; tie: string }
  /** `town`: the action is on a town (`/api/towns/:townId/…`), and only the town's admins may. */
  scope?: 'town'
}

const MEMBERS: readonly Role[] = ['resident', 'volunteer', 'grid_worker', 'committee']
const COMMITTEE: readonly Role[] = ['committee']
const TOWN_ONLY: readonly Role[] = []

export const PERMISSIONS = {
  // Membership and the village's set-up.
  'applications.review': { roles: COMMITTEE },
  'members.list': { roles: COMMITTEE, townAdmin: true },
  'village.configure': { roles: TOWN_ONLY, townAdmin: true },
  /** The committee's office phone and hours, shown to the village's people. */
  'village.contact': { roles: COMMITTEE, townAdmin: true },
  'grids.list': { roles: ['committee', 'grid_worker'], townAdmin: true },
  'grids.locate': { roles: MEMBERS, townAdmin: true },
  'town.administer': { roles: TOWN_ONLY, townAdmin: true, scope: 'town' },
  /** 待办: the caller's own to-do counts in the village (each count further by the permission it needs). */
  'todo.read': { roles: MEMBERS },

  // The roster (花名册).
  'roster.read': { roles: ['committee', 'grid_worker'] },
  'roster.edit': { roles: COMMITTEE },

  // Reports (随手拍).
  'reports.read': { roles: MEMBERS, townAdmin: true },
  'reports.submit': { roles: MEMBERS, townAdmin: true },
  /** Act on a report as its handler or reporter (the use case checks which), or say "我也遇到". */
  'reports.take-part': { roles: MEMBERS, townAdmin: true },
  'reports.file-for-villager': { roles: ['grid_worker', 'committee'] },
  'reports.handle': {
    roles: COMMITTEE,
    townAdmin: true,
    tied: { roles: ['grid_worker'], tie: 'the report is in a grid they work' },
  },
  'reports.configure': { roles: COMMITTEE },
  'reports.figures': { roles: COMMITTEE, townAdmin: true },
  'open311.keys': { roles: COMMITTEE },

  // Meetings, topics, matters and votes.
  'meetings.read': { roles: MEMBERS, townAdmin: true },
  'meetings.take-part': { roles: MEMBERS, townAdmin: true },
  'meetings.manage': { roles: COMMITTEE },

  // Points: the ledger, the shop, volunteer activities and services.
  'points.read': { roles: MEMBERS, townAdmin: true },
  'points.manage': { roles: COMMITTEE },
  'shop.use': { roles: MEMBERS },
  'shop.manage': { roles: COMMITTEE },
  'activities.join': { roles: MEMBERS },
  'activities.manage': { roles: COMMITTEE },
  'services.use': { roles: MEMBERS },
} as const satisfies Record<string, Permission>

export type Action = keyof typeof PERMISSIONS

/** Who is asking, in one village: their membership there (the server adds `town_admin` for a town's admin). */
export interface Holder {
  status?: MembershipStatus
  roles: readonly Role[]
}

const verified = (holder: Holder | null | undefined): holder is Holder =>
  !!holder && (holder.status === undefined || holder.status === 'verified')

/**
 * Whether the holder may do `action` on anything of their village. A membership that is not verified may
 * do nothing; a holder the server built for a request (no status) has been checked already.
 */
export function can(holder: Holder | null | undefined, action: Action): boolean {
  if (!verified(holder)) return false
  const permission: Permission = PERMISSIONS[action]
  if (holder.roles.some((r) => permission.roles.includes(r))) return true
  return !!permission.townAdmin && holder.roles.includes('town_admin')
}

/** Whether the holder holds a role that lets them do `action` on the objects they are tied to (see `Permission.tied`). */
export function holdsTie(holder: Holder | null | undefined, action: Action): boolean {
  const permission: Permission = PERMISSIONS[action]
  return verified(holder) && holder.roles.some((r) => permission.tied?.roles.includes(r) ?? false)
}

/** Whether the holder may do `action` on one object, given whether they are tied to it. */
export function canOn(holder: Holder | null | undefined, action: Action, tied: boolean): boolean {
  return can(holder, action) || (tied && holdsTie(holder, action))
}

/** Whether the holder may do `action` on at least some objects (to show a queue or a button at all). */
export const canOnSome = (holder: Holder | null | undefined, action: Action) => canOn(holder, action, true)
