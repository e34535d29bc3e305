import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as } from '../../testing/factories.js'
import { multipartFile, startDemo, type TestContext } from '../../testing/harness.js'

let t: TestContext
let committee: string
let zhangjia: number
let heping: number

beforeAll(async () => {
  ;({
    t,
    as: { committee },
    zhangjia,
    heping,
  } = await startDemo(['committee']))
})
afterAll(() => t.close())

/** The API as the holder of `token` sees it: the committee's unless told. */
const by = (token = committee) => as(t, { token })
const get = (url: string, token = committee) => by(token).get(url)
/** A roster file sent to the import, committed or as a dry run. */
const importFile = (name: string, file: Buffer, commit: boolean) => {
  const { payload, headers } = multipartFile('file', name, file)
  return by().post(`/api/villages/${zhangjia}/roster/import?commit=${commit}`, payload, { headers })
}
const personId = async (name: string) =>
  (await t.rows<{ id: number; name: string }>('persons')).find((p) => p.name === name)!.id

describe('derived counts', () => {
  it('match hand-computed figures, including the 18th birthday (王小雨, born 2008-11-22)', async () => {
    // Demo 张家村: 36 households, 3 representatives (张秀兰, 赵德胜, 陈玉兰; two women).
    const people = await t.rows<{ village_id: number; birth_date: string }>('persons')
    const inZhangjia = people.filter((p) => p.village_id === zhangjia).length
    const onBirthday = (await get(`/api/villages/${zhangjia}/roster/counts?on=2026-11-22`)).json()
    const dayBefore = (await get(`/api/villages/${zhangjia}/roster/counts?on=2026-11-21`)).json()
    expect(onBirthday).toMatchObject({
      on: '2026-11-22',
      households: 36,
      people: inZhangjia,
      representatives: 3,
      womenRepresentatives: 2,
      warnings: [],
    })
    expect(onBirthday.adults - dayBefore.adults).toBe(1)

    const adultsOnBirthday = (await get(`/api/villages/${zhangjia}/roster/people?adultsOn=2026-11-22&q=王小雨`)).json()
    const adultsDayBefore = (await get(`/api/villages/${zhangjia}/roster/people?adultsOn=2026-11-21&q=王小雨`)).json()
    expect(adultsOnBirthday.total).toBe(1)
    expect(adultsDayBefore.total).toBe(0)

    // 和平社区 by hand: 2 households, 陈静 (1979, representative), 刘洋 (1990), 周敏 (1992).
    const hepingCommittee = await t.login('demo-heping-committee')
    expect((await get(`/api/villages/${heping}/roster/counts?on=2026-01-01`, hepingCommittee)).json()).toEqual({
      on: '2026-01-01',
      households: 2,
      people: 3,
      adults: 3,
      representatives: 1,
      womenRepresentatives: 1,
      warnings: [],
    })
  })

  it('warn when women are fewer than a third of the representatives', async () => {
    const id = await personId('陈玉兰')
    const res = await by().patch(`/api/villages/${zhangjia}/roster/people/${id}`, { representative: false })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ representative: false, representedHouseholds: [] })
    const counts = (await get(`/api/villages/${zhangjia}/roster/counts?on=2026-11-22`)).json()
    // 36 households need at least 3 representatives; one woman of two is a third or more.
    expect(counts).toMatchObject({ representatives: 2, womenRepresentatives: 1 })
    expect(counts.warnings.map((w: { code: string }) => w.code)).toEqual(['TOO_FEW_REPRESENTATIVES'])
    const zhang = await personId('张秀兰')
    await by().patch(`/api/villages/${zhangjia}/roster/people/${zhang}`, { representative: false })
    const after = (await get(`/api/villages/${zhangjia}/roster/counts?on=2026-11-22`)).json()
    expect(after.warnings.map((w: { code: string }) => w.code)).toEqual([
      'TOO_FEW_REPRESENTATIVES',
      'TOO_FEW_WOMEN_REPRESENTATIVES',
    ])
  })
})

