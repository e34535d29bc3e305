import { PRIVACY_GUIDE } from '@liren/shared/rules'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDateTimeWords } from '../../core/time.js'
import { addResidents, as, startWithVillages, type Caller, type Village } from '../../testing/factories.js'
import { type TestContext } from '../../testing/harness.js'
import { expectLedgerConsistent } from '../../testing/ledger.js'

let t: TestContext
let v: Village
let other: Village

// A fifth household, for a member who lives alone in the app's eyes (the one who leaves).
beforeAll(async () => ([t, v, other] = await startWithVillages([{ households: 5 }, {}])))
afterAll(() => t?.close())

const call = (method: 'GET' | 'POST' | 'PUT', url: string, caller: Caller = 'anon', payload?: object) =>
  method === 'GET'
    ? as(t, caller).get(url)
    : method === 'POST'
      ? as(t, caller).post(url, payload)
      : as(t, caller).put(url, payload)
const village = (path: string) => `/api/villages/${v.id}${path}`
/** Somebody new to the app, signed in through WeChat. */
const newcomerNamed = async (openid: string): Promise<Caller> => ({ token: await t.login(openid) })

/** 我的数据 as the resident downloads it: a file of this name, never cached. */
async function downloaded(url: string, file: string) {
  const res = await call('GET', url, 'resident')
  expect(res.statusCode).toBe(200)
  expect(res.headers['content-disposition']).toContain(`filename="${file}"`)
  expect(res.headers['cache-control']).toBe('no-store')
  return res
}

/** Every table, and every row's JSON that contains one of `values` (tables in `except` skipped). */
async function tablesHolding(values: string[], except: string[] = []): Promise<string[]> {
  const found: string[] = []
  for (const table of await t.tables()) {
    if (except.includes(table)) continue
    const [rows] = (await t.database.pool.query(`SELECT * FROM \`${table}\``)) as unknown as [Record<string, unknown>[]]
    for (const r of rows) {
      const text = JSON.stringify(r)
      for (const v of values) if (text.includes(v)) found.push(`${table}: ${v}`)
    }
  }
  return [...new Set(found)]
}

describe('the privacy guide', () => {
  it('a new user accepts the current version once; another version is refused; the guide is public', async () => {
    const guide = await call('GET', '/api/privacy')
    expect(guide.statusCode).toBe(200)
    expect(guide.json()).toMatchObject({ version: PRIVACY_GUIDE.version, title: '里仁用户隐私保护指引' })
    expect(guide.json().sections.map((s: { heading: string }) => s.heading)).toEqual([
      '我们收集什么',
      '为什么收集',
      '谁能看到',
      '保存多久',
      '您的权利',
    ])

    const newcomer = await newcomerNamed('privacy-newcomer')
    expect((await call('GET', '/api/me', newcomer)).json().needsPrivacyConsent).toBe(true)
    expect((await call('GET', '/api/me/privacy', newcomer)).json()).toEqual({
      version: PRIVACY_GUIDE.version,
      accepted: false,
      acceptedAt: null,
    })
    expect((await call('POST', '/api/me/privacy', newcomer, { version: '2020-01-01' })).json().code).toBe(
      'PRIVACY_VERSION',
    )
    expect((await call('POST', '/api/me/privacy', newcomer, {})).json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'version' }],
    })
    expect((await call('POST', '/api/me/privacy', 'anon', { version: PRIVACY_GUIDE.version })).statusCode).toBe(401)

    const accepted = await call('POST', '/api/me/privacy', newcomer, { version: PRIVACY_GUIDE.version })
    expect(accepted.json()).toMatchObject({
      version: PRIVACY_GUIDE.version,
      accepted: true,
      acceptedAt: expect.any(String),
    })
    expect((await call('GET', '/api/me', newcomer)).json().needsPrivacyConsent).toBe(false)
    // Accepting again keeps the first acceptance: one row, one audit entry.
    expect(
      (await call('POST', '/api/me/privacy', newcomer, { version: PRIVACY_GUIDE.version })).json().acceptedAt,
    ).toBe(accepted.json().acceptedAt)
    const me = (await call('GET', '/api/me', newcomer)).json()
    expect((await t.rows<{ user_id: number }>('privacy_consents')).filter((c) => c.user_id === me.userId)).toHaveLength(
      1,
    )
    // Someone who accepted only an earlier version is asked again.
    const earlier = await newcomerNamed('privacy-earlier-version')
    const earlierId = (await call('GET', '/api/me', earlier)).json().userId
    await t.database.pool.query("INSERT INTO privacy_consents (user_id, version) VALUES (?, '2025-01-01')", [earlierId])
    expect((await call('GET', '/api/me', earlier)).json().needsPrivacyConsent).toBe(true)
    expect(
      (await t.rows<{ action: string; entity_id: number }>('audit_log')).filter(
        (a) => a.action === 'privacy.accepted' && a.entity_id === me.userId,
      ),
    ).toHaveLength(1)
  })
})

