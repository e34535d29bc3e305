import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, expectRefused, multipartFile, startDemo, type TestContext } from '../../testing/harness.js'

/** 怎么挣积分 (the rules in force, as the village's people read them) and the shop's photos and descriptions. */
let t: TestContext
let as: Record<'committee' | 'resident' | 'hpResident', string>
let zhangjia: number

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['committee', 'resident', 'hpResident']))
})
afterAll(() => t.close())

const call = (method: 'GET' | 'POST' | 'PUT', path: string, token: string, payload?: object) =>
  t.app.inject({ method, url: `/api/villages/${zhangjia}${path}`, headers: auth(token), payload })

describe('how to earn points (怎么挣积分)', () => {
  it('a resident reads the rules in force in plain fields: no codes, no versions, no rule switched off', async () => {
    // The committee switches 庭院整洁 off (a new version) and adds a rule of its own.
    const off = await call('PUT', '/points/rules/courtyard_tidy', as.committee, {
      code: 'courtyard_tidy',
      name: '庭院整洁（月评）',
      kind: 'earn',
      points: 5,
      active: false,
    })
    expect(off.statusCode, off.body).toBe(200)
    const added = await call('POST', '/points/rules', as.committee, {
      code: 'river_patrol',
      name: '巡河护河',
      kind: 'earn',
      points: 4,
      capPerDay: 4,
    })
    expect(added.statusCode, added.body).toBe(201)

    const res = await call('GET', '/points/earning', as.resident)
    expect(res.statusCode, res.body).toBe(200)
    const rules = res.json() as Record<string, unknown>[]
    const names = rules.map((r) => r.name)
    expect(names).not.toContain('庭院整洁（月评）')
    expect(names).toContain('巡河护河')
    // Earning rules first, then penalties.
    expect(rules.findIndex((r) => r.kind === 'penalty')).toBe(rules.filter((r) => r.kind === 'earn').length)
    expect(rules.find((r) => r.name === '随手拍有效上报')).toEqual({
      name: '随手拍有效上报',
      kind: 'earn',
      points: 2,
      capPerDay: 10,
      capPerYear: 300,
      source: 'report',
      secondCheckAbove: null,
    })
    expect(rules.find((r) => r.name === '好人好事')).toMatchObject({ source: 'committee', secondCheckAbove: 30 })
    expect(rules.find((r) => r.name === '志愿服务（每小时）')).toMatchObject({ source: 'activity' })
    expect(rules.find((r) => r.name === '乱扔垃圾')).toMatchObject({ kind: 'penalty', points: 5 })
    for (const rule of rules) expect(Object.keys(rule).sort()).toEqual(Object.keys(rules[0]!).sort())
    expect(res.body).not.toMatch(/courtyard_tidy|valid_report|river_patrol|"code"|"version"|"active"/)
  })

  it('the committee’s rulebook (codes, versions, rules switched off) is the committee’s; other villages read neither', async () => {
    expect((await call('GET', '/points/rules', as.committee)).statusCode).toBe(200)
    expect((await call('GET', '/points/rules', as.resident)).statusCode).toBe(403)
    expect((await call('GET', '/points/earning', as.hpResident)).statusCode).toBe(403)
  })
})

describe('shop items with a photo and a description', () => {
  const jpeg = () =>
    sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 120, b: 200 } } })
      .jpeg()
      .toBuffer()

  it('the committee saves a description and a photo; residents see both, the photo as its addresses', async () => {
    const { payload, headers } = multipartFile('file', 'soap.jpg', await jpeg())
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/villages/${zhangjia}/photos`,
      headers: { ...auth(as.committee), ...headers },
      payload,
    })
    expect(upload.statusCode, upload.body).toBe(201)
    const photo = upload.json() as { key: string; url: string; thumbUrl: string }

    const made = await call('POST', '/shop/items', as.committee, {
      name: '香皂 3 块',
      description: '  硫磺皂，一块 125 克。  ',
      photo: photo.key,
      cost: 6,
      stock: 20,
    })
    expect(made.statusCode, made.body).toBe(201)
    expect(made.json()).toMatchObject({ description: '硫磺皂，一块 125 克。', photo })
    const [row] = (await t.rows<{ id: number; description: string; photo: string }>('shop_items')).filter(
      (i) => i.id === made.json().id,
    )
    expect(row).toMatchObject({ description: '硫磺皂，一块 125 克。', photo: photo.key })
    // Used by an item, the photo is kept by the cleanup of unused uploads.
    const [stored] = (await t.rows<{ key: string; attached_at: Date | null }>('photos')).filter(
      (p) => p.key === photo.key,
    )
    expect(stored!.attached_at).not.toBeNull()

    const listed = (await call('GET', '/shop/items', as.resident)).json() as { id: number }[]
    expect(listed.find((i) => i.id === made.json().id)).toMatchObject({ description: '硫磺皂，一块 125 克。', photo })
    // The demo shop's items come with descriptions.
    expect(listed.find((i) => 'name' in i && i.name === '大米 5 斤')).toMatchObject({
      description: '本地新米，装在布袋里，到村委会领取。',
      photo: null,
    })

    // Edited without them, both are gone.
    const edited = await call('PUT', `/shop/items/${made.json().id}`, as.committee, {
      name: '香皂 3 块',
      cost: 6,
      stock: 20,
    })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({ description: null, photo: null })
  })

  it('a description over 300 characters or a photo never uploaded: 400 in Chinese naming the field', async () => {
    const before = (await t.rows('shop_items')).length
    const refused = async (extra: object, code: string, field: string) => {
      const res = await call('POST', '/shop/items', as.committee, { name: '毛巾', cost: 5, stock: 5, ...extra })
      expectRefused(res, 400, code, field)
      return res.json().message as string
    }
    expect(await refused({ description: '好'.repeat(301) }, 'VALIDATION_FAILED', 'description')).toBe(
      '商品介绍最多 300 个字',
    )
    await refused({ photo: 'a'.repeat(64) }, 'PHOTO_NOT_FOUND', 'photo')
    await refused({ photo: 'https://example.com/towel.jpg' }, 'VALIDATION_FAILED', 'photo')
    expect((await t.rows('shop_items')).length).toBe(before)
  })
})
