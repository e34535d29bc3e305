import { readdir } from 'node:fs/promises'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nextKey, postPhoto } from '../../testing/factories.js'
import { auth, startDemo, type TestContext } from '../../testing/harness.js'
import { WechatClient } from '../../core/wechat.js'
import { pushNotifications } from '../identity/index.js'
import { LocalStorage } from '../../core/storage.js'
import { removeUnusedPhotos } from '../../core/photos.js'
import { closeUnrated, escalateOverdue } from './scheduled.js'

let t: TestContext
let committee: string // 王建国
let grid: string // 李梅, grid worker of 一组网格 only (set below)
let resident: string // 张秀兰, household in 二组网格
let volunteer: string // 赵小明, household in 二组网格
let townAdmin: string // 周涛
let outsider: string // 刘洋, 和平社区
let zhangjia: number

beforeAll(async () => {
  ;({
    t,
    as: { committee, grid, resident, volunteer, townAdmin, hpResident: outsider },
    zhangjia,
  } = await startDemo(['committee', 'grid', 'resident', 'volunteer', 'townAdmin', 'hpResident'], {
    env: { REPORT_LIMIT_PER_MINUTE: '1000' },
  }))
  // 李梅 works 一组网格 only, so 二组网格's reports are not hers.
  const grids = await t.rows<{ id: number; name: string; village_id: number }>('grids')
  const second = grids.find((g) => g.name === '二组网格' && g.village_id === zhangjia)!
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/villages/${zhangjia}/grids/${second.id}/workers`,
    headers: auth(townAdmin),
    payload: { membershipIds: [] },
  })
  expect(res.statusCode).toBe(200)
})
afterAll(() => t.close())

const url = (path = '') => `/api/villages/${zhangjia}/reports${path}`
const call = (method: 'GET' | 'POST' | 'PUT', path: string, token: string, payload?: object) =>
  t.app.inject({ method, url: url(path), headers: auth(token), payload })
const file = (token: string, name: string, bytes: Buffer) => postPhoto(t, zhangjia, { token }, name, bytes)
/** A JPEG carrying EXIF with a GPS position, as a phone camera writes it. */
const phoneJpeg = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 90, g: 140, b: 60 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 2700/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 23/1 1700/100',
      },
    })
    .toBuffer()
const submit = async (token: string, body: object = {}) => {
  const res = await call('POST', '', token, {
    category: '环境卫生',
    description: '村口垃圾堆了三天没人清',
    idempotencyKey: nextKey(),
    ...body,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
/** What the photo storage holds (nothing yet: no folder). */
const storedFiles = () => readdir(t.storageDir, { recursive: true }).catch(() => [] as string[])
const step = (id: number, action: string, token: string, payload: object = {}) =>
  call('POST', `/${id}/${action}`, token, payload)
const rows = () =>
  t.rows<{ id: number; state: string; level: string; supports: number; escalate_at: Date | null }>('reports')
const events = async (id: number) =>
  (await t.rows<{ report_id: number; action: string; level: string | null }>('report_events')).filter(
    (e) => e.report_id === id,
  )

describe('photos', () => {
  it('are stored re-encoded without EXIF (GPS included), with a thumbnail; the original is not kept', async () => {
    const original = await phoneJpeg()
    expect((await sharp(original).metadata()).exif).toBeDefined() // the test photo does carry GPS
    const res = await file(resident, 'IMG_0001.jpg', original)
    expect(res.statusCode).toBe(201)
    const photo = res.json()
    expect(photo.key).toMatch(/^[a-f0-9]{64}$/)
    for (const path of [photo.url, photo.thumbUrl]) {
      const served = await t.app.inject({ method: 'GET', url: path })
      expect(served.statusCode).toBe(200)
      expect(served.headers['content-type']).toBe('image/jpeg')
      const meta = await sharp(served.rawPayload).metadata()
      expect(meta.exif).toBeUndefined()
      expect(served.rawPayload.includes(Buffer.from('GPS'))).toBe(false)
      expect(served.rawPayload.includes(Buffer.from('TestPhone'))).toBe(false)
    }
    expect(
      (await sharp((await t.app.inject({ method: 'GET', url: photo.thumbUrl })).rawPayload).metadata()).width,
    ).toBe(360)
    const stored = (await storedFiles()).filter((f) => f.endsWith('.jpg'))
    expect(stored.sort()).toEqual([
      `${photo.key.slice(0, 2)}/${photo.key}-thumb.jpg`,
      `${photo.key.slice(0, 2)}/${photo.key}.jpg`,
    ])
  })

  it('refuses what is not a JPEG, PNG or WebP photo whatever its name, and nothing is stored', async () => {
    const before = (await storedFiles()).length
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)])
    for (const [name, bytes] of [
      ['photo.jpg', svg],
      ['photo.jpg', gif],
      ['broken.jpg', broken],
      ['notes.png', Buffer.from('hello')],
    ] as const) {
      const res = await file(resident, name, bytes)
      expect(res.statusCode, name).toBe(400)
      expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_FILE', details: [{ field: 'file' }] })
    }
    // Too big on the wire, and too big once decoded (a decompression bomb is small on the wire).
    const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(11 * 1024 * 1024, 1)])
    const tooBig = await file(resident, 'huge.jpg', huge)
    expect(tooBig.statusCode).toBe(413)
    expect(tooBig.json()).toMatchObject({ code: 'FILE_TOO_LARGE', details: [{ field: 'file' }] })
    const bomb = await sharp({
      create: { width: 9000, height: 9000, channels: 3, background: { r: 255, g: 255, b: 255 } },
    })
      .png({ compressionLevel: 9 })
      .toBuffer()
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const exploded = await file(resident, 'bomb.png', bomb)
    expect(exploded.statusCode).toBe(400)
    expect(exploded.json().code).toBe('UNSUPPORTED_FILE')
    expect((await storedFiles()).length).toBe(before)
    expect((await file(outsider, 'a.jpg', await phoneJpeg())).statusCode).toBe(403)
  })
})

describe('photos no report uses', () => {
  it('are deleted after a day, files and all; photos a report uses stay', async () => {
    const used = (await file(resident, 'a.jpg', await phoneJpeg())).json()
    const other = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 30, b: 30 } },
    })
      .png()
      .toBuffer()
    const unused = (await file(resident, 'b.png', other)).json()
    await submit(resident, { photos: [used.key] })
    const storage = new LocalStorage(t.storageDir)
    expect(await removeUnusedPhotos(t.database.db, storage)).toBe(0) // not a day old yet
    const tomorrow = new Date(Date.now() + 25 * 3600_000)
    expect(await removeUnusedPhotos(t.database.db, storage, tomorrow)).toBe(1)
    expect((await t.app.inject({ method: 'GET', url: unused.url })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: unused.thumbUrl })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: used.url })).statusCode).toBe(200)
    expect((await t.rows<{ key: string }>('photos')).map((p) => p.key)).not.toContain(unused.key)
  })
})

describe('filing a report', () => {
  it('files with photos and a location into the reporter’s grid, with deadlines from its colour', async () => {
    const photo = (await file(resident, 'a.jpg', await phoneJpeg())).json()
    const before = Date.now()
    const r = await submit(resident, {
      photos: [photo.key],
      urgency: 'orange',
      location: { latitude: 39.9, longitude: 116.4, address: '村口老槐树下' },
    })
    expect(r).toMatchObject({
      state: 'submitted',
      level: 'grid',
      urgency: 'orange',
      gridName: '二组网格',
      public: true,
      reporterName: '张秀兰',
      isMine: true,
      address: '村口老槐树下',
      thumbUrl: photo.thumbUrl,
    })
    expect(r.photos).toEqual([photo])
    const accept = Date.parse(r.acceptDueAt) - before
    const resolve = Date.parse(r.resolveDueAt) - before
    expect(Math.round(accept / 3600_000)).toBe(24)
    expect(Math.round(resolve / 3600_000)).toBe(72)
    expect(r.events).toEqual([expect.objectContaining({ action: 'submit', toState: 'submitted', actorName: '张秀兰' })])
    // The committee is told in its inbox when the grid has no worker.
    const inbox = await t.rows<{ user_id: number; report_id: number }>('notifications')
    expect(inbox.filter((x) => x.report_id === r.id).length).toBeGreaterThan(0)
  })

  it('a place can be an address alone (no map in H5)', async () => {
    const r = await submit(resident, { location: { address: '二组水塘边' } })
    expect(r).toMatchObject({ address: '二组水塘边', latitude: null, longitude: null })
  })

  it('disputes are private by default; the same key files once', async () => {
    const k = nextKey()
    const first = await submit(volunteer, { category: '矛盾纠纷', description: '邻居占了我家的地', idempotencyKey: k })
    const again = await call('POST', '', volunteer, {
      category: '矛盾纠纷',
      description: '邻居占了我家的地',
      idempotencyKey: k,
    })
    expect(again.statusCode).toBe(201)
    expect(again.json().id).toBe(first.id)
    expect(first.public).toBe(false)
    expect((await rows()).filter((r) => r.id === first.id)).toHaveLength(1)
  })

  it('refuses bad input field by field and writes nothing', async () => {
    const before = (await rows()).length
    const cases: [object, number, string, string][] = [
      [{ description: '' }, 400, 'VALIDATION_FAILED', 'description'],
      [{ description: '长'.repeat(501) }, 400, 'VALIDATION_FAILED', 'description'],
      [{ category: '外星人' }, 400, 'CATEGORY_NOT_FOUND', 'category'],
      [{ location: { latitude: 60, longitude: 116 } }, 400, 'VALIDATION_FAILED', 'location.latitude'],
      [{ location: { longitude: 116 } }, 400, 'VALIDATION_FAILED', 'location.latitude'],
      [{ photos: ['a'.repeat(64)] }, 400, 'PHOTO_NOT_FOUND', 'photos'],
      [{ photos: Array.from({ length: 10 }, () => 'b'.repeat(64)) }, 400, 'VALIDATION_FAILED', 'photos'],
      [{ description: '这里有人赌博' }, 400, 'CONTENT_REJECTED', 'description'],
      [{ onBehalfOf: 1 }, 403, 'FORBIDDEN', ''],
    ]
    for (const [body, status, code, field] of cases) {
      const res = await call('POST', '', resident, {
        category: '环境卫生',
        description: '路灯坏了',
        idempotencyKey: nextKey(),
        ...body,
      })
      expect(res.statusCode, JSON.stringify(body)).toBe(status)
      expect(res.json().code).toBe(code)
      if (field)
        expect(
          res
            .json()
            .details.map((d: { field: string }) => d.field)
            .join(','),
        ).toContain(field)
    }
    expect((await rows()).length).toBe(before)
    expect(
      (await call('POST', '', outsider, { category: '环境卫生', description: '路灯坏了', idempotencyKey: nextKey() }))
        .statusCode,
    ).toBe(403)
  })

  it('a grid worker files for a villager without a phone (代办); it counts as theirs', async () => {
    const persons = await t.rows<{ id: number; name: string }>('persons')
    const sun = persons.find((p) => p.name === '孙福来')!
    const r = await submit(grid, { onBehalfOf: sun.id, description: '孙大爷家门前的路塌了' })
    expect(r).toMatchObject({ reporterName: '孙福来', onBehalf: true, isMine: true, gridName: '二组网格' })
  })
})

describe('handling, step by step', () => {
  it('accept → start → resolve → 满意 closes it and pays the reporter once; the timeline shows every step', async () => {
    const r = await submit(resident)
    const accepted = await step(r.id, 'accept', committee, { note: '马上派人' })
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json()).toMatchObject({ state: 'accepted', assigneeName: '王建国' })
    expect((await step(r.id, 'start', committee)).json().state).toBe('in_progress')
    const resolved = await step(r.id, 'resolve', committee, { note: '已经清运干净' })
    // Nothing left for the handler to do: it is the reporter's turn.
    expect(resolved.json()).toMatchObject({ state: 'resolved', actions: [] })
    // Only the reporter rates.
    expect((await step(r.id, 'rate', committee, { rating: 'satisfied' })).statusCode).toBe(403)
    const balance = async () =>
      (
        await t.app.inject({ method: 'GET', url: `/api/villages/${zhangjia}/points/me`, headers: auth(resident) })
      ).json().balance as number
    const before = await balance()
    const rated = await step(r.id, 'rate', resident, { rating: 'satisfied', comment: '很快' })
    expect(rated.json()).toMatchObject({ state: 'closed', rating: 'satisfied', ratingComment: '很快' })
    expect(await balance()).toBe(before + 2)
    expect(rated.json().events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'accept',
      'start',
      'resolve',
      'rate',
    ])
    const again = await step(r.id, 'rate', resident, { rating: 'satisfied' })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('TRANSITION_NOT_ALLOWED')
    const awards = (await t.rows<{ idempotency_key: string }>('point_entries')).filter(
      (e) => e.idempotency_key === `report:${r.id}:valid`,
    )
    expect(awards).toHaveLength(1)
  })

  it('不满意 sends it back to its handler; it needs a reason', async () => {
    const r = await submit(resident)
    await step(r.id, 'accept', committee)
    await step(r.id, 'resolve', committee, { note: '处理好了' })
    const noReason = await step(r.id, 'rate', resident, { rating: 'unsatisfied' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().details[0].field).toBe('comment')
    const reopened = await step(r.id, 'rate', resident, { rating: 'unsatisfied', comment: '还是很脏' })
    expect(reopened.json()).toMatchObject({ state: 'in_progress', rating: 'unsatisfied' })
    expect(reopened.json().events.at(-1)).toMatchObject({
      action: 'reopen',
      fromState: 'resolved',
      toState: 'in_progress',
    })
  })

  it('every action outside the table is refused, and nothing changes', async () => {
    const r = await submit(resident)
    for (const [action, body] of [
      ['start', {}],
      ['resolve', { note: '好了好了' }],
      ['rate', { rating: 'satisfied' }],
    ] as const) {
      const res = await step(r.id, action, action === 'rate' ? resident : committee, body)
      expect(res.statusCode, action).toBe(409)
      expect(res.json().code).toBe('TRANSITION_NOT_ALLOWED')
    }
    const rejected = await step(r.id, 'reject', committee, { reason: '不在本村范围' })
    expect(rejected.json().state).toBe('rejected')
    expect((await step(r.id, 'accept', committee)).statusCode).toBe(409)
    expect((await step(r.id, 'reject', committee, { reason: '' })).statusCode).toBe(400)
    expect((await events(r.id)).map((e) => e.action)).toEqual(['submit', 'reject'])
  })

  it('only handlers of the report act: not other residents, not a grid worker of another grid, not another village', async () => {
    const r = await submit(resident) // 二组网格
    expect((await step(r.id, 'accept', volunteer)).statusCode).toBe(403)
    expect((await step(r.id, 'accept', grid)).statusCode).toBe(403)
    expect((await step(r.id, 'accept', outsider)).statusCode).toBe(403)
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/villages/${await t.villageId('heping')}/reports/${r.id}/accept`,
          headers: auth(outsider),
          payload: {},
        })
      ).statusCode,
    ).toBe(404)
    // 一组网格 is 李梅's.
    const mine = await submit(committee) // 王建国's household is in 一组网格
    expect((await step(mine.id, 'accept', grid)).json()).toMatchObject({ state: 'accepted', assigneeName: '李梅' })
    // The town admin handles any report of the town's villages.
    expect((await step(r.id, 'accept', townAdmin)).json()).toMatchObject({ state: 'accepted', assigneeName: '周涛' })
    // Handing over goes to handlers only.
    const handlers = (await call('GET', `/${r.id}/handlers`, committee)).json()
    expect(handlers.map((h: { name: string }) => h.name)).toEqual(expect.arrayContaining(['王建国', '周涛']))
    expect(handlers.map((h: { name: string }) => h.name)).not.toContain('李梅')
    const users = await t.rows<{ id: number; openid: string }>('users')
    const li = users.find((u) => u.openid === 'demo-zhangjia-grid')!.id
    expect((await step(r.id, 'assign', committee, { assigneeUserId: li })).statusCode).toBe(400)
    const wang = users.find((u) => u.openid === 'demo-zhangjia-committee')!.id
    expect((await step(r.id, 'assign', townAdmin, { assigneeUserId: wang })).json().assigneeName).toBe('王建国')
  })

  it('a duplicate merges into the report it repeats; both reporters are told', async () => {
    const a = await submit(resident, { description: '桥上的栏杆断了' })
    const b = await submit(volunteer, { description: '桥栏杆坏了，很危险' })
    const merged = await step(b.id, 'merge', committee, { intoReportId: a.id })
    expect(merged.json()).toMatchObject({ state: 'merged', mergedInto: a.id })
    expect((await rows()).find((r) => r.id === a.id)!.supports).toBe(1)
    const inbox = await t.rows<{ report_id: number; title: string }>('notifications')
    expect(inbox.filter((x) => x.report_id === a.id).map((x) => x.title)).toContain('有人上报了同一件事')
    expect(inbox.filter((x) => x.report_id === b.id).map((x) => x.title)).toContain('您的上报已合并')
    expect((await step(a.id, 'merge', committee, { intoReportId: b.id })).statusCode).toBe(409)
  })
})

