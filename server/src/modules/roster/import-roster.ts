import {
  ErrorCode,
  type ImportChange,
  type ImportReport,
  type ImportRow,
  type PersonStatus,
} from '@liren/shared/contracts'
import { GENDER_LABEL, PERSON_STATUS_LABEL, REQUIRED_ROSTER_COLUMNS, ROSTER_COLUMNS } from '@liren/shared/rules'
import { eq, inArray } from 'drizzle-orm'
import { auditMany, type Actor } from '../../core/audit.js'
import { type Executor, type Db, type Tx, transaction } from '../../core/db.js'
import { AppError } from '../../core/errors.js'
import type { Secrets } from '../../core/secrets.js'
import { identityTables } from '../identity/index.js'
import { makeHead, representOnly } from './head.js'
import { readSheet, type Sheet } from './roster-file.js'
import { normalizeDate, phoneForAudit, validBirthDate } from './row-rules.js'

const { grids, households, persons, representedHouseholds, villages } = identityTables

type Gender = 'male' | 'female'
interface PersonFields {
  name: string
  gender: Gender
  birthDate: string
  relation: string
  phone: string | null
  status: PersonStatus
  representative: boolean
  partyMember: boolean
}
type ExistingPerson = PersonFields & { id: number; householdId: number }
interface ExistingHousehold {
  id: number
  number: string
  address: string
  gridId: number | null
  headPersonId: number | null
}

/** A person the plan refers to: already on the roster, or the n-th one to create. */
type PersonRef = { id: number } | { newIndex: number }

interface Plan {
  report: ImportReport
  newHouseholds: { number: string; address: string; gridId: number | null }[]
  householdUpdates: { id: number; set: { address?: string; gridId?: number | null } }[]
  newPersons: { householdNumber: string; fields: PersonFields }[]
  personUpdates: { id: number; householdNumber: string; set: Partial<PersonFields> & { householdNumber?: string } }[]
  heads: { householdNumber: string; person: PersonRef }[]
  /** Representatives whose represented households the file states (the 代表户 column is present). */
  represents: { person: PersonRef; householdNumbers: string[] }[]
  /** Row number → the existing person a changed row is about (for the audit log). */
  updatedRows: Map<number, number>
}

