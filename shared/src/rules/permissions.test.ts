import { describe, expect, it } from 'vitest'
import { can, canOn, canOnSome, holdsTie, PERMISSIONS } from './permissions.js'

describe('the permission policy', () => {
  it('lets verified members holding one of the roles, and nobody whose membership is not verified', () => {
    expect(can({ status: 'verified', roles: ['committee'] }, 'roster.edit')).toBe(true)
    expect(can({ status: 'pending', roles: ['committee'] }, 'roster.edit')).toBe(false)
    expect(can({ status: 'rejected', roles: ['committee'] }, 'roster.edit')).toBe(false)
    expect(can({ status: 'verified', roles: ['resident'] }, 'roster.edit')).toBe(false)
    expect(can({ status: 'verified', roles: ['grid_worker'] }, 'roster.read')).toBe(true)
    expect(can(null, 'reports.read')).toBe(false)
    expect(can(undefined, 'reports.read')).toBe(false)
  })

  it('lets a town admin only where the action says so', () => {
    const townAdmin = { status: 'verified', roles: ['town_admin'] } as const
    expect(can(townAdmin, 'village.configure')).toBe(true)
    expect(can(townAdmin, 'reports.figures')).toBe(true)
    expect(can(townAdmin, 'roster.read')).toBe(false)
    expect(can(townAdmin, 'points.manage')).toBe(false)
    expect(can({ status: 'verified', roles: ['committee'] }, 'village.configure')).toBe(false)
  })

  it('takes a holder built by the server for a request (no status) as checked', () => {
    expect(can({ roles: ['committee'] }, 'meetings.manage')).toBe(true)
    expect(can({ roles: ['resident'] }, 'meetings.manage')).toBe(false)
  })

  it('lets a tied role act only on the objects it is tied to', () => {
    const gridWorker = { status: 'verified', roles: ['grid_worker'] } as const
    expect(can(gridWorker, 'reports.handle')).toBe(false)
    expect(canOn(gridWorker, 'reports.handle', true)).toBe(true)
    expect(canOn(gridWorker, 'reports.handle', false)).toBe(false)
    expect(canOnSome(gridWorker, 'reports.handle')).toBe(true)
    expect(holdsTie(gridWorker, 'reports.handle')).toBe(true)
    expect(holdsTie({ status: 'pending', roles: ['grid_worker'] }, 'reports.handle')).toBe(false)
    const committee = { status: 'verified', roles: ['committee'] } as const
    expect(canOn(committee, 'reports.handle', false)).toBe(true)
    expect(holdsTie(committee, 'reports.handle')).toBe(false)
    expect(canOnSome({ status: 'verified', roles: ['resident'] }, 'reports.handle')).toBe(false)
  })

  it('names a town action only for town admins', () => {
    for (const [action, permission] of Object.entries(PERMISSIONS)) {
      if ('scope' in permission) expect([action, permission.roles, permission.townAdmin]).toEqual([action, [], true])
    }
  })
})