describe('seeing reports', () => {
  it('anonymous reporters are named to handlers only, in the report and on its timeline', async () => {
    const r = await submit(resident, { anonymous: true })
    const asOther = (await call('GET', `/${r.id}`, volunteer)).json()
    expect(asOther.reporterName).toBeNull()
    expect(asOther.events[0].actorName).toBeNull()
    expect(JSON.stringify(asOther)).not.toContain('张秀兰')
    expect((await call('GET', `/${r.id}`, committee)).json().reporterName).toBe('张秀兰')
    expect((await call('GET', `/${r.id}`, resident)).json().reporterName).toBe('张秀兰')
    const feedPage = (await call('GET', '', volunteer)).json()
    expect(JSON.stringify(feedPage)).not.toContain('张秀兰')
  })

  it('private reports are not in the feed and do not exist for other residents', async () => {
    const r = await submit(resident, { public: false })
    expect((await call('GET', `/${r.id}`, volunteer)).statusCode).toBe(404)
    expect((await step(r.id, 'support', volunteer)).statusCode).toBe(404)
    expect((await call('GET', `/${r.id}`, committee)).statusCode).toBe(200)
    const ids = (await call('GET', '?limit=50', volunteer)).json().items.map((i: { id: number }) => i.id)
    expect(ids).not.toContain(r.id)
    expect((await call('GET', '/mine?limit=50', resident)).json().items.map((i: { id: number }) => i.id)).toContain(
      r.id,
    )
  })

  it('the feed pages by cursor without gaps or repeats, and filters', async () => {
    for (let i = 0; i < 5; i++) await submit(volunteer, { category: '设施损坏', description: `路灯坏了 ${i}` })
    const seen: number[] = []
    let cursor: string | null = null
    do {
      const res = await call('GET', `?limit=3${cursor ? `&cursor=${cursor}` : ''}`, resident)
      const body = res.json() as { items: { id: number; public: boolean }[]; nextCursor: string | null }
      seen.push(...body.items.map((i) => i.id))
      expect(body.items.every((i) => i.public)).toBe(true)
      cursor = body.nextCursor
    } while (cursor)
    expect(seen).toEqual([...seen].sort((a, b) => b - a))
    expect(new Set(seen).size).toBe(seen.length)
    const publicIds = (await t.rows<{ id: number; is_public: number; village_id: number }>('reports'))
      .filter((r) => r.is_public && r.village_id === zhangjia)
      .map((r) => r.id)
    expect(seen.sort()).toEqual(publicIds.sort())
    const lights = (await call('GET', `?category=${encodeURIComponent('设施损坏')}&limit=50`, resident)).json().items
    expect(lights).toHaveLength(5)
    expect((await call('GET', '?cursor=abc', resident)).statusCode).toBe(400)
  })

  it('我也遇到 counts once per member, even sent at once; not by the reporter', async () => {
    const r = await submit(resident)
    const results = await Promise.all(Array.from({ length: 5 }, () => step(r.id, 'support', volunteer)))
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409, 409, 409, 409])
    expect((await step(r.id, 'support', committee)).json().supports).toBe(2)
    expect((await step(r.id, 'support', resident)).statusCode).toBe(409)
    expect((await call('GET', `/${r.id}`, volunteer)).json()).toMatchObject({ supports: 2, supportedByMe: true })
  })

  it('the map shows open public reports that have a place', async () => {
    const placed = await submit(resident, { location: { latitude: 30.1, longitude: 120.2 } })
    const unplaced = await submit(resident)
    const hidden = await submit(resident, { public: false, location: { latitude: 30.1, longitude: 120.2 } })
    const ids = (await call('GET', '/map', volunteer)).json().map((r: { id: number }) => r.id)
    expect(ids).toContain(placed.id)
    expect(ids).not.toContain(unplaced.id)
    expect(ids).not.toContain(hidden.id)
    await step(placed.id, 'reject', committee, { reason: '重复了' })
    expect((await call('GET', '/map', volunteer)).json().map((r: { id: number }) => r.id)).not.toContain(placed.id)
  })

  it('the queue puts overdue work first', async () => {
    const late = await submit(resident, { urgency: 'red' })
    await t.database.pool.query('UPDATE reports SET accept_due_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ?', [late.id])
    const q = (await call('GET', '/queue?queue=all', committee)).json()
    expect(q[0]).toMatchObject({ id: late.id, overdue: true })
    expect((await call('GET', '/queue', volunteer)).statusCode).toBe(403)
  })
})