const GENDERS: Record<string, Gender> = { 男: 'male', 女: 'female' }
const STATUSES: Record<string, PersonStatus> = { 在册: 'resident', 迁出: 'moved_out', 去世: 'deceased' }
const YES_NO: Record<string, boolean> = { 是: true, 否: false }
const PHONE = /^1\d{10}$|^0\d{2,3}-?\d{7,8}$/
const LIMITS: Partial<Record<string, number>> = { 户号: 32, 住址: 200, 网格: 64, 姓名: 20, 与户主关系: 16 }
const FIELD_LABEL: Record<keyof PersonFields | 'household', string> = {
  household: '户号',
  name: '姓名',
  gender: '性别',
  birthDate: '出生日期',
  relation: '与户主关系',
  phone: '联系电话',
  status: '状态',
  representative: '村民代表',
  partyMember: '党员',
}
const show = (field: keyof PersonFields, v: unknown): string => {
  if (v === null || v === undefined) return ''
  if (field === 'gender') return GENDER_LABEL[v as Gender]
  if (field === 'status') return PERSON_STATUS_LABEL[v as PersonStatus]
  if (typeof v === 'boolean') return v ? '是' : '否'
  return String(v)
}
const splitNumbers = (s: string) =>
  s
    .split(/[、,，;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean)

/** The village's roster as it stands, phones decrypted (the file is compared with what they say). */
async function loadRoster(db: Executor, secrets: Secrets, villageId: number) {
  const [hh, people, gridRows, represented] = await Promise.all([
    db
      .select({
        id: households.id,
        number: households.number,
        address: households.address,
        gridId: households.gridId,
        headPersonId: households.headPersonId,
      })
      .from(households)
      .where(eq(households.villageId, villageId)),
    db
      .select({
        id: persons.id,
        householdId: persons.householdId,
        name: persons.name,
        gender: persons.gender,
        birthDate: persons.birthDate,
        relation: persons.relation,
        phone: persons.phone,
        status: persons.status,
        representative: persons.representative,
        partyMember: persons.partyMember,
      })
      .from(persons)
      .where(eq(persons.villageId, villageId)),
    db.select({ id: grids.id, name: grids.name }).from(grids).where(eq(grids.villageId, villageId)),
    db
      .select({ personId: representedHouseholds.personId, number: households.number })
      .from(representedHouseholds)
      .innerJoin(households, eq(households.id, representedHouseholds.householdId))
      .where(eq(households.villageId, villageId)),
  ])
  const existing = people.map((p) => ({ ...p, phone: secrets.decrypt(p.phone) }))
  const representedBy = new Map<number, string[]>()
  for (const r of represented) representedBy.set(r.personId, [...(representedBy.get(r.personId) ?? []), r.number])
  return {
    householdsByNumber: new Map<string, ExistingHousehold>(hh.map((h) => [h.number, h])),
    householdsById: new Map<number, ExistingHousehold>(hh.map((h) => [h.id, h])),
    personsById: new Map<number, ExistingPerson>(existing.map((p) => [p.id, p])),
    personsByKey: new Map<string, ExistingPerson>(
      existing.map((p) => [`${p.householdId}/${p.name}/${p.birthDate}`, p]),
    ),
    gridsByName: new Map(gridRows.map((g) => [g.name, g.id])),
    gridNames: new Map(gridRows.map((g) => [g.id, g.name])),
    representedBy,
  }
}
type Roster = Awaited<ReturnType<typeof loadRoster>>

/** Works out, row by row, what importing `sheet` would create, change or refuse. Writes nothing. */
function planImport(sheet: Sheet, roster: Roster, today: string): Plan {
  const plan: Plan = {
    report: {
      committed: false,
      summary: {
        rows: sheet.rows.length,
        peopleCreated: 0,
        peopleUpdated: 0,
        peopleUnchanged: 0,
        householdsCreated: 0,
        householdsUpdated: 0,
        errors: 0,
      },
      fileErrors: [],
      rows: [],
    },
    newHouseholds: [],
    householdUpdates: [],
    newPersons: [],
    personUpdates: [],
    heads: [],
    represents: [],
    updatedRows: new Map(),
  }
  const missing = REQUIRED_ROSTER_COLUMNS.filter((c) => !sheet.headers.includes(c))
  if (missing.length) plan.report.fileErrors.push(`缺少这些列：${missing.join('、')}（请用下载的模板）`)
  const unknown = sheet.headers.filter((h) => h && !(ROSTER_COLUMNS as readonly string[]).includes(h))
  if (unknown.length) plan.report.fileErrors.push(`不认识这些列：${unknown.join('、')}`)
  if (sheet.rows.length === 0) plan.report.fileErrors.push('文件里没有数据行')
  if (plan.report.fileErrors.length) return plan

  const has = (c: string) => sheet.headers.includes(c)
  const fileHouseholds = new Map<string, { row: number; address: string; gridName: string }>()
  const seenPeople = new Map<string, number>()
  const seenIds = new Map<number, number>()
  const headRows = new Map<string, number>()
  const representedInFile = new Map<string, number>()
  // Every household number the file mentions, so 代表户 may point at households created by this file.
  const fileNumbers = new Set(sheet.rows.map((r) => r.cells['户号'] ?? '').filter(Boolean))
  const householdChanged = new Set<string>()

  for (const { row, cells } of sheet.rows) {
    const errors: string[] = []
    const changes: ImportChange[] = []
    const get = (c: string) => cells[c] ?? ''
    for (const c of REQUIRED_ROSTER_COLUMNS) if (!get(c)) errors.push(`缺少${c}`)
    for (const [c, max] of Object.entries(LIMITS)) if (get(c).length > max!) errors.push(`${c}太长（最多 ${max} 个字）`)

    const number = get('户号')
    const name = get('姓名')
    const gender = GENDERS[get('性别')]
    if (get('性别') && !gender) errors.push(`性别只能填“男”或“女”，不能填“${get('性别')}”`)
    const birthDate = normalizeDate(get('出生日期'))
    if (get('出生日期')) {
      const problem = birthDate
        ? validBirthDate(birthDate, today)
        : `出生日期“${get('出生日期')}”看不懂，请写成 1958-03-21`
      if (problem) errors.push(problem)
    }
    const status = get('状态') ? STATUSES[get('状态')] : undefined
    if (get('状态') && !status) errors.push(`状态只能填在册、迁出或去世`)
    const representative = get('村民代表') ? YES_NO[get('村民代表')] : undefined
    if (get('村民代表') && representative === undefined) errors.push('村民代表只能填“是”或“否”')
    const partyMember = get('党员') ? YES_NO[get('党员')] : undefined
    if (get('党员') && partyMember === undefined) errors.push('党员只能填“是”或“否”')
    const phone = get('联系电话') || undefined
    if (phone && !PHONE.test(phone)) errors.push(`联系电话“${phone}”不对`)
    const gridName = get('网格')
    const gridId = gridName ? roster.gridsByName.get(gridName) : undefined
    if (gridName && gridId === undefined) errors.push(`本村没有“${gridName}”这个网格`)

    let existing: ExistingPerson | undefined
    const rawId = get('人员编号')
    if (rawId) {
      const id = Number(rawId)
      existing = Number.isInteger(id) ? roster.personsById.get(id) : undefined
      if (!existing) errors.push(`人员编号 ${rawId} 不在本村花名册上`)
      else if (seenIds.has(id)) errors.push(`人员编号 ${rawId} 与第 ${seenIds.get(id)} 行重复`)
      else seenIds.set(id, row)
    }

    // One household, one address and grid: the first row of a household number sets them.
    if (number) {
      const first = fileHouseholds.get(number)
      if (!first) fileHouseholds.set(number, { row, address: get('住址'), gridName })
      else {
        if (get('住址') && first.address !== get('住址'))
          errors.push(`同一户（${number}）的住址与第 ${first.row} 行不一致`)
        if (gridName && first.gridName && first.gridName !== gridName)
          errors.push(`同一户（${number}）的网格与第 ${first.row} 行不一致`)
      }
    }
    if (number && name && birthDate) {
      const key = `${number}/${name}/${birthDate}`
      const dup = seenPeople.get(key)
      if (dup) errors.push(`与第 ${dup} 行是同一个人（重复）`)
      else seenPeople.set(key, row)
    }
    if (get('与户主关系') === '户主' && number) {
      const other = headRows.get(number)
      if (other) errors.push(`户号 ${number} 已在第 ${other} 行有户主，每户只能有一位户主`)
      else headRows.set(number, row)
    }
    const household = roster.householdsByNumber.get(number)
    if (!existing && household && name && birthDate)
      existing = roster.personsByKey.get(`${household.id}/${name}/${birthDate}`)

    const isRepresentative = representative ?? existing?.representative ?? false
    const represents = has('代表户') ? splitNumbers(get('代表户')) : undefined
    if (represents?.length && !isRepresentative) errors.push('不是村民代表，不能填代表户')
    for (const n of represents ?? []) {
      if (!fileNumbers.has(n) && !roster.householdsByNumber.has(n)) errors.push(`代表户 ${n} 不在花名册上`)
      const other = representedInFile.get(n)
      if (other) errors.push(`户号 ${n} 已由第 ${other} 行的代表联系`)
      else representedInFile.set(n, row)
    }

    if (errors.length) {
      plan.report.rows.push({ row, name, householdNumber: number, action: 'error', changes: [], errors })
      continue
    }

    // The household: created by its first row, or changed where the file says otherwise.
    const firstOfHousehold = fileHouseholds.get(number)!.row === row
    if (firstOfHousehold) {
      if (!household) {
        plan.newHouseholds.push({ number, address: get('住址'), gridId: gridId ?? null })
        changes.push({ field: '户', from: '', to: `新建 ${number}（${get('住址')}）` })
      } else {
        const set: { address?: string; gridId?: number | null } = {}
        if (household.address !== get('住址')) {
          set.address = get('住址')
          changes.push({ field: '住址', from: household.address, to: get('住址') })
        }
        if (gridId !== undefined && household.gridId !== gridId) {
          set.gridId = gridId
          changes.push({
            field: '网格',
            from: household.gridId ? (roster.gridNames.get(household.gridId) ?? '') : '',
            to: gridName,
          })
        }
        if (Object.keys(set).length) {
          plan.householdUpdates.push({ id: household.id, set })
          householdChanged.add(number)
        }
      }
    }

    const desired: PersonFields = {
      name,
      gender: gender!,
      birthDate: birthDate!,
      relation: get('与户主关系'),
      phone: phone ?? existing?.phone ?? null,
      status: status ?? existing?.status ?? 'resident',
      representative: isRepresentative,
      partyMember: partyMember ?? existing?.partyMember ?? false,
    }
    let ref: PersonRef
    let personChanged = false
    if (!existing) {
      ref = { newIndex: plan.newPersons.length }
      plan.newPersons.push({ householdNumber: number, fields: desired })
      plan.report.summary.peopleCreated++
    } else {
      ref = { id: existing.id }
      const set: Partial<PersonFields> & { householdNumber?: string } = {}
      const currentNumber = roster.householdsById.get(existing.householdId)?.number ?? ''
      if (currentNumber !== number) {
        set.householdNumber = number
        changes.push({ field: FIELD_LABEL.household, from: currentNumber, to: number })
      }
      for (const field of Object.keys(desired) as (keyof PersonFields)[]) {
        if (existing[field] !== desired[field]) {
          ;(set as Record<string, unknown>)[field] = desired[field]
          changes.push({
            field: FIELD_LABEL[field],
            from: show(field, existing[field]),
            to: show(field, desired[field]),
          })
        }
      }
      personChanged = Object.keys(set).length > 0
      if (personChanged) plan.personUpdates.push({ id: existing.id, householdNumber: number, set })
    }
    if (desired.relation === '户主' && (!household || household.headPersonId !== (existing?.id ?? null))) {
      plan.heads.push({ householdNumber: number, person: ref })
      if (household) {
        changes.push({
          field: '户主',
          from: household.headPersonId ? (roster.personsById.get(household.headPersonId)?.name ?? '') : '',
          to: name,
        })
        householdChanged.add(number)
      }
    }
    // Represented households: what the 代表户 column says, or what they were; none for a non-representative.
    const current = existing ? (roster.representedBy.get(existing.id) ?? []) : []
    const wanted = [...new Set(isRepresentative ? (represents ?? current) : [])].sort()
    if (wanted.join() !== [...current].sort().join()) {
      plan.represents.push({ person: ref, householdNumbers: wanted })
      if (existing) {
        personChanged = true
        changes.push({ field: '代表户', from: [...current].sort().join('、'), to: wanted.join('、') })
      }
    }
    if (existing && changes.length) plan.updatedRows.set(row, existing.id)

    const action: ImportRow['action'] = !existing ? 'create' : changes.length ? 'update' : 'unchanged'
    if (existing) plan.report.summary[personChanged ? 'peopleUpdated' : 'peopleUnchanged']++
    plan.report.rows.push({ row, name, householdNumber: number, action, changes, errors: [] })
  }
  plan.report.summary.householdsCreated = plan.newHouseholds.length
  plan.report.summary.householdsUpdated = householdChanged.size
  plan.report.summary.errors = plan.report.rows.filter((r) => r.action === 'error').length
  return plan
}

/** Applies a clean plan inside the caller's transaction; phones are written encrypted. */
async function applyPlan(tx: Tx, secrets: Secrets, actor: Actor, villageId: number, plan: Plan): Promise<void> {
  if (plan.newHouseholds.length)
    await tx.insert(households).values(plan.newHouseholds.map((h) => ({ villageId, ...h })))
  for (const u of plan.householdUpdates) await tx.update(households).set(u.set).where(eq(households.id, u.id))
  const numberToId = new Map(
    (
      await tx
        .select({ id: households.id, number: households.number })
        .from(households)
        .where(eq(households.villageId, villageId))
    ).map((h) => [h.number, h.id]),
  )

  for (let i = 0; i < plan.newPersons.length; i += 500) {
    const batch = plan.newPersons.slice(i, i + 500)
    await tx.insert(persons).values(
      batch.map((p) => ({
        villageId,
        householdId: numberToId.get(p.householdNumber)!,
        ...p.fields,
        phone: secrets.encrypt(p.fields.phone),
      })),
    )
  }
  const created = new Map<string, number>()
  if (plan.newPersons.length) {
    const rows = await tx
      .select({ id: persons.id, householdId: persons.householdId, name: persons.name, birthDate: persons.birthDate })
      .from(persons)
      .where(eq(persons.villageId, villageId))
    for (const r of rows) created.set(`${r.householdId}/${r.name}/${r.birthDate}`, r.id)
  }
  const idOf = (ref: PersonRef) => {
    if ('id' in ref) return ref.id
    const p = plan.newPersons[ref.newIndex]!
    return created.get(`${numberToId.get(p.householdNumber)}/${p.fields.name}/${p.fields.birthDate}`)!
  }

  for (const u of plan.personUpdates) {
    const { householdNumber, ...fields } = u.set
    const set = {
      ...fields,
      ...(fields.phone !== undefined ? { phone: secrets.encrypt(fields.phone) } : {}),
      ...(householdNumber !== undefined ? { householdId: numberToId.get(householdNumber)! } : {}),
    }
    if (Object.keys(set).length) await tx.update(persons).set(set).where(eq(persons.id, u.id))
  }
  // As in the app: one 户主 per household; a former head the file does not mention becomes 其他.
  for (const h of plan.heads) await makeHead(tx, numberToId.get(h.householdNumber)!, idOf(h.person))
  for (const r of plan.represents) {
    const personId = idOf(r.person)
    const ids = r.householdNumbers.map((n) => numberToId.get(n)!)
    await representOnly(tx, personId, ids)
    if (ids.length) {
      await tx.delete(representedHouseholds).where(inArray(representedHouseholds.householdId, ids))
      await tx.insert(representedHouseholds).values(ids.map((householdId) => ({ householdId, personId })))
    }
  }

  const entries = [
    { action: 'roster.imported', entity: 'village', entityId: villageId, data: { summary: plan.report.summary } },
    ...plan.newPersons.map((p, i) => ({
      action: 'person.imported',
      entity: 'person',
      entityId: idOf({ newIndex: i }),
      data: { householdNumber: p.householdNumber },
    })),
    ...plan.report.rows
      .filter((r) => r.action === 'update')
      .map((r) => ({
        action: 'person.updated_by_import',
        entity: 'person',
        entityId: plan.updatedRows.get(r.row)!,
        data: {
          row: r.row,
          changes: r.changes.map((c) =>
            c.field === FIELD_LABEL.phone ? { ...c, from: phoneForAudit(c.from), to: phoneForAudit(c.to) } : c,
          ),
        },
      })),
  ]
  await auditMany(
    tx,
    actor,
    entries.map((e) => ({ ...e, villageId })),
  )
}

/**
 * Imports a roster file: a dry run reports row by row what would happen; a commit applies it in one
 * transaction, and only when the file has no errors. The plan is worked out again inside the
 * transaction, with the village row locked, so two imports cannot interleave.
 */
export async function importRoster(
  db: Db,
  secrets: Secrets,
  actor: Actor,
  villageId: number,
  file: Buffer,
  commit: boolean,
  today: string,
): Promise<ImportReport> {
  const sheet = await readSheet(file)
  if (!commit) return planImport(sheet, await loadRoster(db, secrets, villageId), today).report
  return transaction(db, async (tx) => {
    await tx.select({ id: villages.id }).from(villages).where(eq(villages.id, villageId)).for('update')
    const plan = planImport(sheet, await loadRoster(tx, secrets, villageId), today)
    const problems = [
      ...plan.report.fileErrors.map((message) => ({ field: 'file', message })),
      ...plan.report.rows
        .filter((r) => r.action === 'error')
        .map((r) => ({ field: `第${r.row}行`, message: r.errors.join('；') })),
    ]
    if (problems.length) {
      throw new AppError(
        422,
        ErrorCode.IMPORT_HAS_ERRORS,
        `文件里有 ${problems.length} 处问题，请先改正再导入`,
        problems.slice(0, 100),
      )
    }
    await applyPlan(tx, secrets, actor, villageId, plan)
    return { ...plan.report, committed: true }
  })
}
