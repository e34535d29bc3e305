import type {
  HouseholdDetail,
  HouseholdList,
  HouseholdPatch,
  HouseholdQuery,
  ImportReport,
  Membership,
  Person,
  PersonList,
  PersonPatch,
  PersonQuery,
  RetirePersonBody,
  RosterCounts,
} from '@liren/shared/contracts'
import { download, request, upload, withQuery, type PickedFile, type RequestOptions } from './http'

type Handled = RequestOptions['handled']

const roster = (villageId: number) => `/api/villages/${villageId}/roster`

export function listPeople(villageId: number, query: PersonQuery = {}, handled?: Handled): Promise<PersonList> {
  return request<PersonList>(withQuery(`${roster(villageId)}/people`, { ...query }), { handled })
}

export function getPerson(villageId: number, personId: number, handled?: Handled): Promise<Person> {
  return request<Person>(`${roster(villageId)}/people/${personId}`, { handled })
}

export function updatePerson(
  villageId: number,
  personId: number,
  patch: PersonPatch,
  handled?: Handled,
): Promise<Person> {
  return request<Person>(`${roster(villageId)}/people/${personId}`, { method: 'PATCH', data: patch, handled })
}

/** 迁出 or 去世: the person stays on the roster as a record; the account linked to them is erased (PERSON_RETIRED if done already). */
export function retirePerson(
  villageId: number,
  personId: number,
  status: RetirePersonBody['status'],
  handled?: Handled,
): Promise<Person> {
  return request<Person>(`${roster(villageId)}/people/${personId}/retire`, {
    method: 'POST',
    data: { status },
    handled,
  })
}

export function listHouseholds(
  villageId: number,
  query: HouseholdQuery = {},
  handled?: Handled,
): Promise<HouseholdList> {
  return request<HouseholdList>(withQuery(`${roster(villageId)}/households`, { ...query }), { handled })
}

export function getHousehold(villageId: number, householdId: number, handled?: Handled): Promise<HouseholdDetail> {
  return request<HouseholdDetail>(`${roster(villageId)}/households/${householdId}`, { handled })
}

export function updateHousehold(
  villageId: number,
  householdId: number,
  patch: HouseholdPatch,
  handled?: Handled,
): Promise<HouseholdDetail['household']> {
  return request<HouseholdDetail['household']>(`${roster(villageId)}/households/${householdId}`, {
    method: 'PATCH',
    data: patch,
    handled,
  })
}

/** Counts on a day (YYYY-MM-DD): who is 18 or older depends on it. */
export function getRosterCounts(villageId: number, on: string, handled?: Handled): Promise<RosterCounts> {
  return request<RosterCounts>(withQuery(`${roster(villageId)}/counts`, { on }), { handled })
}

/** A dry run (nothing written) unless `commit`; a file with bad rows is refused whole (IMPORT_HAS_ERRORS). */
export function importRoster(
  villageId: number,
  file: PickedFile,
  commit: boolean,
  handled?: Handled,
): Promise<ImportReport> {
  return upload<ImportReport>(withQuery(`${roster(villageId)}/import`, { commit }), file, { handled })
}

export function downloadTemplate(villageId: number): Promise<void> {
  return download(`${roster(villageId)}/template.xlsx`, '花名册模板.xlsx')
}

export function exportRoster(villageId: number, villageName: string): Promise<void> {
  return download(`${roster(villageId)}/export.xlsx`, `花名册-${villageName}.xlsx`)
}

/** Links an already verified member to their roster person. */
export function linkMemberToPerson(
  villageId: number,
  membershipId: number,
  personId: number,
  handled?: Handled,
): Promise<Membership> {
  return request<Membership>(`/api/villages/${villageId}/members/${membershipId}/person`, {
    method: 'POST',
    data: { personId },
    handled,
  })
}