describe('editing the roster', () => {
  it('a person: changes are audited; bad input names the field and writes nothing', async () => {
    const id = await personId('李梅')
    const ok = await by().patch(`/api/villages/${zhangjia}/roster/people/${id}`, {
      phone: '13912345678',
      partyMember: false,
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ name: '李梅', phone: '13912345678', partyMember: false })
    const audit = (await t.rows<{ action: string; entity_id: number; data: string }>('audit_log')).filter(
      (a) => a.action === 'person.updated' && a.entity_id === id,
    )
    expect(JSON.parse(JSON.stringify(audit.at(-1)!.data))).toBeTruthy()

    const before = await t.rows('persons')
    for (const [payload, field] of [
      [{ birthDate: '1982-02-30' }, 'birthDate'],
      [{ phone: '12345' }, 'phone'],
      [{ gender: 'other' }, 'gender'],
      [{}, ''],
    ] as const) {
      const bad = await by().patch(`/api/villages/${zhangjia}/roster/people/${id}`, payload)
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400)
      if (field) expect(bad.json().details.map((d: { field: string }) => d.field)).toContain(field)
    }
    const hepingHousehold = (await t.rows<{ id: number; village_id: number }>('households')).find(
      (h) => h.village_id === heping,
    )!
    const otherVillage = await by().patch(`/api/villages/${zhangjia}/roster/people/${id}`, {
      householdId: hepingHousehold.id,
    })
    expect(otherVillage.statusCode).toBe(404)
    expect(otherVillage.json().code).toBe('HOUSEHOLD_NOT_FOUND')
    const hepingPerson = await personId('刘洋')
    const foreign = await by().patch(`/api/villages/${zhangjia}/roster/people/${hepingPerson}`, {
      phone: '13900000000',
    })
    expect(foreign.statusCode).toBe(404)
    expect(await t.rows('persons')).toEqual(before)
  })

  it('accepts PATCH sent as POST with X-HTTP-Method-Override (wx.request has no PATCH)', async () => {
    const id = await personId('赵小明')
    const res = await by().post(
      `/api/villages/${zhangjia}/roster/people/${id}`,
      { phone: '13700001111' },
      { headers: { 'x-http-method-override': 'PATCH' } },
    )
    expect(res.statusCode).toBe(200)
    expect(res.json().phone).toBe('13700001111')
    const plainPost = await by().post(`/api/villages/${zhangjia}/roster/people/${id}`, { phone: '13700002222' })
    expect(plainPost.statusCode).toBe(404)
  })

  it('a household: the head must live in it', async () => {
    const households = await t.rows<{ id: number; number: string }>('households')
    const zj1 = households.find((h) => h.number === 'ZJ-001')!
    const wife = await personId('刘桂芳')
    const stranger = await personId('李梅')
    const bad = await by().patch(`/api/villages/${zhangjia}/roster/households/${zj1.id}`, { headPersonId: stranger })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details[0].field).toBe('headPersonId')
    const ok = await by().patch(`/api/villages/${zhangjia}/roster/households/${zj1.id}`, {
      headPersonId: wife,
      address: '张家村一组 3 号（新）',
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ headName: '刘桂芳', address: '张家村一组 3 号（新）', memberCount: 3 })
    const detail = (await get(`/api/villages/${zhangjia}/roster/households/${zj1.id}`)).json()
    // One 户主 per household: the former head becomes 其他 until the committee says what he is.
    expect(detail.people.map((p: { name: string; relation: string }) => [p.name, p.relation])).toEqual([
      ['王建国', '其他'],
      ['刘桂芳', '户主'],
      ['王小雨', '子女'],
    ])
  })

  it('an import that names a new head turns the former one into 其他, so the roster keeps one head per household', async () => {
    const { toXlsx } = await import('../../testing/roster-fixture.js')
    const file = await toXlsx([
      {
        户号: 'ZJ-002',
        住址: '张家村一组 8 号',
        网格: '一组网格',
        姓名: '李大山',
        性别: '男',
        出生日期: '1950-01-01',
        与户主关系: '户主',
      },
    ])
    const res = await importFile('head.xlsx', file, true)
    expect(res.statusCode).toBe(200)
    expect(res.json().rows[0]).toMatchObject({
      action: 'create',
      changes: [{ field: '户主', from: '李梅', to: '李大山' }],
    })
    const zj2 = (await t.rows<{ id: number; number: string }>('households')).find((h) => h.number === 'ZJ-002')!
    const detail = (await get(`/api/villages/${zhangjia}/roster/households/${zj2.id}`)).json()
    expect(detail.household.headName).toBe('李大山')
    expect(detail.people.map((p: { name: string; relation: string }) => [p.name, p.relation])).toEqual([
      ['李梅', '其他'],
      ['李大山', '户主'],
    ])
  })

  it('exports the roster to XLSX that imports back unchanged', async () => {
    const res = await get(`/api/villages/${zhangjia}/roster/export.xlsx`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer)
    const sheet = workbook.worksheets[0]!
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual([
      '户号',
      '住址',
      '网格',
      '姓名',
      '性别',
      '出生日期',
      '与户主关系',
      '联系电话',
      '状态',
      '村民代表',
      '代表户',
      '党员',
      '人员编号',
    ])
    const people = (await t.rows<{ village_id: number }>('persons')).filter((p) => p.village_id === zhangjia)
    expect(sheet.rowCount - 1).toBe(people.length)

    const again = await importFile('export.xlsx', res.rawPayload, false)
    expect(again.json().summary).toMatchObject({
      peopleCreated: 0,
      peopleUpdated: 0,
      householdsCreated: 0,
      householdsUpdated: 0,
      errors: 0,
      peopleUnchanged: people.length,
    })
  })
})

