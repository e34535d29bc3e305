import { readdir } from 'node:fs/promises'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postPhoto } from './testing/factories.js'
import { auth, startDemo, type TestContext } from './testing/harness.js'

/**
 * Hostile uploads to `POST /api/villages/:villageId/photos`: what is not a photo whatever its name,
 * decompression bombs (tiny files declaring enormous pictures), oversize and truncated files, SVG with
 * script, GIF, broken multipart. Each is refused with a 4xx in the error shape, nothing is stored (no
 * photos row, no file), and the server still takes a real photo afterwards.
 */
let t: TestContext
let zhangjia: number
let as: Record<'resident', string>

beforeAll(async () => {
  ;({ t, as, zhangjia } = await startDemo(['resident'], {
    env: { UPLOAD_LIMIT_PER_MINUTE: '1000', UPLOAD_IP_LIMIT_PER_MINUTE: '1000' },
  }))
})
afterAll(() => t?.close())

const upload = (name: string, bytes: Buffer | string) => postPhoto(t, zhangjia, { token: as.resident }, name, bytes)
const stored = async () => ({
  rows: (await t.rows('photos')).length,
  files: (await readdir(t.storageDir, { recursive: true }).catch(() => [] as string[])).filter((f) =>
    f.endsWith('.jpg'),
  ).length,
})

const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), 8 + data.length)
  return out
}
/** A valid PNG header declaring width × height, with a few bytes of deflated zeros: small on the wire, gigapixels once decoded. */
function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, deflate, no filter, no interlace
  const rows = deflateSync(Buffer.alloc(1024 * 1024)) // the first megabyte of zeros (about 1 KB deflated)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
/** A real JPEG whose frame header (SOF0) is rewritten to say width × height. */
async function jpegBomb(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .jpeg({ mozjpeg: false })
    .toBuffer()
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]))
  expect(sof).toBeGreaterThan(0)
  jpeg.writeUInt16BE(height, sof + 5)
  jpeg.writeUInt16BE(width, sof + 7)
  return jpeg
}
/** A real lossy WebP whose VP8 frame header is rewritten to its largest size, 16383 × 16383 (268 megapixels). */
async function webpBomb(): Promise<Buffer> {
  const webp = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .webp()
    .toBuffer()
  const start = webp.indexOf(Buffer.from([0x9d, 0x01, 0x2a]))
  expect(start).toBeGreaterThan(0)
  webp.writeUInt16LE(0x3fff, start + 3)
  webp.writeUInt16LE(0x3fff, start + 5)
  return webp
}
const photo = (width = 400, height = 300) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .toBuffer()