describe('deadlines', () => {
  it('an overdue report escalates one level at a time, each once, even with two schedulers racing', async () => {
    const r = await submit(resident, { urgency: 'red' })
    const later = (hours: number) => new Date(Date.now() + hours * 3600_000)
    await Promise.all([escalateOverdue(t.database.db, later(3)), escalateOverdue(t.database.db, later(3))])
    const row = () => rows().then((all) => all.find((x) => x.id === r.id)!)
    expect((await row()).level).toBe('village')
    expect((await events(r.id)).filter((e) => e.action === 'escalate')).toHaveLength(1)
    // Not again at the same level before its fresh window runs out.
    await escalateOverdue(t.database.db, later(4))
    expect((await row()).level).toBe('village')
    await Promise.all([
      escalateOverdue(t.database.db, later(6)),
      escalateOverdue(t.database.db, later(6)),
      escalateOverdue(t.database.db, later(6)),
    ])
    expect((await row()).level).toBe('town')
    expect((await row()).escalate_at).toBeNull()
    await escalateOverdue(t.database.db, later(100))
    const escalations = (await events(r.id)).filter((e) => e.action === 'escalate')
    expect(escalations.map((e) => e.level)).toEqual(['village', 'town'])
    const seen = (await call('GET', `/${r.id}`, resident)).json()
    expect(
      seen.events.filter((e: { action: string }) => e.action === 'escalate').map((e: { note: string }) => e.note),
    ).toEqual(['超过受理时限，已上报到村（社区）', '超过受理时限，已上报到镇（街道）'])
    expect((await call('GET', '/queue?queue=escalated', townAdmin)).json().map((x: { id: number }) => x.id)).toContain(
      r.id,
    )
  })

  it('an unrated resolved report closes after seven days and pays once, even when two servers close it', async () => {
    const r = await submit(volunteer)
    await step(r.id, 'accept', committee)
    await step(r.id, 'resolve', committee, { note: '修好了' })
    const eightDays = new Date(Date.now() + 8 * 24 * 3600_000)
    expect(await closeUnrated(t.database.db, new Date())).toBe(0)
    await Promise.all([closeUnrated(t.database.db, eightDays), closeUnrated(t.database.db, eightDays)])
    expect((await rows()).find((row) => row.id === r.id)!.state).toBe('closed')
    expect((await events(r.id)).filter((e) => e.action === 'close')).toHaveLength(1)
    expect(
      (await t.rows<{ idempotency_key: string }>('point_entries')).filter(
        (e) => e.idempotency_key === `report:${r.id}:valid`,
      ),
    ).toHaveLength(1)
  })
})

