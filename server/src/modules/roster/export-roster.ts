import { eq } from 'drizzle-orm'
import type { Executor } from '../../core/db.js'
import type { Secrets } from '../../core/secrets.js'
import { identityTables } from '../identity/index.js'
import { findHouseholds, findPeople, inVillage } from './people.js'
import { writeRosterWorkbook } from './roster-file.js'

const { households } = identityTables

/** The whole roster as XLSX, in the import template's columns (with 人员编号, so edits re-import cleanly). */
export async function exportRoster(db: Executor, secrets: Secrets, villageId: number): Promise<Buffer> {
  const [people, hh] = await Promise.all([
    findPeople(db, secrets, inVillage(villageId)),
    findHouseholds(db, eq(households.villageId, villageId)),
  ])
  return writeRosterWorkbook(people, new Map(hh.map((h) => [h.id, { address: h.address, gridName: h.gridName }])))
}

/** The empty template (headers and the filling guide). */
export const rosterTemplate = () => writeRosterWorkbook([], new Map())
