import type {
  CreateGridBody,
  CreateVillageBody,
  Grid,
  Town,
  UpdateGridBody,
  UpdateVillageBody,
  Village,
  VillageContact,
  VillageMember,
} from '@liren/shared/contracts'
import { request, type Handled } from './http'

/** The towns the caller administers; empty for everyone else. */
export function listMyTowns(handled?: Handled): Promise<Town[]> {
  return request<Town[]>('/api/towns/mine', { handled })
}

export function listTownVillages(townId: number, handled?: Handled): Promise<Village[]> {
  return request<Village[]>(`/api/towns/${townId}/villages`, { handled })
}

export function createVillage(townId: number, body: CreateVillageBody, handled?: Handled): Promise<Village> {
  return request<Village>(`/api/towns/${townId}/villages`, { method: 'POST', data: body, handled })
}

/** The code cannot change: it is in addresses and in Open311. */
export function updateVillage(villageId: number, body: UpdateVillageBody, handled?: Handled): Promise<Village> {
  return request<Village>(`/api/villages/${villageId}`, { method: 'PATCH', data: body, handled })
}

/** The committee's office phone and hours (both replaced; null clears one). */
export function updateVillageContact(
  villageId: number,
  body: VillageContact,
  handled?: Handled,
): Promise<VillageContact> {
  return request<VillageContact>(`/api/villages/${villageId}/contact`, { method: 'PUT', data: body, handled })
}

export function listGrids(villageId: number, handled?: Handled): Promise<Grid[]> {
  return request<Grid[]>(`/api/villages/${villageId}/grids`, { handled })
}

export function createGrid(villageId: number, body: CreateGridBody, handled?: Handled): Promise<Grid> {
  return request<Grid>(`/api/villages/${villageId}/grids`, { method: 'POST', data: body, handled })
}

export function updateGrid(villageId: number, gridId: number, body: UpdateGridBody, handled?: Handled): Promise<Grid> {
  return request<Grid>(`/api/villages/${villageId}/grids/${gridId}`, { method: 'PATCH', data: body, handled })
}

/** Replaces the grid's workers with these members. */
export function setGridWorkers(
  villageId: number,
  gridId: number,
  membershipIds: number[],
  handled?: Handled,
): Promise<Grid> {
  return request<Grid>(`/api/villages/${villageId}/grids/${gridId}/workers`, {
    method: 'PUT',
    data: { membershipIds },
    handled,
  })
}

/** Members of the village, with applicants still waiting (`status: 'pending'`). */
export function listVillageMembers(villageId: number, handled?: Handled): Promise<VillageMember[]> {
  return request<VillageMember[]>(`/api/villages/${villageId}/members`, { handled })
}

/** Replaces the committee with these members; resolves with the committee after the change. */
export function setCommittee(villageId: number, membershipIds: number[], handled?: Handled): Promise<VillageMember[]> {
  return request<VillageMember[]>(`/api/villages/${villageId}/committee`, {
    method: 'PUT',
    data: { membershipIds },
    handled,
  })
}
