import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { as, startWithVillages, type Caller, type Village } from '../../testing/factories.js'
import { multipartFile, type TestContext } from '../../testing/harness.js'
import { generateRoster, toCsv, toXlsx, type RosterRow } from '../../testing/roster-fixture.js'

let t: TestContext
let v: Village
let other: Village
/** The names of the village's two grids, as a roster file names them. */
let grids: [string, string]

beforeAll(async () => {
  ;[t, v, other] = await startWithVillages(2)
  const names = (await t.rows<{ id: number; name: string }>('grids'))
    .filter((g) => v.gridIds.includes(g.id))
    .map((g) => g.name)
  grids = [names[0]!, names[1]!]
})
afterAll(() => t.close())

const roster = (path = '') => `/api/villages/${v.id}/roster${path}`
const upload = (file: Buffer | string, commit: boolean, name = 'roster.xlsx', caller: Caller = 'committee') => {
  const { payload, headers } = multipartFile('file', name, file)
  return as(t, caller).post(roster(`/import?commit=${commit}`), payload, { headers })
}
const tableCounts = async () => ({
  persons: (await t.rows('persons')).length,
  households: (await t.rows('households')).length,
  represented: (await t.rows('represented_households')).length,
  audit: (await t.rows('audit_log')).length,
})

describe('importing a realistic roster (600 people, 180 households)', () => {
  let rows: RosterRow[]
  let file: Buffer

  it('the generated file has 600 people in 180 households', async () => {
    rows = generateRoster(180, grids)
    expect(rows).toHaveLength(600)
    expect(new Set(rows.map((r) => r.户号)).size).toBe(180)
    file = await toXlsx(rows)
  })

  it('a dry run reports every row and writes nothing', async () => {
    const before = await tableCounts()
    const res = await upload(file, false)
    expect(res.statusCode).toBe(200)
    const report = res.json()
    expect(report.committed).toBe(false)
    expect(report.fileErrors).toEqual([])
    expect(report.summary).toEqual({
      rows: 600,
      peopleCreated: 600,
      peopleUpdated: 0,
      peopleUnchanged: 0,
      householdsCreated: 180,
      householdsUpdated: 0,
      errors: 0,
    })
    expect(report.rows).toHaveLength(600)
    expect(report.rows[0]).toMatchObject({
      row: 2,
      householdNumber: 'T-0001',
      action: 'create',
      changes: [{ field: '户', to: expect.stringContaining('新建 T-0001') }],
    })
    expect(await tableCounts()).toEqual(before)
  })

  it('a commit writes it all in one go, heads and represented households included', async () => {
    const before = await tableCounts()
    const res = await upload(file, true)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ committed: true, summary: { peopleCreated: 600, householdsCreated: 180 } })
    const after = await tableCounts()
    expect(after.persons - before.persons).toBe(600)
    expect(after.households - before.households).toBe(180)
    expect(after.represented - before.represented).toBe(180)

    const households = (await t.rows<{ number: string; head_person_id: number | null }>('households')).filter((h) =>
      h.number.startsWith('T-'),
    )
    expect(households.every((h) => h.head_person_id !== null)).toBe(true)
    const audit = await t.rows<{ action: string; actor_user_id: number }>('audit_log')
    expect(audit.filter((a) => a.action === 'person.imported')).toHaveLength(600)
    expect(audit.filter((a) => a.action === 'roster.imported')).toHaveLength(1)

    const counts = (await as(t, 'committee').get(roster('/people?q=T-0003'))).json()
    expect(counts.total).toBe(4)
    expect(counts.people.map((p: { relation: string }) => p.relation)).toEqual(['户主', '配偶', '子女', '孙子女'])
  })

  it('importing the same file again changes nothing', async () => {
    const before = await tableCounts()
    const res = await upload(file, true)
    expect(res.statusCode).toBe(200)
    expect(res.json().summary).toEqual({
      rows: 600,
      peopleCreated: 0,
      peopleUpdated: 0,
      peopleUnchanged: 600,
      householdsCreated: 0,
      householdsUpdated: 0,
      errors: 0,
    })
    expect(res.json().rows.every((r: { action: string }) => r.action === 'unchanged')).toBe(true)
    const after = await tableCounts()
    expect({ ...after, audit: after.audit - 1 }).toEqual(before) // only the 'roster.imported' note
  })

  it('an edited file changes only what was edited', async () => {
    const edited: RosterRow[] = rows.map((r) => ({ ...r }))
    edited[0] = { ...edited[0], 住址: '张家村新区 1 号（东）' } // household T-0001, first row
    edited[1] = { ...edited[1], 住址: '张家村新区 1 号（东）', 联系电话: '13800138000' }
    edited[2] = { ...edited[2], 住址: '张家村新区 1 号（东）' }
    edited[5] = { ...edited[5], 状态: '迁出' }
    edited.push({
      户号: 'T-0002',
      住址: rows[3]!.住址,
      网格: rows[3]!.网格,
      姓名: '新生儿',
      性别: '女',
      出生日期: '2026-10-01',
      与户主关系: '孙子女',
      状态: '在册',
      村民代表: '否',
      代表户: '',
      党员: '否',
    })
    const file2 = await toXlsx(edited)

    const dry = (await upload(file2, false)).json()
    expect(dry.summary).toEqual({
      rows: 601,
      peopleCreated: 1,
      peopleUpdated: 2,
      peopleUnchanged: 598,
      householdsCreated: 0,
      householdsUpdated: 1,
      errors: 0,
    })
    const changed = dry.rows.filter((r: { action: string }) => r.action !== 'unchanged')
    expect(
      changed.map((r: { row: number; action: string; changes: { field: string; from: string; to: string }[] }) => [
        r.row,
        r.action,
        r.changes,
      ]),
    ).toEqual([
      [2, 'update', [{ field: '住址', from: '张家村新区 1 号', to: '张家村新区 1 号（东）' }]],
      [3, 'update', [{ field: '联系电话', from: '', to: '13800138000' }]],
      [7, 'update', [{ field: '状态', from: '在册', to: '迁出' }]],
      [602, 'create', []],
    ])

    const before = await tableCounts()
    expect((await upload(file2, true)).statusCode).toBe(200)
    const after = await tableCounts()
    expect(after.persons - before.persons).toBe(1)
    expect(after.households).toBe(before.households)
    const t1 = (await t.rows<{ number: string; address: string }>('households')).find((h) => h.number === 'T-0001')
    expect(t1?.address).toBe('张家村新区 1 号（东）')
    const people = await t.rows<{ name: string; phone: string | null; status: string }>('persons')
    // Kept encrypted (see identity/phone.test.ts); the same file again changes nothing, phone included.
    expect(people.find((p) => p.name === rows[1]!.姓名)?.phone).toMatch(/^v1\.dev\./)
    expect(people.find((p) => p.name === rows[5]!.姓名)?.status).toBe('moved_out')
    expect((await upload(file2, false)).json().summary).toMatchObject({
      peopleCreated: 0,
      peopleUpdated: 0,
      peopleUnchanged: 601,
    })
  })
})