describe('telling people', () => {
  it('each step lands in the reporter’s inbox and goes out once as a WeChat subscribe message', async () => {
    const r = await submit(volunteer)
    await step(r.id, 'accept', committee, { note: '明天上午去处理' })
    const inbox = await t.app.inject({ method: 'GET', url: '/api/notifications', headers: auth(volunteer) })
    expect(inbox.statusCode).toBe(200)
    const mine = inbox.json().items.filter((x: { reportId: number }) => x.reportId === r.id)
    expect(mine).toEqual([expect.objectContaining({ title: '您的上报已受理', body: '明天上午去处理', read: false })])
    const read = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: auth(volunteer),
      payload: { ids: [mine[0].id] },
    })
    expect(read.json().items.find((x: { id: number }) => x.id === mine[0].id).read).toBe(true)

    const client = new WechatClient({ appid: 'wx-liren-dev', secret: 'liren-dev-wechat-secret', apiBase: t.wechat.url })
    const before = t.wechat.sentMessages().length
    await Promise.all([
      pushNotifications(t.database.db, client, 'tpl-report'),
      pushNotifications(t.database.db, client, 'tpl-report'),
    ])
    const sent = t.wechat.sentMessages().slice(before)
    const pending = (await t.rows<{ id: number }>('notifications')).length
    expect(sent).toHaveLength(pending) // every entry once, none twice
    const toVolunteer = sent.find((m) => m.touser === 'demo-zhangjia-volunteer' && m.page?.includes(`reportId=${r.id}`))
    expect(toVolunteer).toMatchObject({ template_id: 'tpl-report', data: { thing1: { value: '您的上报已受理' } } })
    expect(await pushNotifications(t.database.db, client, 'tpl-report')).toBe(0)
  })
})
