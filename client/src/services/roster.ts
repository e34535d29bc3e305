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
import { download, request, upload, villageApi, withQuery, type Handled, type PickedFile } from './http'

const roster = villageApi('roster')

/** A kind of record on the roster (people, households): a page of them by a query, one by its id, a change to one. */
function rosterRecords<List, Item, Query extends Parameters<typeof withQuery>[1], Patch, Changed = Item>(part: string) {
  const path = (villageId: number) => `${roster(villageId)}/${part}`
  return {
    list: (villageId: number, query = {} as Query, handled?: Handled) =>
      request<List>(withQuery(path(villageId), query), { handled }),
    get: (villageId: number, id: number, handled?: Handled) => request<Item>(`${path(villageId)}/${id}`, { handled }),
    update: (villageId: number, id: number, patch: Patch, handled?: Handled) =>
      request<Changed>(`${path(villageId)}/${id}`, { method: 'PATCH', data: patch, handled }),
  }
}

const people = rosterRecords<PersonList, Person, PersonQuery, PersonPatch>('people')
const households = rosterRecords<
  HouseholdList,
  HouseholdDetail,
  HouseholdQuery,
  HouseholdPatch,
  HouseholdDetail['household']
>('households')

export const { list: listPeople, get: getPerson, update: updatePerson } = people

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

export const { list: listHouseholds, get: getHousehold, update: updateHousehold } = households

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