describe('hostile uploads', () => {
  it('refuses each with a 4xx in the error shape and stores nothing', async () => {
    const real = await photo()
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>'
    const cases: [string, string, Buffer | string, number][] = [
      ['text named like a photo', 'photo.jpg', '这不是照片，是一段文字。<script>alert(1)</script>', 400],
      ['an empty file', 'empty.jpg', Buffer.alloc(0), 400],
      ['a PNG bomb, 50000 × 50000', 'bomb.png', pngBomb(50_000, 50_000), 400],
      ['a PNG bomb named .jpg', 'bomb.jpg', pngBomb(50_000, 50_000), 400],
      ['a PNG of 7000 × 7000 (over 40 megapixels)', 'big.png', pngBomb(7000, 7000), 400],
      ['a JPEG bomb, 50000 × 50000', 'bomb.jpg', await jpegBomb(50_000, 50_000), 400],
      ['a WebP bomb, 16383 × 16383', 'bomb.webp', await webpBomb(), 400],
      ['an SVG with a script', 'drawing.svg', svg, 400],
      ['an SVG with a script named .jpg', 'drawing.jpg', svg, 400],
      [
        'an SVG behind a JPEG signature',
        'drawing.jpg',
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(svg)]),
        400,
      ],
      ['a truncated JPEG', 'cut.jpg', real.subarray(0, Math.floor(real.length / 2)), 400],
      ['a JPEG cut after its header', 'cut.jpg', real.subarray(0, 200), 400],
      [
        'a GIF',
        'anim.gif',
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
          .gif()
          .toBuffer(),
        400,
      ],
      [
        'a GIF named .jpg',
        'anim.jpg',
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
          .gif()
          .toBuffer(),
        400,
      ],
      [
        'a TIFF',
        'scan.tiff',
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
          .tiff()
          .toBuffer(),
        400,
      ],
      ['a PDF', 'notice.jpg', '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF', 400],
      ['an HTML page', 'index.jpg', '<!doctype html><html><body onload="alert(1)">hi</body></html>', 400],
      ['over 10 MB', 'huge.jpg', Buffer.concat([real, Buffer.alloc(11 * 1024 * 1024, 1)]), 413],
    ]
    const before = await stored()
    for (const [what, name, bytes, status] of cases) {
      const res = await upload(name, bytes)
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status)
      const body = res.json()
      expect(body.code, what).toMatch(/^(UNSUPPORTED_FILE|FILE_TOO_LARGE)$/)
      expect(body.message, what).toMatch(/[\u4e00-\u9fff]/)
      expect(body.details, what).toEqual([{ field: 'file', message: expect.stringMatching(/[\u4e00-\u9fff]/) }])
      expect(await stored(), what).toEqual(before)
    }
    // Still answering, and still taking photos.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    expect((await upload('fine.jpg', real)).statusCode).toBe(201)
  })

  it('refuses broken and odd multipart: no file, another type, a cut-off body, no boundary; of two files takes one', async () => {
    const before = await stored()
    const real = await photo()
    const url = `/api/villages/${zhangjia}/photos`
    const boundary = '----liren-hostile'
    const part = (name: string, filename: string | null, bytes: Buffer | string) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === null ? '' : `; filename="${filename}"`}\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        Buffer.from(bytes),
        Buffer.from('\r\n'),
      ])
    const end = Buffer.from(`--${boundary}--\r\n`)
    const multipart = { 'content-type': `multipart/form-data; boundary=${boundary}` }
    const cases: [string, Record<string, string>, Buffer | string][] = [
      ['only a text field', multipart, Buffer.concat([part('note', null, '<script>alert(1)</script>'), end])],
      ['a body cut off inside the file', multipart, part('file', 'a.jpg', real).subarray(0, 500)],
      ['no boundary', { 'content-type': 'multipart/form-data' }, Buffer.concat([part('file', 'a.jpg', real), end])],
      [
        'JSON instead of a file',
        { 'content-type': 'application/json' },
        JSON.stringify({ file: real.toString('base64') }),
      ],
      ['raw bytes as image/jpeg', { 'content-type': 'image/jpeg' }, real],
      ['a path in the file name', multipart, Buffer.concat([part('file', '../../../etc/passwd', 'root:x:0:0'), end])],
    ]
    for (const [what, headers, payload] of cases) {
      const res = await t.app.inject({ method: 'POST', url, headers: { ...auth(as.resident), ...headers }, payload })
      expect(res.statusCode, `${what}: ${res.body}`).toBeGreaterThanOrEqual(400)
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500)
      expect(res.json().code, what).toMatch(/^[A-Z_]+$/)
      expect(res.json().message, what).toMatch(/[\u4e00-\u9fff]/)
      expect(await stored(), what).toEqual(before)
    }
    // Two files in one request: the first is taken (the second never read), one photo stored.
    const two = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(as.resident), ...multipart },
      payload: Buffer.concat([
        part('file', 'a.jpg', await photo(111, 99)),
        part('file', 'b.jpg', await photo(100, 100)),
        end,
      ]),
    })
    expect(two.statusCode, two.body).toBe(201)
    expect(await stored()).toEqual({ rows: before.rows + 1, files: before.files + 2 })
    expect((await upload('fine.jpg', await photo(320, 240))).statusCode).toBe(201)
  })

  it('keeps nothing but the re-encoded picture: a script appended to a real JPEG is gone, and the name is never used', async () => {
    const real = await photo(640, 480)
    const polyglot = Buffer.concat([real, Buffer.from('<script>alert(1)</script><?php system($_GET["c"]); ?>')])
    const res = await upload('../../evil.php.jpg', polyglot)
    expect(res.statusCode).toBe(201)
    const { key, url } = res.json()
    const served = await t.app.inject({ method: 'GET', url })
    expect(served.headers['content-type']).toBe('image/jpeg')
    expect(served.rawPayload.includes(Buffer.from('<script>'))).toBe(false)
    expect(served.rawPayload.includes(Buffer.from('<?php'))).toBe(false)
    const files = await readdir(t.storageDir, { recursive: true })
    expect(files.filter((f) => f.includes('evil') || f.includes('..'))).toEqual([])
    expect(files).toContain(`${key.slice(0, 2)}/${key}.jpg`)
  })
})
