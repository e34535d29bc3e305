import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, expectRefused, jsonValue, startDemo, type AuditRow, type TestContext } from '../../testing/harness.js'

/** The committee's office phone and hours: set by the committee or the town admin, seen by the village's people. */
let t: TestContext
let as: Record<'committee' | 'resident' | 'townAdmin' | 'hpCommittee' | 'hpResident', string>
let zhangjia: number

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['committee', 'resident', 'townAdmin', 'hpCommittee', 'hpResident']))
})
afterAll(() => t.close())

const put = (token: string, payload: object, villageId = zhangjia) =>
  t.app.inject({ method: 'PUT', url: `/api/villages/${villageId}/contact`, headers: auth(token), payload })
const contactSeenBy = async (token: string) => {
  const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(token) })).json()
  const m = me.memberships.find((x: { villageId: number }) => x.villageId === zhangjia)
  return { committeePhone: m.committeePhone, officeHours: m.officeHours }
}
const stored = async () => {
  const [v] = (
    await t.rows<{ id: number; committee_phone: string | null; office_hours: string | null }>('villages')
  ).filter((r) => r.id === zhangjia)
  return { committeePhone: v!.committee_phone, officeHours: v!.office_hours }
}

describe("the committee's phone and office hours", () => {
  it('the demo village has them, and its residents see them with their membership', async () => {
    expect(await contactSeenBy(as.resident)).toEqual({
      committeePhone: '0571-63581234',
      officeHours: '周一至周五 8:30-17:00',
    })
  })

  it('the committee changes them: 200, stored, audited, and the residents see the new ones', async () => {
    const res = await put(as.committee, { committeePhone: '13912345678', officeHours: '  每天 8:00-12:00  ' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ committeePhone: '13912345678', officeHours: '每天 8:00-12:00' })
    expect(await stored()).toEqual({ committeePhone: '13912345678', officeHours: '每天 8:00-12:00' })
    expect(await contactSeenBy(as.resident)).toEqual({ committeePhone: '13912345678', officeHours: '每天 8:00-12:00' })
    const audit = (await t.rows<AuditRow>('audit_log')).filter(
      (a) => a.action === 'village.updated' && a.entity_id === zhangjia,
    )
    expect(jsonValue(audit.at(-1)!.data)).toMatchObject({ to: { committeePhone: '13912345678' } })
  })

  it('the town admin may set them too, and clear one', async () => {
    const res = await put(as.townAdmin, { committeePhone: '0571-63581234', officeHours: null })
    expect(res.statusCode, res.body).toBe(200)
    expect(await stored()).toEqual({ committeePhone: '0571-63581234', officeHours: null })
    const listed = (await t.app.inject({ method: 'GET', url: '/api/me', headers: auth(as.committee) })).json()
      .memberships[0]
    expect(listed).toMatchObject({ committeePhone: '0571-63581234', officeHours: null })
  })

  it('a phone that is no phone number, or hours over 60 characters: 400 in Chinese naming the field, nothing written', async () => {
    const before = await stored()
    for (const committeePhone of ['12345', '0571 6358 1234', '电话63581234', '139123456789']) {
      const res = await put(as.committee, { committeePhone, officeHours: '周一至周五' })
      expectRefused(res, 400, 'VALIDATION_FAILED', 'committeePhone', committeePhone)
      expect(res.json().message).toMatch(/村（居）委会电话/)
    }
    const long = await put(as.committee, { committeePhone: null, officeHours: '周'.repeat(61) })
    expectRefused(long, 400, 'VALIDATION_FAILED', 'officeHours')
    expect(long.json().message).toBe('办公时间最多 60 个字')
    expect(await stored()).toEqual(before)
  })

  it('a resident may not change them; nor may another village’s committee or resident; nor anyone signed out', async () => {
    const before = await stored()
    const body = { committeePhone: '13800000000', officeHours: '随时' }
    for (const token of [as.resident, as.hpCommittee, as.hpResident]) {
      const res = await put(token, body)
      expect(res.statusCode).toBe(403)
      expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/)
    }
    expect(
      (await t.app.inject({ method: 'PUT', url: `/api/villages/${zhangjia}/contact`, payload: body })).statusCode,
    ).toBe(401)
    expect(await stored()).toEqual(before)
  })

  it('Open311 discovery names the village committee’s phone and hours when asked about that village', async () => {
    await put(as.committee, { committeePhone: '0571-63581234', officeHours: '周一至周五 8:30-17:00' })
    const own = await t.app.inject({ method: 'GET', url: '/open311/v2/discovery.json?jurisdiction_id=zhangjia' })
    expect(own.json().contact).toBe('张家村村委会：电话 0571-63581234，办公时间 周一至周五 8:30-17:00')
    const general = await t.app.inject({ method: 'GET', url: '/open311/v2/discovery.json' })
    expect(general.json().contact).toBe('请联系所在村（居）委会')
  })
})