describe('linking app users to roster people', () => {
  it('suggests the matching person, links on verification, and refuses a second link', async () => {
    const apps = (await get(`/api/villages/${zhangjia}/applications`)).json()
    const sun = apps.find((a: { realName: string }) => a.realName === '孙福来')
    expect(sun.matches[0]).toMatchObject({
      name: '孙福来',
      birthDate: '1949-10-01',
      householdNumber: 'ZJ-005',
      linked: false,
      reasons: ['姓名相同', '出生年份相同', '住址相符'],
    })

    const verified = await by().post(`/api/villages/${zhangjia}/applications/${sun.id}/verify`, {
      personId: sun.matches[0].personId,
    })
    expect(verified.statusCode).toBe(200)
    expect(verified.json()).toMatchObject({ status: 'verified', personId: sun.matches[0].personId })
    const membership = (await t.rows<{ id: number; person_id: number; household_id: number }>('memberships')).find(
      (m) => m.id === sun.id,
    )!
    const household = (await t.rows<{ id: number; number: string }>('households')).find((h) => h.number === 'ZJ-005')!
    expect(membership).toMatchObject({ person_id: sun.matches[0].personId, household_id: household.id })

    // Someone else claims to be 孙福来: the person is already taken.
    const impostor = await t.login('wx-impostor')
    const { id } = (
      await by(impostor).post(`/api/villages/${zhangjia}/applications`, {
        realName: '孙福来',
        householdAddress: '张家村二组 21 号',
        birthYear: 1949,
      })
    ).json()
    const listed = (await get(`/api/villages/${zhangjia}/applications`)).json().find((a: { id: number }) => a.id === id)
    expect(listed.matches[0]).toMatchObject({ name: '孙福来', linked: true })
    const taken = await by().post(`/api/villages/${zhangjia}/applications/${id}/verify`, {
      personId: sun.matches[0].personId,
    })
    expect(taken.statusCode).toBe(409)
    expect(taken.json().code).toBe('PERSON_ALREADY_LINKED')
    expect((await t.rows<{ id: number; status: string }>('memberships')).find((m) => m.id === id)?.status).toBe(
      'pending',
    )

    // A member already linked cannot become a second person; a person of another village is not found.
    const volunteer = (await t.rows<{ id: number; real_name: string; village_id: number }>('memberships')).find(
      (m) => m.real_name === '赵小明',
    )!
    const second = await by().post(`/api/villages/${zhangjia}/members/${volunteer.id}/person`, {
      personId: await personId('王小雨'),
    })
    expect(second.statusCode).toBe(409)
    expect(second.json().code).toBe('MEMBER_ALREADY_LINKED')
    const foreign = await by().post(`/api/villages/${zhangjia}/applications/${id}/verify`, {
      personId: await personId('刘洋'),
    })
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().code).toBe('PERSON_NOT_FOUND')
  })

  it('links a verified member later', async () => {
    const townAdmin = (
      await t.rows<{ id: number; real_name: string; village_id: number; person_id: number | null }>('memberships')
    ).find((m) => m.real_name === '周涛' && m.village_id === heping)!
    expect(townAdmin.person_id).toBeNull()
    const hepingCommittee = await t.login('demo-heping-committee')
    const res = await by(hepingCommittee).post(`/api/villages/${heping}/members/${townAdmin.id}/person`, {
      personId: await personId('周敏'),
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ personId: await personId('周敏'), villageId: heping })
    // 张家村's committee has no say over 和平社区's members.
    const cross = await by().post(`/api/villages/${heping}/members/${townAdmin.id}/person`, {
      personId: await personId('周敏'),
    })
    expect(cross.statusCode).toBe(403)
  })
})
