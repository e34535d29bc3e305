import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, type App } from './app.js'
import { loadConfig } from './config.js'
import { Secrets } from './core/secrets.js'
import { rotateKeys } from './rotate-keys.js'
import { auth, multipartFile, startDemo, type TestContext } from './testing/harness.js'
import { toCsv } from './testing/roster-fixture.js'

const K1 = `k1:${Buffer.alloc(32, 11).toString('base64')}`
const K2 = `k2:${Buffer.alloc(32, 22).toString('base64')}`
const secretsOf = (dataKeys: string) =>
  new Secrets(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret', DATA_KEYS: dataKeys }).dataKeys)

const ROSTER_PHONES = ['13911110001', '13911110002', '13911110003']
const LEFTOVER = '13911110009' // written before phones were encrypted
const APPLICANT_PHONE = '13822220001'

let t: TestContext
let as: Record<'committee', string>
let zhangjia: number
let membershipId: number

/** Every stored phone with its row, straight from the database. */
async function storedPhones() {
  const [rows] = (await t.database.db.execute(
    sql`SELECT 'persons' AS t, id, phone FROM persons WHERE phone IS NOT NULL UNION ALL SELECT 'memberships', id, phone FROM memberships WHERE phone IS NOT NULL ORDER BY t, id`,
  )) as unknown as [{ t: string; id: number; phone: string }[]]
  return rows
}

/** What the committee and the applicant see, through an app with the given keys. */
async function seen(app: App) {
  const people = (
    await app.inject({
      method: 'GET',
      url: `/api/villages/${zhangjia}/roster/people?q=轮换路`,
      headers: auth(as.committee),
    })
  ).json().people
  const applications = (
    await app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/applications`, headers: auth(as.committee) })
  ).json()
  return {
    roster: people.map((p: { phone: string | null }) => p.phone).sort(),
    applicant: applications.find((a: { id: number }) => a.id === membershipId)?.phone,
  }
}

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['committee'], { env: { DATA_KEYS: K1 } }))
  const rows = ['甲', '乙', '丙', '丁'].map((n, i) => ({
    户号: 'RK-1',
    住址: '张家村轮换路 1 号',
    姓名: `轮换${n}`,
    性别: '男',
    出生日期: `198${i}-01-01`,
    与户主关系: i === 0 ? '户主' : '子女',
    联系电话: ROSTER_PHONES[i] ?? '',
  }))
  const { payload, headers } = multipartFile('file', 'roster.csv', toCsv(rows))
  expect(
    (
      await t.app.inject({
        method: 'POST',
        url: `/api/villages/${zhangjia}/roster/import?commit=true`,
        headers: { ...auth(as.committee), ...headers },
        payload,
      })
    ).statusCode,
  ).toBe(200)
  await t.database.db.execute(sql`UPDATE persons SET phone = ${LEFTOVER} WHERE name = '轮换丁'`)

  const applicant = await t.login('wx-rotation-applicant')
  const joined = await t.app.inject({
    method: 'POST',
    url: `/api/villages/${zhangjia}/applications`,
    headers: auth(applicant),
    payload: {
      realName: '轮换者',
      householdAddress: '张家村轮换路 2 号',
      birthYear: 1990,
      phoneCode: t.wechat.issuePhoneCode(APPLICANT_PHONE),
    },
  })
  expect(joined.statusCode).toBe(201)
  membershipId = joined.json().id
})
afterAll(() => t.close())

describe('rotating the data key', () => {
  it('moves every phone from k1 to k2 (and encrypts the plaintext leftover); k2 alone then reads them all', async () => {
    const before = await storedPhones()
    expect(before.filter((r) => r.phone.startsWith('v1.k1.'))).toHaveLength(4)
    expect(before.filter((r) => r.phone === LEFTOVER)).toHaveLength(1)

    const report = await rotateKeys(t.database.db, secretsOf(`${K2},${K1}`), 2)
    expect(report).toEqual({
      'persons.phone': { reencrypted: 3, encrypted: 1, skipped: 0, unreadable: [] },
      'memberships.phone': { reencrypted: 1, encrypted: 0, skipped: 0, unreadable: [] },
    })

    const after = await storedPhones()
    expect(after).toHaveLength(before.length)
    expect(after.every((r) => r.phone.startsWith('v1.k2.'))).toBe(true)
    const k2Only = secretsOf(K2)
    expect(after.map((r) => k2Only.decrypt(r.phone)).sort()).toEqual(
      [...ROSTER_PHONES, LEFTOVER, APPLICANT_PHONE].sort(),
    )

    // An app that knows only k2 shows the committee every phone.
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-test-secret',
      LOG_LEVEL: 'silent',
      DATA_KEYS: K2,
    })
    const app = await buildApp(config, { database: t.database, wechatApiBase: t.wechat.url })
    try {
      expect(await seen(app)).toEqual({ roster: [...ROSTER_PHONES, LEFTOVER].sort(), applicant: APPLICANT_PHONE })
    } finally {
      await app.close()
    }

    const twice = await rotateKeys(t.database.db, secretsOf(`${K2},${K1}`))
    expect(twice).toEqual({
      'persons.phone': { reencrypted: 0, encrypted: 0, skipped: 0, unreadable: [] },
      'memberships.phone': { reencrypted: 0, encrypted: 0, skipped: 0, unreadable: [] },
    })
    expect(await storedPhones()).toEqual(after)
  })

  it('run twice at once, each row is rewritten exactly once', async () => {
    const back = secretsOf(`${K1},${K2}`)
    const [a, b] = await Promise.all([rotateKeys(t.database.db, back, 1), rotateKeys(t.database.db, back, 1)])
    const total = (c: typeof a) => c['persons.phone'].reencrypted + c['memberships.phone'].reencrypted
    expect(total(a) + total(b)).toBe(5)
    expect((await storedPhones()).every((r) => r.phone.startsWith('v1.k1.'))).toBe(true)
    expect(await seen(t.app)).toEqual({ roster: [...ROSTER_PHONES, LEFTOVER].sort(), applicant: APPLICANT_PHONE })
  })

  it('leaves a row under a key it does not have alone, and says which', async () => {
    const [row] = await storedPhones()
    const foreign = secretsOf(`k0:${Buffer.alloc(32, 99).toString('base64')}`).encrypt('13900000000')
    await t.database.db.execute(sql`UPDATE ${sql.identifier(row!.t)} SET phone = ${foreign} WHERE id = ${row!.id}`)
    const report = await rotateKeys(t.database.db, secretsOf(`${K2},${K1}`))
    expect(report[`${row!.t}.phone` as keyof typeof report].unreadable).toEqual([row!.id])
    expect((await storedPhones()).find((r) => r.t === row!.t && r.id === row!.id)?.phone).toBe(foreign)
  })
})