describe('我的数据 and leaving', () => {
  it('the export holds the member’s own data and nobody else’s', async () => {
    const filed = await call('POST', village('/reports'), 'resident', {
      category: '环境卫生',
      description: '村口垃圾堆了三天没人清',
      idempotencyKey: 'privacy-export-1',
    })
    expect(filed.statusCode, filed.body).toBe(201)
    const personId = (await call('GET', '/api/me', 'resident')).json().memberships[0].personId
    expect(
      (
        await call('POST', village('/points/rules'), 'committee', {
          code: 'privacy_test',
          name: '打扫卫生',
          kind: 'earn',
          points: 5,
        })
      ).statusCode,
    ).toBe(201)
    const awarded = await call('POST', village('/points/awards'), 'committee', {
      personId,
      ruleCode: 'privacy_test',
      reason: '打扫村口',
      idempotencyKey: 'privacy-award-1',
    })
    expect(awarded.statusCode, awarded.body).toBe(201)
    const res = await downloaded('/api/me/export', 'liren-my-data.json')
    const data = res.json()
    expect(data.memberships).toMatchObject([{ realName: v.resident.name, villageName: v.name, status: 'verified' }])
    expect(data.rosterRecords).toMatchObject([{ name: v.resident.name }])
    expect(data.reports.map((r: { description: string }) => r.description)).toContain('村口垃圾堆了三天没人清')
    expect(data.points.accounts).toMatchObject([{ balance: 5 }])
    expect(data.points.entries).toMatchObject([{ points: 5, reason: '打扫村口' }])
    const notInTheApp = v.persons.at(-1)!.name
    for (const name of [v.volunteer.name, v.committee.name, v.grid.name, notInTheApp, other.resident.name])
      expect(res.body).not.toContain(name)
    expect(res.body).not.toContain(v.volunteer.openid)
    expect((await call('GET', '/api/me/export')).statusCode).toBe(401)
  })

  it('the same data as an Excel file a person can read: a sheet per kind, Chinese headers, China time, no codes', async () => {
    const filed = await call('POST', village('/reports'), 'resident', {
      category: '设施损坏',
      description: '村西路灯不亮了',
      idempotencyKey: 'privacy-table-1',
    })
    expect(filed.statusCode, filed.body).toBe(201)
    const others = await call('POST', village('/reports'), 'volunteer', {
      category: '环境卫生',
      description: '志愿者看到的垃圾堆',
      idempotencyKey: 'privacy-table-2',
    })
    expect(others.statusCode, others.body).toBe(201)
    const res = await downloaded('/api/me/export.xlsx', 'liren-my-data.xlsx')
    expect(res.headers['content-type']).toContain('spreadsheetml')

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer)
    const table = (name: string) => {
      const sheet = workbook.getWorksheet(name)
      expect(sheet, name).toBeDefined()
      const rows: string[][] = []
      sheet!.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1).map((c) => String(c ?? ''))))
      const [headers, ...body] = rows
      return body.map((cells) => Object.fromEntries(headers!.map((h, i) => [h, cells[i] ?? ''])))
    }
    expect(workbook.worksheets.map((s) => s.name)).toEqual(
      expect.arrayContaining(['说明', '加入的村', '我的上报', '积分明细', '兑换', '参加的表决']),
    )
    expect(table('加入的村')).toMatchObject([
      { '村（社区）': v.name, 姓名: v.resident.name, 状态: '已认证', 身份: '村民' },
    ])
    const [row] = (await t.rows<{ id: number; created_at: Date }>('reports')).filter((r) => r.id === filed.json().id)
    expect(table('我的上报')).toContainEqual(
      expect.objectContaining({
        '村（社区）': v.name,
        上报时间: chinaDateTimeWords(new Date(row!.created_at)),
        类别: '设施损坏',
        说明: '村西路灯不亮了',
        状态: '待受理',
        匿名: '否',
      }),
    )
    expect(chinaDateTimeWords(new Date('2026-12-09T11:30:00Z'))).toBe('2026年12月9日 19:30')
    expect(table('积分明细')).toContainEqual(expect.objectContaining({ 积分: '5', 类型: '加分', 原因: '打扫村口' }))

    // No stored code or English word in any cell; nobody else's data.
    const cells = workbook.worksheets.flatMap((sheet) => {
      const all: string[] = []
      sheet.eachRow((r) => (r.values as ExcelJS.CellValue[]).forEach((c) => c != null && all.push(String(c))))
      return all
    })
    expect(cells.filter((c) => /[A-Za-z]{3,}/.test(c))).toEqual([])
    const text = cells.join('\n')
    for (const name of [v.volunteer.name, v.committee.name, other.resident.name]) expect(text).not.toContain(name)
    expect(text).not.toContain('志愿者看到的垃圾堆')
    expect((await call('GET', '/api/me/export.xlsx')).statusCode).toBe(401)
  })

  it('注销: personal fields go, reports turn anonymous, the village’s records stay whole, the tokens stop working', async () => {
    const leaver = (await addResidents(t, v, 1))[0]!
    const me = (await call('GET', '/api/me', leaver)).json()
    const membership = me.memberships[0]
    expect(membership.realName).toBe(leaver.name)
    const filed = await call('POST', village('/reports'), leaver, {
      category: '设施损坏',
      description: '路灯坏了',
      idempotencyKey: 'privacy-delete-1',
      anonymous: false,
    })
    expect(filed.statusCode, filed.body).toBe(201)
    const reportId = filed.json().id
    const ledgerBefore = {
      accounts: await t.rows('point_accounts'),
      entries: await t.rows('point_entries'),
      attendance: await t.rows('meeting_attendance'),
      audit: await t.rows('audit_log'),
    }

    expect((await call('POST', '/api/me/delete', leaver, { confirm: '好' })).json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'confirm' }],
    })
    const deleted = await call('POST', '/api/me/delete', leaver, { confirm: '注销' })
    expect(deleted.json()).toEqual({ deleted: true })

    // The old tokens: no sign-in, no village, no second deletion.
    expect((await call('GET', '/api/me', leaver)).statusCode).toBe(401)
    expect((await call('GET', village('/reports'), leaver)).statusCode).toBe(401)
    expect((await call('POST', '/api/me/delete', leaver, { confirm: '注销' })).statusCode).toBe(401)
    expect(
      (
        await call('POST', `/api/villages/${other.id}/applications`, leaver, {
          realName: leaver.name,
          householdAddress: '和平社区 3 栋',
          birthYear: 1995,
        })
      ).statusCode,
    ).toBe(401)
    // The report is anonymous now, to the committee too.
    const seen = (await call('GET', village(`/reports/${reportId}`), 'committee')).json()
    expect(JSON.stringify(seen)).not.toContain(leaver.name)
    // No table but the roster (the village's own record of its people) holds the member's name, openid
    // or address any more.
    expect(
      await tablesHolding([leaver.name, leaver.openid, membership.householdAddress], ['persons', 'households']),
    ).toEqual([])
    // Points, attendance and the audit log are as they were (plus the deletion's own audit row).
    expect(await t.rows('point_accounts')).toEqual(ledgerBefore.accounts)
    expect(await t.rows('point_entries')).toEqual(ledgerBefore.entries)
    expect(await t.rows('meeting_attendance')).toEqual(ledgerBefore.attendance)
    const audit = await t.rows<{ action: string }>('audit_log')
    expect(audit.slice(0, ledgerBefore.audit.length)).toEqual(ledgerBefore.audit)
    expect(audit.slice(ledgerBefore.audit.length).map((a) => a.action)).toEqual(['user.deleted'])
    // …and every hash chain of the audit log and the ledger still verifies, as does every balance.
    await expectLedgerConsistent(t.database.db)
    // Signing in with the same WeChat account again is a new, empty account.
    const again = await newcomerNamed(leaver.openid)
    const fresh = (await call('GET', '/api/me', again)).json()
    expect(fresh.userId).not.toBe(me.userId)
    expect(fresh).toMatchObject({ memberships: [], needsPrivacyConsent: true })
  })

  it('the committee retires a villager who moved away: the roster keeps the person, their account details go', async () => {
    const gridPerson = v.grid.personId!
    const retire = (caller: Caller, personId: number, status = 'moved_out', villageId = v.id) =>
      call('POST', `/api/villages/${villageId}/roster/people/${personId}/retire`, caller, { status })
    expect((await retire('resident', gridPerson)).statusCode).toBe(403)
    expect((await retire(other.committee, gridPerson, 'moved_out', other.id)).statusCode).toBe(404)
    expect((await retire('committee', gridPerson, 'emigrated')).json().details[0].field).toBe('status')

    const res = await retire('committee', gridPerson)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ id: gridPerson, name: v.grid.name, status: 'moved_out', phone: null })
    expect((await retire('committee', gridPerson)).json().code).toBe('PERSON_RETIRED')
    // Their membership here is erased: no roles, no name; the app no longer lets them into the village.
    expect((await call('GET', village('/reports'), v.grid)).statusCode).toBe(403)
    const [m] = (
      await t.rows<{
        user_id: number
        real_name: string
        person_id: number | null
        status: string
        reject_reason: string
      }>('memberships')
    ).filter((r) => r.real_name === v.grid.name)
    expect(m).toBeUndefined()
    expect((await call('GET', '/api/me', v.grid)).json().memberships).toMatchObject([
      { realName: '已注销', status: 'rejected', rejectReason: '已迁出', personId: null, roles: [] },
    ])
    await expectLedgerConsistent(t.database.db)
  })
})