describe('bad files and bad rows', () => {
  const good = (n: number): RosterRow => ({
    户号: `B-${n}`,
    住址: `坏文件路 ${n} 号`,
    网格: grids[0],
    姓名: `测试${n}`,
    性别: '男',
    出生日期: '1960-01-01',
    与户主关系: '户主',
  })

  it('reports each bad row with its reason, and a commit writes nothing', async () => {
    const rows: RosterRow[] = [
      good(1),
      { ...good(2), 姓名: '' },
      { ...good(3), 出生日期: '1990-02-30' },
      { ...good(4), 网格: '月球网格' },
      { ...good(1) }, // the same person twice
      { ...good(6), 性别: '未知' },
      { ...good(7), 出生日期: '2099-01-01' },
      { ...good(8), 出生日期: '去年' },
      { ...good(9), 人员编号: '99999999' },
      { ...good(10), 代表户: 'B-1' }, // not a representative
    ]
    const file = await toXlsx(rows)
    const before = await tableCounts()
    const dry = (await upload(file, false)).json()
    expect(dry.summary.errors).toBe(9)
    const reasons = Object.fromEntries(
      dry.rows
        .filter((r: { action: string }) => r.action === 'error')
        .map((r: { row: number; errors: string[] }) => [r.row, r.errors.join('；')]),
    )
    expect(reasons).toEqual({
      3: expect.stringContaining('缺少姓名'),
      4: expect.stringContaining('不是真实的日期'),
      5: expect.stringContaining('没有“月球网格”这个网格'),
      6: expect.stringContaining('与第 2 行是同一个人'),
      7: expect.stringContaining('性别只能填'),
      8: expect.stringContaining('不能晚于今天'),
      9: expect.stringContaining('看不懂'),
      10: expect.stringContaining('人员编号 99999999 不在本村花名册上'),
      11: expect.stringContaining('不是村民代表'),
    })

    const commit = await upload(file, true)
    expect(commit.statusCode).toBe(422)
    expect(commit.json().code).toBe('IMPORT_HAS_ERRORS')
    expect(commit.json().details.map((d: { field: string }) => d.field)).toEqual([
      '第3行',
      '第4行',
      '第5行',
      '第6行',
      '第7行',
      '第8行',
      '第9行',
      '第10行',
      '第11行',
    ])
    expect(await tableCounts()).toEqual(before)
  })

  it('refuses files that are not spreadsheets, have the wrong columns, or are too large', async () => {
    const before = await tableCounts()
    const png = await upload(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
      false,
      'roster.xlsx',
    )
    expect(png.statusCode).toBe(415)
    expect(png.json()).toMatchObject({ code: 'UNSUPPORTED_FILE', details: [{ field: 'file' }] })
    const fakeZip = await upload(Buffer.from('PK\u0003\u0004 not really a zip'), false)
    expect(fakeZip.statusCode).toBe(415)

    const wrongColumns = await upload('姓名,年龄\n张三,60\n', false, 'x.csv')
    expect(wrongColumns.statusCode).toBe(200)
    expect(wrongColumns.json().fileErrors[0]).toContain('缺少这些列')
    expect((await upload('姓名,年龄\n张三,60\n', true, 'x.csv')).statusCode).toBe(422)

    const huge = await upload(Buffer.alloc(6 * 1024 * 1024, 'a'), false, 'big.csv')
    expect(huge.statusCode).toBe(413)
    expect(huge.json().code).toBe('FILE_TOO_LARGE')

    const noFile = await as(t, 'committee').post(roster('/import'), {})
    expect(noFile.statusCode).toBe(415)
    expect(await tableCounts()).toEqual(before)
  })

  it('reads CSV saved by Excel in GB18030 as well as UTF-8', async () => {
    const csv = toCsv([{ ...good(20), 姓名: '钱多多' }])
    const gbk = Buffer.from(new TextEncoder().encode(csv)) // UTF-8 first
    const utf = (await upload(gbk, false, 'r.csv')).json()
    expect(utf.rows[0]).toMatchObject({ name: '钱多多', action: 'create' })
    // GB18030 bytes for the same text, encoded by hand for the characters used.
    const { execFileSync } = await import('node:child_process')
    const gb = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: csv })
    const res = (await upload(gb, false, 'r.csv')).json()
    expect(res.fileErrors).toEqual([])
    expect(res.rows[0]).toMatchObject({ name: '钱多多', householdNumber: 'B-20', action: 'create' })
  })
})

describe('who may touch the roster', () => {
  it('other villages’ committees, residents and grid workers are refused what is not theirs', async () => {
    const file = await toXlsx([
      { 户号: 'P-1', 住址: '权限路 1 号', 姓名: '权限', 性别: '女', 出生日期: '1970-01-01', 与户主关系: '户主' },
    ])
    const before = await tableCounts()
    for (const caller of [other.committee, 'resident', 'grid'] as const)
      expect((await upload(file, true, 'r.xlsx', caller)).statusCode).toBe(403)
    for (const caller of [other.committee, 'resident'] as const) {
      const list = await as(t, caller).get(roster('/people'))
      expect(list.statusCode).toBe(403)
      const exp = await as(t, caller).get(roster('/export.xlsx'))
      expect(exp.statusCode).toBe(403)
    }
    // A grid worker reads the roster (they act for villagers without phones) but does not change it.
    expect((await as(t, 'grid').get(roster('/people'))).statusCode).toBe(200)
    const patch = await as(t, 'grid').patch(roster(`/people/${v.persons[0]!.id}`), { phone: '13900000000' })
    expect(patch.statusCode).toBe(403)
    expect(await tableCounts()).toEqual(before)
  })
})
