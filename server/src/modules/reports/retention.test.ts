import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removeUnusedPhotos } from '../../core/photos.js'
import { LocalStorage } from '../../core/storage.js'
import { uploadPhoto } from '../../testing/factories.js'
import { auth, startDemo, type TestContext } from '../../testing/harness.js'
import { PURGED_TEXT, purgeExpiredReports } from './retention.js'

let t: TestContext
let as: Record<'committee' | 'resident', string>
let zhangjia: number
let n = 0

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['committee', 'resident'], { env: { REPORT_LIMIT_PER_MINUTE: '1000' } }))
})
afterAll(() => t.close())

const call = (method: 'GET' | 'POST' | 'PUT', path: string, token: string, payload?: object) =>
  t.app.inject({ method, url: `/api/villages/${zhangjia}/reports${path}`, headers: auth(token), payload })
const DAY = 24 * 3600_000

/** A report with a photo, accepted, resolved and rated by its reporter: closed. */
async function closedReport(body: object) {
  n++
  const photo = await uploadPhoto(t, zhangjia, { token: as.resident })
  const filed = await call('POST', '', as.resident, {
    category: '矛盾纠纷',
    description: `邻居家的狗半夜叫 ${n}`,
    photos: [photo],
    idempotencyKey: `retention-${n}`,
    location: { latitude: 39.9, longitude: 116.4, address: '张家村三组 12 号' },
    ...body,
  })
  expect(filed.statusCode, filed.body).toBe(201)
  const id = filed.json().id
  for (const [action, token, payload] of [
    ['accept', as.committee, {}],
    ['resolve', as.committee, { note: '已经调解' }],
    ['rate', as.resident, { rating: 'satisfied', comment: '谢谢村里' }],
  ] as const) {
    const res = await call('POST', `/${id}/${action}`, token, payload)
    expect(res.statusCode, res.body).toBe(200)
  }
  return { id: id as number, key: photo }
}
const report = async (id: number) =>
  (await t.rows<Record<string, unknown> & { id: number }>('reports')).find((r) => r.id === id)!

describe('retention', () => {
  it('a closed private report loses its text, place and photos after the village’s period; public and recent ones keep theirs', async () => {
    const old = await closedReport({ public: false })
    const recent = await closedReport({ public: false })
    const open = await closedReport({ public: true })
    // The village keeps them 90 days; the old one closed 91 days ago, the others now.
    const settings = (await call('GET', '/settings', as.committee)).json()
    expect(settings.retentionDays).toBe(365)
    // The subscribe-message template the server sends report news with, for the mini-program to ask for.
    expect(settings.subscribeTemplateId).toBe('liren-dev-report-status')
    expect((await call('PUT', '/settings', as.committee, { ...settings, retentionDays: 10 })).json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'retentionDays' }],
    })
    expect(
      (await call('PUT', '/settings', as.committee, { ...settings, retentionDays: 90 })).json().retentionDays,
    ).toBe(90)
    // Saving the settings without the field keeps the period.
    const { retentionDays: _, ...withoutPeriod } = settings
    expect((await call('PUT', '/settings', as.committee, withoutPeriod)).json().retentionDays).toBe(90)
    await t.database.pool.query('UPDATE reports SET closed_at = closed_at - INTERVAL 91 DAY WHERE id IN (?, ?)', [
      old.id,
      open.id,
    ])

    expect(await purgeExpiredReports(t.database.db)).toBe(1)
    expect(await report(old.id)).toMatchObject({
      description: PURGED_TEXT,
      photos: [],
      address: null,
      latitude: null,
      longitude: null,
      rating_comment: null,
      state: 'closed',
      category: '矛盾纠纷',
    })
    expect((await report(old.id)).purged_at).not.toBeNull()
    const timeline = (
      await t.rows<{ report_id: number; note: string | null; photos: string[] }>('report_events')
    ).filter((e) => e.report_id === old.id)
    expect(timeline.length).toBeGreaterThan(0)
    expect(timeline.every((e) => e.note === null && e.photos.length === 0)).toBe(true)
    expect((await call('GET', `/${old.id}`, as.resident)).json()).toMatchObject({
      description: PURGED_TEXT,
      photos: [],
      address: null,
    })
    for (const kept of [recent, open]) expect((await report(kept.id)).description).toMatch(/^邻居家的狗半夜叫/)
    // Twice is once.
    expect(await purgeExpiredReports(t.database.db)).toBe(0)

    // Its photo is released and the unused-photo cleanup deletes the file; the others' photos stay.
    const storage = new LocalStorage(t.storageDir)
    expect(await removeUnusedPhotos(t.database.db, storage, new Date(Date.now() + 2 * DAY))).toBe(1)
    const photos = (await t.rows<{ key: string }>('photos')).map((p) => p.key)
    expect(photos).not.toContain(old.key)
    expect(photos).toEqual(expect.arrayContaining([recent.key, open.key]))
    expect((await t.app.inject({ method: 'GET', url: `/files/${old.key}.jpg` })).statusCode).toBe(404)
  })
})
