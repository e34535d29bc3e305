import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../app.js'
import { loadConfig } from '../../config.js'
import { auth, multipartFile, startDemo, type TestContext } from '../../testing/harness.js'
import { toCsv } from '../../testing/roster-fixture.js'

// Phones are personal data: encrypted at rest, shown to the member themself and to their village's
// committee (and, for the roster, its grid workers), to nobody else.

let t: TestContext
let committeeA: string // 张家村 村委会
let zhangjia: number
let applicant: string
let membershipId: number

const ROSTER_PHONES = ['13911112222', '0571-88001234']
const EDITED_PHONE = '13977778888'
const APPLICANT_PHONE = '13855556666'
const ALL_PHONES = [...ROSTER_PHONES, EDITED_PHONE, APPLICANT_PHONE]

const apply = (token: string, payload: object, app = t.app) =>
  app.inject({ method: 'POST', url: `/api/villages/${zhangjia}/applications`, headers: auth(token), payload })
const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: auth(token) })
const counts = async () => ({
  memberships: (await t.rows('memberships')).length,
  audit: (await t.rows('audit_log')).length,
})
const good = { realName: '钱多多', householdAddress: '张家村隐私路 1 号', birthYear: 1985 }

beforeAll(async () => {
  ;({
    t,
    as: { committee: committeeA },
    zhangjia,
  } = await startDemo(['committee']))

  // One household: a mobile, a landline, and someone with no phone.
  const home = { 户号: 'PV-1', 住址: '张家村隐私路 1 号' }
  const csv = toCsv([
    { ...home, 姓名: '钱电话', 性别: '男', 出生日期: '1970-01-01', 与户主关系: '户主', 联系电话: ROSTER_PHONES[0] },
    { ...home, 姓名: '孙座机', 性别: '女', 出生日期: '1972-02-02', 与户主关系: '配偶', 联系电话: ROSTER_PHONES[1] },
    { ...home, 姓名: '钱改号', 性别: '男', 出生日期: '1995-03-03', 与户主关系: '子女' },
  ])
  const { payload, headers } = multipartFile('file', 'roster.csv', csv)
  const imported = await t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}/roster/import?commit=true`,
    headers: { ...auth(committeeA), ...headers },
    payload,
  })
  expect(imported.statusCode).toBe(200)
  const edited = (await t.rows<{ id: number; name: string }>('persons')).find((p) => p.name === '钱改号')!
  const patch = await t.app.inject({
    method: 'PATCH',
    url: `/api/villages/${zhangjia}/roster/people/${edited.id}`,
    headers: auth(committeeA),
    payload: { phone: EDITED_PHONE },
  })
  expect(patch.statusCode).toBe(200)

  applicant = await t.login('wx-qian-duoduo')
  // The H5 client's dev door, as the mini-program's phone-number button would hand over a code.
  const minted = await t.app.inject({ method: 'POST', url: '/api/dev/phone-code', payload: { phone: APPLICANT_PHONE } })
  expect(minted.statusCode).toBe(200)
  const joined = await apply(applicant, { ...good, phoneCode: minted.json().code })
  expect(joined.statusCode).toBe(201)
  expect(joined.json()).toMatchObject({ status: 'pending', phone: APPLICANT_PHONE })
  membershipId = joined.json().id
})
afterAll(() => t.close())

describe('phones at rest', () => {
  it('no table of people holds a phone in plaintext, while the committee reads them all', async () => {
    for (const table of ['persons', 'memberships', 'audit_log']) {
      const raw = JSON.stringify(await t.rows(table))
      for (const phone of ALL_PHONES) expect(raw, `${phone} in ${table}`).not.toContain(phone)
    }
    const stored = (await t.rows<{ name: string; phone: string | null }>('persons')).filter(
      (p) => p.name.startsWith('钱') || p.name === '孙座机',
    )
    for (const p of stored) expect(p.phone).toMatch(/^v1\.dev\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/)
    expect(
      (await t.rows<{ id: number; phone: string | null }>('memberships')).find((m) => m.id === membershipId)?.phone,
    ).toMatch(/^v1\.dev\./)

    const people = (await get(`/api/villages/${zhangjia}/roster/people?q=张家村隐私路`, committeeA)).json().people
    expect(people.map((p: { phone: string | null }) => p.phone).sort()).toEqual([...ROSTER_PHONES, EDITED_PHONE].sort())
    const applications = (await get(`/api/villages/${zhangjia}/applications`, committeeA)).json()
    expect(applications.find((a: { id: number }) => a.id === membershipId)).toMatchObject({
      realName: '钱多多',
      phone: APPLICANT_PHONE,
    })
    const mine = (await get('/api/me', applicant)).json()
    expect(mine.memberships).toEqual([expect.objectContaining({ id: membershipId, phone: APPLICANT_PHONE })])

    // The export, for the committee to edit and import again, has the numbers in plain figures.
    const file = await get(`/api/villages/${zhangjia}/roster/export.xlsx`, committeeA)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(file.rawPayload as unknown as ExcelJS.Buffer)
    const phones: string[] = []
    workbook.worksheets[0]!.getColumn(8).eachCell((cell, row) => void (row > 1 && cell.text && phones.push(cell.text)))
    expect(phones).toEqual(expect.arrayContaining([...ROSTER_PHONES, EDITED_PHONE]))
    // Importing that export again changes nothing: phones are compared decrypted.
    const again = multipartFile('file', 'roster.xlsx', file.rawPayload)
    const dry = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/roster/import?commit=false`,
      headers: { ...auth(committeeA), ...again.headers },
      payload: again.payload,
    })
    expect(dry.json().summary).toMatchObject({ peopleCreated: 0, peopleUpdated: 0, errors: 0 })
  })

  it('the committee’s verify answer carries the phone; the member keeps seeing their own', async () => {
    const verified = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/applications/${membershipId}/verify`,
      headers: auth(committeeA),
      payload: {},
    })
    expect(verified.json()).toMatchObject({ status: 'verified', phone: APPLICANT_PHONE })
    expect((await get('/api/me', applicant)).json().memberships[0]).toMatchObject({
      status: 'verified',
      phone: APPLICANT_PHONE,
    })
  })
})

describe('nobody else sees a phone', () => {
  it('in any GET the API offers, asked by a resident, a grid worker, another village’s committee, a newcomer or nobody', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, { get?: unknown }>
    }
    const person = (await t.rows<{ id: number; name: string; household_id: number }>('persons')).find(
      (p) => p.name === '钱电话',
    )!
    const values: Record<string, number> = {
      villageId: zhangjia,
      personId: person.id,
      householdId: person.household_id,
      membershipId,
    }
    const urls = Object.entries(spec.paths)
      .filter(([, ops]) => ops.get)
      .map(([path]) => path.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? 1)))
    expect(urls).toEqual(
      expect.arrayContaining([
        `/api/villages/${zhangjia}/applications`,
        '/api/me',
        `/api/villages/${zhangjia}/roster/people`,
      ]),
    )

    const strangers: [string, string | null, string[]][] = [
      ['resident of 张家村', await t.login('demo-zhangjia-resident'), ALL_PHONES],
      ['committee of 和平社区', await t.login('demo-heping-committee'), ALL_PHONES],
      ['town admin', await t.login('demo-town-admin'), ALL_PHONES],
      ['newcomer', await t.login('wx-newcomer'), ALL_PHONES],
      ['nobody', null, ALL_PHONES],
      // Grid workers read the roster (with its phones), not the applications.
      ['grid worker of 张家村', await t.login('demo-zhangjia-grid'), [APPLICANT_PHONE]],
    ]
    for (const [who, token, phones] of strangers) {
      for (const url of urls) {
        const res = await t.app.inject({ method: 'GET', url, headers: token ? auth(token) : {} })
        for (const phone of phones) expect(res.body, `${who}: GET ${url}`).not.toContain(phone)
      }
    }
  })

  it('the applications and the roster refuse outsiders outright', async () => {
    for (const stranger of ['demo-heping-committee', 'demo-zhangjia-resident', 'wx-newcomer']) {
      const token = await t.login(stranger)
      const list = await get(`/api/villages/${zhangjia}/applications?status=verified`, token)
      expect(list.statusCode).toBe(403)
      expect((await get(`/api/villages/${zhangjia}/roster/people`, token)).statusCode).toBe(403)
      expect((await get(`/api/villages/${zhangjia}/roster/export.xlsx`, token)).statusCode).toBe(403)
    }
    const other = (await get('/api/me', await t.login('demo-zhangjia-resident'))).json()
    expect(JSON.stringify(other)).not.toContain(APPLICANT_PHONE)
  })
})

describe('the phone-number code', () => {
  it('a bad or used code is refused on the field, and nothing is written', async () => {
    const token = await t.login('wx-bad-phone-code')
    const used = t.wechat.issuePhoneCode('13700001111')
    expect((await apply(token, { ...good, realName: '试用码', phoneCode: used })).statusCode).toBe(201)
    const other = await t.login('wx-bad-phone-code-2')
    const before = await counts()
    for (const phoneCode of ['no-such-code', used]) {
      const res = await apply(other, { ...good, realName: '坏码', phoneCode })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'WECHAT_CODE_INVALID', details: [{ field: 'phoneCode' }] })
      expect(res.json().message).toMatch(/手机号/)
    }
    expect(await counts()).toEqual(before)
    expect((await get('/api/me', other)).json().memberships).toEqual([])
  })

  it('WeChat down: 503 and nothing written; without a code an application needs no WeChat and keeps no phone', async () => {
    // The same database, WeChat unreachable (nothing listens on port 1).
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret', LOG_LEVEL: 'silent' })
    const app = await buildApp(config, { database: t.database, wechatApiBase: 'http://127.0.0.1:1' })
    try {
      const token = await t.login('wx-wechat-down')
      const before = await counts()
      const res = await apply(
        token,
        { ...good, realName: '断网', phoneCode: t.wechat.issuePhoneCode('13700002222') },
        app,
      )
      expect(res.statusCode).toBe(503)
      expect(res.json().code).toBe('WECHAT_UNAVAILABLE')
      expect(await counts()).toEqual(before)
      const plain = await apply(token, { ...good, realName: '断网' }, app)
      expect(plain.statusCode).toBe(201)
      expect(plain.json().phone).toBeNull()
      expect(
        (await t.rows<{ id: number; phone: string | null }>('memberships')).find((m) => m.id === plain.json().id)
          ?.phone,
      ).toBeNull()
    } finally {
      await app.close()
    }
  })

  it('a rejected applicant who applies again without a code no longer leaves a phone', async () => {
    const token = await t.login('wx-reapply-phone')
    const first = await apply(token, { ...good, realName: '再申请', phoneCode: t.wechat.issuePhoneCode('13700003333') })
    expect(first.json().phone).toBe('13700003333')
    await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/applications/${first.json().id}/reject`,
      headers: auth(committeeA),
      payload: { reason: '住址不对' },
    })
    const again = await apply(token, { ...good, realName: '再申请', householdAddress: '张家村隐私路 2 号' })
    expect(again.json()).toMatchObject({ id: first.json().id, status: 'pending', phone: null })
  })

  it('the dev door mints codes only for a mobile number', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/dev/phone-code', payload: { phone: '12345' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().details[0].field).toBe('phone')
  })
})
